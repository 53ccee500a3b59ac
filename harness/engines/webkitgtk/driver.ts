// A WebKitWebDriver process of this worker, on a free loopback port under the worker's Xvfb display.
import getPort from 'get-port';
import { startManaged, type Managed } from '../processes.ts';
import { WebDriverClient } from '../webdriver.ts';
import type { Endpoint } from './page.ts';

/**
 * Console lines MiniBrowser prints with --enable-write-console-messages-to-stdout
 * (`<url>:<line>:<col>: CONSOLE <LEVEL> <text>`). Seen in a normal MiniBrowser window; the views
 * WebKitWebDriver creates in automation mode (2.50.6) do not inherit the setting, so this stays empty
 * there and WebKitGTK cells carry no engine message.
 */
const CONSOLE_LINE = / CONSOLE ([A-Z]+(?: [A-Z]+)?) (.*)$/;

export async function startDriver(driverPath: string, display: string): Promise<Endpoint> {
  const port = await getPort({ host: '127.0.0.1' });
  const proc = startManaged(driverPath, [`--port=${port}`, '--host=127.0.0.1'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      DISPLAY: display,
      // The DMA-BUF renderer aborts without a GPU; software GL is enough for fetch probes.
      WEBKIT_DISABLE_DMABUF_RENDERER: '1',
      WEBKIT_DISABLE_COMPOSITING_MODE: '1',
      LIBGL_ALWAYS_SOFTWARE: '1',
      GDK_BACKEND: 'x11',
      NO_AT_BRIDGE: '1',
    },
  });
  const endpoint: Endpoint = { client: new WebDriverClient(`http://127.0.0.1:${port}`), console: [], release: () => proc.stop() };
  readConsole(proc, endpoint.console);
  try {
    await endpoint.client.waitReady(15_000);
  } catch (e) {
    await proc.stop();
    throw e;
  }
  return endpoint;
}

function readConsole(proc: Managed, into: string[]): void {
  let buffer = '';
  const onData = (d: Buffer) => {
    buffer += d.toString('utf8');
    let i: number;
    while ((i = buffer.indexOf('\n')) >= 0) {
      const m = CONSOLE_LINE.exec(buffer.slice(0, i));
      buffer = buffer.slice(i + 1);
      if (m) into.push(`${m[1]}: ${m[2]}`);
    }
  };
  proc.child.stdout?.on('data', onData);
  proc.child.stderr?.on('data', onData);
}
