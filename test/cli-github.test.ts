import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Inventory } from '../src/core/model.js';
import { runCli } from './helpers/cli.js';
import { inventorySchemaErrors } from './helpers/inventory-schema.js';
import { startGithubEmulator, type GithubEmulator } from './servers/github-emulator.js';

const repo = path.resolve(import.meta.dirname, '..');
const corpus = path.join(repo, 'fixtures', 'github');
const token = 'fixture-github-token-not-a-real-one';
let work: string;
let emulator: GithubEmulator;

beforeEach(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'oss-inventory-github-'));
  emulator = await startGithubEmulator({ corpus, token });
});
afterEach(async () => {
  await emulator.close();
  await rm(work, { recursive: true, force: true });
});

async function crawl(out: string, extra: string[] = []) {
  const args = ['scan', '--github-org', 'demo-org', '--github-url', emulator.url, '--offline-registries'];
  const result = await runCli(
    [
      ...args.filter((a) => a !== '--offline-registries'),
      '--cache-dir',
      path.join(work, 'cache'),
      '-o',
      out,
      '-q',
      ...extra,
    ],
    { cwd: work, env: { GITHUB_TOKEN: token, SOURCE_DATE_EPOCH: '1767225600' } },
  );
  let inventory: Inventory;
  try {
    inventory = JSON.parse(await readFile(path.join(out, 'inventory.json'), 'utf8')) as Inventory;
  } catch {
    throw new Error(`no inventory: exit ${result.code}: ${result.stderr}`);
  }
  return { result, inventory };
}

describe('scan --github-org', () => {
  it('inventories every repository of the organisation through the API, with its GitHub facts', async () => {
    const { result, inventory } = await crawl(path.join(work, 'out'));
    expect(result.code, result.stderr).toBe(0);
    expect(inventorySchemaErrors(inventory)).toEqual([]);
    expect(inventory.subjects.map((s) => [s.name, s.type])).toEqual([
      ['demo-org/core-lib', 'github'],
      ['demo-org/empty-repo', 'github'],
      ['demo-org/web-app', 'github'],
    ]);
    const web = inventory.subjects.find((s) => s.name === 'demo-org/web-app')!;
    expect(web.repository).toMatchObject({ archived: false, fork: false, license: 'MIT' });
    expect(web.repository!.headSha).toMatch(/^[0-9a-f]{40}$/);
    expect(inventory.projects.map((p) => p.id)).toEqual(
      expect.arrayContaining(['demo-org/web-app:.', 'demo-org/core-lib:.']),
    );
    expect(inventory.problems).toContainEqual(expect.objectContaining({ code: 'github.repository-empty' }));
  });

  it('gives the same projects and components as a local scan of the same files', async () => {
    const fromGitHub = (await crawl(path.join(work, 'gh'))).inventory;
    const local = path.join(corpus, 'demo-org', 'web-app', 'files');
    const result = await runCli(['scan', local, '--offline', '-o', path.join(work, 'local'), '-q'], {
      cwd: work,
    });
    expect(result.code).toBe(0);
    const fromDisk = JSON.parse(
      await readFile(path.join(work, 'local', 'inventory.json'), 'utf8'),
    ) as Inventory;
    const ofWebApp = (i: Inventory, subject: string) =>
      i.components
        .filter((c) => c.usedBy.some((u) => u.project.startsWith(`${subject}:`)))
        .map((c) => [c.purl, c.scopes, c.usedBy.map((u) => [u.project.slice(subject.length), u.path])]);
    expect(ofWebApp(fromGitHub, 'demo-org/web-app')).toEqual(ofWebApp(fromDisk, 'files'));
  });

  it('never writes the token into outputs, logs or the cache', async () => {
    const { result } = await crawl(path.join(work, 'out'), ['-v']);
    expect(result.stdout + result.stderr).not.toContain(token);
    const entries = await readdir(work, { recursive: true, withFileTypes: true });
    for (const entry of entries.filter((e) => e.isFile())) {
      const file = path.join(entry.parentPath, entry.name);
      expect((await readFile(file)).includes(token), file).toBe(false);
    }
    expect(emulator.requests.length).toBeGreaterThan(0);
  });
});
