// Child processes for the live-server tests: the TypeScript demo server (`session-lab serve`) and the real
// Flask + Flask-Session app under either judge, both on free loopback ports; and a browser-like cookie jar shared between
// them (a browser sends a 127.0.0.1 cookie to every port of that host, so both servers see the same cookies).
import { spawn, type ChildProcess } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { spawnPython, type JudgeId } from '../support/judges.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const p of live) p.kill('SIGKILL');
});

/** A server started by a test. */
export interface Child {
  base: string;
  port: number;
  proc: ChildProcess;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /** True while the process runs. */
  alive(): boolean;
  /** Resolves with the output once it matches `re` (output is written after each response goes out); rejects after `timeoutMs`. */
  waitFor(re: RegExp, timeoutMs?: number): Promise<string>;
  stop(): Promise<void>;
}

function track(proc: ChildProcess, pattern: RegExp, what: string, timeoutMs: number): Promise<Child> {
  live.add(proc);
  let text = '';
  proc.stderr!.on('data', (d) => (text += String(d)));
  const lines = createInterface({ input: proc.stdout! });
  let exited = false;
  proc.once('exit', () => {
    exited = true;
    live.delete(proc);
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`${what} did not start in ${timeoutMs} ms: ${text}`));
    }, timeoutMs);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited with ${code}: ${text}`));
    });
    let started = false;
    lines.on('line', (line) => {
      text += line + '\n';
      const m = pattern.exec(line);
      if (!started && m) {
        started = true;
        clearTimeout(timer);
        const port = Number(m[1]);
        resolve({
          base: `http://127.0.0.1:${port}`,
          port,
          proc,
          output: () => text,
          alive: () => !exited,
          waitFor: async (re, ms = 5000) => {
            const end = Date.now() + ms;
            while (!re.test(text)) {
              if (Date.now() > end) throw new Error(`output never matched ${re}:\n${text.slice(-4000)}`);
              await new Promise((r) => setTimeout(r, 20));
            }
            return text;
          },
          stop: async () => {
            if (exited) return;
            const gone = new Promise<void>((r) => proc.once('exit', () => r()));
            proc.kill('SIGTERM');
            const t = setTimeout(() => proc.kill('SIGKILL'), 3000);
            await gone;
            clearTimeout(t);
          },
        });
      }
    });
  });
}

/** Starts `session-lab serve --port 0 ARGS…` with the Node running the tests; resolves once it prints its URL. */
export function startServe(args: string[], timeoutMs = 60_000): Promise<Child> {
  const proc = spawn(process.execPath, ['--experimental-strip-types', '--no-warnings', 'src/cli/main.ts', 'serve', '--port', '0', ...args], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return track(proc, /^Listening on http:\/\/127\.0\.0\.1:(\d+)\//, `session-lab serve ${args.join(' ')}`, timeoutMs);
}

/**
 * Starts tests/peers/flask_session_app.py under a judge (default Debian 12's Flask 2.2.2 + Flask-Session 0.3.2)
 * with `env`; resolves once it prints its port.
 */
export function startFlaskSession(env: Record<string, string>, judge: JudgeId = 'flask-2.2', timeoutMs = 60_000): Promise<Child> {
  const script = fileURLToPath(new URL('../peers/flask_session_app.py', import.meta.url));
  const proc = spawnPython(judge, [script], { PORT: '0', ...env });
  return track(proc, /^PORT (\d+)$/, `flask_session_app.py under ${judge}`, timeoutMs);
}

/** A response as the tests look at it. */
export interface Got {
  status: number;
  body: string;
  setCookies: string[];
  headers: Headers;
  ms: number;
}

/**
 * A cookie jar for one host and path `/`: remembers name=value from Set-Cookie, forgets a cookie on an Expires in
 * the past or Max-Age=0, and sends everything it holds to any port of that host.
 */
export class Jar {
  readonly cookies = new Map<string, string>();

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  store(setCookie: string): void {
    const [pair, ...attrs] = setCookie.split(/;\s*/);
    const eq = pair!.indexOf('=');
    const name = pair!.slice(0, eq);
    const value = pair!.slice(eq + 1);
    const gone = attrs.some((a) => /^max-age=0$/i.test(a) || (/^expires=/i.test(a) && Date.parse(a.slice(8)) <= Date.now()));
    if (gone) this.cookies.delete(name);
    else this.cookies.set(name, value);
  }

  /**
   * GET `url` with this jar's cookies; applies the response's Set-Cookie headers. Each request has a connection of
   * its own (no keep-alive), so a server closing an idle connection can never race a request sent on it.
   * `timeoutMs` only guards against a hang.
   */
  get(url: string, timeoutMs = 60_000): Promise<Got> {
    return this.request('GET', url, timeoutMs);
  }

  /** {@link get} with another method (HEAD, OPTIONS, POST …), no request body. */
  request(method: string, url: string, timeoutMs = 60_000): Promise<Got> {
    const t0 = performance.now();
    const headers: Record<string, string> = {};
    if (this.cookies.size) headers.cookie = this.header();
    return new Promise<Got>((resolve, reject) => {
      const req = httpRequest(url, { method, headers, agent: false, signal: AbortSignal.timeout(timeoutMs) }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const h = new Headers();
          const raw = res.rawHeaders;
          for (let i = 0; i < raw.length; i += 2) h.append(raw[i]!, raw[i + 1]!);
          const setCookies = h.getSetCookie();
          for (const c of setCookies) this.store(c);
          resolve({ status: res.statusCode!, body: Buffer.concat(chunks).toString('utf8'), setCookies, headers: h, ms: performance.now() - t0 });
        });
      });
      req.on('error', reject);
      req.end();
    });
  }

}

/** `encodeURIComponent` for query values. */
export const q = encodeURIComponent;
