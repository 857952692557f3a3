import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import picomatch from 'picomatch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MANIFEST_NAMES } from '../src/ecosystems/index.js';
import { createHttpClient, type ClosableHttpClient } from '../src/net/http-client.js';
import { openGitHubSubjects, type GitHubSubjects } from '../src/sources/github.js';
import { DEFAULT_EXCLUDES } from '../src/sources/local.js';
import { startGithubEmulator, type GithubEmulator } from './servers/github-emulator.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const corpus = path.resolve(here, '../../shared/corpus/github');
const ORG = 'lutece-platform';
const has = existsSync(path.join(corpus, ORG));
if (!has) console.warn('skipping: ../shared/corpus is absent');

/** Independently of the source: the captured files of each repository, by their path under files/. */
async function corpusManifests(): Promise<{ kept: Map<string, string[]>; excluded: number }> {
  const excludedBy = picomatch([...DEFAULT_EXCLUDES], { dot: true });
  const kept = new Map<string, string[]>();
  let excluded = 0;
  for (const repo of (await readdir(path.join(corpus, ORG))).sort()) {
    const files = path.join(corpus, ORG, repo, 'files');
    const paths = existsSync(files) ? await readdir(files, { recursive: true }) : [];
    const manifests = paths
      .map((p) => p.split(path.sep).join('/'))
      .filter((p) => MANIFEST_NAMES.has(path.posix.basename(p)));
    excluded += manifests.filter((p) => excludedBy(p)).length;
    kept.set(`${ORG}/${repo}`, manifests.filter((p) => !excludedBy(p)).sort());
  }
  return { kept, excluded };
}

describe.skipIf(!has)(`openGitHubSubjects on ../shared/corpus/github/${ORG}`, () => {
  let emulator: GithubEmulator;
  let cacheDir: string;
  const clients: ClosableHttpClient[] = [];

  const open = (url = emulator.url): Promise<GitHubSubjects> => {
    const client = createHttpClient({ cacheDir, userAgent: 'oss-inventory-test', env: {}, random: () => 0 });
    clients.push(client);
    return openGitHubSubjects({
      baseUrl: url,
      token: 'ghp_corpusTestToken',
      targets: { orgs: [ORG], users: [], repos: [] },
      manifestNames: MANIFEST_NAMES,
      excludes: DEFAULT_EXCLUDES,
      client,
    });
  };

  const readAll = async (result: GitHubSubjects): Promise<Map<string, string>> => {
    const texts = new Map<string, string>();
    for (const s of result.subjects) {
      for (const m of s.tree.manifests) texts.set(`${s.name}/${m}`, await s.tree.reader.read(m));
    }
    return texts;
  };

  beforeAll(async () => {
    cacheDir = await mkdtemp(path.join(tmpdir(), 'oss-inventory-gh-corpus-cache-'));
    emulator = await startGithubEmulator({ corpus });
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await emulator?.close();
    await rm(cacheDir, { recursive: true, force: true });
  });

  it('finds every manifest of the corpus but the excluded ones, and reads their exact bytes', async () => {
    const expected = await corpusManifests();
    const result = await open();
    expect(result.subjects).toHaveLength(30);
    expect(new Map(result.subjects.map((s) => [s.name, s.tree.manifests]))).toEqual(expected.kept);
    const excluded = result.subjects.flatMap((s) => s.tree.excluded).reduce((n, e) => n + e.manifests, 0);
    expect(excluded).toBe(expected.excluded);
    expect(excluded).toBeGreaterThan(150);
    expect(result.subjects.flatMap((s) => s.tree.problems)).toEqual([]);
    const texts = await readAll(result);
    for (const [name, text] of texts) {
      const [org, repo, ...rest] = name.split('/');
      expect(text).toBe(await readFile(path.join(corpus, org!, repo!, 'files', ...rest), 'utf8'));
    }
    const cold = emulator.counts();
    const blobs = new Set(
      result.subjects.flatMap((s) =>
        [...s.tree.manifests, ...(s.tree.licenseFiles ?? []).map((l) => l.path)].map((p) => `${s.name} ${p}`),
      ),
    );
    console.log(
      `cold: ${JSON.stringify(cold)}; lower bound: 1 listing query + ` +
        `${result.subjects.length} trees + ${blobs.size} blobs (distinct manifest and license file paths)`,
    );
    // One GraphQL query lists the 30 repositories with their HEADs: no listing page, no commit request.
    expect(cold).toEqual({ graphql: 1, tree: result.subjects.length, blob: blobs.size });
  });

  it('sends no tree and no blob request on a warm run, and after a push re-reads only that repository', async () => {
    const before = await readAll(await open());
    emulator.requests.length = 0;
    const warm = await open();
    expect(await readAll(warm)).toEqual(before);
    expect(emulator.counts()).toEqual({ graphql: 1 });
    const ledger = clients.at(-1)!.ledger();
    expect(ledger).toMatchObject([{ sent: 1, revalidated: 0, failed: 0 }]);
    expect(ledger[0]!.fromCache).toBeGreaterThan(warm.subjects.length);
    console.log(`warm: ${JSON.stringify(emulator.counts())}, ledger ${JSON.stringify(ledger)}`);

    emulator.requests.length = 0;
    emulator.moveHead(`${ORG}/lutece-core`, '0123456789abcdef0123456789abcdef01234567');
    const moved = await open();
    expect(await readAll(moved)).toEqual(before);
    expect(emulator.requests.map((r) => `${r.status} ${r.kind} ${r.path}`)).toEqual([
      '200 graphql /graphql',
      `200 tree /repos/${ORG}/lutece-core/git/trees/0123456789abcdef0123456789abcdef01234567?recursive=1`,
    ]);
  });

  it('gives the same manifests and contents under secondary limits (1 in 10) and server errors', async () => {
    const clean = await readAll(await open());
    const faulty = await startGithubEmulator({
      corpus,
      secondaryEvery: 10,
      secondaryRetryAfter: 1,
      serverErrorEvery: 13,
    });
    try {
      await rm(cacheDir, { recursive: true, force: true });
      const result = await open(faulty.url);
      expect(await readAll(result)).toEqual(clean);
      expect(result.subjects.flatMap((s) => s.tree.problems)).toEqual([]);
      expect(faulty.requests.filter((r) => r.fault === 'secondary').length).toBeGreaterThan(5);
      expect(faulty.requests.some((r) => r.fault === 'server-error')).toBe(true);
    } finally {
      await faulty.close();
    }
  });
});
