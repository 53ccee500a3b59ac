// RFC 6265bis as the oracle reads it: which cookies a credentialed request to the API carries.
import { test, expect } from '@playwright/test';
import { predictCookiesReceived, registrableDomain, siteRelation } from '../../harness/oracle/cookies.ts';
import { blockedAsMixedContent } from '../../harness/oracle/mixed-content.ts';

const c = (name: string, attributes: string) => ({ name, value: 'v', attributes });
const include = { api: 'fetch' as const, credentials: 'include' as const };
const KINDS = [c('none', 'SameSite=None; Secure'), c('lax', 'SameSite=Lax; Secure'), c('strict', 'SameSite=Strict; Secure'), c('unset', 'Secure'), c('part', 'SameSite=None; Secure; Partitioned'), c('insecure', 'SameSite=None')];

test('.test hosts: the registrable domain is the last two labels; schemeful same-site', () => {
  expect(registrableDomain('api.example.test')).toBe('example.test');
  expect(registrableDomain('127.0.0.1')).toBe('127.0.0.1');
  expect(siteRelation('https://app.example.test', 'https://api.example.test')).toBe('same-site');
  expect(siteRelation('https://app.site-a.test', 'https://api.site-b.test')).toBe('cross-site');
  // RFC 6265bis 5.2: the scheme is part of "schemefully same-site".
  expect(siteRelation('http://app.example.test', 'https://api.example.test')).toBe('cross-site');
});

test('same-site: every stored cookie goes; SameSite=None without Secure was never stored', () => {
  expect(predictCookiesReceived(KINDS, include, 'https://app.example.test', 'https://api.example.test')).toEqual(['none', 'lax', 'strict', 'unset', 'part']);
});

test('cross-site: only SameSite=None; Secure, and not a cookie partitioned under another top-level site', () => {
  expect(predictCookiesReceived(KINDS, include, 'https://app.site-a.test', 'https://api.site-b.test')).toEqual(['none']);
});

test('credentials omit and same-origin carry no cookie to another origin', () => {
  expect(predictCookiesReceived(KINDS, { api: 'fetch', credentials: 'omit' }, 'https://app.example.test', 'https://api.example.test')).toEqual([]);
  expect(predictCookiesReceived(KINDS, { api: 'xhr', credentials: 'same-origin' }, 'https://app.example.test', 'https://api.example.test')).toEqual([]);
});

test('a Secure cookie cannot be set over http', () => {
  expect(predictCookiesReceived([c('s', 'Secure; SameSite=Lax'), c('p', 'SameSite=Lax')], include, 'http://app.example.test', 'http://api.example.test')).toEqual(['p']);
});

test('mixed content: an https page may not call http on a named host; loopback is potentially trustworthy', () => {
  expect(blockedAsMixedContent('https://app.example.test', 'http://api.example.test')).toBe(true);
  expect(blockedAsMixedContent('https://app.example.test', 'http://127.0.0.1:8080')).toBe(false);
  expect(blockedAsMixedContent('http://app.example.test', 'https://api.example.test')).toBe(false);
  expect(blockedAsMixedContent('null', 'http://api.example.test')).toBe(false);
});
