// The one place that knows about Xvfb: a private X display on a free number, stopped with its owner.
import { startLogged } from './processes.ts';

export interface Display {
  /** The value for $DISPLAY, e.g. `:99`. */
  display: string;
  stop(): Promise<void>;
}

/** `log`: a file for Xvfb's stderr, and the display outlives this process (startManaged's `outlive`). */
export async function startXvfb(xvfbPath: string, { log }: { log?: string } = {}): Promise<Display & { pid: number }> {
  // -displayfd lets the server pick a free display number and write it back: no races between workers.
  // Xvfb writes it once, at start: the pipe may close with this process afterwards.
  const { proc, said: stderr } = startLogged(xvfbPath, ['-displayfd', '3', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp', '-noreset'], undefined, log, ['pipe']);
  const said = () => stderr().slice(-500);
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
