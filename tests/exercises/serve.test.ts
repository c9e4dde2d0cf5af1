// How `npm start` serves the exercise runtime (dist/runtime/): WebAssembly, zip and module types, the manifest
// revalidated on every load, everything else there cached for good, and nothing outside it kept for good.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaticHandler } from '../../src/server/site.ts';

let dir = '';
let server: Server;
let base = '';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flasklab-runtime-serve-'));
  const py = join(dir, 'runtime', 'pyodide', '314.0.7');
  mkdirSync(py, { recursive: true });
  mkdirSync(join(dir, 'runtime', 'runner'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Home</title>');
  writeFileSync(join(dir, 'runtime', 'manifest.json'), '{"version":1}');
  writeFileSync(join(dir, 'runtime', 'flask-3.1.1.zip'), Buffer.from('PK\x05\x06'));
  writeFileSync(join(py, 'pyodide.asm.wasm'), Buffer.from([0, 0x61, 0x73, 0x6d]));
  writeFileSync(join(py, 'pyodide.mjs'), 'export {}');
  writeFileSync(join(dir, 'runtime', 'runner', 'flasklab.py'), 'x = 1\n');
  server = createServer(createStaticHandler(dir));
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((ok) => server.close(ok));
  rmSync(dir, { recursive: true, force: true });
});

describe('serving /runtime/', () => {
  it('gives each file its type and its caching', async () => {
    const head = async (path: string) => {
      const res = await fetch(base + path, { method: 'HEAD' });
      return [res.status, res.headers.get('content-type'), res.headers.get('cache-control')];
    };
    const forGood = 'public, max-age=31536000, immutable';
    expect(await head('/runtime/manifest.json')).toEqual([200, 'application/json; charset=utf-8', 'no-cache']);
    expect(await head('/runtime/pyodide/314.0.7/pyodide.asm.wasm')).toEqual([200, 'application/wasm', forGood]);
    expect(await head('/runtime/pyodide/314.0.7/pyodide.mjs')).toEqual([200, 'text/javascript; charset=utf-8', forGood]);
    expect(await head('/runtime/flask-3.1.1.zip?v=0123456789abcdef')).toEqual([200, 'application/zip', forGood]);
    expect(await head('/runtime/runner/flasklab.py')).toEqual([200, 'text/x-python; charset=utf-8', forGood]);
    // A missing runtime file is not kept, and pages outside /runtime/ are not kept for good.
    expect((await head('/runtime/flask-9.9.9.zip'))[2]).not.toBe(forGood);
    expect((await head('/'))[2]).not.toBe(forGood);
  });
});
