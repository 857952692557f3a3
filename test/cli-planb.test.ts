import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Component, Inventory } from '../src/core/model.js';
import { runCli } from './helpers/cli.js';
import { inventorySchemaErrors } from './helpers/inventory-schema.js';
import { startNpmRegistry, type NpmRegistry } from './servers/npm-registry.js';

const repo = path.resolve(import.meta.dirname, '..');
const fixtures = path.join(repo, 'fixtures', 'planb');
/** 2025-06-15T00:00:00Z. */
const EPOCH = '1749945600';
const MESSAGE = 'old-fetcher moved to @acme/fetcher; or use tired-fetcher or ghost-fetcher instead';

let work: string;
let registry: NpmRegistry;
beforeEach(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'oss-inventory-planb-'));
  registry = await startNpmRegistry({ dir: path.join(fixtures, 'registry') });
});
afterEach(async () => {
  await registry.close();
  await rm(work, { recursive: true, force: true });
});

async function scan(extra: string[] = []) {
  const out = path.join(work, 'out');
  const result = await runCli(
    [
      'scan',
      path.join(fixtures, 'npm-app'),
      '--registry',
      registry.url,
      '--cache-dir',
      path.join(work, 'cache'),
      '-o',
      out,
      '-q',
      ...extra,
    ],
    { cwd: work, env: { SOURCE_DATE_EPOCH: EPOCH } },
  );
  const inventory = JSON.parse(await readFile(path.join(out, 'inventory.json'), 'utf8')) as Inventory;
  return { result, inventory, old: inventory.components.find((c) => c.name === 'old-fetcher') as Component };
}

describe('plan-B targets checked against the registry', () => {
  it('keeps the successor a deprecation names, with its license; drops a deprecated and an unpublished one', async () => {
    const { result, inventory, old } = await scan();
    expect(result.code, result.stderr).toBe(0);
    expect(inventorySchemaErrors(inventory)).toEqual([]);
    expect(old.health!.class).toBe('EOL');
    expect(old.planB).toEqual({
      status: 'options',
      options: [
        {
          kind: 'successor',
          target: 'pkg:npm/%40acme/fetcher',
          confidence: 'authoritative',
          source: 'npm deprecation',
          evidence: JSON.stringify(MESSAGE),
          targetLicense: 'Apache-2.0',
        },
      ],
    });
    // each target once: its packument; the one that does not exist also by version document, as npm does
    const asked = registry.requests.map((r) => r.path);
    expect(asked.filter((p) => p.includes('fetcher')).sort()).toEqual([
      '/@acme%2ffetcher',
      '/ghost-fetcher',
      '/ghost-fetcher/latest',
      '/old-fetcher',
      '/tired-fetcher',
    ]);
  });

  it("keeps the organisation's decisions whatever their targets, flagged", async () => {
    const config = path.join(work, 'config.yaml');
    await writeFile(
      config,
      [
        'planB:',
        '  decisions:',
        '    - purl: pkg:npm/old-fetcher',
        '      reason: our HTTP wrapper standard',
        '      owner: web platform team',
        '      options:',
        '        - { kind: alternative, target: pkg:npm/stale-fetcher }',
        '        - { kind: alternative, target: pkg:npm/ghost-fetcher }',
        '',
      ].join('\n'),
    );
    const { result, old } = await scan(['--config', config]);
    expect(result.code, result.stderr).toBe(0);
    expect(old.planB!.options.map((o) => [o.target, o.targetLicense, o.flags])).toEqual([
      ['pkg:npm/stale-fetcher', 'GPL-3.0-only', ['target-unhealthy', 'license-family-differs']],
      ['pkg:npm/ghost-fetcher', undefined, ['target-not-found']],
      ['pkg:npm/%40acme/fetcher', 'Apache-2.0', undefined],
    ]);
  });

  it('offline with an empty cache: nothing is known of the package, so no target is asked about', async () => {
    const { result, inventory, old } = await scan(['--offline']);
    expect(result.code, result.stderr).toBe(0);
    expect(registry.requests).toEqual([]);
    expect(old.planB!.status).not.toBe('options');
    expect(inventory.problems.map((p) => p.code)).not.toContain('planb.targets.unchecked');
  });

  it('a second run asks nothing new: the targets come from the cache', async () => {
    await scan();
    const before = registry.requests.length;
    const { old } = await scan();
    expect(registry.requests.length).toBe(before);
    expect(old.planB!.options.map((o) => o.target)).toEqual(['pkg:npm/%40acme/fetcher']);
  });
});
