// Helpers for the lab tests: a learner with a cookie jar who talks to a lab instance, as the panel does.
import { LabInstance } from '../../src/labs/runtime.ts';
import type { LabExchange } from '../../src/labs/types.ts';

/** The value of cookie `name` in a Set-Cookie list, or null. */
export function setCookieValue(x: LabExchange, name: string): string | null {
  for (const [k, v] of x.responseHeaders) {
    if (k.toLowerCase() !== 'set-cookie') continue;
    const m = new RegExp(`^${name}=([^;]*)`).exec(v);
    if (m) return m[1]!;
  }
  return null;
}

/** A learner's browser: sends requests to the instance with its own cookies, at the times given. */
export class Learner {
  readonly cookies = new Map<string, string>();
  readonly lab: LabInstance;
  constructor(lab: LabInstance) {
    this.lab = lab;
  }

  async get(url: string, at?: number, method = 'GET'): Promise<LabExchange> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const x = await this.lab.request({ method, url, headers: cookie ? [['Cookie', cookie]] : [] }, at);
    for (const [k, v] of x.responseHeaders) {
      if (k.toLowerCase() !== 'set-cookie') continue;
      const m = /^([^=]+)=([^;]*)/.exec(v)!;
      if (/Max-Age=0|Expires=Thu, 01 Jan 1970/i.test(v)) this.cookies.delete(m[1]!);
      else this.cookies.set(m[1]!, m[2]!);
    }
    return x;
  }
}
