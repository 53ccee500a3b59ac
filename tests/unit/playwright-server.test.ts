// CORS_PLAYWRIGHT_SERVER's parsing and checks, the version message, and CORS_BIND_ADDRESS's check.
import { test, expect } from '@playwright/test';
import { parsePlaywrightServers, playwrightServerFor, serverVersionIn, versionMismatch } from '../../harness/engines/playwright-server.mjs';
import { withPlaywrightServer } from '../../harness/engines/launch.ts';
import { droppedArguments } from '../../harness/engines/playwright-engine.ts';
import { bindAddressOf, bindAddressProblem, checkEnv, portRangeOf } from '../../harness/settings.ts';

test('per engine, or one URL for both chromium and firefox', () => {
  expect(parsePlaywrightServers('chromium=ws://127.0.0.1:3000/,firefox=ws://10.0.0.5:3001/')).toEqual({
    servers: { chromium: 'ws://127.0.0.1:3000/', firefox: 'ws://10.0.0.5:3001/' }, problems: [],
  });
  expect(parsePlaywrightServers(' ws://browsers:3000 ').servers).toEqual({ chromium: 'ws://browsers:3000/', firefox: 'ws://browsers:3000/' });
  expect(parsePlaywrightServers('firefox=wss://b.example/pw').servers).toEqual({ firefox: 'wss://b.example/pw' });
  expect(parsePlaywrightServers(undefined)).toEqual({ servers: {}, problems: [] });
  const env = { CORS_PLAYWRIGHT_SERVER: 'firefox=ws://127.0.0.1:3001/' };
  expect(playwrightServerFor('firefox', env)).toBe('ws://127.0.0.1:3001/');
  expect(playwrightServerFor('chromium', env)).toBeUndefined();
});

test('the named engine connects, the others launch here; the variable wins over Playwright\'s connectOptions', () => {
  const env = { CORS_PLAYWRIGHT_SERVER: 'chromium=ws://127.0.0.1:3000/' };
  expect(withPlaywrightServer('chromium', { regime: 'users' }, env)).toEqual({ regime: 'users', connect: { wsEndpoint: 'ws://127.0.0.1:3000/', variable: 'CORS_PLAYWRIGHT_SERVER' } });
  expect(withPlaywrightServer('firefox', { regime: 'users' }, env)).toEqual({ regime: 'users' });
  expect(withPlaywrightServer('webkit', {}, env)).toEqual({});
  expect(withPlaywrightServer('chromium', { connect: { wsEndpoint: 'ws://other:1/' } }, env).connect?.wsEndpoint).toBe('ws://127.0.0.1:3000/');
});

test('a bad URL, webkit, an unknown engine or one named twice: each with its fix, naming the variable', () => {
  const problems = parsePlaywrightServers('webkit=ws://x:1/,chromium=http://a:1/,edge=ws://b:1/,firefox=ws://c:1/,firefox=ws://d:1/').problems;
  expect(problems.map((p) => p.problem)).toEqual([
    'webkit is not driven by Playwright here (it is WebKitGTK over WebDriver)',
    '"http://a:1/" is not a ws:// or wss:// URL',
    '"edge" is not an engine',
    'firefox is named twice',
  ]);
  expect(problems[0].fix).toMatch(/CORS_WEBDRIVER_URL \(or CORS_GRID\)/);
  expect(() => checkEnv({ CORS_PLAYWRIGHT_SERVER: 'chromium=localhost:3000' }))
    .toThrow(/environment variable CORS_PLAYWRIGHT_SERVER: "localhost:3000" is not a ws:\/\/ or wss:\/\/ URL\. Fix: e\.g\. CORS_PLAYWRIGHT_SERVER=chromium=ws:\/\/127\.0\.0\.1:3000\//);
  expect(() => checkEnv({ CORS_PLAYWRIGHT_SERVER: 'chromium=ws://127.0.0.1:3000/' })).not.toThrow();
});

test('a server of another Playwright minor version: the message names both versions and the command that fixes it', () => {
  // Playwright's own 428 text (playwright-core remote/playwrightServer.ts), as a refused connect shows it.
  const refused = 'browserType.connect: WebSocket error: ws://127.0.0.1:39163/ 428 Precondition Required\n║ Playwright version mismatch:   ║\n║   - server version: v1.63      ║\n║   - client version: v1.64      ║';
  expect(serverVersionIn(refused)).toBe('1.63');
  expect(versionMismatch('chromium', 'ws://127.0.0.1:39163/', '1.63', '1.64.1')).toBe(
    'CORS_PLAYWRIGHT_SERVER chromium=ws://127.0.0.1:39163/: the server runs Playwright 1.63, this project 1.64.1; a client and server of different Playwright versions refuse each other. ' +
    'Fix: start it with the same version: npx playwright@1.64.1 run-server --port 39163 --host 0.0.0.0 --unsafe (or npm run playwright-servers here)');
  // Playwright compares major.minor only.
  expect(versionMismatch('chromium', 'ws://h:1/', '1.64', '1.64.1')).toBeNull();
});

test('a launch argument a run-server without --unsafe dropped is found on the command line read back', () => {
  const sent = ['--disable-sync', '--ip-address-space-overrides=127.0.0.1:1=public', '--disable-features=Translate'];
  expect(droppedArguments(sent, ['--disable-sync', '--ip-address-space-overrides=<the harness\'s origin servers>', '--disable-features=Translate,X'])).toEqual([]);
  expect(droppedArguments(sent, ['--disable-sync'])).toEqual(['--ip-address-space-overrides', '--disable-features']);
});

test('CORS_BIND_ADDRESS: an IPv4 address of this machine (a loopback network\'s too), or 0.0.0.0', () => {
  const lo = { address: '127.0.0.1', netmask: '255.0.0.0', family: 'IPv4', mac: '00:00:00:00:00:00', internal: true, cidr: '127.0.0.1/8' } as const;
  const eth = { address: '10.1.2.3', netmask: '255.255.0.0', family: 'IPv4', mac: '02:00:00:00:00:01', internal: false, cidr: '10.1.2.3/16' } as const;
  const interfaces = { lo: [lo], eth0: [eth] };
  for (const ok of [undefined, '127.0.0.1', '127.0.0.2', '0.0.0.0', '10.1.2.3']) expect(bindAddressProblem(ok, interfaces), String(ok)).toBeNull();
  // Another address of eth0's network is not this machine's.
  expect(bindAddressProblem('10.1.2.4', interfaces)).toEqual({ problem: '10.1.2.4 is not an address of this machine', fix: 'use 127.0.0.1 (the default), 0.0.0.0 (every address), or one of this machine\'s: 127.0.0.1, 10.1.2.3' });
  expect(bindAddressProblem('localhost', interfaces)?.problem).toMatch(/not an IPv4 address/);
  expect(bindAddressProblem('::1', interfaces)?.problem).toMatch(/IPv6/);
  expect(() => checkEnv({ CORS_BIND_ADDRESS: '192.0.2.77' })).toThrow(/environment variable CORS_BIND_ADDRESS: 192\.0\.2\.77 is not an address of this machine\. Fix: use 127\.0\.0\.1/);
  expect(bindAddressOf(undefined)).toEqual({ listen: '127.0.0.1', host: '127.0.0.1' });
  expect(bindAddressOf('127.0.0.2')).toEqual({ listen: '127.0.0.2', host: '127.0.0.2' });
  expect(bindAddressOf('0.0.0.0')).toEqual({ listen: '0.0.0.0', host: '127.0.0.1' });
});

test('CORS_PORT_RANGE: first-last, ports 1024-65535', () => {
  expect(portRangeOf(undefined)).toBeNull();
  expect(portRangeOf('40000-40199')).toEqual({ first: 40000, last: 40199 });
  for (const bad of ['40000', '80-90', '5000-4000', '40000-70000', 'a-b']) expect(() => portRangeOf(bad), bad).toThrow(/is not a range first-last of ports between 1024 and 65535/);
  expect(() => checkEnv({ CORS_PORT_RANGE: '40000' })).toThrow(/environment variable CORS_PORT_RANGE: "40000" is not a range .* Fix: e\.g\. CORS_PORT_RANGE=40000-40199/);
});
