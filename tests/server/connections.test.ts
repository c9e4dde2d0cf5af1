// Slow and greedy clients against the servers' connection limits, over real sockets to a server on port 0 with
// small configured limits. Every wait is for an event (the server answers, or closes, or reports which limit
// closed a connection); the test timeout only guards against a hang.
import { once } from 'node:events';
import type { Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { CLOSED_EVENT, createLimitedServer, RELEASED_EVENT, type ClosedReason, type ConnectionLimits } from '../../src/server/connections.ts';
import { startSite } from '../../src/server/site.ts';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../cli/run.ts';

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise<void>((r) => s.close(() => r()));
  }
});

const BIG = Buffer.alloc(1 << 20, 'x');

/** A server whose `/` answers "ok" and `/big` 1 MiB, counting the requests it handled. */
async function start(limits: Partial<ConnectionLimits>): Promise<{ server: Server; port: number; handled: () => number }> {
  let handled = 0;
  const server = createLimitedServer((req, res) => {
    handled += 1;
    const body = req.url === '/big' ? BIG : Buffer.from('ok');
    res.writeHead(200, { 'Content-Length': String(body.length) });
    res.end(body);
  }, limits);
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, port: (server.address() as AddressInfo).port, handled: () => handled };
}

/** A raw connection; resolves once connected. */
async function open(port: number): Promise<Socket> {
  const s = connect(port, '127.0.0.1');
  s.on('error', () => {});
  await once(s, 'connect');
  return s;
}

/** Everything the server sends until it closes the connection. */
async function untilClosed(s: Socket): Promise<string> {
  let text = '';
  s.on('data', (d) => (text += String(d)));
  await once(s, 'close');
  return text;
}

/** The next time the server closes a connection because of a limit: the reason. */
const limited = (server: Server): Promise<ClosedReason> => once(server, CLOSED_EVENT).then(([reason]) => reason as ClosedReason);

describe('timeouts', () => {
  it('headers that never finish: 408 and the connection closes (header timeout)', async () => {
    const { port } = await start({ headersTimeoutMs: 100, requestTimeoutMs: 60_000, checkIntervalMs: 20 });
    const s = await open(port);
    s.write('GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ');
    expect(await untilClosed(s)).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
  });

  it('a body that trickles and never completes: 408 and close (request timeout)', async () => {
    const { port, handled } = await start({ headersTimeoutMs: 100, requestTimeoutMs: 150, checkIntervalMs: 20 });
    const s = await open(port);
    s.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\nab');
    const text = await untilClosed(s);
    // The handler may already answer before the body is in (it never reads it); then the timeout closes the rest.
    expect(text === '' || /^HTTP\/1\.1 (200|408) /.test(text)).toBe(true);
    expect(handled()).toBeLessThanOrEqual(1);
  });

  it('an idle keep-alive connection closes after the idle timeout', async () => {
    const { port } = await start({ idleTimeoutMs: 50 });
    const s = await open(port);
    s.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    const text = await untilClosed(s);
    expect(text).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*Connection: keep-alive\r\n[\s\S]*\r\n\r\nok$/);
  });

  it('200 pipelined requests from a client that never reads: the server stops reading, then closes the stalled connection', async () => {
    const { server, port, handled } = await start({ stalledTimeoutMs: 200, idleTimeoutMs: 60_000 });
    const s = await open(port);
    s.pause(); // never read a byte of the answers
    const closed = limited(server);
    s.write('GET /big HTTP/1.1\r\nHost: x\r\n\r\n'.repeat(200));
    expect(await closed).toBe('stalled');
    // 200 answers of 1 MiB cannot fit the socket buffers: Node paused reading after a few.
    expect(handled()).toBeLessThan(200);
    s.destroy();
  });
});

describe('connection caps', () => {
  it('one address may hold at most maxConnectionsPerAddress; one more gets a 503 and is closed; a freed place is reusable', async () => {
    const { server, port } = await start({ maxConnectionsPerAddress: 3, maxConnections: 100 });
    const held = [await open(port), await open(port), await open(port)];
    const reason = limited(server);
    const extra = await open(port);
    const text = await untilClosed(extra);
    expect(await reason).toBe('too-many-from-address');
    expect(text).toMatch(/^HTTP\/1\.1 503 Service Unavailable\r\n[\s\S]*Retry-After: 1\r\n[\s\S]*503 Too many connections from your address/);
    const released = once(server, RELEASED_EVENT);
    held[0]!.destroy();
    await released;
    const again = await open(port);
    again.write('GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(await untilClosed(again)).toMatch(/^HTTP\/1\.1 200 OK/);
    for (const s of held) s.destroy();
  });

  it('at most maxConnections in all', async () => {
    const { server, port } = await start({ maxConnectionsPerAddress: 100, maxConnections: 2 });
    const held = [await open(port), await open(port)];
    const reason = limited(server);
    const text = await untilClosed(await open(port));
    expect(await reason).toBe('too-many');
    expect(text).toContain('503 Too many connections to this server');
    for (const s of held) s.destroy();
  });

  it('bad limits are refused with the reason', () => {
    expect(() => createLimitedServer(() => {}, { headersTimeoutMs: 0 })).toThrow('connection limit headersTimeoutMs must be a positive whole number, not 0');
    expect(() => createLimitedServer(() => {}, { headersTimeoutMs: 5000, requestTimeoutMs: 1000 })).toThrow('the header timeout (5000 ms) cannot exceed the request timeout (1000 ms)');
  });

  it('serve refuses limit flags that make no sense, saying why', async () => {
    const tooLong = await cli(['serve', '--secret', 's', '--header-timeout', '20', '--request-timeout', '10']);
    expect([tooLong.status, tooLong.stderr]).toEqual([2, 'session-lab serve: --header-timeout cannot be longer than --request-timeout (see session-lab serve --help)\n']);
    const zero = await cli(['serve', '--secret', 's', '--max-per-address', '0']);
    expect(zero.stderr).toContain("--max-per-address must be a whole number of at least 1, not '0'");
  });

  it('the site server applies them too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'session-lab-limits-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>x</title>');
    const site = await startSite({ root: dir, port: 0, limits: { maxConnectionsPerAddress: 1 } });
    try {
      const held = await open(site.port);
      const text = await untilClosed(await open(site.port));
      expect(text).toContain('503 Too many connections from your address');
      held.destroy();
    } finally {
      await site.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
