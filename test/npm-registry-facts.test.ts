import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  factsFromPackument,
  factsFromVersionDocument,
  fundingOf,
  licenseOf,
  normaliseRepositoryUrl,
  releasesInYearBefore,
  type FactsResult,
} from '../src/ecosystems/npm/registry/facts.js';

const registry = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/registry');
const NOW = new Date('2025-06-15T00:00:00.000Z');

function packument(name: string): unknown {
  return JSON.parse(readFileSync(path.join(registry, `${name}.json`), 'utf8'));
}

function facts(name: string, versions: string[], now = NOW): Record<string, FactsResult> {
  return Object.fromEntries(factsFromPackument(packument(name), name, versions, now));
}

describe('facts from the fixture packuments', () => {
  it('ms: a plain MIT package, the package maintainers, the latest tag and its date', () => {
    expect(facts('ms', ['2.1.3', '2.0.0'])).toEqual({
      '2.1.3': {
        ok: true,
        facts: {
          name: 'ms',
          version: '2.1.3',
          license: { status: 'declared', value: 'MIT', field: 'license' },
          repository: { url: 'https://github.com/vercel/ms' },
          maintainers: 2,
          funding: [],
          homepage: 'https://github.com/vercel/ms#readme',
          publishedAt: '2021-01-05T20:12:03.921Z',
          latest: { version: '2.1.3', publishedAt: '2021-01-05T20:12:03.921Z' },
          lastReleaseAt: '2024-09-10T08:01:37.002Z',
          releasesLast12Months: 1,
        },
      },
      '2.0.0': {
        ok: true,
        facts: {
          name: 'ms',
          version: '2.0.0',
          license: { status: 'declared', value: 'MIT', field: 'license' },
          repository: { url: 'https://github.com/vercel/ms' },
          maintainers: 2,
          funding: [],
          homepage: 'https://github.com/vercel/ms#readme',
          publishedAt: '2017-05-16T21:34:19.126Z',
          latest: { version: '2.1.3', publishedAt: '2021-01-05T20:12:03.921Z' },
          lastReleaseAt: '2024-09-10T08:01:37.002Z',
          releasesLast12Months: 1,
        },
      },
    });
  });

  it('ms: a dist-tag reads as the version it names, as `npm install ms@beta` does; an unknown tag is missing', () => {
    const found = facts('ms', ['latest', 'beta', 'nightly']);
    expect(found.latest).toEqual(facts('ms', ['2.1.3'])['2.1.3']);
    expect(found.beta).toMatchObject({ ok: true, facts: { version: '3.0.0-canary.1' } });
    expect(found.nightly).toMatchObject({ ok: false, missing: true });
  });

  it('@babel/code-frame: scoped, a monorepo directory, funding as an object', () => {
    expect(facts('@babel/code-frame', ['7.26.2'])['7.26.2']).toEqual({
      ok: true,
      facts: {
        name: '@babel/code-frame',
        version: '7.26.2',
        license: { status: 'declared', value: 'MIT', field: 'license' },
        repository: { url: 'https://github.com/babel/babel', directory: 'packages/babel-code-frame' },
        maintainers: 4,
        funding: ['https://opencollective.com/babel'],
        homepage: 'https://babel.dev/docs/en/next/babel-code-frame',
        publishedAt: '2024-10-30T14:07:20.539Z',
        latest: { version: '7.26.2', publishedAt: '2024-10-30T14:07:20.539Z' },
        lastReleaseAt: '2024-10-30T14:07:20.539Z',
        releasesLast12Months: 1,
      },
    });
  });

  it('json-schema: the legacy licenses array becomes (A OR B), one entry stays bare', () => {
    const found = facts('json-schema', ['0.2.2', '0.2.3', '0.4.0']);
    expect(Object.values(found).map((r) => r.ok && [r.facts.license, r.facts.repository])).toEqual([
      [
        { status: 'declared', value: 'BSD', field: 'licenses' },
        { url: 'https://github.com/kriszyp/json-schema' },
      ],
      [
        { status: 'declared', value: '(AFLv2.1 OR BSD)', field: 'licenses' },
        { url: 'https://github.com/kriszyp/json-schema' },
      ],
      [
        { status: 'declared', value: '(AFL-2.1 OR BSD-3-Clause)', field: 'license' },
        { url: 'https://github.com/kriszyp/json-schema' },
      ],
    ]);
  });

  it('buffer-crc32: license as {type, url}, a git:// repository', () => {
    const found = facts('buffer-crc32', ['0.2.13'])['0.2.13']!;
    expect(found.ok && [found.facts.license, found.facts.repository]).toEqual([
      { status: 'declared', value: 'MIT', field: 'license.type' },
      { url: 'https://github.com/brianloveswords/buffer-crc32' },
    ]);
  });

  it('@acme/widgets: SEE LICENSE IN is kept as declared, with the file it points to', () => {
    expect(facts('@acme/widgets', ['2.4.0'])['2.4.0']).toEqual({
      ok: true,
      facts: {
        name: '@acme/widgets',
        version: '2.4.0',
        license: {
          status: 'declared',
          value: 'SEE LICENSE IN LICENSE.md',
          field: 'license',
          seeLicenseIn: 'LICENSE.md',
        },
        repository: { url: 'https://gitlab.acme.example/frontend/widgets' },
        maintainers: 1,
        funding: [],
        publishedAt: '2025-05-20T10:00:00.000Z',
        latest: { version: '2.4.0', publishedAt: '2025-05-20T10:00:00.000Z' },
        lastReleaseAt: '2025-05-20T10:00:00.000Z',
        releasesLast12Months: 2,
      },
    });
  });

  it('indexof: an empty license is an explicit unknown', () => {
    expect(facts('indexof', ['0.0.1'])['0.0.1']).toEqual({
      ok: true,
      facts: {
        name: 'indexof',
        version: '0.0.1',
        license: {
          status: 'unknown',
          flag: 'empty',
          reason: '"license" is empty',
          raw: '',
          field: 'license',
        },
        maintainers: 1,
        funding: [],
        publishedAt: '2012-09-05T17:40:20.143Z',
        latest: { version: '0.0.1', publishedAt: '2012-09-05T17:40:20.143Z' },
        lastReleaseAt: '2012-09-05T17:40:20.143Z',
        releasesLast12Months: 0,
      },
    });
  });

  it('highcharts: an array is a choice of its usable names; a URL and an object without type are unknowns that keep the raw value', () => {
    const found = facts('highcharts', ['10.3.3', '11.4.8', '12.1.2']);
    expect(Object.values(found).map((r) => r.ok && r.facts.license)).toEqual([
      { status: 'declared', value: 'SEE LICENSE IN license.txt', field: 'license' },
      {
        status: 'unknown',
        flag: 'url',
        reason: '"license" is a URL, not a license name',
        raw: 'https://www.highcharts.com/license',
        field: 'license',
      },
      {
        status: 'unknown',
        flag: 'object',
        reason: '"license" is an object without a "type"',
        raw: '{"name":"Highsoft Standard License","url":"https://www.highcharts.com/license"}',
        field: 'license',
      },
    ]);
  });

  it('left-pad: the deprecation message of a deprecated version, none on the others', () => {
    const found = facts('left-pad', ['1.3.0', '1.2.0']);
    expect(Object.values(found).map((r) => r.ok && [r.facts.version, r.facts.deprecated])).toEqual([
      ['1.3.0', 'use String.prototype.padStart() instead'],
      ['1.2.0', undefined],
    ]);
  });

  it('left-pad: the latest version is deprecated, so an older version carries the deprecation of latest', () => {
    const found = facts('left-pad', ['1.2.0'])['1.2.0']!;
    expect(found.ok && [found.facts.deprecated, found.facts.latest, found.facts.lastReleaseAt]).toEqual([
      undefined,
      {
        version: '1.3.0',
        publishedAt: '2018-04-09T01:33:11.452Z',
        deprecated: 'use String.prototype.padStart() instead',
      },
      '2018-04-09T01:33:11.452Z',
    ]);
  });

  it('a package unpublished as a whole: time.unpublished and no versions, with when', () => {
    expect(facts('gone-package', ['1.0.0'])).toEqual({
      '1.0.0': {
        ok: false,
        reason: 'the package was unpublished from the registry on 2024-03-01T12:00:00.000Z',
        unpublished: { at: '2024-03-01T12:00:00.000Z' },
      },
    });
  });

  it('the last publication is the newest version still listed: a newer unpublished one is left out', () => {
    const document = {
      name: 'p',
      'dist-tags': { latest: '1.0.0' },
      versions: { '1.0.0': { name: 'p', version: '1.0.0' } },
      time: {
        created: '2020-01-01T00:00:00.000Z',
        modified: '2025-01-01T00:00:00.000Z',
        '1.0.0': '2020-01-01T00:00:00.000Z',
        '1.1.0': '2023-05-01T00:00:00.000Z',
      },
    };
    const found = factsFromPackument(document, 'p', ['1.0.0'], NOW).get('1.0.0')!;
    expect(found.ok && found.facts.lastReleaseAt).toBe('2020-01-01T00:00:00.000Z');
  });

  it('is-number: repository shorthands, funding as a string', () => {
    const found = facts('is-number', ['6.0.0', '7.0.0']);
    expect(Object.values(found).map((r) => r.ok && [r.facts.repository, r.facts.funding])).toEqual([
      [{ url: 'https://github.com/jonschlinkert/is-number' }, ['https://github.com/sponsors/jonschlinkert']],
      [{ url: 'https://github.com/jonschlinkert/is-number' }, ['https://github.com/sponsors/jonschlinkert']],
    ]);
  });

  it('fastify: funding arrays of objects and strings, duplicates dropped', () => {
    const found = facts('fastify', ['4.28.1', '5.2.1']);
    expect(Object.values(found).map((r) => r.ok && [r.facts.funding, r.facts.maintainers])).toEqual([
      [['https://github.com/sponsors/fastify', 'https://opencollective.com/fastify'], 5],
      [['https://github.com/sponsors/fastify', 'https://opencollective.com/fastify'], 5],
    ]);
  });

  it('pino: releases in the 12 months up to now, unpublished versions included, created/modified excluded', () => {
    const found = facts('pino', ['9.3.0'])['9.3.0']!;
    expect(
      found.ok && [found.facts.releasesLast12Months, found.facts.latest, found.facts.publishedAt],
    ).toEqual([8, { version: '9.7.0', publishedAt: '2025-06-15T00:00:00.000Z' }, '2024-06-15T00:00:00.000Z']);
    expect(facts('pino', ['9.3.0'], new Date('2026-06-16T00:00:00.000Z'))['9.3.0']).toMatchObject({
      facts: { releasesLast12Months: 0 },
    });
  });

  it('pino: an unpublished version and a version that never existed have different reasons', () => {
    expect(facts('pino', ['9.2.1', '1.2.3'])).toEqual({
      '9.2.1': {
        ok: false,
        reason: 'version 9.2.1 was unpublished from the registry',
        missing: true,
        unpublished: {},
      },
      '1.2.3': {
        ok: false,
        reason: 'version 1.2.3 is not in the registry (the packument does not list it)',
        missing: true,
      },
    });
  });

  it('versions-array: a wrong-shape packument is a reason for every version asked', () => {
    expect(facts('versions-array', ['1.0.0', '2.0.0'])).toEqual({
      '1.0.0': { ok: false, reason: 'the packument\'s "versions" is an array, not an object' },
      '2.0.0': { ok: false, reason: 'the packument\'s "versions" is an array, not an object' },
    });
  });
});

describe('the 12-month window', () => {
  const now = new Date('2025-06-15T00:00:00.000Z');

  it('counts [now - 12 months, now], both ends included', () => {
    const time = {
      created: '2025-01-01T00:00:00.000Z',
      modified: '2025-06-01T00:00:00.000Z',
      '1.0.0': '2024-06-14T23:59:59.999Z',
      '1.0.1': '2024-06-15T00:00:00.000Z',
      '1.0.2': '2025-06-15T00:00:00.000Z',
      '1.0.3': '2025-06-15T00:00:00.001Z',
      '1.0.4': 'not a date',
      '1.0.5': 17,
    };
    expect(releasesInYearBefore(time, now)).toBe(2);
  });

  it('uses calendar months: on 29 February the window starts on 1 March of the year before', () => {
    const leap = new Date('2024-02-29T12:00:00.000Z');
    expect(releasesInYearBefore({ a: '2023-02-28T12:00:00.000Z', b: '2023-03-01T12:00:00.000Z' }, leap)).toBe(
      1,
    );
  });
});

describe('license shapes', () => {
  const cases: [string, Record<string, unknown>, unknown][] = [
    ['a plain id', { license: 'Apache-2.0' }, { status: 'declared', value: 'Apache-2.0', field: 'license' }],
    ['padded', { license: '  MIT  ' }, { status: 'declared', value: 'MIT', field: 'license' }],
    ['UNLICENSED', { license: 'UNLICENSED' }, { status: 'declared', value: 'UNLICENSED', field: 'license' }],
    [
      'SEE LICENCE IN (British spelling)',
      { license: 'SEE LICENCE IN ./COPYING' },
      { status: 'declared', value: 'SEE LICENCE IN ./COPYING', field: 'license', seeLicenseIn: './COPYING' },
    ],
    ['{type}', { license: { type: 'ISC' } }, { status: 'declared', value: 'ISC', field: 'license.type' }],
    [
      'license wins over licenses',
      { license: 'MIT', licenses: [{ type: 'GPL-2.0' }] },
      { status: 'declared', value: 'MIT', field: 'license' },
    ],
    [
      'licenses of strings and compound entries',
      {
        licenses: [
          'MIT',
          { type: 'GPL-2.0 OR GPL-3.0' },
          { url: 'https://x.example/' },
          'https://y.example/',
        ],
      },
      { status: 'declared', value: '(MIT OR (GPL-2.0 OR GPL-3.0))', field: 'licenses' },
    ],
    [
      'licenses as one object',
      { licenses: { type: 'BSD-2-Clause' } },
      { status: 'declared', value: 'BSD-2-Clause', field: 'licenses' },
    ],
    [
      'licenses with nothing usable',
      { licenses: [{ url: 'https://x.example/' }] },
      {
        status: 'unknown',
        flag: 'array',
        reason: '"licenses" holds no usable license name',
        raw: '[{"url":"https://x.example/"}]',
        field: 'licenses',
      },
    ],
    [
      'a number',
      { license: 42 },
      {
        status: 'unknown',
        flag: 'not-a-string',
        reason: '"license" is a number',
        raw: '42',
        field: 'license',
      },
    ],
    [
      'null',
      { license: null },
      { status: 'unknown', flag: 'not-a-string', reason: '"license" is null', raw: 'null', field: 'license' },
    ],
    [
      'a URL in {type}',
      { license: { type: 'www.example.com/license' } },
      {
        status: 'unknown',
        flag: 'url',
        reason: '"license.type" is a URL, not a license name',
        raw: 'www.example.com/license',
        field: 'license.type',
      },
    ],
    [
      'an array of names in "license" (old packages): a choice',
      { license: ['MIT', 'Apache2'] },
      { status: 'declared', value: '(MIT OR Apache2)', field: 'license' },
    ],
    [
      'an array in "license" with nothing usable',
      { license: ['', 42] },
      {
        status: 'unknown',
        flag: 'array',
        reason: '"license" holds no usable license name',
        raw: '["",42]',
        field: 'license',
      },
    ],
    [
      'none',
      {},
      { status: 'unknown', flag: 'missing', reason: 'the registry declares no license for this version' },
    ],
  ];
  it.each(cases)('%s', (_label, doc, expected) => {
    expect(licenseOf(doc)).toEqual(expected);
  });

  it('clips a huge raw value', () => {
    const fact = licenseOf({ license: { name: 'x'.repeat(10_000) } });
    expect(fact.status === 'unknown' && fact.raw!.length).toBe(201);
  });
});

describe('repository and funding shapes', () => {
  it.each([
    ['git+https://github.com/o/r.git', 'https://github.com/o/r'],
    ['https://github.com/o/r', 'https://github.com/o/r'],
    ['git://github.com/o/r.git', 'https://github.com/o/r'],
    ['git+ssh://git@github.com/o/r.git', 'https://github.com/o/r'],
    ['git+ssh://git@github.com:o/r.git', 'https://github.com/o/r'],
    ['ssh://git@git.example.org:2222/team/r.git', 'https://git.example.org/team/r'],
    ['git@github.com:o/r.git', 'https://github.com/o/r'],
    ['github:o/r', 'https://github.com/o/r'],
    ['gitlab:group/r#main', 'https://gitlab.com/group/r'],
    ['bitbucket:o/r', 'https://bitbucket.org/o/r'],
    ['gist:11081aaa281', 'https://gist.github.com/11081aaa281'],
    ['o/r', 'https://github.com/o/r'],
    ['https://GitHub.com/o/r/', 'https://github.com/o/r'],
    ['not a repository', 'not a repository'],
  ])('%s → %s', (input, expected) => {
    expect(normaliseRepositoryUrl(input)).toBe(expected);
  });

  it('ignores empty and non-string URLs', () => {
    expect(normaliseRepositoryUrl('')).toBeUndefined();
    expect(normaliseRepositoryUrl({ url: 'x' })).toBeUndefined();
  });

  it('reads funding in every documented form and drops the rest', () => {
    expect(fundingOf('https://a.example/')).toEqual(['https://a.example/']);
    expect(fundingOf({ type: 'patreon', url: 'https://b.example/' })).toEqual(['https://b.example/']);
    expect(
      fundingOf(['https://a.example/', { url: 'https://b.example/' }, 7, null, { type: 'x' }, '']),
    ).toEqual(['https://a.example/', 'https://b.example/']);
    expect(fundingOf(undefined)).toEqual([]);
    expect(fundingOf(42)).toEqual([]);
  });
});

describe('documents of the wrong shape', () => {
  const now = NOW;
  const reasonOf = (doc: unknown, name = 'p', version = '1.0.0') =>
    factsFromPackument(doc, name, [version], now).get(version);

  it.each([
    ['an array', [], 'the packument is not a JSON object'],
    ['null', null, 'the packument is not a JSON object'],
    ['a string', 'Not found', 'the packument is not a JSON object'],
    ['no versions', { name: 'p' }, 'the packument\'s "versions" is absent, not an object'],
    [
      'time as an array',
      { name: 'p', versions: {}, time: [] },
      'the packument\'s "time" is an array, not an object',
    ],
    [
      'dist-tags as a string',
      { name: 'p', versions: {}, 'dist-tags': 'latest' },
      'the packument\'s "dist-tags" is a string, not an object',
    ],
    ['another package', { name: 'q', versions: {} }, 'the registry answered with the packument of "q"'],
    [
      'a version that is a string',
      { versions: { '1.0.0': 'x' } },
      'the document of version 1.0.0 is not an object',
    ],
    [
      'a version document of another version',
      { versions: { '1.0.0': { version: '2.0.0' } } },
      'the registry answered with version "2.0.0"',
    ],
  ])('%s', (_label, doc, reason) => {
    expect(reasonOf(doc)).toEqual({ ok: false, reason });
  });

  it('reads hostile keys as data: __proto__, constructor, toString', () => {
    const doc: unknown = JSON.parse(
      '{"name":"p","versions":{"__proto__":{"version":"__proto__","license":"MIT"}},' +
        '"dist-tags":{"latest":"__proto__"},"time":{"__proto__":"2025-01-01T00:00:00.000Z","constructor":"x"}}',
    );
    const found = factsFromPackument(doc, 'p', ['__proto__', 'constructor', 'toString'], now);
    expect(found.get('__proto__')).toMatchObject({
      ok: true,
      facts: {
        license: { status: 'declared', value: 'MIT' },
        publishedAt: '2025-01-01T00:00:00.000Z',
        latest: { version: '__proto__', publishedAt: '2025-01-01T00:00:00.000Z' },
        releasesLast12Months: 1,
      },
    });
    expect(found.get('constructor')).toMatchObject({ ok: false, missing: true });
    expect(found.get('toString')).toMatchObject({ ok: false, missing: true });
    expect(({} as Record<string, unknown>).license).toBeUndefined();
  });

  it('reads a version document with no dates', () => {
    const doc = (packument('ms') as { versions: Record<string, unknown> }).versions['2.1.3'];
    expect(factsFromVersionDocument(doc, 'ms', '2.1.3')).toEqual({
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
    });
    expect(factsFromVersionDocument([], 'ms', '2.1.3')).toEqual({
      ok: false,
      reason: 'the version document is not a JSON object',
    });
  });

  it('extracts a large packument in linear time', () => {
    const versions: Record<string, unknown> = {};
    const time: Record<string, string> = {};
    for (let i = 0; i < 20_000; i++) {
      versions[`1.0.${i}`] = { version: `1.0.${i}`, license: 'MIT', maintainers: [{ name: 'a' }] };
      time[`1.0.${i}`] = new Date(Date.UTC(2020, 0, 1) + i * 3_600_000).toISOString();
    }
    const wanted = Object.keys(versions).slice(0, 5_000);
    const started = performance.now();
    const found = factsFromPackument({ name: 'big', versions, time, maintainers: [] }, 'big', wanted, now);
    const ms = performance.now() - started;
    expect(found.size).toBe(5_000);
    expect([...found.values()].every((r) => r.ok)).toBe(true);
    expect(ms).toBeLessThan(1_000);
  });
});
