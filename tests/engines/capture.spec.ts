// Captured bodies are capped: a page result never carries more than 4 KiB of a response body,
// whatever the target sends (1 MiB here), in every engine.
import { test, expect } from '../../harness/matrix/catalogue-fixtures.ts';
import type { PageResult } from '../../harness/model/types.ts';

test('a 1 MiB response body is captured as at most 4096 characters', async ({ session }) => {
  const { servers, page } = session;
  servers.registry.register('capped-body', { origins: { pageOrigin: servers.origin.origin, targetOrigin: servers.target.origin, otherOrigin: servers.other.origin }, response: { status: 200, headers: [['Access-Control-Allow-Origin', '*']], body: 'x'.repeat(1024 * 1024) } });
  const r = await page.evaluate<PageResult>('window.__corsProbe(arg)', {
    api: 'fetch', url: `${servers.target.origin}/c/capped-body/0`, method: 'GET', headers: {}, credentials: 'omit', body: null, readHeaders: [], timeoutMs: 5000,
  }, 15_000);
  servers.registry.forget('capped-body');
  expect(r.readable).toBe(true);
  expect(r.body!.length).toBe(4096);
});
