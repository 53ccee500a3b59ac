// A Selenium Grid for the webkit engine (CORS_GRID): its /status read into MiniBrowser slots, and the
// variable's check. The Grid itself runs in tests/runs/grid.spec.ts.
import { test, expect } from '@playwright/test';
import { gridNodes, nodeLabel } from '../../harness/engines/webkitgtk/grid.ts';
import { WebDriverError, isNodeFailure } from '../../harness/engines/webdriver.ts';
import { checkEnv } from '../../harness/settings.ts';
import { gridUrl, webkitIsRemote } from '../../harness/engines/webkitgtk/webdriver-env.mjs';

const slot = (stereotype: Record<string, unknown>, session: unknown = null) => ({ id: { hostId: 'h', id: 's' }, lastStarted: '1970-01-01T00:00:00Z', session, stereotype });

/** The shape Selenium 4.48's hub answers (trimmed), with a busy node, a down one and a Chrome node. */
const STATUS = {
  value: {
    ready: true,
    message: 'Selenium Grid ready.',
    nodes: [
      { id: 'a', uri: 'http://127.0.0.1:5555', availability: 'UP', maxSessions: 1, slots: [slot({ browserName: 'MiniBrowser', 'cors:node': 'webkit-1' })] },
      { id: 'b', uri: 'http://127.0.0.1:5556', availability: 'UP', maxSessions: 1, slots: [slot({ browserName: 'MiniBrowser', 'cors:node': 'webkit-2' }, { sessionId: 'x' })] },
      { id: 'c', uri: 'http://127.0.0.1:5557', availability: 'DOWN', maxSessions: 1, slots: [slot({ browserName: 'MiniBrowser', 'cors:node': 'webkit-3' })] },
      { id: 'd', uri: 'http://10.0.0.9:5555', availability: 'UP', maxSessions: 3, slots: [slot({ browserName: 'chrome' }), slot({ browserName: 'MiniBrowser' }), slot({ browserName: 'MiniBrowser' })] },
    ],
  },
};

test('/status: each node\'s MiniBrowser slots, free or not, whether it is UP, and its name', () => {
  expect(gridNodes(STATUS)).toEqual([
    { id: 'a', uri: 'http://127.0.0.1:5555', name: 'webkit-1', slots: 1, free: 1, up: true },
    { id: 'b', uri: 'http://127.0.0.1:5556', name: 'webkit-2', slots: 1, free: 0, up: true },
    { id: 'c', uri: 'http://127.0.0.1:5557', name: 'webkit-3', slots: 1, free: 1, up: false },
    { id: 'd', uri: 'http://10.0.0.9:5555', name: null, slots: 2, free: 2, up: true },
  ]);
  expect(nodeLabel(gridNodes(STATUS)[0])).toBe('webkit-1 (http://127.0.0.1:5555)');
  expect(nodeLabel(gridNodes(STATUS)[3])).toBe('http://10.0.0.9:5555');
});

test('/status without nodes, or not a Grid\'s answer, has no slots', () => {
  expect(gridNodes({ value: { ready: false, nodes: [] } })).toEqual([]);
  expect(gridNodes({ value: { ready: true, message: 'WebKitWebDriver' } })).toEqual([]);
  expect(gridNodes(null)).toEqual([]);
  expect(gridNodes({ value: { nodes: 'x' } })).toEqual([]);
});

test('a node failure is any failed command but the page\'s own script errors', () => {
  expect(isNodeFailure(new WebDriverError('unknown error', 'Connection error (POST http://127.0.0.1:4601/session/1/execute/async)'))).toBe(true);
  expect(isNodeFailure(new WebDriverError('invalid session id', 'Unable to find session with ID: 1'))).toBe(true);
  expect(isNodeFailure(new TypeError('fetch failed'))).toBe(true);
  expect(isNodeFailure(new WebDriverError('script timeout', 'timed out'))).toBe(false);
  expect(isNodeFailure(new WebDriverError('javascript error', 'x is not defined'))).toBe(false);
});

test('CORS_GRID: one http(s) URL, not with CORS_WEBDRIVER_URL; the webkit engine then runs remotely', () => {
  expect(() => checkEnv({ CORS_GRID: 'http://127.0.0.1:4444/' })).not.toThrow();
  expect(gridUrl({ CORS_GRID: ' http://127.0.0.1:4444/ ' })).toBe('http://127.0.0.1:4444');
  expect(gridUrl({})).toBeNull();
  expect(webkitIsRemote({ CORS_GRID: 'http://127.0.0.1:4444' })).toBe(true);
  expect(webkitIsRemote({})).toBe(false);
  expect(() => checkEnv({ CORS_GRID: 'ftp://127.0.0.1:21' })).toThrow(/CORS_GRID: "ftp:\/\/127\.0\.0\.1:21" is not one http\(s\) URL\. Fix: the Grid's own URL, e\.g\. CORS_GRID=http:\/\/127\.0\.0\.1:4444 \(npm run grid prints it\)/);
  expect(() => checkEnv({ CORS_GRID: 'http://127.0.0.1:4444,http://127.0.0.1:4445' })).toThrow(/CORS_GRID: .* is not one http\(s\) URL/);
  expect(() => checkEnv({ CORS_GRID: '127.0.0.1:4444' })).toThrow(/CORS_GRID/);
  expect(() => checkEnv({ CORS_GRID: 'http://127.0.0.1:4444', CORS_WEBDRIVER_URL: 'http://127.0.0.1:4445' }))
    .toThrow(/CORS_GRID: is set together with CORS_WEBDRIVER_URL\. Fix: set one of them/);
});
