// Limits on connections for the demo and site servers, so slow or greedy clients cannot hold the process:
// - headers must arrive within `headersTimeoutMs`, the whole request within `requestTimeoutMs` (else 408 and close);
// - an idle keep-alive connection closes after `idleTimeoutMs`;
// - a connection on which no byte moves either way for `stalledTimeoutMs` is closed: this ends a client that
//   pipelines requests and never reads the answers. Node parses every request of a chunk it has read at once,
//   so 200 requests in one packet would all run and queue 200 answers in memory; here the next request of a
//   connection runs only once the previous answer has gone out to the socket, so a client that does not read
//   holds one answer, Node stops reading its requests, and this timeout then closes the connection;
// - at most `maxConnections` connections in all and `maxConnectionsPerAddress` from one address; one more gets
//   a plain "503 Too many connections" and is closed.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** See the file comment; times in milliseconds. */
export interface ConnectionLimits {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  idleTimeoutMs: number;
  stalledTimeoutMs: number;
  maxConnections: number;
  maxConnectionsPerAddress: number;
  /** How often Node checks the header and request timeouts (it checks every connection on a timer, not each one exactly). */
  checkIntervalMs: number;
}

/**
 * Defaults for a loopback demo: 10 s for headers (a browser sends them at once), 30 s for a whole request, 5 s of
 * keep-alive idle, 30 s without progress, 1024 connections, 256 from one address (the load benchmark runs 64
 * clients, a browser opens about 6 per host). The header and request timeouts are checked every second.
 */
export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  idleTimeoutMs: 5_000,
  stalledTimeoutMs: 30_000,
  maxConnections: 1024,
  maxConnectionsPerAddress: 256,
  checkIntervalMs: 1_000,
};

/** Why the server closed a connection itself, as reported on the server's {@link CLOSED_EVENT}. */
export type ClosedReason = 'too-many' | 'too-many-from-address' | 'stalled';

/** The server emits this with `(reason, socket)` whenever a limit closes a connection, and `'released'` when any connection ends. */
export const CLOSED_EVENT = 'session-lab:limited';
export const RELEASED_EVENT = 'session-lab:released';

const TOO_MANY = (what: string): string => {
  const body = `503 Too many connections ${what}; try again in a moment\n`;
  return `HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nRetry-After: 1\r\nConnection: close\r\n\r\n${body}`;
};

/**
 * An HTTP server for `handler` with the given limits (any left out take {@link DEFAULT_CONNECTION_LIMITS}).
 * @throws {RangeError} when a limit is not a positive number, or the header timeout exceeds the request timeout.
 */
export function createLimitedServer(handler: (req: IncomingMessage, res: ServerResponse) => void, limits: Partial<ConnectionLimits> = {}): Server {
  const l = { ...DEFAULT_CONNECTION_LIMITS, ...limits };
  for (const [name, value] of Object.entries(l)) {
    if (!Number.isInteger(value) || value <= 0) throw new RangeError(`connection limit ${name} must be a positive whole number, not ${value}`);
  }
  if (l.headersTimeoutMs > l.requestTimeoutMs) throw new RangeError(`the header timeout (${l.headersTimeoutMs} ms) cannot exceed the request timeout (${l.requestTimeoutMs} ms)`);
  // One request at a time per connection: a pipelined request waits until the answer before it has been
  // written out (its 'finish'), or the connection closes.
  const busy = new WeakMap<Socket, (() => void)[]>();
  const inTurn = (req: IncomingMessage, res: ServerResponse): void => {
    const socket = req.socket;
    const queue = busy.get(socket);
    if (queue) {
      queue.push(() => inTurn(req, res));
      return;
    }
    const waiting: (() => void)[] = [];
    busy.set(socket, waiting);
    let done = false;
    const next = (): void => {
      if (done) return;
      done = true;
      busy.delete(socket);
      if (socket.destroyed) return;
      const first = waiting.shift();
      if (first) {
        first();
        // Hand the rest of the queue to the request now running.
        const again = busy.get(socket);
        if (again) again.push(...waiting);
      }
    };
    res.once('finish', next);
    res.once('close', next);
    handler(req, res);
  };
  const server = createServer(
    {
      headersTimeout: l.headersTimeoutMs,
      requestTimeout: l.requestTimeoutMs,
      keepAliveTimeout: l.idleTimeoutMs,
      connectionsCheckingInterval: l.checkIntervalMs,
    },
    inTurn,
  );
  // Node's own inactivity timer on each socket; with a 'timeout' listener, closing is ours to do.
  server.setTimeout(l.stalledTimeoutMs, (socket: Socket) => {
    server.emit(CLOSED_EVENT, 'stalled' satisfies ClosedReason, socket);
    socket.destroy();
  });
  let open = 0;
  const byAddress = new Map<string, number>();
  /** Counts the connection in, or refuses it (a 503, then close) before Node's HTTP parser ever sees it. */
  const admit = (socket: Socket): boolean => {
    const address = socket.remoteAddress ?? '';
    const fromHere = (byAddress.get(address) ?? 0) + 1;
    const reason: ClosedReason | null = open + 1 > l.maxConnections ? 'too-many' : fromHere > l.maxConnectionsPerAddress ? 'too-many-from-address' : null;
    if (reason) {
      socket.on('error', () => {});
      socket.on('data', () => {}); // read and drop what the client sends, so closing does not reset the connection
      socket.end(TOO_MANY(reason === 'too-many' ? 'to this server' : 'from your address'));
      socket.setTimeout(l.idleTimeoutMs, () => socket.destroy());
      server.emit(CLOSED_EVENT, reason, socket);
      return false;
    }
    open += 1;
    byAddress.set(address, fromHere);
    socket.once('close', () => {
      open -= 1;
      const left = (byAddress.get(address) ?? 1) - 1;
      if (left === 0) byAddress.delete(address);
      else byAddress.set(address, left);
      server.emit(RELEASED_EVENT, socket);
    });
    return true;
  };
  // The listening socket hands each accepted connection to the HTTP server through emit('connection'); a refused
  // one stops here. (A 'connection' listener would run beside Node's own, which has already begun parsing.)
  const emit = server.emit.bind(server) as (event: string | symbol, ...args: unknown[]) => boolean;
  server.emit = ((event: string | symbol, ...args: unknown[]): boolean => {
    if (event === 'connection' && !admit(args[0] as Socket)) return true;
    return emit(event, ...args);
  }) as Server['emit'];
  return server;
}
