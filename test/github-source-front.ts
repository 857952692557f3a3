import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import path from 'node:path';
import type { GithubEmulator } from './servers/github-emulator.js';

/**
 * A front for the GitHub emulator that adds the one route it lacks, GET /repos/{o}/{r}/commits/{ref}
 * (GitHub's "get a commit", here with the `application/vnd.github.sha` media type the source asks for:
 * the bare sha, an ETag, 304 on If-None-Match, 409 for an empty repository, 422 for an unknown ref), and
 * forwards every other request to the emulator untouched. Heads come from the corpus's repo.json files
 * and move with `moveHead`, which moves the emulator's too.
 */
export interface GithubFront {
  url: string;
  /** The commit requests answered here (the emulator logs the rest). */
  commits: { path: string; status: number; authorization: boolean }[];
  moveHead(fullName: string, sha: string): void;
  close(): Promise<void>;
}

interface Head {
  sha: string | null;
  defaultBranch: string;
}

export async function startGithubFront(emulator: GithubEmulator, corpus: string): Promise<GithubFront> {
  const heads = readHeads(corpus);
  const commits: GithubFront['commits'] = [];
  const target = new URL(emulator.url);
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', emulator.url);
    const match = /^\/repos\/([^/]+)\/([^/]+)\/commits\/(.+)$/.exec(url.pathname);
    if (req.method === 'GET' && match) {
      const status = answerCommit(req, res, heads, match[1]!, match[2]!, decodeURIComponent(match[3]!));
      commits.push({ path: url.pathname, status, authorization: req.headers.authorization !== undefined });
      return;
    }
    const forwarded = httpRequest(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forwarded.on('error', () => res.destroy());
    req.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${address.port}`,
    commits,
    moveHead(fullName, sha) {
      emulator.moveHead(fullName, sha);
      const head = heads.get(fullName.toLowerCase());
      if (head) head.sha = sha;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function answerCommit(
  req: IncomingMessage,
  res: ServerResponse,
  heads: Map<string, Head>,
  owner: string,
  repo: string,
  ref: string,
): number {
  const head = heads.get(`${owner}/${repo}`.toLowerCase());
  const send = (status: number, body: string, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(status === 304 ? undefined : body);
    return status;
  };
  const error = (status: number, message: string) =>
    send(status, JSON.stringify({ message, status: String(status) }));
  if (!head) return error(404, 'Not Found');
  if (head.sha === null) return error(409, 'Git Repository is empty.');
  const known = ref === head.defaultBranch || ref === 'HEAD' || ref === head.sha;
  if (!known) return error(422, `No commit found for SHA: ${ref}`);
  const etag = `"${createHash('sha256').update(head.sha).digest('hex')}"`;
  if (req.headers['if-none-match'] === etag) return send(304, '', { etag });
  return send(200, head.sha, { 'content-type': 'application/vnd.github.sha; charset=utf-8', etag });
}

function readHeads(corpus: string): Map<string, Head> {
  const heads = new Map<string, Head>();
  for (const org of readdirSync(corpus, { withFileTypes: true })) {
    if (!org.isDirectory()) continue;
    for (const repo of readdirSync(path.join(corpus, org.name), { withFileTypes: true })) {
      const file = path.join(corpus, org.name, repo.name, 'repo.json');
      if (!repo.isDirectory() || !existsSync(file)) continue;
      const raw = JSON.parse(readFileSync(file, 'utf8')) as {
        full_name?: string;
        head_sha?: unknown;
        default_branch?: string;
        tree?: unknown[];
      };
      const fullName = raw.full_name ?? `${org.name}/${repo.name}`;
      const hasCommit = typeof raw.head_sha === 'string' && Array.isArray(raw.tree) && raw.tree.length > 0;
      heads.set(fullName.toLowerCase(), {
        sha: hasCommit ? (raw.head_sha as string) : null,
        defaultBranch: raw.default_branch ?? 'main',
      });
    }
  }
  return heads;
}
