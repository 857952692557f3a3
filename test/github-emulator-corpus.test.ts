import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGithubEmulator, type GithubEmulator } from './servers/github-emulator.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const corpus = path.resolve(here, '../../shared/corpus/github');
const org = path.join(corpus, 'lutece-platform');
const has = existsSync(org);
if (!has) console.warn('skipping: ../shared/corpus is absent');

interface StoredRepo {
  default_branch: string;
  tree: { path: string; type: string; sha: string }[];
}

describe.skipIf(!has)('the GitHub API emulator over ../shared/corpus/github/lutece-platform', () => {
  let emulator: GithubEmulator;
  let octokit: Octokit;
  const names = has ? readdirSync(org).filter((n) => existsSync(path.join(org, n, 'repo.json'))) : [];
  const stored = (name: string) =>
    JSON.parse(readFileSync(path.join(org, name, 'repo.json'), 'utf8')) as StoredRepo;
  beforeAll(async () => {
    emulator = await startGithubEmulator({ corpus });
    octokit = new Octokit({ baseUrl: emulator.url });
  });
  afterAll(() => emulator.close());

  it('lists every repository of the organisation', async () => {
    const repos = await octokit.paginate(octokit.rest.repos.listForOrg, {
      org: 'lutece-platform',
      per_page: 7,
    });
    expect(repos.map((r) => r.name).sort()).toEqual([...names].sort());
    expect(names).toHaveLength(30);
    expect(emulator.count('listing')).toBe(5);
  });

  it('serves each recursive tree with as many blobs as repo.json, and every captured file as its blob', async () => {
    let files = 0;
    for (const name of names) {
      const repo = stored(name);
      const { data } = await octokit.rest.git.getTree({
        owner: 'lutece-platform',
        repo: name,
        tree_sha: repo.default_branch,
        recursive: '1',
      });
      expect(data.truncated).toBe(false);
      const blobs = (entries: { type?: string }[]) => entries.filter((e) => e.type === 'blob').length;
      expect(blobs(data.tree), name).toBe(blobs(repo.tree));
      for (const entry of repo.tree) {
        const file = path.join(org, name, 'files', entry.path);
        if (entry.type !== 'blob' || !existsSync(file)) continue;
        const blob = await octokit.rest.git.getBlob({
          owner: 'lutece-platform',
          repo: name,
          file_sha: entry.sha,
        });
        expect(Buffer.from(blob.data.content, 'base64').equals(readFileSync(file)), entry.path).toBe(true);
        files++;
      }
    }
    // Every captured file of the organisation: 225 pom.xml and 5 root LICENSE files.
    expect(files).toBe(230);
  }, 60_000);
});
