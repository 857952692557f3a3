import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { factsFromPackument } from '../src/ecosystems/npm/registry/facts.js';
import { PACKUMENT_KEPT } from '../src/ecosystems/npm/registry/packument-kept.js';
import { createHttpClient, type ClosableHttpClient } from '../src/net/http-client.js';
import { startNpmRegistry, type NpmRegistry } from './servers/npm-registry.js';

const registryDir = path.resolve(import.meta.dirname, '../fixtures/registry');
const NOW = new Date('2025-06-15T00:00:00.000Z');

async function fixturePackuments(): Promise<{ file: string; body: Buffer }[]> {
  const files = [];
  for (const entry of await readdir(registryDir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.json')) continue;
    const file = path.join(entry.parentPath, entry.name);
    files.push({ file: path.relative(registryDir, file), body: await readFile(file) });
  }
  return files;
}

describe('what is kept of a packument', () => {
  it('gives every fixture packument the same facts for every version, latest and an unknown one', async () => {
    for (const { file, body } of await fixturePackuments()) {
      let full: unknown;
      try {
        full = JSON.parse(body.toString('utf8'));
      } catch {
        // the truncated fixture: kept byte for byte, for the resolver to report
        expect(PACKUMENT_KEPT.reduce(body).equals(body), file).toBe(true);
        continue;
      }
      const kept: unknown = JSON.parse(PACKUMENT_KEPT.reduce(body).toString('utf8'));
      const record = full as { name?: unknown; versions?: unknown };
      const name = typeof record.name === 'string' ? record.name : 'x';
      const versions = [
        ...(record.versions && typeof record.versions === 'object' ? Object.keys(record.versions) : []),
        'latest',
        '0.0.0-none',
      ];
      expect(factsFromPackument(kept, name, versions, NOW), file).toEqual(
        factsFromPackument(full, name, versions, NOW),
      );
    }
  });

  it('drops readmes, dependencies and dists, and keeps a hostile key a plain key', () => {
    const packument = {
      name: 'p',
      readme: 'x'.repeat(10_000),
      'dist-tags': { latest: '1.0.0' },
      versions: {
        '1.0.0': {
          name: 'p',
          version: '1.0.0',
          license: 'MIT',
          dependencies: { a: '1' },
          dist: { tarball: 't' },
        },
      },
    };
    const body = Buffer.from(`${JSON.stringify(packument).slice(0, -1)},"__proto__":{"polluted":true}}`);
    const kept = JSON.parse(PACKUMENT_KEPT.reduce(body).toString('utf8')) as Record<string, unknown>;
    expect(kept).toEqual({
      name: 'p',
      'dist-tags': { latest: '1.0.0' },
      versions: { '1.0.0': { name: 'p', version: '1.0.0', license: 'MIT' } },
    });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(PACKUMENT_KEPT.reduce(Buffer.from('[1,2]')).toString()).toBe('[1,2]');
    // parses, but too deep to write again: kept whole rather than thrown
    const deep = Buffer.from(
      `{"name":"p","versions":{"1.0.0":{"funding":${'['.repeat(20_000)}${']'.repeat(20_000)}}}}`,
    );
    expect(PACKUMENT_KEPT.reduce(deep)).toBe(deep);
  });
});

describe('a kept shape in the HTTP cache', () => {
  let registry: NpmRegistry;
  let cacheDir: string;
  let client: ClosableHttpClient;
  beforeEach(async () => {
    registry = await startNpmRegistry({ dir: registryDir });
    cacheDir = await mkdtemp(path.join(tmpdir(), 'oss-inventory-kept-'));
    client = createHttpClient({ cacheDir, userAgent: 'oss-inventory-test', env: {}, retries: 0 });
  });
  afterEach(async () => {
    await client.close();
    await registry.close();
    await rm(cacheDir, { recursive: true, force: true });
  });

  it('is applied before the answer is stored, and read back without asking; another shape has its own entry', async () => {
    const url = `${registry.url}ms`;
    const ask = (keep?: typeof PACKUMENT_KEPT) =>
      client.get({
        url,
        headers: { accept: 'application/json' },
        cache: 'revalidate',
        freshForMs: 60_000,
        ...(keep ? { keep } : {}),
      });
    const first = await ask(PACKUMENT_KEPT);
    const full = await ask();
    expect(first.origin).toBe('network');
    expect(full.origin).toBe('network');
    expect(first.body.length).toBeLessThan(full.body.length / 2);
    const again = await ask(PACKUMENT_KEPT);
    expect(again.origin).toBe('cache');
    expect(again.body.equals(first.body)).toBe(true);
    expect(registry.requests.filter((r) => r.path === '/ms')).toHaveLength(2);
  });
});
