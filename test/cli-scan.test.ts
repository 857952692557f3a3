import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { load } from 'js-yaml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Inventory } from '../src/core/model.js';
import { runCli } from './helpers/cli.js';
import { inventorySchemaErrors } from './helpers/inventory-schema.js';

const repo = path.resolve(import.meta.dirname, '..');
const fixture = (name: string) => path.join(repo, 'fixtures', name);
let out: string;

beforeEach(async () => {
  out = await mkdtemp(path.join(tmpdir(), 'oss-inventory-cli-'));
});
afterEach(async () => {
  await rm(out, { recursive: true, force: true });
});

async function readInventory(): Promise<Inventory> {
  return JSON.parse(await readFile(path.join(out, 'inventory.json'), 'utf8')) as Inventory;
}

describe('oss-inventory scan', () => {
  it('writes the four files by default, and the JSON and YAML inventories validate against the schema', async () => {
    const result = await runCli(['scan', '--offline', fixture('npm/package-lock-v3'), '--out', out], {
      cwd: repo,
    });
    expect(result.stderr).toMatch(/wrote inventory.json, inventory.yaml, bom.cdx.json, bom.cdx.xml/);
    expect(result.code).toBe(0);
    const json = await readInventory();
    expect(inventorySchemaErrors(json)).toEqual([]);
    const yaml = load(await readFile(path.join(out, 'inventory.yaml'), 'utf8'));
    expect(inventorySchemaErrors(yaml)).toEqual([]);
    expect(yaml).toEqual(json);
    expect(json.components.length).toBeGreaterThan(3);
  });

  it('records a broken manifest as a problem with file, line and column, and inventories the rest', async () => {
    const result = await runCli(['scan', '--offline', fixture('projects/broken'), '--out', out, '-v'], {
      cwd: repo,
    });
    expect(result.code).toBe(0);
    const inventory = await readInventory();
    expect(inventorySchemaErrors(inventory)).toEqual([]);
    const byFile = Object.fromEntries(inventory.problems.map((p) => [p.file, p]));
    expect(byFile['bad-json/package.json']).toMatchObject({ severity: 'error', line: 5, column: 3 });
    expect(byFile['wrong-shape/package.json']).toMatchObject({
      severity: 'error',
      code: 'npm.package-json.not-an-object',
    });
    expect(byFile['bad-lock/package-lock.json']).toMatchObject({ severity: 'error' });
    expect(inventory.components.map((c) => c.purl)).toContain('pkg:npm/left-pad');
    expect(inventory.projects.map((p) => p.id)).toEqual(
      expect.arrayContaining(['broken:good', 'broken:bad-lock']),
    );
    expect(result.stderr).toMatch(/\d+ problems \(3 errors, /);
    expect(result.stderr).toMatch(/bad-json\/package\.json:5:3: invalid JSON/);
  });

  it('exits 3 with --strict when there are problems', async () => {
    const result = await runCli(
      ['scan', '--offline', fixture('projects/broken'), '--out', out, '--strict', '-q'],
      {
        cwd: repo,
      },
    );
    expect(result.code).toBe(3);
    expect(result.stderr).toBe('');
  });

  it('exits 2 with one line for a path that does not exist', async () => {
    const result = await runCli(['scan', '--offline', path.join(out, 'nope'), '--out', out], { cwd: repo });
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^error: .*nope: no such file or directory/);
  });

  it('exits 2 on an unknown format, naming the allowed ones', async () => {
    const result = await runCli(
      ['scan', '--offline', fixture('projects/broken'), '--format', 'inventory-json,spdx'],
      {
        cwd: repo,
      },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /unknown format "spdx"; use one of inventory-json, inventory-yaml, cyclonedx-json/,
    );
  });

  it('prints one format to stdout with --stdout and writes no file', async () => {
    const result = await runCli(
      ['scan', '--offline', fixture('projects/broken/good'), '--stdout', 'cyclonedx-json', '-q'],
      {
        cwd: out,
      },
    );
    expect(result.code).toBe(0);
    const bom = JSON.parse(result.stdout);
    expect(bom.bomFormat).toBe('CycloneDX');
    expect(existsSync(path.join(out, 'oss-inventory-report'))).toBe(false);
  });

  it('takes --format as a comma list and as a repeated flag', async () => {
    const result = await runCli(
      [
        'scan',
        '--offline',
        fixture('projects/broken/good'),
        '-o',
        out,
        '--format',
        'inventory-json,cyclonedx-xml',
        '-f',
        'inventory-yaml',
      ],
      { cwd: repo },
    );
    expect(result.code).toBe(0);
    expect(existsSync(path.join(out, 'inventory.json'))).toBe(true);
    expect(existsSync(path.join(out, 'inventory.yaml'))).toBe(true);
    expect(existsSync(path.join(out, 'bom.cdx.xml'))).toBe(true);
    expect(existsSync(path.join(out, 'bom.cdx.json'))).toBe(false);
  });

  it('gives byte-identical files for the same input under SOURCE_DATE_EPOCH', async () => {
    const env = { SOURCE_DATE_EPOCH: '1700000000' };
    const second = path.join(out, 'second');
    await runCli(['scan', '--offline', fixture('npm/package-lock-v3'), '-o', out, '-q'], { cwd: repo, env });
    await runCli(['scan', '--offline', fixture('npm/package-lock-v3'), '-o', second, '-q'], {
      cwd: repo,
      env,
    });
    for (const file of ['inventory.json', 'inventory.yaml', 'bom.cdx.json', 'bom.cdx.xml']) {
      expect(await readFile(path.join(second, file), 'utf8')).toBe(
        await readFile(path.join(out, file), 'utf8'),
      );
    }
    expect((await readInventory()).generatedAt).toBe('2023-11-14T22:13:20.000Z');
  });

  it('takes its defaults from .oss-inventory.yaml and lets flags override them', async () => {
    await writeFile(
      path.join(out, '.oss-inventory.yaml'),
      `scan:\n  paths: [${JSON.stringify(fixture('projects/broken/good'))}]\n  out: from-config\n  formats: [inventory-json]\n`,
    );
    const fromConfig = await runCli(['scan', '--offline', '-q'], { cwd: out });
    expect(fromConfig.code).toBe(0);
    expect(existsSync(path.join(out, 'from-config', 'inventory.json'))).toBe(true);
    expect(existsSync(path.join(out, 'from-config', 'bom.cdx.json'))).toBe(false);
    const overridden = await runCli(
      ['scan', '--offline', '-q', '--out', 'from-flag', '--format', 'cyclonedx-json'],
      {
        cwd: out,
      },
    );
    expect(overridden.code).toBe(0);
    expect(existsSync(path.join(out, 'from-flag', 'bom.cdx.json'))).toBe(true);
  });

  it('refuses an invalid configuration with exit 2 and every error with its line', async () => {
    await writeFile(path.join(out, '.oss-inventory.yaml'), 'scan:\n  formats: [pdf]\n  colour: blue\n');
    const result = await runCli(['scan'], { cwd: out });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/invalid configuration \(2 errors\)/);
    expect(result.stderr).toMatch(/\.oss-inventory\.yaml:2:\d+:/);
    expect(result.stderr).toMatch(/\.oss-inventory\.yaml:3:3:/);
  });

  it('counts manifests skipped by exclude patterns in the inventory', async () => {
    const result = await runCli(
      ['scan', '--offline', fixture('projects/broken'), '-o', out, '-q', '--exclude', 'bad-*/**'],
      {
        cwd: repo,
      },
    );
    expect(result.code).toBe(0);
    const inventory = await readInventory();
    expect(inventory.stats.excluded).toEqual([
      { subject: 'broken', pattern: 'bad-*/**', folders: 2, manifests: 3 },
    ]);
    expect(inventory.problems.filter((p) => p.severity === 'error')).toHaveLength(1);
  });

  it('keeps only the scopes asked for with --scope, and refuses an unknown one before scanning', async () => {
    const result = await runCli(
      ['scan', '--offline', fixture('npm/package-lock-v3'), '-o', out, '-q', '--scope', 'runtime,optional'],
      { cwd: repo },
    );
    expect(result.code).toBe(0);
    const inventory = await readInventory();
    expect(inventorySchemaErrors(inventory)).toEqual([]);
    expect(inventory.run.scopes).toEqual(['runtime', 'optional']);
    expect(
      inventory.components.every((c) => c.scopes.every((s) => s === 'runtime' || s === 'optional')),
    ).toBe(true);
    const bad = await runCli(['scan', '--offline', fixture('npm/package-lock-v3'), '--scope', 'compile'], {
      cwd: repo,
    });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown scope "compile"; use one of runtime, optional, peer, provided, dev/);
  });

  it('has --help on every command', async () => {
    const top = await runCli(['--help'], { cwd: repo });
    expect(top.code).toBe(0);
    expect(top.stdout).toMatch(/scan \[options\] \[path\.\.\.\]/);
    const scanHelp = await runCli(['scan', '--offline', '--help'], { cwd: repo });
    expect(scanHelp.code).toBe(0);
    expect(scanHelp.stdout).toMatch(/--no-default-excludes/);
    expect(scanHelp.stdout).toMatch(/\*\*\/node_modules\/\*\*/);
  });
});
