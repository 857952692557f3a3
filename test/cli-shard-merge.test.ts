import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Inventory } from '../src/core/model.js';
import { runCli } from './helpers/cli.js';
import { inventorySchemaErrors } from './helpers/inventory-schema.js';
import { startGithubEmulator, type GithubEmulator } from './servers/github-emulator.js';

const repo = path.resolve(import.meta.dirname, '..');
const corpus = path.join(repo, 'fixtures', 'github');
const token = 'fixture-github-token-not-a-real-one';
const env = { GITHUB_TOKEN: token, SOURCE_DATE_EPOCH: '1767225600' };
let work: string;
let emulator: GithubEmulator;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'oss-inventory-shard-'));
  emulator = await startGithubEmulator({ corpus, token });
});
afterAll(async () => {
  await emulator.close();
  await rm(work, { recursive: true, force: true });
});

async function crawl(name: string, extra: string[] = []): Promise<string> {
  const out = path.join(work, name);
  const args = ['scan', '--github-org', 'demo-org', '--github-url', emulator.url, '-o', out, '-q'];
  const result = await runCli([...args, '--cache-dir', path.join(work, `cache-${name}`), ...extra], {
    cwd: work,
    env,
  });
  expect(result.code, result.stderr).toBe(0);
  return path.join(out, 'inventory.json');
}

async function load(file: string): Promise<Inventory> {
  return JSON.parse(await readFile(file, 'utf8')) as Inventory;
}

function withoutRun(inventory: Inventory): string {
  return JSON.stringify({ ...inventory, run: undefined }, null, 2);
}

describe('scan --shard and merge', () => {
  let whole: string;
  let shards: string[];

  beforeAll(async () => {
    whole = await crawl('whole');
    shards = [await crawl('shard1', ['--shard', '1/2']), await crawl('shard2', ['--shard', '2/2'])];
  }, 120_000);

  it('splits the repositories deterministically by name order', async () => {
    const names = async (file: string) => (await load(file)).subjects.map((s) => s.name);
    expect(await names(shards[0]!)).toEqual(['demo-org/core-lib', 'demo-org/web-app']);
    expect(await names(shards[1]!)).toEqual(['demo-org/empty-repo']);
  });

  it('merges the shards into the inventory of a single run', async () => {
    const out = path.join(work, 'merged');
    const result = await runCli(['merge', shards[1]!, shards[0]!, '-o', out, '-q'], { cwd: work, env });
    expect(result.code, result.stderr).toBe(0);
    const merged = await load(path.join(out, 'inventory.json'));
    expect(inventorySchemaErrors(merged)).toEqual([]);
    expect(withoutRun(merged)).toBe(withoutRun(await load(whole)));
    expect(merged.run.network.map((e) => e.host)).toEqual((await load(whole)).run.network.map((e) => e.host));
    expect(await readFile(path.join(out, 'bom.cdx.json'), 'utf8')).toContain('"bomFormat": "CycloneDX"');
  });

  it('prints one format to stdout', async () => {
    const result = await runCli(['merge', ...shards, '--stdout', 'inventory-json'], { cwd: work, env });
    expect(result.code, result.stderr).toBe(0);
    expect(withoutRun(JSON.parse(result.stdout) as Inventory)).toBe(withoutRun(await load(whole)));
  });

  it('refuses a file that is not an inventory, naming it, with exit code 2', async () => {
    const bad = path.join(work, 'bad.json');
    await writeFile(bad, JSON.stringify({ schemaVersion: '1.0.0', projects: 'none' }));
    const result = await runCli(['merge', shards[0]!, bad], { cwd: work, env });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('bad.json is not an inventory');
    const broken = path.join(work, 'broken.json');
    await writeFile(broken, '{"schemaVersion": ');
    const syntax = await runCli(['merge', broken], { cwd: work, env });
    expect(syntax.code).toBe(2);
    expect(syntax.stderr).toContain('broken.json: not a readable JSON file');
  });

  it('refuses the same repository in two inventories', async () => {
    const result = await runCli(['merge', shards[0]!, whole], { cwd: work, env });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('demo-org/core-lib is in more than one inventory');
  });

  it('rejects a malformed --shard and --shard without GitHub targets', async () => {
    for (const shard of ['0/2', '3/2', '1/0', 'half']) {
      const result = await runCli(['scan', '--github-org', 'demo-org', '--shard', shard], { cwd: work, env });
      expect(result.code, shard).toBe(2);
      expect(result.stderr).toContain('is not a slice');
    }
    const local = await runCli(['scan', '.', '--shard', '1/2'], { cwd: work, env });
    expect(local.code).toBe(2);
    expect(local.stderr).toContain('--shard slices GitHub repositories');
  });
});
