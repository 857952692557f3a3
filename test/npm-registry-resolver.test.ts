import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { mergeNpmrc, parseNpmrc, type NpmRegistrySettings } from '../src/ecosystems/npm/registry/npmrc.js';
import {
  escapeName,
  resolveNpmFacts,
  type NpmFactsResult,
  type NpmPackageRef,
} from '../src/ecosystems/npm/registry/resolver.js';
import { createHttpClient, type ClosableHttpClient, type HttpClientOptions } from '../src/net/http-client.js';
import type { HttpClient } from '../src/net/types.js';
import { startNpmRegistry, type NpmRegistry, type NpmRegistryOptions } from './servers/npm-registry.js';

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/registry');
const NOW = new Date('2025-06-15T00:00:00.000Z');
const TOKEN = 'npm_Pr1vateT0ken_abcdef0123456789';

const cacheRoot = mkdtempSync(path.join(tmpdir(), 'npm-registry-resolver-'));
let cacheCount = 0;
const newCacheDir = () => path.join(cacheRoot, `cache-${++cacheCount}`);

const opened: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((o) => o.close()));
});
afterAll(() => rmSync(cacheRoot, { recursive: true, force: true }));

async function server(options: Partial<NpmRegistryOptions> = {}): Promise<NpmRegistry> {
  const started = await startNpmRegistry({ dir, ...options });
  opened.push(started);
  return started;
}

function client(cacheDir: string | null, overrides: Partial<HttpClientOptions> = {}) {
  const sleeps: number[] = [];
  const created: ClosableHttpClient = createHttpClient({
    cacheDir,
    userAgent: 'oss-inventory-test/1.0',
    env: {},
    retries: 2,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    ...overrides,
  });
  opened.push(created);
  return { client: created, sleeps };
}

function settingsFor(registry: NpmRegistry): NpmRegistrySettings {
  return mergeNpmrc([], registry.url);
}

function refs(...keys: string[]): NpmPackageRef[] {
  return keys.map((key) => {
    const at = key.lastIndexOf('@');
    return { name: key.slice(0, at), version: key.slice(at + 1) };
  });
}

/** One line per result: `key ok license document url`, or `key code: reason`. */
function summary(results: Map<string, NpmFactsResult>, registry: NpmRegistry): string[] {
  return [...results].map(([key, result]) => {
    if (!result.ok) return `${key} ${result.code}: ${result.reason.replace(registry.url, '/')}`;
    const license = result.facts.license;
    const shown = license.status === 'declared' ? license.value : `unknown(${license.flag})`;
    return `${key} ${shown} ${result.source.document} ${result.source.url.replace(registry.url, '/')}`;
  });
}

const MANY = refs(
  'ms@2.1.3',
  'ms@2.1.2',
  '@babel/code-frame@7.26.2',
  'left-pad@1.3.0',
  'pino@9.3.0',
  'fastify@5.2.1',
  'is-number@7.0.0',
  'json-schema@0.2.3',
  'buffer-crc32@0.2.13',
  'highcharts@11.4.8',
  'indexof@0.0.1',
  'ms@2.1.3',
);
const MANY_EXPECTED = [
  'ms@2.1.3 MIT packument /ms',
  'ms@2.1.2 MIT packument /ms',
  '@babel/code-frame@7.26.2 MIT packument /@babel%2fcode-frame',
  'left-pad@1.3.0 WTFPL packument /left-pad',
  'pino@9.3.0 MIT packument /pino',
  'fastify@5.2.1 MIT packument /fastify',
  'is-number@7.0.0 MIT packument /is-number',
  'json-schema@0.2.3 (AFLv2.1 OR BSD) packument /json-schema',
  'buffer-crc32@0.2.13 MIT packument /buffer-crc32',
  'highcharts@11.4.8 unknown(url) packument /highcharts',
  'indexof@0.0.1 unknown(empty) packument /indexof',
];

describe('resolveNpmFacts against the fixture registry', () => {
  it('sends one request per distinct name cold, none warm, one 304 each after the freshness window', async () => {
    const registry = await server();
    const cacheDir = newCacheDir();
    const npmrc = settingsFor(registry);

    const cold = await resolveNpmFacts(MANY, { client: client(cacheDir).client, npmrc, now: NOW });
    expect(summary(cold, registry)).toEqual(MANY_EXPECTED);
    expect(registry.count()).toBe(10);
    expect(new Set(registry.requests.map((r) => r.accept))).toEqual(new Set(['application/json']));
    expect(cold.get('pino@9.3.0')).toMatchObject({
      ok: true,
      facts: {
        releasesLast12Months: 8,
        latest: { version: '9.7.0' },
        publishedAt: '2024-06-15T00:00:00.000Z',
      },
    });
    expect(cold.get('left-pad@1.3.0')).toMatchObject({
      facts: { deprecated: 'use String.prototype.padStart() instead' },
    });

    const warmClient = client(cacheDir).client;
    const warm = await resolveNpmFacts(MANY, { client: warmClient, npmrc, now: NOW });
    expect(registry.count()).toBe(10);
    expect(warm).toEqual(cold);
    expect(warmClient.ledger()).toEqual([
      expect.objectContaining({ sent: 0, fromCache: 10, revalidated: 0, failed: 0 }),
    ]);

    const staleClient = client(cacheDir).client;
    const stale = await resolveNpmFacts(MANY, {
      client: staleClient,
      npmrc,
      now: NOW,
      packumentFreshForMs: 0,
    });
    expect(stale).toEqual(cold);
    const revalidations = registry.requests.slice(10);
    expect(revalidations).toHaveLength(10);
    expect(revalidations.every((r) => r.status === 304 && r.ifNoneMatch !== undefined)).toBe(true);
    expect(staleClient.ledger()).toEqual([expect.objectContaining({ sent: 10, revalidated: 10 })]);
  });

  it('runs the names concurrently (the client bounds how many)', async () => {
    const registry = await server({ latencyMs: 80 });
    const started = performance.now();
    const results = await resolveNpmFacts(MANY, {
      client: client(null, { concurrencyPerHost: 16 }).client,
      npmrc: settingsFor(registry),
      now: NOW,
    });
    expect([...results.values()].every((r) => r.ok)).toBe(true);
    // Ten names one after the other would take at least 800 ms.
    expect(performance.now() - started).toBeLessThan(600);
  });

  it('keeps at most namesInFlight names in progress', async () => {
    const registry = await server({ latencyMs: 50 });
    const started = performance.now();
    await resolveNpmFacts(refs('ms@2.1.3', 'left-pad@1.3.0', 'pino@9.3.0', 'fastify@5.2.1'), {
      client: client(null, { concurrencyPerHost: 16 }).client,
      npmrc: settingsFor(registry),
      now: NOW,
      namesInFlight: 1,
    });
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
    expect(registry.count()).toBe(4);
  });

  it('falls back to version documents when the packument is 404, then says "not in the registry (404)"', async () => {
    const registry = await server({ faults: { '/ms': 'always-404' } });
    const results = await resolveNpmFacts(refs('ms@2.1.3', 'no-such-package@1.0.0', 'ms@9.9.9'), {
      client: client(newCacheDir()).client,
      npmrc: settingsFor(registry),
      now: NOW,
    });
    expect(summary(results, registry)).toEqual([
      'ms@2.1.3 MIT version /ms/2.1.3',
      'no-such-package@1.0.0 not-found: no-such-package@1.0.0 is not in the registry (404)',
      'ms@9.9.9 not-found: ms@9.9.9 is not in the registry (404)',
    ]);
    expect(results.get('ms@2.1.3')).toEqual({
      ok: true,
      facts: {
        name: 'ms',
        version: '2.1.3',
        license: { status: 'declared', value: 'MIT', field: 'license' },
        repository: { url: 'https://github.com/vercel/ms' },
        maintainers: 3,
        funding: [],
        homepage: 'https://github.com/vercel/ms#readme',
      },
      source: { url: `${registry.url}ms/2.1.3`, document: 'version' },
    });
    expect(registry.requests.map((r) => r.route).sort()).toEqual([
      '/ms',
      '/ms/2.1.3',
      '/ms/9.9.9',
      '/no-such-package',
      '/no-such-package/1.0.0',
    ]);
  });

  it('revalidates a cached packument that lacks a version, once, before calling it missing', async () => {
    const registry = await server();
    const cacheDir = newCacheDir();
    const npmrc = settingsFor(registry);
    await resolveNpmFacts(refs('ms@2.1.3'), { client: client(cacheDir).client, npmrc, now: NOW });
    const results = await resolveNpmFacts(refs('ms@2.1.3', 'ms@9.9.9', 'pino@9.2.1'), {
      client: client(cacheDir).client,
      npmrc,
      now: NOW,
    });
    expect(summary(results, registry)).toEqual([
      'ms@2.1.3 MIT packument /ms',
      'ms@9.9.9 not-found: version 9.9.9 is not in the registry (the packument does not list it) (/ms)',
      'pino@9.2.1 not-found: version 9.2.1 was unpublished from the registry (/pino)',
    ]);
    expect(registry.requests.map((r) => `${r.route} ${r.status}`).sort()).toEqual([
      '/ms 200',
      '/ms 304',
      '/pino 200',
    ]);
  });

  it('turns a 500 into reason "server" after the client retries, without failing the other names', async () => {
    const registry = await server({ faults: { '/ms': 'always-500' } });
    const results = await resolveNpmFacts(refs('ms@2.1.3', 'left-pad@1.3.0'), {
      client: client(newCacheDir()).client,
      npmrc: settingsFor(registry),
      now: NOW,
    });
    const ms = results.get('ms@2.1.3')!;
    expect(ms.ok === false && ms.code).toBe('server');
    expect(ms.ok === false && ms.reason).toMatch(/^the registry could not answer \(server\): .*500/);
    expect(results.get('left-pad@1.3.0')!.ok).toBe(true);
    expect(registry.count('/ms')).toBe(3);
  });

  it('waits out a 429 with Retry-After and gets the answer', async () => {
    const registry = await server({ faults: { '/left-pad': [{ status: 429, retryAfter: 2 }] } });
    const { client: http, sleeps } = client(newCacheDir());
    const results = await resolveNpmFacts(refs('left-pad@1.3.0'), {
      client: http,
      npmrc: settingsFor(registry),
      now: NOW,
    });
    expect(results.get('left-pad@1.3.0')!.ok).toBe(true);
    expect(registry.requests.map((r) => r.status)).toEqual([429, 200]);
    expect(sleeps.some((ms) => ms >= 1_900 && ms <= 2_000)).toBe(true);
  });

  it('turns malformed and wrong-shape documents into reasons', async () => {
    const registry = await server();
    const results = await resolveNpmFacts(refs('truncated@1.0.0', 'versions-array@1.0.0'), {
      client: client(newCacheDir()).client,
      npmrc: settingsFor(registry),
      now: NOW,
    });
    const truncated = results.get('truncated@1.0.0')!;
    expect(truncated.ok === false && truncated.code).toBe('invalid-json');
    expect(truncated.ok === false && truncated.reason).toMatch(
      /^the registry answered invalid JSON for http:\/\/127\.0\.0\.1:\d+\/truncated \(.+\): truncated or not a packument document$/,
    );
    expect(summary(results, registry)[1]).toBe(
      'versions-array@1.0.0 invalid-document: the packument\'s "versions" is an array, not an object (/versions-array)',
    );
  });

  it('refuses names and versions that could address another URL, without a request', async () => {
    const registry = await server({ faults: { '/ok-name': 'always-404' } });
    const results = await resolveNpmFacts(
      [
        { name: '../secret', version: '1.0.0' },
        { name: '@scope/../x', version: '1.0.0' },
        { name: 'a b', version: '1.0.0' },
        { name: '', version: '1.0.0' },
        { name: '.hidden', version: '1.0.0' },
        { name: 'ok-name', version: '..' },
      ],
      { client: client(null).client, npmrc: settingsFor(registry), now: NOW },
    );
    expect([...results.values()].map((r) => !r.ok && r.code)).toEqual([
      'invalid-name',
      'invalid-name',
      'invalid-name',
      'invalid-name',
      'invalid-name',
      'invalid-version',
    ]);
    expect(registry.requests.map((r) => r.route)).toEqual(['/ok-name']);
  });

  it('says "offline" when offline with nothing cached', async () => {
    const registry = await server();
    const results = await resolveNpmFacts(refs('ms@2.1.3'), {
      client: client(newCacheDir(), { offline: true }).client,
      npmrc: settingsFor(registry),
      now: NOW,
    });
    expect(results.get('ms@2.1.3')).toMatchObject({ ok: false, code: 'offline' });
    expect(registry.count()).toBe(0);
  });

  it('escapes scoped names the way the registry serves them', () => {
    expect(escapeName('@babel/code-frame')).toBe('@babel%2fcode-frame');
    expect(escapeName('left-pad')).toBe('left-pad');
    expect(escapeName('JSONStream')).toBe('JSONStream');
  });
});

describe('a scoped registry with a token', () => {
  function npmrcFor(publicRegistry: NpmRegistry, privateRegistry: NpmRegistry, token: string) {
    const content = [
      `registry=${publicRegistry.url}`,
      `@acme:registry=${privateRegistry.url}`,
      `//127.0.0.1:${privateRegistry.port}/:_authToken=\${NPM_TOKEN}`,
    ].join('\n');
    const parsed = parseNpmrc(content, '.npmrc', { NPM_TOKEN: token });
    return { settings: mergeNpmrc([parsed.config]), problems: parsed.problems };
  }

  function cacheFiles(folder: string): Buffer[] {
    return readdirSync(folder, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => readFileSync(path.join(entry.parentPath, entry.name)));
  }

  it('sends the token to the scope registry only, and never writes or returns it', async () => {
    const publicRegistry = await server();
    const privateRegistry = await server({ authorization: `Bearer ${TOKEN}` });
    const { settings, problems } = npmrcFor(publicRegistry, privateRegistry, TOKEN);
    const cacheDir = newCacheDir();
    const results = await resolveNpmFacts(refs('@acme/widgets@2.4.0', 'ms@2.1.3'), {
      client: client(cacheDir).client,
      npmrc: settings,
      now: NOW,
    });
    expect(results.get('@acme/widgets@2.4.0')).toMatchObject({
      ok: true,
      facts: { license: { value: 'SEE LICENSE IN LICENSE.md', seeLicenseIn: 'LICENSE.md' }, maintainers: 1 },
      source: { url: `${privateRegistry.url}@acme%2fwidgets`, document: 'packument' },
    });
    expect(results.get('ms@2.1.3')!.ok).toBe(true);
    expect(privateRegistry.requests.map((r) => [r.path, r.authorization, r.status])).toEqual([
      ['/@acme%2fwidgets', true, 200],
    ]);
    expect(publicRegistry.requests.map((r) => [r.path, r.authorization, r.status])).toEqual([
      ['/ms', false, 200],
    ]);

    expect(JSON.stringify([...results])).not.toContain(TOKEN);
    expect(JSON.stringify(problems)).not.toContain(TOKEN);
    expect(JSON.stringify(settings.credentials.get(`//127.0.0.1:${privateRegistry.port}/`))).toBe(
      '{"token":"[redacted]"}',
    );
    const files = cacheFiles(cacheDir);
    expect(files.length).toBeGreaterThanOrEqual(2);
    for (const file of files) expect(file.includes(TOKEN)).toBe(false);
  });

  it('says "unauthorized" for a wrong token, and keeps the token out of failures', async () => {
    const publicRegistry = await server();
    const privateRegistry = await server({
      authorization: `Bearer ${TOKEN}`,
      faults: { '/@acme/broken': 'always-500' },
    });
    const wrong = `${TOKEN}-wrong`;
    const { settings } = npmrcFor(publicRegistry, privateRegistry, wrong);
    const results = await resolveNpmFacts(refs('@acme/widgets@2.4.0', '@acme/broken@1.0.0'), {
      client: client(newCacheDir()).client,
      npmrc: settings,
      now: NOW,
    });
    expect(summary(results, privateRegistry)).toEqual([
      '@acme/widgets@2.4.0 unauthorized: the registry refused access (401) to /@acme%2fwidgets: check the credentials for this registry in .npmrc',
      expect.stringMatching(/^@acme\/broken@1\.0\.0 server: the registry could not answer \(server\): /),
    ]);
    expect(JSON.stringify([...results])).not.toContain(TOKEN);
  });

  it('scrubs a credential from any error the client throws', async () => {
    const leaky: HttpClient = {
      get: async (request) => {
        throw new Error(`boom: sent ${request.authorization}`);
      },
      ledger: () => [],
    };
    const settings = mergeNpmrc(
      [parseNpmrc(`//npm.example/:_authToken=${TOKEN}`, '.npmrc', {}).config],
      'https://npm.example/',
    );
    const results = await resolveNpmFacts(refs('left-pad@1.3.0'), {
      client: leaky,
      npmrc: settings,
      now: NOW,
    });
    expect(results.get('left-pad@1.3.0')).toEqual({
      ok: false,
      code: 'error',
      reason: 'the registry could not answer (error): boom: sent Bearer [redacted]',
    });
  });
});
