import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_EXCLUDES, openLocalTree, SubjectNotFoundError } from '../src/sources/local.js';

const manifestNames = new Set(['package.json', 'yarn.lock']);
let root: string;

async function put(rel: string, content = '{}') {
  await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
  await writeFile(path.join(root, rel), content);
}

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'oss-inventory-local-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('openLocalTree', () => {
  it('finds manifests, prunes node_modules and .git unread, and counts manifests under excluded fixtures', async () => {
    await put('package.json');
    await put('yarn.lock', '');
    await put('packages/a/package.json');
    await put('packages/a/README.md', '');
    await put('node_modules/x/package.json');
    await put('.git/package.json');
    await put('test/fixtures/app/package.json');
    await put('test/fixtures/app/yarn.lock', '');
    const tree = await openLocalTree(root, { manifestNames, excludes: DEFAULT_EXCLUDES });
    expect(tree.manifests).toEqual(['package.json', 'packages/a/package.json', 'yarn.lock']);
    expect(tree.excluded).toEqual([
      { pattern: '**/node_modules/**', folders: 1, manifests: 0 },
      { pattern: '**/.git/**', folders: 1, manifests: 0 },
      { pattern: '**/fixtures/**', folders: 1, manifests: 2 },
    ]);
    expect(tree.problems).toEqual([]);
  });

  it('applies user globs to files and folders', async () => {
    await put('package.json');
    await put('examples/demo/package.json');
    await put('legacy/package.json');
    const tree = await openLocalTree(root, {
      manifestNames,
      excludes: ['examples/**', '**/legacy/package.json'],
    });
    expect(tree.manifests).toEqual(['package.json']);
    expect(tree.excluded).toEqual([
      { pattern: 'examples/**', folders: 1, manifests: 1 },
      { pattern: '**/legacy/package.json', folders: 0, manifests: 1 },
    ]);
  });

  it('does not follow directory symlinks, so a loop cannot hang it', async () => {
    await put('a/package.json');
    await symlink(path.join(root, 'a'), path.join(root, 'a', 'loop'));
    await symlink(root, path.join(root, 'up'));
    const tree = await openLocalTree(root, { manifestNames, excludes: [] });
    expect(tree.manifests).toEqual(['a/package.json']);
  });

  it('reads a symlinked manifest only when it points inside the tree', async () => {
    const outside = await mkdtemp(path.join(tmpdir(), 'oss-inventory-outside-'));
    await writeFile(path.join(outside, 'package.json'), '{"name":"secret"}');
    await put('real/package.json');
    await mkdir(path.join(root, 'in'), { recursive: true });
    await mkdir(path.join(root, 'out'), { recursive: true });
    await symlink(path.join(root, 'real/package.json'), path.join(root, 'in/package.json'));
    await symlink(path.join(outside, 'package.json'), path.join(root, 'out/package.json'));
    const tree = await openLocalTree(root, { manifestNames, excludes: [] });
    expect(tree.manifests).toEqual(['in/package.json', 'real/package.json']);
    await expect(tree.reader.read('out/package.json')).rejects.toThrow(/outside the scanned folder/);
    await expect(tree.reader.read('../x')).rejects.toThrow(/leaves the scanned folder/);
    await rm(outside, { recursive: true, force: true });
  });

  it('stops descending past 64 levels with a problem instead of crashing', async () => {
    const deep = Array.from({ length: 70 }, (_, i) => `d${i}`).join('/');
    await put(`${deep}/package.json`);
    await put('package.json');
    const tree = await openLocalTree(root, { manifestNames, excludes: [] });
    expect(tree.manifests).toEqual(['package.json']);
    expect(tree.problems).toHaveLength(1);
    expect(tree.problems[0]!.code).toBe('source.folder-skipped');
    expect(tree.problems[0]!.message).toMatch(/nested more than 64 folders deep/);
  });

  it('refuses a path that does not exist or is not a folder', async () => {
    await expect(openLocalTree(path.join(root, 'missing'), { manifestNames, excludes: [] })).rejects.toThrow(
      SubjectNotFoundError,
    );
    await put('file.txt', '');
    await expect(openLocalTree(path.join(root, 'file.txt'), { manifestNames, excludes: [] })).rejects.toThrow(
      /is not a directory/,
    );
  });
});
