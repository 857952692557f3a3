import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NpmFacts } from '../../src/ecosystems/npm/registry/facts.js';
import { mergeNpmrc } from '../../src/ecosystems/npm/registry/npmrc.js';
import {
  escapeName,
  npmFactsKey,
  resolveNpmFacts,
  type NpmFactsResult,
} from '../../src/ecosystems/npm/registry/resolver.js';
import { createHttpClient, type ClosableHttpClient } from '../../src/net/http-client.js';
import { formatLedger } from '../../src/net/ledger.js';

/**
 * Live smoke test: a handful of real packages resolved by the real resolver and HTTP client against the
 * public registry. What every copy of the registry keeps (license, repository, versions with dates) is
 * asserted exactly; what a mirror may drop (`deprecated`, `maintainers`) or re-stamp (`time`) is only
 * checked for shape when present, and printed.
 */

const REGISTRY = 'https://registry.npmjs.org/';

interface Expected {
  name: string;
  version: string;
  license: string;
  licenseField: 'license' | 'license.type' | 'licenses';
  repository: { url: string; directory?: string };
  /** Deprecated upstream: a mirror may not say so. */
  deprecatedUpstream?: true;
}

const PACKAGES: Expected[] = [
  {
    name: 'express',
    version: '4.17.1',
    license: 'MIT',
    licenseField: 'license',
    repository: { url: 'https://github.com/expressjs/express' },
  },
  {
    name: '@babel/core',
    version: '7.24.0',
    license: 'MIT',
    licenseField: 'license',
    repository: { url: 'https://github.com/babel/babel', directory: 'packages/babel-core' },
  },
  {
    name: 'lodash',
    version: '4.17.21',
    license: 'MIT',
    licenseField: 'license',
    repository: { url: 'https://github.com/lodash/lodash' },
  },
  {
    name: 'left-pad',
    version: '1.3.0',
    license: 'WTFPL',
    licenseField: 'license',
    repository: { url: 'https://github.com/stevemao/left-pad' },
    deprecatedUpstream: true,
  },
  {
    name: 'request',
    version: '2.88.2',
    license: 'Apache-2.0',
    licenseField: 'license',
    repository: { url: 'https://github.com/request/request' },
    deprecatedUpstream: true,
  },
  {
    name: '@types/node',
    version: '20.11.0',
    license: 'MIT',
    licenseField: 'license',
    repository: { url: 'https://github.com/DefinitelyTyped/DefinitelyTyped', directory: 'types/node' },
  },
  {
    // The legacy `licenses` array of two alternatives, read as a choice.
    name: 'json-schema',
    version: '0.2.3',
    license: '(AFLv2.1 OR BSD)',
    licenseField: 'licenses',
    repository: { url: 'https://github.com/kriszyp/json-schema' },
  },
];

let cacheDir: string;
const clients: ClosableHttpClient[] = [];

function newClient(): ClosableHttpClient {
  // The process environment is passed for HTTPS_PROXY / NO_PROXY only: the client reads nothing else from it.
  const client = createHttpClient({ cacheDir, userAgent: 'oss-inventory-live-test', env: process.env });
  clients.push(client);
  return client;
}

async function resolveAll(client: ClosableHttpClient): Promise<Map<string, NpmFactsResult>> {
  return resolveNpmFacts(PACKAGES, { client, npmrc: mergeNpmrc([], REGISTRY), now: new Date() });
}

function factsOf(results: Map<string, NpmFactsResult>, expected: Expected): NpmFacts {
  const result = results.get(npmFactsKey(expected.name, expected.version));
  if (!result?.ok) throw new Error(`${expected.name}@${expected.version}: ${result?.reason ?? 'no result'}`);
  expect(result.source).toEqual({ url: REGISTRY + escapeName(expected.name), document: 'packument' });
  return result.facts;
}

function seen(facts: NpmFacts): string {
  const deprecated =
    facts.deprecated === undefined ? 'not deprecated here' : `deprecated: "${facts.deprecated}"`;
  const maintainers =
    facts.maintainers === undefined ? 'no maintainers list' : `${facts.maintainers} maintainers`;
  return (
    `${facts.name}@${facts.version}: license ${JSON.stringify(facts.license)}; ${deprecated}; ${maintainers}; ` +
    `published ${facts.publishedAt}; latest ${facts.latest?.version} (${facts.latest?.publishedAt}); ` +
    `${facts.releasesLast12Months} releases in the last 12 months`
  );
}

describe('the npm registry, live', () => {
  let results: Map<string, NpmFactsResult>;

  beforeAll(async () => {
    cacheDir = await mkdtemp(path.join(tmpdir(), 'oss-inventory-live-registry-'));
    const client = newClient();
    results = await resolveAll(client);
    console.log(
      PACKAGES.map((p) => results.get(npmFactsKey(p.name, p.version))!)
        .map((r) => (r.ok ? seen(r.facts) : `failed: ${r.code}: ${r.reason}`))
        .concat(formatLedger(client.ledger()).map((line) => `network (cold): ${line}`))
        .join('\n'),
    );
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await rm(cacheDir, { recursive: true, force: true });
  });

  it('sends one packument request per name and receives every one', () => {
    const [entry, ...others] = clients[0]!.ledger();
    expect(others).toEqual([]);
    expect(entry).toMatchObject({
      host: 'registry.npmjs.org',
      sent: PACKAGES.length,
      failed: 0,
      fromCache: 0,
    });
    expect(entry!.bytes).toBeGreaterThan(0);
  });

  it.each(PACKAGES)('reads the license and repository of $name@$version', (expected) => {
    const facts = factsOf(results, expected);
    expect(facts.license).toEqual({
      status: 'declared',
      value: expected.license,
      field: expected.licenseField,
    });
    expect(facts.repository).toEqual(expected.repository);
  });

  it.each(PACKAGES)('reads dates that parse for $name@$version', (expected) => {
    const facts = factsOf(results, expected);
    expect(Number.isNaN(Date.parse(facts.publishedAt ?? ''))).toBe(false);
    expect(facts.latest?.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(Number.isNaN(Date.parse(facts.latest?.publishedAt ?? ''))).toBe(false);
    expect(facts.releasesLast12Months).toBeGreaterThanOrEqual(0);
  });

  it.each(PACKAGES)('keeps what the registry says of deprecation and maintainers for $name', (expected) => {
    const facts = factsOf(results, expected);
    // A mirror drops `deprecated` and `maintainers`: assert their shape only when they are there.
    if (facts.deprecated !== undefined) {
      expect(expected.deprecatedUpstream, `${expected.name} is not deprecated upstream`).toBe(true);
      expect(typeof facts.deprecated).toBe('string');
    }
    if (facts.maintainers !== undefined) expect(facts.maintainers).toBeGreaterThan(0);
  });

  it('answers a second run from the cache without a request', async () => {
    const client = newClient();
    const warm = await resolveAll(client);
    expect([...warm.values()].every((r) => r.ok)).toBe(true);
    expect(client.ledger()).toEqual([
      expect.objectContaining({ host: 'registry.npmjs.org', sent: 0, fromCache: PACKAGES.length }),
    ]);
    for (const expected of PACKAGES) {
      expect(factsOf(warm, expected)).toEqual(factsOf(results, expected));
    }
  });
});
