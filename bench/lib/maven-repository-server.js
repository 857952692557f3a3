import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

const CONTENT_TYPES = { '.pom': 'text/xml', '.xml': 'text/xml', '.sha1': 'text/plain', '.md5': 'text/plain' };

/**
 * A static Maven repository on 127.0.0.1, in this process: a folder in Maven layout served by its paths
 * (never a directory listing), strong ETags with 304 answers, 404 for anything that is not a file, an
 * optional delay before each answer, and a log of every request:
 * `{ method, path, status, ms, at }` (`path` relative to the repository root, `ms` from arrival to answer,
 * `at` the answer's time on this process's performance clock).
 *
 * The bench process only waits on the CLI (a child process) while the server answers, so serving from
 * here does not take CPU from the measured code beyond what any server on the same machine would.
 */
export async function startMavenRepositoryServer({ dir, latencyMs = 0 }) {
  const root = path.resolve(dir);
  const requests = [];
  const sockets = new Set();
  let latency = latencyMs;

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

  async function serve(req, res) {
    const start = performance.now();
    const requestPath = (req.url ?? '/').split('?')[0] ?? '/';
    const entry = {
      method: req.method ?? 'GET',
      path: requestPath.replace(/^\/+/, ''),
      status: 0,
      ms: 0,
      at: 0,
    };
    requests.push(entry);
    if (latency > 0) await sleep(latency);
    const answer = (status, headers = {}, body) => {
      entry.status = status;
      entry.at = performance.now();
      entry.ms = entry.at - start;
      res.writeHead(status, headers);
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return answer(405, { allow: 'GET, HEAD' });
    const file = fileFor(root, requestPath);
    const body = file === undefined ? undefined : await readIfFile(file);
    if (body === undefined) return answer(404, { 'content-type': 'text/plain' }, 'not found');
    const etag = `"${createHash('sha1').update(body).digest('hex')}"`;
    if (req.headers['if-none-match'] === etag) return answer(304, { etag });
    const type = CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream';
    answer(200, { 'content-type': type, etag, 'content-length': String(body.length) }, body);
  }

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address();
  return {
    /** With its trailing slash, as a mirror URL. */
    url: `http://127.0.0.1:${port}/`,
    /** Requests from `mark` (see mark()) on, answered or not. */
    requestsSince: (mark) => requests.slice(mark),
    mark: () => requests.length,
    setLatency: (ms) => {
      latency = ms;
    },
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The file a request path names inside the folder, or undefined (`..`, empty segments, a folder path). */
function fileFor(root, requestPath) {
  if (!requestPath.startsWith('/') || requestPath.endsWith('/')) return undefined;
  let relative;
  try {
    relative = decodeURIComponent(requestPath.slice(1));
  } catch {
    return undefined;
  }
  const segments = relative.split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..' || s.includes('\\') || s.includes('\0'))) {
    return undefined;
  }
  return path.join(root, ...segments);
}

async function readIfFile(file) {
  try {
    if (!(await stat(file)).isFile()) return undefined;
    return await readFile(file);
  } catch {
    return undefined;
  }
}
