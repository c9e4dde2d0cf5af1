// A learner for the lab tests: an instance of a lab with a cookie jar and a clock that moves one second per action.
import { LabInstance, replayLab } from '../../src/labs/runtime.ts';
import type { LabExchange, LabMode } from '../../src/labs/types.ts';

export class Learner {
  readonly lab: LabInstance;
  at = 1_800_000_000;
  readonly jar = new Map<string, string>();
  private constructor(lab: LabInstance) {
    this.lab = lab;
  }
  static async start(slug: string, mode: LabMode, seed = 'seed-1'): Promise<Learner> {
    return new Learner(await LabInstance.create(slug, seed, mode));
  }
  /** A request with the jar's cookies (unless `cookies: false`); Set-Cookie answers go into the jar. */
  async send(method: string, url: string, options: { body?: string; cookies?: boolean; headers?: [string, string][] } = {}): Promise<LabExchange> {
    const headers: [string, string][] = [...(options.headers ?? [])];
    if (options.cookies !== false && this.jar.size) headers.push(['Cookie', [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ')]);
    if (options.body !== undefined && !headers.some(([k]) => k.toLowerCase() === 'content-type')) headers.push(['Content-Type', 'application/x-www-form-urlencoded']);
    const x = await this.lab.request({ method, url, headers, ...(options.body !== undefined ? { body: options.body } : {}) }, ++this.at);
    for (const [k, v] of x.responseHeaders) {
      if (k.toLowerCase() !== 'set-cookie') continue;
      const [pair] = v.split(';');
      const eq = pair!.indexOf('=');
      const value = pair!.slice(eq + 1);
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(v)) this.jar.delete(pair!.slice(0, eq));
      else this.jar.set(pair!.slice(0, eq), value);
    }
    return x;
  }
  victim(action: string, arg?: string): Promise<LabExchange[]> {
    return this.lab.victim(action, arg, ++this.at);
  }
  replay(mode: LabMode = this.lab.mode, seed = this.lab.seed) {
    return replayLab(this.lab.slug, seed, mode, this.lab.log);
  }
}

export const header = (x: { responseHeaders: [string, string][] }, name: string): string | null => x.responseHeaders.find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1] ?? null;
export const headers = (x: { responseHeaders: [string, string][] }, name: string): string[] => x.responseHeaders.filter(([k]) => k.toLowerCase() === name.toLowerCase()).map(([, v]) => v);
