import { readdir, readFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Inventory } from '../src/core/model.js';
import { runCli } from './helpers/cli.js';
import { inventorySchemaErrors } from './helpers/inventory-schema.js';
import { startNpmRegistry, type NpmRegistry } from './servers/npm-registry.js';

const repo = path.resolve(import.meta.dirname, '..');
const app = path.join(repo, 'fixtures', 'projects', 'registry-app');
const packuments = path.join(repo, 'fixtures', 'registry');
let work: string;
let registry: NpmRegistry;

beforeEach(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'oss-inventory-registry-'));
});
afterEach(async () => {
  await registry?.close();
  await rm(work, { recursive: true, force: true });
});

async function scan(out: string, extra: string[] = [], env: NodeJS.ProcessEnv = {}) {
  const args = ['scan', app, '--registry', registry.url, '--cache-dir', path.join(work, 'cache'), '-o', out];
  const result = await runCli([...args, '-v', ...extra], {
    cwd: repo,
    env: { SOURCE_DATE_EPOCH: '1767225600', ...env },
  });
  const inventory = JSON.parse(await readFile(path.join(out, 'inventory.json'), 'utf8')) as Inventory;
  return { result, inventory };
}

const component = (inventory: Inventory, name: string) =>
  inventory.components.find((c) => (c.group ? `${c.group}/${c.name}` : c.name) === name)!;

describe('scan with registry lookups', () => {
  it('gives every component of a lockfile without licenses its registry license, with provenance', async () => {
    registry = await startNpmRegistry({ dir: packuments });
    const { result, inventory } = await scan(path.join(work, 'out'));
    expect(result.code, result.stderr).toBe(0);
    expect(inventorySchemaErrors(inventory)).toEqual([]);
    const leftPad = component(inventory, 'left-pad');
    expect(leftPad.license).toEqual({
      status: 'known',
      declared: ['WTFPL'],
      expression: 'WTFPL',
      category: 'permissive',
      mappings: ['spdx'],
      source: 'registry',
      evidence: `${registry.url}left-pad`,
    });
    expect(leftPad.registry).toMatchObject({
      status: 'found',
      document: `${registry.url}left-pad`,
      maintainers: 2,
    });
    for (const name of ['is-number', 'json-schema', 'ms']) {
      expect(component(inventory, name).license, name).toMatchObject({ status: 'known', source: 'registry' });
    }
    // The license is in a file of the package, which the registry document does not hold.
    expect(component(inventory, '@acme/widgets').license).toMatchObject({
      status: 'unknown',
      declared: ['SEE LICENSE IN LICENSE.md'],
      source: 'registry',
      reason: expect.stringContaining('LICENSE.md'),
    });
    // A license object that is not npm's legacy {type, url} is kept raw and stays unknown: never guessed.
    expect(component(inventory, 'highcharts').license).toMatchObject({
      status: 'unknown',
      source: 'registry',
    });
    const ghost = component(inventory, 'ghost-package');
    expect(ghost.license).toMatchObject({
      status: 'unknown',
      reason: expect.stringMatching(/^not declared in the manifest or lockfile.*; registry: .*404/),
    });
    expect(ghost.registry).toEqual({ status: 'missing', reason: expect.stringMatching(/404/) });
    expect(inventory.problems).toContainEqual(
      expect.objectContaining({ severity: 'warning', code: 'npm.registry.not-found' }),
    );
    expect(result.stderr).toMatch(/network: 127\.0\.0\.1:\d+: 8 sent/);
  });

  it('sends no registry request on a second scan: everything comes from the cache', async () => {
    registry = await startNpmRegistry({ dir: packuments });
    const first = await scan(path.join(work, 'first'));
    const sent = registry.count();
    // 7 packuments, one per distinct name, plus the version-document fallback for the package that is not there.
    expect(sent).toBe(8);
    const second = await scan(path.join(work, 'second'));
    // The package the registry did not have is remembered as missing for a day, like everything else.
    expect(registry.count()).toBe(sent);
    const ledger = second.inventory.run.network;
    expect(ledger).toEqual([expect.objectContaining({ sent: 0, fromCache: 8, failed: 0 })]);
    const withoutRun = (i: Inventory) => JSON.stringify({ ...i, run: undefined });
    expect(withoutRun(second.inventory)).toBe(withoutRun(first.inventory));
  });

  it('with --offline, uses the cache and says per component what is missing', async () => {
    registry = await startNpmRegistry({ dir: packuments });
    const offline = await scan(path.join(work, 'offline'), ['--offline']);
    expect(registry.count()).toBe(0);
    expect(offline.inventory.run.offline).toBe(true);
    expect(component(offline.inventory, 'ms').registry).toEqual({
      status: 'missing',
      reason: expect.stringMatching(/offline/),
    });
    await scan(path.join(work, 'online'));
    const warm = await scan(path.join(work, 'offline-warm'), ['--offline']);
    expect(component(warm.inventory, 'ms').license).toMatchObject({ status: 'known', source: 'registry' });
  });

  it('turns a permanent 500 into a problem on that component and completes every other one', async () => {
    registry = await startNpmRegistry({ dir: packuments, faults: { '/ms': 'always-500' } });
    const { result, inventory } = await scan(path.join(work, 'out'));
    expect(result.code).toBe(0);
    expect(component(inventory, 'ms').registry).toEqual({
      status: 'missing',
      reason: expect.stringMatching(/500/),
    });
    expect(component(inventory, 'left-pad').license.status).toBe('known');
    expect(inventory.problems).toContainEqual(expect.objectContaining({ code: 'npm.registry.server' }));
  });

  it('never writes an .npmrc token into outputs, logs or the cache', async () => {
    const token = 'fixture-npm-token-SECRET-not-a-real-one';
    registry = await startNpmRegistry({ dir: packuments, authorization: `Bearer ${token}` });
    const home = path.join(work, 'home');
    await rm(home, { recursive: true, force: true });
    await import('node:fs/promises').then((fs) => fs.mkdir(home, { recursive: true }));
    const host = new URL(registry.url).host;
    await writeFile(path.join(home, '.npmrc'), `//${host}/:_authToken=\${NPM_TOKEN}\n`);
    const out = path.join(work, 'out');
    const { result, inventory } = await scan(out, [], { HOME: home, NPM_TOKEN: token });
    expect(component(inventory, 'ms').license.status).toBe('known');
    const files = await listFiles(work);
    for (const file of files) {
      expect((await readFile(file)).includes(token), file).toBe(false);
    }
    expect(result.stdout + result.stderr).not.toContain(token);
  });
});

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && !e.name.endsWith('.npmrc'))
    .map((e) => path.join(e.parentPath, e.name));
}
