import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { itWithPeer, runPython } from '../support/peers.ts';
import { lineChunks, type ChunkStats } from '../../src/cli/crack.ts';
import { cli, lines } from './run.ts';

// {"a":1} signed by Flask with SECRET_KEY "dev".
const DEV_COOKIE = 'eyJhIjoxfQ.ZVPxAA.D3QXMI0ZQYNZDxORB__kVZyT7hk';
const dir = mkdtempSync(join(tmpdir(), 'session-lab-crack-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
function wordlist(...parts: (string | Uint8Array)[]): string {
  const file = join(dir, `list-${n++}.txt`);
  writeFileSync(file, Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p))));
  return file;
}

/** Lines of pseudo-random junk: printable words and raw binary (never a newline inside a line). */
function junk(count: number, seed = 1): Buffer {
  let x = seed;
  const next = () => ((x = (x * 1103515245 + 12345) >>> 0) >>> 8) & 0xff;
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const len = 1 + (next() % 24);
    for (let j = 0; j < len; j++) {
      const b = i % 3 === 0 ? next() : 0x61 + (next() % 26);
      out.push(b === 0x0a ? 0x0b : b);
    }
    out.push(0x0a);
  }
  return Buffer.from(out);
}

describe('crack', () => {
  it('finds the key among binary junk and CRLF lines; prints it alone on stdout, exit 0', async () => {
    const file = wordlist('password\r\n', Uint8Array.of(0xff, 0xfe, 0x00, 0x80, 0x0a), junk(500), 'dev\r\n', 'devops\n');
    const r = await cli(['crack', '--wordlist', file, DEV_COOKIE]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe('dev\n');
    expect(r.stderr).toMatch(/^crack: found after [\d,]+ guesses in [\d.]+ s \([\d,]+\/s, \d+ threads?\)$/m);
  });

  it('reports no match with exit 1 and one line saying so', async () => {
    const file = wordlist(junk(3000, 7), 'devv\n', 'de\n', 'dev \n', 'dev\r\r\n');
    const r = await cli(['crack', '-q', '-w', file, DEV_COOKIE]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(lines(r.stderr)).toEqual([
      `session-lab crack: no match: none of the 3,004 lines of '${file}' signed this cookie (salt 'cookie-session', key derivation hmac, digest sha1)`,
    ]);
  });

  it('works across many chunks, with any thread count, from a file or stdin, with a last line lacking its newline', async () => {
    const big = junk(60000, 3);
    expect(big.length).toBeGreaterThan(5 * 64 * 1024);
    const longLine = Buffer.alloc(200 * 1024, 0x41);
    const file = wordlist(big, longLine, '\n', junk(100, 4), 'dev');
    for (const threads of ['1', '3']) {
      const r = await cli(['crack', '-q', '--threads', threads, '-w', file, DEV_COOKIE]);
      expect([r.status, r.stdout, r.stderr], `threads ${threads}`).toEqual([0, 'dev\n', '']);
    }
    const viaStdin = await cli(['crack', '-q', '-w', '-', DEV_COOKIE], Buffer.concat([big, Buffer.from('dev\n')]));
    expect([viaStdin.status, viaStdin.stdout]).toEqual([0, 'dev\n']);
  });

  it('caps --threads at the number of cores, and says so', async () => {
    const cores = availableParallelism();
    const file = wordlist('admin\n', 'dev\n');
    const r = await cli(['crack', '--threads', '500', '-w', file, DEV_COOKIE]);
    expect([r.status, r.stdout]).toEqual([0, 'dev\n']);
    const plural = (n: number) => `${n} ${n === 1 ? 'thread' : 'threads'}`;
    expect(lines(r.stderr)[0]).toBe(`crack: --threads 500 is more than the ${cores} core${cores === 1 ? '' : 's'} of this machine; using ${plural(cores)}`);
    expect(r.stderr).toContain(`/s, ${plural(cores)})`);
  });

  it('reads a line of many megabytes in linear time: each byte is copied a bounded number of times', async () => {
    // 16 MiB with no newline, then short lines, in 64 KiB pieces as a pipe delivers them.
    const longLine = 16 << 20;
    const input = Buffer.concat([junk(2000, 5), Buffer.alloc(longLine, 0x42), Buffer.from('\n'), junk(3000, 6), Buffer.from('tail')]);
    async function* pieces() {
      for (let i = 0; i < input.length; i += 65536) yield input.subarray(i, i + 65536);
    }
    const stats: ChunkStats = { copiedBytes: 0 };
    const chunks: Uint8Array[] = [];
    for await (const c of lineChunks(pieces(), stats)) chunks.push(c);
    // The chunks are the input, cut only after newlines.
    expect(Buffer.concat(chunks).equals(input)).toBe(true);
    for (const c of chunks.slice(0, -1)) expect(c[c.length - 1]).toBe(0x0a);
    expect(chunks.some((c) => c.length > longLine)).toBe(true);
    // Joining the pending pieces again for every new piece (as a quadratic reader does) copies hundreds of times more.
    expect(stats.copiedBytes).toBeLessThanOrEqual(5 * input.length);
  });

  it('reads a relative wordlist path from the working directory it is given', async () => {
    const file = wordlist('admin\n', 'dev\n');
    const r = await cli(['crack', '-q', '--threads', '1', '-w', file.slice(dir.length + 1), DEV_COOKIE], undefined, { cwd: dir });
    expect([r.status, r.stdout, r.stderr]).toEqual([0, 'dev\n', '']);
  });

  it('honours --salt, --key-derivation and --digest', async () => {
    const token = (await cli(['sign', '--secret', 'hunter2', '--salt', 'auth', '--key-derivation', 'django-concat', '--digest', 'sha256', '--data', '{"a":1}'])).stdout.trim();
    const file = wordlist('hunter1\n', 'hunter2\n');
    expect((await cli(['crack', '-q', '-w', file, token, '--salt', 'auth', '--key-derivation', 'django-concat', '--digest', 'sha256'])).stdout).toBe('hunter2\n');
    expect((await cli(['crack', '-q', '-w', file, token, '--salt', 'auth', '--digest', 'sha256'])).status).toBe(1);
  });

  it('a cookie that no key can match, or a missing wordlist, is a one-line usage error (exit 2)', async () => {
    const file = wordlist('dev\n');
    for (const [args, msg] of [
      [['-w', file, 'garbage'], /COOKIE: not a signed value: no '\.' found/],
      [['-w', file, DEV_COOKIE, '--digest', 'sha256'], /COOKIE: the signature is 20 bytes but sha256 gives 32: no key can match/],
      [['-w', join(dir, 'missing.txt'), DEV_COOKIE], /cannot read wordlist '.*missing\.txt': no such file/],
      [['-w', dir, DEV_COOKIE], /cannot read wordlist .*: is a directory/],
      [[DEV_COOKIE], /--wordlist is required/],
    ] as const) {
      const r = await cli(['crack', ...args]);
      expect(r.status, args.join(' ')).toBe(2);
      expect(lines(r.stderr)).toHaveLength(1);
      expect(r.stderr).toMatch(msg);
    }
  });

  itWithPeer('flask', "cracks a real Flask cookie whose key is not UTF-8, printing it as Python's bytes repr", async () => {
    const py = JSON.parse(
      runPython(`
import json
from flask import Flask, session
key = b"k\\xe9y'\\\\\\t\\xff"
app = Flask("c")
app.secret_key = key
@app.route("/")
def index():
    session["user_id"] = 42
    return "ok"
r = app.test_client().get("/")
print(json.dumps({"cookie": r.headers["Set-Cookie"].split(";")[0].split("=", 1)[1], "key": key.hex(), "repr": repr(key)}))
`),
    ) as { cookie: string; key: string; repr: string };
    const file = wordlist(junk(2000, 9), 'k\xe9y\n', Buffer.from(py.key, 'hex'), '\r\n', 'after\n');
    const r = await cli(['crack', '-q', '-w', file, py.cookie]);
    expect([r.status, r.stdout]).toEqual([0, py.repr + '\n']);
  });
});
