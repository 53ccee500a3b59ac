// Remote WebDriver endpoints (CORS_WEBDRIVER_URL), one session each at a time: WebKitWebDriver serves
// one session per process; a Selenium Grid URL is listed as many times as sessions it may hold.
// A page waits for a free endpoint.
import { WebDriverClient } from '../webdriver.ts';
import type { Endpoint } from './page.ts';

export class EndpointPool {
  private readonly free: string[];
  private readonly waiting: Array<(url: string) => void> = [];
  constructor(readonly urls: string[]) { this.free = [...urls]; }

  async acquire(timeoutMs: number): Promise<Endpoint> {
    const url = this.free.shift() ?? await new Promise<string>((resolve, reject) => {
      const take = (u: string) => { clearTimeout(timer); resolve(u); };
      const timer = setTimeout(() => {
        this.waiting.splice(this.waiting.indexOf(take), 1);
        reject(new Error(`no free WebDriver endpoint among ${this.urls.length} (CORS_WEBDRIVER_URL) within ${timeoutMs} ms; list more endpoints for isolated scenarios`));
      }, timeoutMs);
      this.waiting.push(take);
    });
    let released = false;
    return {
      client: new WebDriverClient(url),
      console: [],
      release: async () => {
        if (released) return;
        released = true;
        const next = this.waiting.shift();
        if (next) next(url); else this.free.push(url);
      },
    };
  }
}
