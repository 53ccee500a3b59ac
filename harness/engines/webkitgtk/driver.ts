// One page's processes under the worker's Xvfb display: a MiniBrowser the harness starts itself,
// with its remote inspector on, and a WebKitWebDriver pointed at it with --target. The harness
// starts the browser (rather than the driver) for its inspector: the views the driver drives write
// no console text anywhere else, and a driver-launched MiniBrowser with the inspector variable set
// puts its automation socket where the driver never finds it.
import fs from 'node:fs';
import getPort from 'get-port';
import { startLogged } from '../processes.ts';
import { WebDriverClient } from '../webdriver.ts';
import { InspectorConnection } from './inspector.ts';
import type { Endpoint } from './page.ts';

const START_TIMEOUT_MS = 15_000;

function graphicsEnv(display: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DISPLAY: display,
    // The DMA-BUF renderer aborts without a GPU; software GL is enough for fetch probes.
    WEBKIT_DISABLE_DMABUF_RENDERER: '1',
    WEBKIT_DISABLE_COMPOSITING_MODE: '1',
    LIBGL_ALWAYS_SOFTWARE: '1',
    GDK_BACKEND: 'x11',
    NO_AT_BRIDGE: '1',
  };
  // With both set, MiniBrowser serves the inspector over HTTP and ignores this one anyway.
  delete env.WEBKIT_INSPECTOR_SERVER;
  return env;
}

/**
 * The TCP ports process `pid` listens on, from /proc: its socket inodes (/proc/PID/fd) matched
 * against the listening sockets of /proc/net/tcp and tcp6. Read from /proc rather than `ss`, which
 * the set-up does not install and which would be one more process per poll.
 */
export function listeningPorts(pid: number, proc = '/proc'): number[] {
  const inodes = new Set<string>();
  let fds: string[];
  try { fds = fs.readdirSync(`${proc}/${pid}/fd`); } catch { return []; }
  for (const fd of fds) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`${proc}/${pid}/fd/${fd}`));
      if (m) inodes.add(m[1]);
    } catch { /* closed meanwhile */ }
  }
  const ports = new Set<number>();
  for (const table of ['tcp', 'tcp6']) {
    let text = '';
    try { text = fs.readFileSync(`${proc}/net/${table}`, 'utf8'); } catch { continue; }
    for (const line of text.split('\n').slice(1)) {
      // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
      const cols = line.trim().split(/\s+/);
      if (cols.length < 10 || cols[3] !== '0A' || !inodes.has(cols[9])) continue;
      ports.add(parseInt(cols[1].split(':').pop()!, 16));
    }
  }
  return [...ports];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * MiniBrowser listening on `inspectorPort` (inspector, HTTP and WebSocket) and on a port it picks
 * for automation; resolves once both are up and its first page is listed as an inspector target.
 * The session must attach after that: a page created later is never listed.
 */
async function startMiniBrowser(browserPath: string, args: string[], display: string, inspectorPort: number, logDir?: string) {
  const { proc, said: tail } = startLogged(browserPath, ['--automation', ...args], { ...graphicsEnv(display), WEBKIT_INSPECTOR_HTTP_SERVER: `127.0.0.1:${inspectorPort}` }, logDir && `${logDir}/minibrowser.log`);
  const deadline = Date.now() + START_TIMEOUT_MS;
  try {
    let automationPort: number | undefined;
    let pagePath: string | null = null;
    while (Date.now() < deadline) {
      if (proc.child.exitCode !== null || proc.child.signalCode !== null) throw new Error(`MiniBrowser exited (${proc.child.exitCode ?? proc.child.signalCode}) on start: ${tail()}`);
      // Another process took the free port between its choice and MiniBrowser's bind: no inspector will come.
      if (INSPECTOR_PORT_TAKEN.test(tail())) throw new Error(`MiniBrowser could not bind its inspector port ${inspectorPort}: ${tail()}`);
      const ports = listeningPorts(proc.child.pid!);
      automationPort ??= ports.find((p) => p !== inspectorPort);
      if (automationPort !== undefined && ports.includes(inspectorPort)) {
        pagePath = await InspectorConnection.pagePath(inspectorPort).catch(() => null);
        if (pagePath) return { proc, automationPort, pagePath };
      }
      await sleep(25);
    }
    throw new Error(`MiniBrowser did not ${automationPort === undefined ? 'open its automation port' : 'list its page on the inspector'} within ${START_TIMEOUT_MS} ms: ${tail()}`);
  } catch (e) {
    await proc.stop();
    throw e;
  }
}

/** MiniBrowser's words when its inspector's port is taken (seen in a loaded run: a port race). */
const INSPECTOR_PORT_TAKEN = /Failed to start remote inspector HTTP server.*Address already in use/;
/** Fresh ports tried when another process takes the inspector's port first. */
const PORT_ATTEMPTS = 3;

/** What a later worker needs to take over a MiniBrowser and its driver (shared.ts). */
export interface DriverRecord {
  driverUrl: string;
  inspectorPort: number;
  pagePath: string;
  browserPid: number;
  /** The processes to stop with the page: the driver's and MiniBrowser's (each leads its group). */
  pids: number[];
}

/**
 * A MiniBrowser and its WebKitWebDriver; `attach` connects the inspector once the session exists.
 * `logDir`: they outlive this process (the run's kept page, shared.ts), writing their stderr there.
 */
export async function startDriver(driverPath: string, browserPath: string, browserArgs: string[], display: string, logDir?: string): Promise<Endpoint & { record: DriverRecord }> {
  let browser!: Awaited<ReturnType<typeof startMiniBrowser>>;
  let inspectorPort = 0;
  for (let attempt = 1; ; attempt++) {
    inspectorPort = await getPort({ host: '127.0.0.1' });
    try {
      browser = await startMiniBrowser(browserPath, browserArgs, display, inspectorPort, logDir);
      break;
    } catch (e) {
      if (attempt >= PORT_ATTEMPTS || !INSPECTOR_PORT_TAKEN.test(String((e as Error).message))) throw e;
    }
  }
  const port = await getPort({ host: '127.0.0.1' });
  const { proc: driver, said: driverTail } = startLogged(driverPath, [`--port=${port}`, '--host=127.0.0.1', `--target=127.0.0.1:${browser.automationPort}`], graphicsEnv(display), logDir && `${logDir}/webkitwebdriver.log`);
  const record: DriverRecord = {
    driverUrl: `http://127.0.0.1:${port}`, inspectorPort, pagePath: browser.pagePath, browserPid: browser.proc.child.pid!, pids: [driver.child.pid!, browser.proc.child.pid!],
  };
  const stopAll = async () => { await Promise.all([driver.stop(), browser.proc.stop()]); };
  const endpoint = Object.assign(attachedEndpoint(record, stopAll), { record });
  try {
    await endpoint.client.waitReady(START_TIMEOUT_MS);
  } catch (e) {
    await stopAll();
    throw new Error(`${(e as Error).message}${driverTail() ? `; WebKitWebDriver: ${driverTail()}` : ''}`);
  }
  return endpoint;
}

/**
 * The endpoint of a MiniBrowser and driver described by `record`: `stop` runs when the page is done
 * with them, after its inspector connection closes.
 */
export function attachedEndpoint(record: DriverRecord, stop: () => Promise<void>): Endpoint {
  let inspector: InspectorConnection | null = null;
  const endpoint: Endpoint = {
    client: new WebDriverClient(record.driverUrl),
    console: [],
    async attach() {
      inspector = await InspectorConnection.open(record.inspectorPort, record.pagePath, endpoint.console, START_TIMEOUT_MS);
    },
    async release() {
      inspector?.close();
      inspector = null;
      await stop();
    },
    browserPid: record.browserPid,
  };
  return endpoint;
}
