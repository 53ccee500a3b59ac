// A config's `use: { corsRegime: 'installed' }` reaches the `cors` fixture (a worker option: a file of
// its own, as Playwright wants). No engine starts: the fixture launches one on the first cors.fetch().
import { expect } from '@playwright/test';
import { test } from '../../harness/policy/cors-fixture.ts';

test.use({ corsRegime: 'installed' });

test('use: { corsRegime } sets the fixture\'s regime', ({ cors }) => {
  expect(cors.regime).toBe('installed');
});
