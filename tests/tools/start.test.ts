// `npm start` on a machine with Node and npm and nothing else: no browser on PATH, Playwright's browser folder
// empty, and a preload (tests/support/no-browser.mjs) that fails the process if anything on the way loads a
// browser library or starts a browser. The site must build without a single warning and answer on its URL.
//
// The test line (scripts/test-all.sh) builds the site first, under the same guard, and passes its log in
// SITE_BUILD_LOG; then only the server half of `npm start` runs here. Run alone, the test runs all of
// `npm start` in a copy of the project's sources, so a dist/ that other tests use is left alone.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
const guard = join(root, 'tests/support/no-browser.mjs');
const builtLog = process.env.SITE_BUILD_LOG && existsSync(process.env.SITE_BUILD_LOG) && existsSync(join(root, 'dist/index.html')) ? process.env.SITE_BUILD_LOG : null;

/** What counts as a warning in build output: Astro's `[WARN]`, Vite's `(!)`, any "warning", and the telemetry notice. */
export function buildWarnings(text: string): string[] {
  return text.split('\n').filter((l) => /\[WARN\]|\(!\)|\bwarn(ing)?\b|telemetry/i.test(l));
}

const scratch = mkdtempSync(join(tmpdir(), 'session-lab-bare-'));
const copies: string[] = [];
afterAll(() => {
  for (const dir of [scratch, ...copies]) rmSync(dir, { recursive: true, force: true });
});

/** PATH with node, npm and sh only, an empty Playwright browser folder and an empty HOME: a bare machine. */
function bareEnv(): NodeJS.ProcessEnv {
  const bin = join(scratch, 'bin');
  mkdirSync(bin, { recursive: true });
  if (!existsSync(join(bin, 'node'))) {
    symlinkSync(process.execPath, join(bin, 'node'));
    symlinkSync('/usr/bin/npm', join(bin, 'npm'));
    symlinkSync('/bin/sh', join(bin, 'sh'));
  }
  const home = join(scratch, 'home');
  const browsers = join(scratch, 'browsers');
  mkdirSync(home, { recursive: true });
  mkdirSync(browsers, { recursive: true });
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(npm_|NODE_OPTIONS$|NODE_ENV$|VITEST|PLAYWRIGHT)/.test(k)) env[k] = v;
  return {
    ...env,
    PATH: bin,
    HOME: home,
    PLAYWRIGHT_BROWSERS_PATH: browsers,
    NODE_OPTIONS: `--import=${guard}`,
    PORT: '0',
  };
}

interface Started {
  output: string;
  url: string;
  stop(): Promise<void>;
}

/**
 * A copy of the project's sources inside it (so Node finds the one node_modules by walking up, with no symlink for
 * the bundler to trip on), without build output, test results, tests or history. Removed after the test.
 */
function projectCopy(): string {
  const copy = mkdtempSync(join(root, '.bare-start-'));
  copies.push(copy);
  const skip = new Set(['node_modules', 'dist', '.git', '.astro', 'test-results', 'playwright-report', 'tests']);
  for (const name of readdirSync(root)) {
    if (skip.has(name) || name.startsWith('.bare-start-')) continue;
    cpSync(join(root, name), join(copy, name), { recursive: true });
  }
  return copy;
}

/** Runs a shell command until it prints the site's URL; fails with everything it printed if it exits first. */
function startUntilUrl(command: string, cwd: string): Promise<Started> {
  const child = spawn('/bin/sh', ['-c', command], { cwd, env: bareEnv(), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += String(chunk);
      const m = /^Flask Session Lab: (http:\/\/\S+)$/m.exec(output);
      if (m && output.includes('Live demo apps')) {
        resolve({
          output,
          url: m[1]!,
          stop: async () => {
            process.kill(-child.pid!, 'SIGTERM');
            await exited;
          },
        });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`\`${command}\` exited with ${code} before printing its URL:\n${output}`)));
  });
}

describe('npm start on a bare machine', () => {
  it('the build and start scripts run no browser: the size budget is a test step', () => {
    for (const name of ['build', 'start']) {
      expect(pkg.scripts[name], name).not.toMatch(/size-budget|playwright|lighthouse|chrom/);
    }
    expect(pkg.scripts.start).toMatch(/^node scripts\/build\.mjs && /);
    expect(readFileSync(join(root, 'scripts/test-all.sh'), 'utf8')).toContain('node scripts/size-budget.mjs');
  });

  it(
    'builds without a warning, serves the home page and a lesson, and prints a few lines and the URL',
    async () => {
      const [, serveHalf] = pkg.scripts.start.split(' && ');
      const site = await (builtLog ? startUntilUrl(serveHalf!, root) : startUntilUrl('npm start --silent', projectCopy()));
      try {
        const buildOutput = builtLog ? readFileSync(builtLog, 'utf8') : site.output;
        expect(buildWarnings(buildOutput), buildOutput).toEqual([]);
        expect(buildOutput).toMatch(/^Built \d+ pages in [\d.]+ s\.$/m);
        // A few lines in all: the build's three (start, exercise runtime, end) and the server's two.
        const lines = site.output.trim().split('\n');
        expect(lines.length, site.output).toBeLessThanOrEqual(builtLog ? 2 : 5);
        expect(site.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);

        const home = await fetch(site.url);
        expect(home.status).toBe(200);
        const homeHtml = await home.text();
        expect(homeHtml).toContain('Flask Session Lab');
        // A production build: Starlight's development flavour of search says it only works in production.
        expect(homeHtml).not.toContain('only available in production builds');
        const lesson = await fetch(new URL('zh-cn/lessons/cookies/', site.url));
        expect(lesson.status).toBe(200);
        expect(await lesson.text()).toContain('lang="zh-CN"');
        // The exercise runtime: Pyodide's files are there; the Flask archive is too, or (no apt-get on this bare
        // PATH) the manifest and the build log say why not and how to make it.
        const manifest = (await (await fetch(new URL('runtime/manifest.json', site.url))).json()) as { pyodide: { path: string }; archive: unknown; missing?: string; howto?: string };
        const wasm = await fetch(new URL(`runtime/${manifest.pyodide.path}pyodide.asm.wasm`, site.url), { method: 'HEAD' });
        expect(wasm.headers.get('content-type')).toBe('application/wasm');
        if (manifest.archive === null) {
          expect(manifest.missing).toMatch(/apt-get is not on this machine/);
          expect(manifest.howto).toMatch(/^npm run runtime:archive/);
          expect(buildOutput).toContain(manifest.howto);
        }
        const live = await fetch(new URL('live/cookie/', site.url));
        expect(live.status).toBeLessThan(500);
        const missing = await fetch(new URL('no-such-page/', site.url));
        expect(missing.status).toBe(404);
        expect(await missing.text()).toContain('页面未找到');
      } finally {
        await site.stop();
      }
    },
    300_000,
  );
});

describe('buildWarnings', () => {
  it('counts the kinds of line the build used to print', () => {
    const sample = [
      '06:13:44 [WARN] [vite] [MODULE_LEVEL_DIRECTIVE] The semantics of the module level directive',
      '(!) Some chunks are larger than 500 kB after minification. Consider:',
      '▶ Astro collects anonymous usage data.',
      '  Run "astro telemetry disable" to opt-out.',
      'Built 23 pages in 9.4 s.',
    ].join('\n');
    expect(buildWarnings(sample)).toHaveLength(3);
  });
});
