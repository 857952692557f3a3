import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { gzipSync } from 'node:zlib';

/**
 * A tiny real HTTP server on 127.0.0.1 with a random port, scriptable per path: a sequence of statuses
 * (the last one repeats), Retry-After, ETag / Last-Modified with 304 answers, latency, gzip, a request
 * that never answers. It logs every request and tracks how many it was serving at once.
 */

export interface Route {
  /** Statuses answered in turn; the last one repeats. Default [200]. */
  statuses?: number[];
  body?: string | Buffer;
  /** Headers of every answer of the route. */
  headers?: Record<string, string>;
  /** Retry-After header sent with 429 and 503 answers. */
  retryAfter?: string;
  /** Sent with 200 answers; a request whose If-None-Match matches gets a 304. */
  etag?: string;
  /** Sent with 200 answers; a request whose If-Modified-Since equals it gets a 304. */
  lastModified?: string;
  latencyMs?: number;
  gzip?: boolean;
  /** Never answer (the socket stays open until the client gives up). */
  hang?: boolean;
}

export interface LoggedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  status: number;
  at: number;
}

export interface FaultServer {
  readonly origin: string;
  readonly host: string;
  url(path: string): string;
  route(path: string, route: Route): void;
  readonly requests: LoggedRequest[];
  count(path: string): number;
  /** The most requests in progress at the same time since the start (or the last reset). */
  readonly maxInFlight: number;
  resetLog(): void;
  close(): Promise<void>;
}

export async function startFaultServer(): Promise<FaultServer> {
  const routes = new Map<string, { route: Route; served: number }>();
  const requests: LoggedRequest[] = [];
  const sockets = new Set<Socket>();
  let inFlight = 0;
  let maxInFlight = 0;

  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/';
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.on('close', () => inFlight--);
    const entry = routes.get(path.split('?')[0] ?? path);
    const log = (status: number) =>
      requests.push({ method: req.method ?? 'GET', path, headers: req.headers, status, at: Date.now() });
    if (!entry) {
      log(404);
      res.writeHead(404, { 'content-type': 'text/plain' }).end('no such route');
      return;
    }
    const { route } = entry;
    const statuses = route.statuses ?? [200];
    const status = statuses[Math.min(entry.served, statuses.length - 1)] ?? 200;
    entry.served++;
    if (route.hang) {
      log(0);
      return;
    }
    setTimeout(() => answer(route, status, req.headers, res, log), route.latencyMs ?? 0);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;

  return {
    origin,
    host: `127.0.0.1:${port}`,
    url: (path) => `${origin}${path}`,
    route: (path, route) => routes.set(path, { route, served: 0 }),
    requests,
    count: (path) => requests.filter((r) => r.path === path).length,
    get maxInFlight() {
      return maxInFlight;
    },
    resetLog() {
      requests.length = 0;
      maxInFlight = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function answer(
  route: Route,
  status: number,
  requestHeaders: IncomingHttpHeaders,
  res: ServerResponse,
  log: (status: number) => void,
): void {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...route.headers };
  if ((status === 429 || status === 503) && route.retryAfter !== undefined) {
    headers['retry-after'] = route.retryAfter;
  }
  if (status === 200) {
    if (route.etag !== undefined) headers.etag = route.etag;
    if (route.lastModified !== undefined) headers['last-modified'] = route.lastModified;
    const etagMatches = route.etag !== undefined && requestHeaders['if-none-match'] === route.etag;
    const dateMatches =
      route.lastModified !== undefined && requestHeaders['if-modified-since'] === route.lastModified;
    if (etagMatches || dateMatches) {
      log(304);
      res.writeHead(304, headers).end();
      return;
    }
  }
  let body = Buffer.from(route.body ?? `{"status":${status}}`);
  if (route.gzip) {
    body = gzipSync(body);
    headers['content-encoding'] = 'gzip';
  }
  log(status);
  res.writeHead(status, { ...headers, 'content-length': String(body.length) }).end(body);
}
