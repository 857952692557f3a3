import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * A Maven repository for tests: what a Maven repository is, a static file server over a folder in Maven
 * layout (`group/path/artifact/version/artifact-version.pom`, `maven-metadata.xml`), on real HTTP with a
 * random port. Strong ETags (SHA-1 of the file) with 304 answers, 404 for anything that is not a file
 * (never a directory listing), optional Basic authentication, optional latency, and a request log.
 */

export interface MavenRepositoryServerOptions {
  /** The folder served. */
  dir: string;
  /** Default 127.0.0.1; `::1` to look like another host to Maven's "external repository" rule. */
  host?: string;
  /** Where the repository lives on the server, e.g. `/maven_repository/`. Default `/`. */
  basePath?: string;
  /** When set, every request must carry this Basic user and password; others get 401. */
  auth?: { username: string; password: string };
  /** Delay before each answer. */
  latencyMs?: number;
  /**
   * The Last-Modified of a file, by its path relative to the repository (`org/x/y/1.0/y-1.0.pom`), as
   * Maven Central sends it (the deployment time); no header when absent or when it returns undefined.
   */
  lastModified?: (file: string) => Date | undefined;
}

export interface MavenRequestLogEntry {
  method: string;
  /** The request path, query excluded. */
  path: string;
  status: number;
  /** Whether an Authorization header came (its value is never logged). */
  authorization: boolean;
  ifNoneMatch?: string;
  /** Request headers other than Authorization, lower-cased names. */
  headers: Record<string, string>;
}

export interface MavenRepositoryServer {
  /** The repository URL: `http://127.0.0.1:PORT/basePath/`, with its trailing slash. */
  url: string;
  port: number;
  requests: MavenRequestLogEntry[];
  /** Requests received, or only those whose path (relative to the repository) starts with `prefix`. */
  count(prefix?: string): number;
  resetLog(): void;
  close(): Promise<void>;
}

const CONTENT_TYPES: Record<string, string> = {
  '.pom': 'text/xml',
  '.xml': 'text/xml',
  '.sha1': 'text/plain',
  '.md5': 'text/plain',
  '.jar': 'application/java-archive',
};

export async function startMavenRepository(
  options: MavenRepositoryServerOptions,
): Promise<MavenRepositoryServer> {
  const root = path.resolve(options.dir);
  const basePath = normalizeBase(options.basePath ?? '/');
  const requests: MavenRequestLogEntry[] = [];
  const sockets = new Set<Socket>();
  const expected = options.auth
    ? `Basic ${Buffer.from(`${options.auth.username}:${options.auth.password}`).toString('base64')}`
    : undefined;

  const server = createServer((req, res) => {
    serve(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestPath = (req.url ?? '/').split('?')[0] ?? '/';
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (name !== 'authorization' && typeof value === 'string') headers[name] = value;
    }
    const entry: MavenRequestLogEntry = {
      method: req.method ?? 'GET',
      path: requestPath,
      status: 0,
      authorization: req.headers.authorization !== undefined,
      ifNoneMatch: req.headers['if-none-match'],
      headers,
    };
    requests.push(entry);
    if (options.latencyMs) await sleep(options.latencyMs);
    const answer = (status: number, extra: Record<string, string> = {}, body?: Buffer | string) => {
      entry.status = status;
      res.writeHead(status, extra);
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return answer(405, { allow: 'GET, HEAD' });
    if (expected !== undefined && req.headers.authorization !== expected) {
      return answer(401, { 'www-authenticate': 'Basic realm="maven"' }, 'authentication required');
    }
    const file = fileFor(root, basePath, requestPath);
    const body = file === undefined ? undefined : await readIfFile(file);
    if (file === undefined || body === undefined)
      return answer(404, { 'content-type': 'text/plain' }, 'not found');
    const etag = `"${createHash('sha1').update(body).digest('hex')}"`;
    if (req.headers['if-none-match'] === etag) return answer(304, { etag });
    const type = CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream';
    const modified = options.lastModified?.(decodeURIComponent(requestPath.slice(basePath.length)));
    const dated: Record<string, string> = modified ? { 'last-modified': modified.toUTCString() } : {};
    answer(200, { 'content-type': type, etag, 'content-length': String(body.length), ...dated }, body);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}${basePath}`,
    port: address.port,
    requests,
    count: (prefix) =>
      requests.filter((r) => prefix === undefined || r.path.startsWith(basePath + prefix.replace(/^\//, '')))
        .length,
    resetLog: () => {
      requests.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function normalizeBase(base: string): string {
  const withLeading = base.startsWith('/') ? base : `/${base}`;
  return withLeading.endsWith('/') ? withLeading : `${withLeading}/`;
}

/** The file a request path names inside the folder, or undefined (outside the base, `..`, a folder path). */
function fileFor(root: string, basePath: string, requestPath: string): string | undefined {
  if (!requestPath.startsWith(basePath) || requestPath.endsWith('/')) return undefined;
  let relative: string;
  try {
    relative = decodeURIComponent(requestPath.slice(basePath.length));
  } catch {
    return undefined;
  }
  const segments = relative.split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..' || s.includes('\\') || s.includes('\0'))) {
    return undefined;
  }
  return path.join(root, ...segments);
}

async function readIfFile(file: string): Promise<Buffer | undefined> {
  try {
    if (!(await stat(file)).isFile()) return undefined;
    return await readFile(file);
  } catch {
    return undefined;
  }
}
