// The browser's Python: a module Web Worker that loads Pyodide and the Flask archive from the site's /runtime/
// (only when a learner opens an exercise or presses Run: client.ts starts it on the first call), reports its
// progress, then answers calls. The page stays responsive whatever the learner's code does; client.ts
// terminates this Worker when a call passes its time limit.
import { boot, type Booted } from './core.ts';
import type { FromWorker, LoadFailure, ManifestFile, RuntimeManifest, ToWorker } from './protocol.ts';

const scope = globalThis as unknown as {
  postMessage(msg: FromWorker): void;
  addEventListener(type: 'message', fn: (e: MessageEvent<ToWorker>) => void): void;
};
const send = (msg: FromWorker): void => scope.postMessage(msg);

class LoadError extends Error {
  readonly failure: LoadFailure;
  constructor(failure: LoadFailure) {
    super(failure.detail);
    this.failure = failure;
  }
}

async function getOk(url: string, init?: RequestInit): Promise<Response> {
  const res = await fetch(url, init);
  if (!res.ok) throw new LoadError({ code: 'load-failed', detail: `${url}: HTTP ${res.status}` });
  return res;
}

/** The bytes of a URL, reporting progress as they arrive. */
async function download(url: string, total: number, phase: 'archive'): Promise<Uint8Array> {
  const res = await getOk(url);
  const body = new Uint8Array(total);
  let loaded = 0;
  const reader = res.body!.getReader();
  let last = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (loaded + value.length > body.length) throw new LoadError({ code: 'load-failed', detail: `${url}: more than the ${total} bytes the manifest lists` });
    body.set(value, loaded);
    loaded += value.length;
    if (loaded - last > 64 * 1024 || loaded === total) {
      last = loaded;
      send({ type: 'progress', progress: { phase, loaded, total } });
    }
  }
  if (loaded !== total) throw new LoadError({ code: 'load-failed', detail: `${url}: ${loaded} bytes, the manifest lists ${total}` });
  return body;
}

const versioned = (base: string, path: string, file: ManifestFile | { sha256: string }): string => `${base}${path}?v=${file.sha256.slice(0, 16)}`;

async function start(base: string, interrupt: Int32Array | undefined): Promise<Booted> {
  const manifest = (await (await getOk(`${base}manifest.json`, { cache: 'no-cache' })).json()) as RuntimeManifest;
  if (!manifest.archive) {
    throw new LoadError({ code: 'archive-missing', detail: manifest.missing ?? 'the build made none', ...(manifest.howto ? { howto: manifest.howto } : {}) });
  }
  if (!manifest.runner) throw new LoadError({ code: 'runner-missing', detail: `${base}manifest.json lists no runner` });
  const timings: Record<string, number> = {};

  // Pyodide first (the largest part); the archive and the runner download while the WebAssembly compiles.
  send({ type: 'progress', progress: { phase: 'runtime' } });
  let t = performance.now();
  const indexURL = `${base}${manifest.pyodide.path}`;
  const { loadPyodide } = (await import(/* @vite-ignore */ `${indexURL}pyodide.mjs`)) as typeof import('pyodide');
  const pyodideReady = loadPyodide({ indexURL, packages: [], stdout: () => undefined, stderr: () => undefined });
  const archive = manifest.archive;
  const archiveBytes = pyodideReady.then(() => {
    timings.pyodide = Math.round(performance.now() - t);
    send({ type: 'progress', progress: { phase: 'archive', loaded: 0, total: archive.size } });
    t = performance.now();
    return download(versioned(base, archive.file, archive), archive.size, 'archive');
  });
  const runner: Record<string, string> = {};
  const runnerFiles = Promise.all(
    manifest.runner.files.map(async (f) => {
      runner[f.name] = await (await getOk(versioned(base, `${manifest.runner!.path}${f.name}`, f))).text();
    }),
  );
  const [pyodide, bytes] = await Promise.all([pyodideReady, archiveBytes, runnerFiles]);
  timings.archive = Math.round(performance.now() - t);
  send({ type: 'progress', progress: { phase: 'python' } });
  extras = (manifest.extras ?? []).map((e) => ({ ...e, url: versioned(base, e.file, e) }));
  return boot({ pyodide, archive: bytes, runner, timings, extras: extras.map((e) => ({ name: e.name, imports: e.imports })), interrupt });
}

/** The on-demand zips of the manifest, with the URL each is fetched from. */
let extras: { name: string; url: string; imports: readonly string[] }[] = [];

let booted: Booted | null = null;

scope.addEventListener('message', (e) => {
  const msg = e.data;
  if (msg.type === 'init') {
    start(msg.base, msg.interrupt).then(
      (b) => {
        booted = b;
        send({ type: 'progress', progress: { phase: 'ready' } });
        send({ type: 'ready', info: b.info });
      },
      (err: unknown) => {
        send({ type: 'failed', failure: err instanceof LoadError ? err.failure : { code: 'load-failed', detail: err instanceof Error ? err.message : String(err) } });
      },
    );
  } else if (msg.type === 'call') {
    send(booted ? booted.handle(msg) : { type: 'broken', id: msg.id, detail: 'Python is not ready' });
  } else if (msg.type === 'load-extra') {
    const extra = extras.find((e) => e.name === msg.name);
    (async () => {
      if (!booted || !extra) throw new Error(`no on-demand zip named ${msg.name}`);
      booted.addExtra(new Uint8Array(await (await getOk(extra.url)).arrayBuffer()));
    })().then(
      () => send({ type: 'extra-loaded', id: msg.id }),
      (err: unknown) => send({ type: 'extra-loaded', id: msg.id, error: err instanceof Error ? err.message : String(err) }),
    );
  }
});
