// The one place that knows about Xvfb: a private X display on a free number, stopped with its owner.
import fs from 'node:fs';
import { startManaged, type Managed } from './processes.ts';

export interface Display {
  /** The value for $DISPLAY, e.g. `:99`. */
  display: string;
  stop(): Promise<void>;
}

/** `log`: a file for Xvfb's stderr, and the display outlives this process (startManaged's `outlive`). */
export async function startXvfb(xvfbPath: string, { log }: { log?: string } = {}): Promise<Display & { pid: number }> {
  // -displayfd lets the server pick a free display number and write it back: no races between workers.
  // Xvfb writes it once, at start: the pipe may close with this process afterwards.
  const err = log ? fs.openSync(log, 'a') : 'pipe';
  const proc: Managed = startManaged(xvfbPath, ['-displayfd', '3', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp', '-noreset'], {
    stdio: ['ignore', 'ignore', err, 'pipe'],
  }, { outlive: !!log });
  if (typeof err === 'number') fs.closeSync(err);
  const stderr: string[] = [];
  proc.child.stderr?.on('data', (d) => stderr.push(String(d)));
  const said = () => { try { return log ? fs.readFileSync(log, 'utf8').slice(-500) : stderr.join('').slice(-500); } catch { return ''; } };
  const display = await new Promise<string>((resolve, reject) => {
    let text = '';
    const fd3 = proc.child.stdio[3] as NodeJS.ReadableStream | null;
    const timer = setTimeout(() => reject(new Error(`Xvfb did not report a display within 10 s: ${said()}`)), 10_000);
    fd3?.on('data', (d) => {
      text += String(d);
      if (!text.includes('\n')) return;
      clearTimeout(timer);
      // A display that outlives this process must not keep it running.
      if (log) (fd3 as unknown as { destroy(): void }).destroy();
      resolve(':' + text.trim());
    });
    proc.child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`Xvfb exited (${code}) before reporting a display: ${said()}`)); });
  }).catch(async (e) => { await proc.stop(); throw e; });
  return { display, stop: () => proc.stop(), pid: proc.child.pid! };
}
