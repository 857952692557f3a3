import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { run } from '../src/cli/index.js';
import type { Inventory } from '../src/core/model.js';
import { MANIFEST_NAMES } from '../src/ecosystems/index.js';
import { createHttpClient, type ClosableHttpClient } from '../src/net/http-client.js';
import {
  openGitHubSubjects,
  type GitHubProgress,
  type GitHubSourceOptions,
  type GitHubSubjects,
} from '../src/sources/github.js';
import { DEFAULT_EXCLUDES } from '../src/sources/local.js';
import { runCli } from './helpers/cli.js';
import {
  startGithubEmulator,
  type GithubEmulator,
  type GithubEmulatorOptions,
} from './servers/github-emulator.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixtures = path.resolve(here, '../fixtures/github');
const TOKEN = 'fixture-max-wait-token-not-a-real-one';
const ISO = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/;

let work: string;
const clients: ClosableHttpClient[] = [];

beforeEach(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'oss-inventory-gh-max-wait-'));
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await rm(work, { recursive: true, force: true });
});

async function withGithub<T>(
  options: Partial<GithubEmulatorOptions>,
  body: (emulator: GithubEmulator) => Promise<T>,
): Promise<T> {
  const emulator = await startGithubEmulator({ corpus: fixtures, ...options });
  try {
    return await body(emulator);
  } finally {
    await emulator.close();
  }
}

function open(emulator: GithubEmulator, options: Partial<GitHubSourceOptions> = {}): Promise<GitHubSubjects> {
  const client = createHttpClient({
    cacheDir: path.join(work, 'cache'),
    userAgent: 'oss-inventory-test',
    env: {},
    random: () => 0,
  });
  clients.push(client);
  return openGitHubSubjects({
    baseUrl: emulator.url,
    token: TOKEN,
    targets: { orgs: ['demo-org'], users: [], repos: [] },
    manifestNames: MANIFEST_NAMES,
    excludes: DEFAULT_EXCLUDES,
    client,
    ...options,
  });
}

async function contents(result: GitHubSubjects) {
  const files: Record<string, string> = {};
  for (const s of result.subjects) {
    for (const m of s.tree.manifests) files[`${s.name}/${m}`] = await s.tree.reader.read(m);
  }
  return { subjects: result.subjects.map((s) => [s.name, s.headSha]), problems: result.problems, files };
}

describe('the primary rate limit and maxRateLimitWaitMs', () => {
  it('stops the crawl when the reset is further than allowed, keeping what was read', async () => {
    await withGithub({ rateLimit: { limit: 0 } }, async (emulator) => {
      const events: GitHubProgress[] = [];
      const result = await open(emulator, {
        maxRateLimitWaitMs: 60_000,
        onProgress: (e) => events.push(e),
      });
      // The listing (GraphQL, its own limit) said which repository is empty: that one needs no request.
      expect(result.subjects.map((s) => [s.name, s.tree.problems.map((p) => p.code)])).toEqual([
        ['demo-org/empty-repo', ['github.repository-empty']],
      ]);
      expect(result.problems).toHaveLength(1);
      const problem = result.problems[0]!;
      expect(problem).toMatchObject({ severity: 'error', code: 'github.rate-limit-exceeded' });
      expect(problem.message.replace(ISO, 'RESET')).toBe(
        "GitHub's primary rate limit is spent until RESET, a longer wait than allowed (at most 60 s); " +
          'the crawl stopped: 2 repositories were not read (demo-org/core-lib, demo-org/web-app)',
      );
      const reset = Date.parse(ISO.exec(problem.message)![0]);
      const announced = emulator.rateLimit().reset * 1000;
      expect(reset - announced).toBeGreaterThanOrEqual(0);
      expect(reset - announced).toBeLessThanOrEqual(3000);
      expect(problem.hint).toContain('--max-wait');
      expect(events.at(-1)).toMatchObject({ kind: 'crawled', repositories: 1, notRead: 2 });
      const stoppedUntil = (events.at(-1) as { stoppedUntil: number }).stoppedUntil;
      expect(Math.floor(stoppedUntil / 1000) * 1000).toBe(reset);
      expect(events.some((e) => e.kind === 'rate-limit-wait')).toBe(false);
      // Nothing was asked after the refusals: no blob, and no request was retried.
      expect(emulator.count('blob')).toBe(0);
      expect(emulator.requests.filter((r) => r.kind === 'tree').every((r) => r.status === 403)).toBe(true);
    });
  });

  it('treats the primary limit sent as a 429 like the 403: no retry before the reset, the crawl stops', async () => {
    await withGithub({ rateLimit: { limit: 0, status: 429 } }, async (emulator) => {
      const result = await open(emulator, { maxRateLimitWaitMs: 60_000 });
      expect(result.problems.map((p) => p.code)).toEqual(['github.rate-limit-exceeded']);
      expect(result.problems[0]!.message).toContain('2 repositories were not read');
      // each refused request asked once: retrying with backoff before the reset would only spend time
      const trees = emulator.requests.filter((r) => r.kind === 'tree');
      expect(trees.length).toBeGreaterThan(0);
      expect(trees.every((r) => r.status === 429)).toBe(true);
      expect(new Set(trees.map((r) => r.path)).size).toBe(trees.length);
    });
  });

  it('waits for the reset when it is near enough, and reads everything', async () => {
    const clean = await withGithub({}, async (emulator) => contents(await open(emulator)));
    await rm(path.join(work, 'cache'), { recursive: true, force: true });
    await withGithub({ rateLimit: { limit: 3, windowSeconds: 2 } }, async (emulator) => {
      const waits: GitHubProgress[] = [];
      const result = await open(emulator, {
        maxRateLimitWaitMs: 60_000,
        onProgress: (e) => e.kind === 'rate-limit-wait' && waits.push(e),
      });
      expect(await contents(result)).toEqual(clean);
      expect(waits.length).toBeGreaterThan(0);
      expect(
        waits.every((w) => w.kind === 'rate-limit-wait' && w.limit === 'primary' && w.seconds <= 4),
      ).toBe(true);
      expect(emulator.requests.some((r) => r.fault === 'primary')).toBe(true);
    });
  }, 30_000);
});

describe('scan --max-wait', () => {
  async function scan(emulator: GithubEmulator, extra: string[]) {
    const out = path.join(work, 'out');
    const result = await runCli(
      [
        'scan',
        '--github-org',
        'demo-org',
        '--github-url',
        emulator.url,
        '--cache-dir',
        path.join(work, 'cache'),
        '-o',
        out,
        ...extra,
      ],
      { cwd: work, env: { GITHUB_TOKEN: TOKEN, SOURCE_DATE_EPOCH: '1767225600' } },
    );
    return { result, out };
  }

  it('writes the inventory of what was read and records the stop as a problem', async () => {
    await withGithub({ rateLimit: { limit: 0 } }, async (emulator) => {
      const { result, out } = await scan(emulator, ['--max-wait', '15m', '--format', 'inventory-json']);
      expect(result.code, result.stderr).toBe(0);
      const inventory = JSON.parse(await readFile(path.join(out, 'inventory.json'), 'utf8')) as Inventory;
      expect(inventory.subjects.map((s) => s.name)).toEqual(['demo-org/empty-repo']);
      const stop = inventory.problems.filter((p) => p.code === 'github.rate-limit-exceeded');
      expect(stop.map((p) => p.message.replace(ISO, 'RESET'))).toEqual([
        "GitHub's primary rate limit is spent until RESET, a longer wait than allowed (at most 15 minutes); " +
          'the crawl stopped: 2 repositories were not read (demo-org/core-lib, demo-org/web-app)',
      ]);
      expect(result.stderr.replace(ISO, 'RESET')).toContain(
        'warning: github: 1 repository read (0 trees, 0 manifests); 0 requests left, 4,999 GraphQL points left; ' +
          'the primary rate limit stopped the crawl until RESET: 2 repositories not read\n',
      );
      const strict = await scan(emulator, ['--max-wait', '15m', '--strict', '-q']);
      expect(strict.result.code).toBe(3);
    });
  });

  it('refuses a duration it cannot read, before any request', async () => {
    await withGithub({}, async (emulator) => {
      const { result } = await scan(emulator, ['--max-wait', 'soon']);
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(
        'error: --max-wait soon is not a duration: write e.g. 90s, 15m, 1h or 1h30m (0: never wait)\n',
      );
      expect(emulator.requests).toEqual([]);
    });
  });

  it('draws the status line on a terminal and clears it before the summary', async () => {
    await withGithub({ token: TOKEN }, async (emulator) => {
      const stderr = Object.assign(new PassThrough(), { isTTY: true, columns: 200 });
      const stdout = new PassThrough();
      let written = '';
      stderr.on('data', (c: Buffer) => (written += c.toString()));
      const code = await run({
        argv: [
          'node',
          'oss-inventory',
          'scan',
          '--github-org',
          'demo-org',
          '--github-url',
          emulator.url,
          '--cache-dir',
          path.join(work, 'cache'),
          '-o',
          path.join(work, 'out'),
        ],
        env: {
          GITHUB_TOKEN: TOKEN,
          HOME: work,
          SOURCE_DATE_EPOCH: '1767225600',
          npm_config_registry: 'http://127.0.0.1:9/',
        },
        stdout,
        stderr,
        cwd: () => work,
      });
      expect(code, written).toBe(0);
      const CLEAR = '\r\u001b[K';
      expect(written.startsWith(`${CLEAR}GitHub: `)).toBe(true);
      const drawn = written.split(CLEAR).filter((line) => line.startsWith('GitHub: 4 listed'));
      expect(drawn.length).toBeGreaterThan(0);
      for (const line of drawn) {
        expect(line).toMatch(/^GitHub: 4 listed, [0-3]\/3 repositories read, [0-2] trees?, \d manifests?; /);
      }
      const [crawl, rest] = written.split('github: 3 repositories read');
      expect(crawl!.endsWith(CLEAR)).toBe(true);
      expect(rest).toMatch(
        /^ \(2 trees, 4 manifests\); \d[\d,]* requests left, \d[\d,]* GraphQL points left\n/,
      );
      expect(rest).not.toContain(CLEAR);
      expect(written).not.toContain(TOKEN);
    });
  });
});
