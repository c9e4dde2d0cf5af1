import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itWithPeer } from '../support/peers.ts';

// The size budget's static pass on a hand-made dist/: what it must count and what it must leave out.
const script = join(import.meta.dirname, '../../scripts/size-budget.mjs');
let dist: string;

const write = (path: string, text: string) => {
  const file = join(dist, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
};
const gz = (text: string) => gzipSync(Buffer.from(text), { level: 9 }).length;
const kb = (bytes: number) => (bytes / 1024).toFixed(1);
// Incompressible-ish filler so sizes are far apart and easy to tell.
const filler = (seed: number, n: number) => {
  let x = seed;
  let out = '';
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    out += String.fromCharCode(97 + (x % 26));
  }
  return `/*${out}*/`;
};

const files = {
  entry: `import{a}from"./shared.js";import"./side.js";document.body.addEventListener("click",()=>import("./lazy.js"));${filler(1, 3000)}`,
  shared: `export const a=1;export*from"./deep.js";${filler(2, 2000)}`,
  deep: `export const d=2;${filler(3, 1500)}`,
  side: `console.log(1);${filler(4, 1000)}`,
  lazy: `export default 1;${filler(5, 40000)}`,
  preload: `export const p=1;${filler(6, 800)}`,
  classic: `window.x=1;${filler(7, 700)}`,
};
const inline = `window.y=2;${filler(8, 500)}`;

function run(args: string[]) {
  return spawnSync(process.execPath, [script, '--static-only', `--dist=${dist}`, ...args], { encoding: 'utf8' });
}

beforeAll(() => {
  dist = mkdtempSync(join(tmpdir(), 'size-budget-'));
  write('_astro/entry.js', files.entry);
  write('_astro/shared.js', files.shared);
  write('_astro/deep.js', files.deep);
  write('_astro/side.js', files.side);
  write('_astro/lazy.js', files.lazy);
  write('_astro/preload.js', files.preload);
  write('classic.js', files.classic);
  write(
    'index.html',
    `<!doctype html><html><head><script type="module" src="/_astro/entry.js"></script><link rel="modulepreload" href="/_astro/preload.js">` +
      `<script src="/classic.js"></script><script>${inline}</script><script type="application/ld+json">{"big":"${'x'.repeat(5000)}"}</script></head><body></body></html>`,
  );
  write('empty/index.html', '<!doctype html><html><body>no scripts</body></html>');
});

afterAll(() => rmSync(dist, { recursive: true, force: true }));

describe('size-budget (static pass)', () => {
  it('counts module scripts with their static imports, modulepreloads, classic and inline scripts, and nothing dynamic', () => {
    const r = run(['--verbose']);
    expect(r.status, r.stderr).toBe(0);
    const statics = gz(files.entry) + gz(files.shared) + gz(files.deep) + gz(files.side) + gz(files.preload) + gz(files.classic);
    const total = statics + gz(inline);
    const row = r.stdout.split('\n').find((l) => l.startsWith('/ '))!;
    expect(row.split(/\s+/).slice(1, 5)).toEqual([kb(gz(inline)), kb(statics), '0.0', kb(total)]);
    expect(r.stdout).toMatch(/\(deferred\)\s+[\d.]+ KB {2}\/_astro\/lazy\.js/);
    expect(r.stdout).toMatch(/\/empty\/\s+0\.0\s+0\.0\s+0\.0\s+0\.0\s+ok/);
  });

  it('fails with exit 1 and says which page is over', () => {
    const r = run(['--budget-kb=1']);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^\/ .*OVER 1 KB$/m);
    expect(r.stderr).toContain('1 page(s) over the 1 KB budget: /');
  });

  it('fails when a page refers to a script that is not in dist/', () => {
    write('broken/index.html', '<script type="module" src="/_astro/missing.js"></script>');
    try {
      const r = run([]);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('/broken/ → /_astro/missing.js');
    } finally {
      rmSync(join(dist, 'broken'), { recursive: true });
    }
  });

  it('runs as a plain script', () => {
    expect(() => execFileSync(process.execPath, [script, '--static-only', `--dist=${dist}`])).not.toThrow();
  });
});

describe('size-budget (browser pass)', () => {
  itWithPeer(
    'chromium',
    'adds what the page imports by itself while idle, and still leaves out what waits for a click',
    () => {
      const idle = `export default 3;${filler(9, 6000)}`;
      write('idle/idle.js', idle);
      write('idle/index.html', `<script type="module">requestIdleCallback(()=>import("/idle/idle.js"));document.body.addEventListener("click",()=>import("/_astro/lazy.js"));</script>`);
      try {
        const r = spawnSync(process.execPath, [script, `--dist=${dist}`, '--verbose'], { encoding: 'utf8', timeout: 120_000 });
        expect(r.status, r.stderr).toBe(0);
        const row = r.stdout.split('\n').find((l) => l.startsWith('/idle/'))!;
        expect(row.split(/\s+/)[3]).toBe(kb(gz(idle)));
        const section = r.stdout.slice(r.stdout.indexOf('\n/idle/\n'));
        expect(section).toContain('/idle/idle.js');
        expect(section.split('\n\n')[0]).not.toMatch(/^\s+[\d.]+ KB {2}\/_astro\/lazy\.js/m);
      } finally {
        rmSync(join(dist, 'idle'), { recursive: true });
      }
    },
    120_000,
  );
});
