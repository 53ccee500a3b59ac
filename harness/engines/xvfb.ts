// The one place that knows about Xvfb: a private X display on a free number, stopped with its owner.
import { startManaged, type Managed } from './processes.ts';

export interface Display {
  /** The value for $DISPLAY, e.g. `:99`. */
  display: string;
  stop(): Promise<void>;
}

export async function startXvfb(xvfbPath: string): Promise<Display> {
  // -displayfd lets the server pick a free display number and write it back: no races between workers.
  const proc: Managed = startManaged(xvfbPath, ['-displayfd', '3', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp', '-noreset'], {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
  });
  const stderr: string[] = [];
  proc.child.stderr?.on('data', (d) => stderr.push(String(d)));
  const display = await new Promise<string>((resolve, reject) => {
    let text = '';
    const fd3 = proc.child.stdio[3] as NodeJS.ReadableStream | null;
    const timer = setTimeout(() => reject(new Error(`Xvfb did not report a display within 10 s: ${stderr.join('').slice(-500)}`)), 10_000);
    fd3?.on('data', (d) => {
      text += String(d);
      if (text.includes('\n')) { clearTimeout(timer); resolve(':' + text.trim()); }
    });
    proc.child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`Xvfb exited (${code}) before reporting a display: ${stderr.join('').slice(-500)}`)); });
  });
  return { display, stop: () => proc.stop() };
}
