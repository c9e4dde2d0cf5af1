// Serves an engine `Flask` app over node:http, so real HTTP clients (browsers, curl, Python's
// requests) can talk to the TypeScript sessions. Node-only: the engine itself stays runtime-neutral.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Exchange, Flask } from '../engine/flask/app.ts';
import { createLimitedServer, type ConnectionLimits } from './connections.ts';

/** Options of {@link createNodeHandler}. */
export interface NodeHandlerOptions {
  /** Called once per request, after the response went out, with the request, response and lifecycle trace. */
  onExchange?(exchange: Exchange): void;
  /** Largest request body read, in bytes; a longer body gets 413. Default 1 MiB. */
  maxBodyBytes?: number;
  /** Timeouts and connection caps of the server {@link listen} starts (defaults: DEFAULT_CONNECTION_LIMITS). */
  limits?: Partial<ConnectionLimits>;
}

/** The header pairs of a request exactly as received: repeated headers stay separate, case kept. */
function headerPairs(req: IncomingMessage): [string, string][] {
  const pairs: [string, string][] = [];
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) pairs.push([raw[i]!, raw[i + 1]!]);
  return pairs;
}

/** Reads the whole body as UTF-8 text, or null when it is longer than `limit` bytes. */
async function readBody(req: IncomingMessage, limit: number): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const c = chunk as Buffer;
    size += c.length;
    if (size > limit) return null;
    chunks.push(c);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Sends a status, header pairs and a body. Header pairs are written as a flat list, so every
 * `Set-Cookie` goes out as its own header line, in order.
 */
function send(res: ServerResponse, status: number, headers: [string, string][], body: string): void {
  const bytes = Buffer.from(body, 'utf8');
  const flat: string[] = [];
  for (const [k, v] of headers) {
    if (k.toLowerCase() === 'content-length') continue;
    flat.push(k, v);
  }
  flat.push('Content-Length', String(bytes.length));
  res.writeHead(status, flat);
  res.end(bytes);
}

/**
 * A `node:http` request listener that runs each request through `app.handle`: the `Cookie` and
 * other headers arrive unchanged (as latin-1 text, which is how WSGI hands them to Werkzeug), and the
 * engine's response is written back with its headers in order. Never throws; an unexpected failure
 * becomes a plain 500.
 * @param app the engine application.
 * @param options see {@link NodeHandlerOptions}.
 */
export function createNodeHandler(app: Flask, options: NodeHandlerOptions = {}): (req: IncomingMessage, res: ServerResponse) => void {
  const limit = options.maxBodyBytes ?? 1024 * 1024;
  return (req, res) => {
    void (async () => {
      try {
        const body = await readBody(req, limit);
        if (body === null) {
          send(res, 413, [['Content-Type', 'text/plain; charset=utf-8']], 'Request body too large\n');
          return;
        }
        const exchange = await app.handle({ method: req.method ?? 'GET', url: req.url ?? '/', headers: headerPairs(req), body });
        const { response } = exchange;
        // A HEAD answer keeps the Content-Length GET would send; Node writes no body for a HEAD request.
        send(res, response.status, response.headers, response.body);
        options.onExchange?.(exchange);
      } catch (err) {
        if (!res.headersSent) send(res, 500, [['Content-Type', 'text/plain; charset=utf-8']], 'Internal Server Error\n');
        else res.destroy(err instanceof Error ? err : undefined);
      }
    })();
  };
}

/** A running server: the port it listens on, and a way to stop it. */
export interface RunningServer {
  port: number;
  host: string;
  server: Server;
  /** Stops accepting connections, closes idle keep-alive sockets, and resolves once closed. */
  close(): Promise<void>;
}

/**
 * Starts an HTTP server for `app`; port 0 picks a free port. Listens on loopback unless told otherwise.
 * @param app the engine application.
 * @param port the TCP port, or 0 for any free one.
 * @param host the interface to bind, default `127.0.0.1`.
 * @param options passed to {@link createNodeHandler}.
 * @throws the server's `error` (e.g. EADDRINUSE) as a rejected promise.
 */
export async function listen(app: Flask, port = 0, host = '127.0.0.1', options: NodeHandlerOptions = {}): Promise<RunningServer> {
  const server = createLimitedServer(createNodeHandler(app, options), options.limits);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  return {
    port: address.port,
    host,
    server,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeIdleConnections();
      }),
  };
}
