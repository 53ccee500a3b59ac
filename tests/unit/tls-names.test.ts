// The run CA issues one certificate per parent name (servers/tls.ts): a scenario's own host shares it.
import { test, expect } from '@playwright/test';
import { certificateName } from '../../servers/tls.ts';

test('per-scenario hosts share their parent wildcard; IPs and two-label names keep their own', () => {
  expect(certificateName('s0a1b2c3d4.api.site-b.test')).toBe('*.api.site-b.test');
  expect(certificateName('sffeeddccb.api.site-b.test')).toBe('*.api.site-b.test');
  expect(certificateName('api.site-b.test')).toBe('*.site-b.test');
  expect(certificateName('example.test')).toBe('example.test');
  expect(certificateName('127.0.0.1')).toBe('127.0.0.1');
  expect(certificateName('::1')).toBe('::1');
});
