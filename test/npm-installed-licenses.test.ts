import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Inventory } from '../src/core/model.js';
import { runCli } from './helpers/cli.js';

// node_modules folders cannot be committed as fixtures (they are git-ignored), so the install is made here.
let root: string;
const write = async (rel: string, value: unknown) => {
  await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
  await writeFile(path.join(root, rel), JSON.stringify(value, null, 2));
};

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'oss-inventory-installed-'));
  await write('package.json', {
    name: 'app',
    version: '1.0.0',
    dependencies: { a: '^1.0.0', b: '^2.0.0', c: '^3.0.0' },
  });
  await write('package-lock.json', {
    name: 'app',
    version: '1.0.0',
    lockfileVersion: 3,
    requires: true,
    packages: {
      '': { name: 'app', version: '1.0.0', dependencies: { a: '^1.0.0', b: '^2.0.0', c: '^3.0.0' } },
      'node_modules/a': { version: '1.0.0', resolved: 'https://registry.npmjs.org/a/-/a-1.0.0.tgz' },
      'node_modules/b': { version: '2.0.0', resolved: 'https://registry.npmjs.org/b/-/b-2.0.0.tgz' },
      'node_modules/c': {
        version: '3.0.0',
        resolved: 'https://registry.npmjs.org/c/-/c-3.0.0.tgz',
        license: 'ISC',
      },
    },
  });
  await write('node_modules/a/package.json', { name: 'a', version: '1.0.0', license: 'MIT' });
  await write('node_modules/b/package.json', { name: 'b', version: '2.9.9', license: 'Apache-2.0' });
  await write('node_modules/c/package.json', { name: 'c', version: '3.0.0', license: 'MIT' });
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('licenses from an existing install', () => {
  it('reads node_modules when the lockfile has none and the installed version is the locked one', async () => {
    const out = path.join(root, 'out');
    const result = await runCli(['scan', root, '--offline', '-o', out, '-q', '-f', 'inventory-json'], {
      cwd: root,
    });
    expect(result.code).toBe(0);
    const inventory = JSON.parse(await readFile(path.join(out, 'inventory.json'), 'utf8')) as Inventory;
    const license = (name: string) => inventory.components.find((c) => c.name === name)!.license;
    expect(license('a')).toEqual({
      status: 'known',
      declared: ['MIT'],
      expression: 'MIT',
      category: 'permissive',
      mappings: ['spdx'],
      source: 'node_modules',
      evidence: 'node_modules/a/package.json',
    });
    // An installed copy of another version is not evidence for the locked one.
    expect(license('b').status).toBe('unknown');
    // The lockfile's own license wins over the installed copy.
    expect(license('c')).toMatchObject({ declared: ['ISC'], source: 'lockfile' });
  });
});
