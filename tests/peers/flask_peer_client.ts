// Node-side client of tests/peers/flask_peer.py; the value codec lives in ./wire.ts.
import { type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { spawnPython, type JudgeId } from '../support/judges.ts';
export { canonical, canonicalWire, fromWire, toWire, type PyError, type Wire } from './wire.ts';

interface Pending {
  resolve(v: Record<string, unknown>): void;
  reject(e: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

/** One running `flask_peer.py`; every request is a JSON line, answered in order. */
export class FlaskPeer {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private stderr = '';
  readonly ready: Promise<{ flask: string; itsdangerous: string }>;
  /** How many requests were answered, per operation. */
  readonly counts = new Map<string, number>();

  /** Starts `flask_peer.py` under a judge: Debian 12's Flask 2.2 by default, or Debian 13's Flask 3.1. */
  /** The judge this peer runs under. */
  readonly judge: JudgeId;

  constructor(judge: JudgeId = 'flask-2.2') {
    this.judge = judge;
    const script = fileURLToPath(new URL('./flask_peer.py', import.meta.url));
    this.child = spawnPython(judge, [script]);
    this.child.stderr.on('data', (d) => {
      this.stderr = (this.stderr + String(d)).slice(-4000);
    });
    const lines = createInterface({ input: this.child.stdout });
    let onReady: (v: { flask: string; itsdangerous: string }) => void;
    let onFail: (e: Error) => void;
    this.ready = new Promise((res, rej) => {
      onReady = res;
      onFail = rej;
    });
    const readyTimer = setTimeout(() => onFail(new Error(`flask_peer.py did not start in 20 s: ${this.stderr}`)), 20_000);
    lines.on('line', (line) => {
      const msg = JSON.parse(line) as Record<string, unknown>;
      if (msg.ready) {
        clearTimeout(readyTimer);
        onReady(msg as unknown as { flask: string; itsdangerous: string });
        return;
      }
      const p = this.pending.get(msg.id as number);
      if (!p) return;
      this.pending.delete(msg.id as number);
      clearTimeout(p.timer);
      if (msg.peer_error) p.reject(new Error(`peer failed: ${JSON.stringify(msg.peer_error)}\n${String(msg.trace)}`));
      else p.resolve(msg);
    });
    this.child.on('exit', (code) => {
      clearTimeout(readyTimer);
      onFail(new Error(`flask_peer.py exited with ${code}: ${this.stderr}`));
      for (const p of this.pending.values()) {
        clearTimeout(p.timer);
        p.reject(new Error(`flask_peer.py exited with ${code}: ${this.stderr}`));
      }
      this.pending.clear();
    });
  }

  /** Sends one request; rejects after `timeoutMs` or when the peer dies. */
  request<T = Record<string, unknown>>(op: string, body: Record<string, unknown>, timeoutMs = 20_000): Promise<T> {
    const id = this.nextId++;
    this.counts.set(op, (this.counts.get(op) ?? 0) + 1);
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`flask_peer.py did not answer ${op} #${id} in ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { resolve: resolve as (v: Record<string, unknown>) => void, reject, timer });
      this.child.stdin.write(JSON.stringify({ ...body, id, op }) + '\n');
    });
  }

  /** Closes stdin (the peer exits on EOF) and kills it if it lingers. */
  async close(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise<void>((res) => this.child.once('exit', () => res()));
    this.child.stdin.end();
    const t = setTimeout(() => this.child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(t);
  }
}
