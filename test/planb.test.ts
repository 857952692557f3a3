import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { fixLines } from '../src/check/describe.js';
import type { Component, Health, HealthClass, RegistryFacts } from '../src/core/model.js';
import {
  assignPlanB,
  deprecationHints,
  indexPlanBRules,
  planBTargets,
  publishedNameKey,
  targetKey,
  type PlanBKnowledge,
  type TargetFacts,
} from '../src/core/planb.js';
import { evaluatePolicy } from '../src/core/policy.js';
import { loadPlanBKnowledge, readPlanBCatalog } from '../src/pipeline/planb.js';
import { renderCycloneDxJson } from '../src/reporters/cyclonedx.js';
import { inventorySchemaErrors } from './helpers/inventory-schema.js';
import { CATEGORIES, component, inventoryOf, policyOf, usage } from './helpers/policy-inventory.js';

function health(cls: HealthClass, codes: string[] = []): Health {
  return {
    class: cls,
    reasons: codes.map((code) => ({ code, message: code })),
    score: 0,
    priority: 1,
    exposure: { projects: 2, directProjects: 1, runtimeProjects: 2, devOnly: false },
    assessedAt: '2026-01-15T10:00:00.000Z',
  };
}

function registry(extra: Partial<RegistryFacts>): RegistryFacts {
  return { status: 'found', document: 'https://registry.npmjs.org/x', funding: [], ...extra };
}

function sick(purl: string, cls: HealthClass, extra: Partial<Component> = {}, license = 'MIT'): Component {
  const used = usage('acme:.', ['runtime'], { path: ['acme@1.0.0', `x@1.0.0`] });
  return {
    ...component(purl, license, [used]),
    health: health(cls, cls === 'EOL' ? ['deprecated'] : []),
    ...extra,
  };
}

// Our catalog alone: the module-replacements manifests have their own test (test/planb-replacements.test.ts).
const SHIPPED: PlanBKnowledge = { ...loadPlanBKnowledge().knowledge, replacements: undefined };
const EMPTY: PlanBKnowledge = {
  decisions: indexPlanBRules('configuration', [], 'owner').rules,
  catalog: indexPlanBRules('test', [], 'citation').rules,
};

function planOf(c: Component, knowledge = SHIPPED, others: Component[] = []) {
  return assignPlanB(inventoryOf([c, ...others]), knowledge).components[0]!.planB!;
}

function names(message: string, own = 'old-pkg'): string[] {
  return deprecationHints(message, own).map((h) =>
    h.kind === 'package' ? h.name : h.kind === 'native' ? `native: ${h.label}` : 'remove',
  );
}

describe('deprecation messages', () => {
  it('reads the common phrasings of real messages', () => {
    expect(names('Node Sass is no longer supported. Please use `sass` or `sass-embedded` instead.')).toEqual([
      'sass',
      'sass-embedded',
    ]);
    expect(
      names('This package has been deprecated and is no longer maintained. Please use @rollup/plugin-babel.'),
    ).toEqual(['@rollup/plugin-babel']);
    expect(
      names('babel-eslint is now @babel/eslint-parser. This package will no longer receive updates.'),
    ).toEqual(['@babel/eslint-parser']);
    expect(names('This functionality has been moved to @npmcli/fs')).toEqual(['@npmcli/fs']);
    expect(names('Package renamed to new-name.')).toEqual(['new-name']);
    expect(names('CircularJSON is in maintenance only, flatted is its successor.')).toEqual(['flatted']);
    expect(names('This package has been replaced by @scope/next')).toEqual(['@scope/next']);
    expect(names('Deprecated in favor of `undici`')).toEqual(['undici']);
    expect(names("Switch to 'npm install joi'")).toEqual(['joi']);
    expect(names('Merged into tsx: https://tsx.is')).toEqual(['tsx']);
    expect(names('Use @eslint/config-array instead')).toEqual(['@eslint/config-array']);
    expect(
      names('You can find the new Popper v2 at @popperjs/core, this package is dedicated to the legacy v1'),
    ).toEqual(['@popperjs/core']);
    expect(
      names(
        'This module is no longer maintained, try this instead:\n  npm i nyc\nVisit https://istanbul.js.org/integrations',
      ),
    ).toEqual(['nyc']);
    expect(names('Use uuid module instead', 'node-uuid')).toEqual(['uuid']);
    expect(names('now at @new/home')).toEqual(['@new/home']);
  });

  it('names platform features and types stubs', () => {
    expect(
      names('The querystring API is considered Legacy. new code should use the URLSearchParams API instead.'),
    ).toEqual(['native: URLSearchParams API']);
    expect(names("Use your platform's native DOMException instead")).toEqual(['native: DOMException']);
    expect(names("This package is deprecated. Use require('node:util').isDeepStrictEqual instead.")).toEqual([
      "native: require('node:util').isDeepStrictEqual",
    ]);
    expect(names('This is a stub types definition. lru-cache provides its own type definitions.')).toEqual([
      'remove',
    ]);
  });

  it('names nothing when the message names no package', () => {
    expect(names('request has been deprecated, see https://github.com/request/request/issues/3142')).toEqual(
      [],
    );
    expect(
      names(
        '🚨 This package has been deprecated in favor of separate inclusion of a polyfill and regenerator-runtime (when needed).',
      ),
    ).toEqual([]);
    expect(
      names(
        'TSLint has been deprecated in favor of ESLint. Please see https://github.com/palantir/tslint/issues/4534',
      ),
    ).toEqual([]);
    expect(names('this library is no longer supported')).toEqual([]);
    expect(names('Please upgrade  to version 7 or higher.', 'uuid')).toEqual([]);
    expect(
      names('Legacy versions of mkdirp are no longer supported. Please update to mkdirp 1.x.', 'mkdirp'),
    ).toEqual([]);
  });

  it('takes no common word after a name, some of which are npm packages themselves (is, will)', () => {
    expect(names('renamed to foo-next and is no longer maintained')).toEqual(['foo-next']);
    expect(names('moved to @acme/fetcher and will not be updated')).toEqual(['@acme/fetcher']);
    expect(names('This package is now deprecated')).toEqual([]);
    expect(names('please use the `uuid` module instead; it is now maintained')).toEqual(['uuid']);
    expect(names('Use got or axios and stop using request')).toEqual(['got', 'axios']);
    // "and" joins names when what follows can only be one
    expect(names('Use lodash.get and lodash.set instead')).toEqual(['lodash.get', 'lodash.set']);
    expect(names('moved to x-y and @scope/z')).toEqual(['x-y', '@scope/z']);
    expect(names('use use-foo instead')).toEqual(['use-foo']);
  });
});

describe('plan B sources', () => {
  it('takes a Maven relocation as authoritative', () => {
    const c = sick('pkg:maven/acme/old-lib@1.0', 'EOL', {
      mavenRepository: {
        status: 'found',
        document: 'https://repo/acme/old-lib/maven-metadata.xml',
        versions: 3,
        relocation: { groupId: 'org.acme', artifactId: 'new-lib', message: 'moved' },
      },
    });
    const plan = planOf(c, EMPTY);
    expect(plan.status).toBe('options');
    expect(plan.options[0]).toMatchObject({
      kind: 'successor',
      target: 'pkg:maven/org.acme/new-lib',
      confidence: 'authoritative',
      source: 'maven relocation',
    });
    expect(plan.options[0]!.evidence).toContain('org.acme:new-lib');
  });

  it('takes the npm deprecation message and the upgrade to a latest that is not deprecated', () => {
    const message = 'Node Sass is no longer supported. Please use `sass` or `sass-embedded` instead.';
    const c = sick('pkg:npm/node-sass@4.14.1', 'EOL', {
      registry: registry({ deprecated: message, latest: { version: '9.0.0', deprecated: message } }),
    });
    const plan = planOf(c, EMPTY);
    expect(plan.options.map((o) => `${o.kind} ${o.target} ${o.confidence}`)).toEqual([
      'successor pkg:npm/sass authoritative',
      'alternative pkg:npm/sass-embedded authoritative',
    ]);
    const uuid = sick('pkg:npm/uuid@3.4.0', 'EOL', {
      registry: registry({
        deprecated: 'Please upgrade  to version 7 or higher.',
        latest: { version: '11.0.5' },
      }),
    });
    expect(planOf(uuid, EMPTY).options[0]).toMatchObject({ kind: 'upgrade', target: 'pkg:npm/uuid@11.0.5' });
  });

  it('matches the catalog with its version ranges, for healthy components too', () => {
    expect(planOf(sick('pkg:npm/core-js@2.6.12', 'MAINTAINED')).options[0]).toMatchObject({
      kind: 'upgrade',
      confidence: 'curated',
      source: 'data/planb-catalog.yaml',
    });
    expect(planOf(sick('pkg:npm/core-js@3.40.0', 'MAINTAINED'))).toEqual({
      status: 'not-needed',
      options: [],
    });
    const log4j = planOf(sick('pkg:maven/log4j/log4j@1.2.17', 'EOL'));
    expect(log4j.options.map((o) => o.target)).toEqual([
      'pkg:maven/ch.qos.reload4j/reload4j',
      'pkg:maven/org.apache.logging.log4j/log4j-core',
    ]);
    expect(log4j.options[0]!.evidence).toBe(citationOf('pkg:maven/log4j/log4j'));
    expect(planOf(sick('pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1', 'HEALTHY')).status).toBe(
      'options',
    );
    expect(planOf(sick('pkg:maven/org.apache.logging.log4j/log4j-core@2.24.1', 'HEALTHY')).status).toBe(
      'not-needed',
    );
  });

  it("puts the organisation's decision first, with its source, over the catalog", () => {
    const { knowledge: loaded, problems } = loadPlanBKnowledge({
      decisions: [
        {
          purl: 'pkg:npm/moment',
          reason: 'Our standard date library',
          owner: 'platform-team',
          options: [{ kind: 'alternative', target: 'pkg:npm/dayjs', effort: 'low' }],
        },
        { purl: 'pkg:npm/bad', reason: 'x', owner: 'y', options: [{ kind: 'successor' }] },
      ],
    });
    expect(problems.map((p) => p.message)).toEqual([
      'configuration: planB.decisions[1] is left out: options[0].target: a successor names the package to use, as a purl',
    ]);
    const knowledge: PlanBKnowledge = { ...loaded, replacements: undefined };
    const plan = planOf(sick('pkg:npm/moment@2.29.4', 'MAINTAINED'), knowledge);
    expect(plan.options[0]).toMatchObject({
      target: 'pkg:npm/dayjs',
      source: 'configuration (planB.decisions[0])',
      evidence: 'Our standard date library (owner: platform-team)',
    });
    // the catalog's dayjs is the same target: shown once, the decision's
    expect(plan.options.map((o) => o.target)).toEqual(['pkg:npm/dayjs', 'pkg:npm/luxon', 'pkg:npm/date-fns']);
  });

  it('drops a dead target, flags an unhealthy one and another license family', () => {
    const request = sick('pkg:npm/request@2.88.2', 'EOL');
    const forkDead = {
      ...sick('pkg:npm/%40cypress/request@3.0.1', 'EOL'),
      health: health('EOL', ['repository-archived']),
    };
    const undici = sick('pkg:npm/undici@6.0.0', 'AT_RISK');
    const got = sick('pkg:npm/got@14.0.0', 'HEALTHY', {}, 'GPL-3.0-only');
    got.license.category = 'strong-copyleft';
    request.license.category = 'permissive';
    undici.license.category = 'permissive';
    const plan = planOf(request, SHIPPED, [forkDead, undici, got]);
    expect(plan.options.map((o) => `${o.target ?? o.label} ${(o.flags ?? []).join(',')}`)).toEqual([
      'pkg:npm/undici target-unhealthy',
      'pkg:npm/got license-family-differs',
      'fetch (Node.js 18 and later) ',
    ]);
  });

  it('offers survival plans when nothing else fits, funding only when listed', () => {
    const plain = planOf(sick('pkg:npm/obscure@1.0.0', 'ABANDONED'), EMPTY);
    expect(plain.status).toBe('none-found');
    expect(plain.options.map((o) => `${o.kind} ${o.confidence} ${o.effort}`)).toEqual([
      'survive suggested low',
      'survive suggested high',
      'survive suggested medium',
    ]);
    expect(plain.options[0]!.evidence).toBe('ABANDONED; the exposure is in its health');
    const funded = planOf(
      sick('pkg:npm/obscure@1.0.0', 'AT_RISK', {
        registry: registry({ funding: ['https://opencollective.com/x'] }),
      }),
      EMPTY,
    );
    expect(funded.options.at(-1)!.label).toBe('fund the maintainers: https://opencollective.com/x');
    expect(planOf(sick('pkg:npm/fine@1.0.0', 'HEALTHY'), EMPTY)).toEqual({
      status: 'not-needed',
      options: [],
    });
  });
});

describe('plan-B targets outside the inventory, against what their registries say', () => {
  const catalog = indexPlanBRules(
    'test',
    [
      {
        purl: 'pkg:npm/old-http',
        reason: 'unmaintained',
        citation: 'https://example.org/old-http',
        options: ['gone', 'deprecated', 'relocated', 'stale', 'copyleft', 'unanswered', 'fine'].map((n) => ({
          kind: 'alternative',
          target: `pkg:npm/${n}-http`,
        })),
      },
    ],
    'citation',
  ).rules;
  const found = (extra: Partial<Extract<TargetFacts, { status: 'found' }>> = {}): TargetFacts => ({
    status: 'found',
    document: 'https://registry.npmjs.org/x',
    version: '2.0.0',
    lastReleaseAt: '2025-11-01T00:00:00.000Z',
    license: { expression: 'MIT', category: 'permissive' },
    ...extra,
  });
  const targets = new Map<string, TargetFacts>([
    [
      targetKey('npm', 'gone-http'),
      { status: 'not-found', reason: 'gone-http is not in the registry (404)' },
    ],
    [targetKey('npm', 'deprecated-http'), found({ deprecated: 'no longer maintained' })],
    [targetKey('npm', 'relocated-http'), found({ relocatedTo: 'pkg:npm/elsewhere' })],
    [targetKey('npm', 'stale-http'), found({ lastReleaseAt: '2022-01-01T00:00:00.000Z' })],
    [
      targetKey('npm', 'copyleft-http'),
      found({ license: { expression: 'GPL-3.0-only', category: 'strong-copyleft' } }),
    ],
    [targetKey('npm', 'unanswered-http'), { status: 'unknown', reason: 'offline' }],
    [targetKey('npm', 'fine-http'), found()],
  ]);
  const abandoned = sick('pkg:npm/old-http@1.0.0', 'ABANDONED');
  const old: Component = { ...abandoned, license: { ...abandoned.license, category: 'permissive' } };

  it('asks the registry for an npm name in the case it was written, and knows it held in any case', () => {
    const decisions = indexPlanBRules(
      'configuration',
      [
        {
          purl: 'pkg:npm/old-http',
          reason: 'ours',
          owner: 'team',
          options: [
            { kind: 'alternative', target: 'pkg:npm/JSONStream' },
            { kind: 'alternative', target: 'pkg:npm/%40Acme/Widget' },
          ],
        },
      ],
      'owner',
    ).rules;
    const draft = assignPlanB(inventoryOf([old]), { ...EMPTY, decisions });
    expect(planBTargets(draft).map((t) => [t.name, t.key])).toEqual([
      ['JSONStream', 'npm/jsonstream@'],
      ['@Acme/Widget', 'npm/@acme/widget@'],
    ]);
    const held = { ...sick('pkg:npm/JSONStream@1.3.5', 'HEALTHY'), name: 'JSONStream' };
    const withHeld = assignPlanB(inventoryOf([old, held]), { ...EMPTY, decisions });
    expect(planBTargets(withHeld).map((t) => t.name)).toEqual(['@Acme/Widget']);
  });

  it('lists the targets to ask about once each, not those the inventory holds', () => {
    const held = sick('pkg:npm/fine-http@2.0.0', 'HEALTHY');
    const draft = assignPlanB(inventoryOf([old, held]), { ...EMPTY, catalog });
    expect(planBTargets(draft).map((t) => t.key)).toEqual(
      ['gone', 'deprecated', 'relocated', 'stale', 'copyleft', 'unanswered'].map((n) => `npm/${n}-http@`),
    );
  });

  it('drops the unpublished, deprecated and relocated ones; flags the stale one and another license family', () => {
    const plan = planOf(old, { ...EMPTY, catalog, targets });
    expect(plan.options.map((o) => [o.target, o.targetLicense, o.flags])).toEqual([
      ['pkg:npm/stale-http', 'MIT', ['target-unhealthy']],
      ['pkg:npm/copyleft-http', 'GPL-3.0-only', ['license-family-differs']],
      ['pkg:npm/unanswered-http', undefined, undefined],
      ['pkg:npm/fine-http', 'MIT', undefined],
    ]);
  });

  it("keeps an organisation's decision naming a dead target, with the flag that says why", () => {
    const decisions = indexPlanBRules(
      'configuration',
      [
        {
          purl: 'pkg:npm/old-http',
          reason: 'our choice',
          owner: 'platform team',
          options: [
            { kind: 'alternative', target: 'pkg:npm/gone-http' },
            { kind: 'alternative', target: 'pkg:npm/deprecated-http' },
          ],
        },
      ],
      'owner',
    ).rules;
    const plan = planOf(old, { ...EMPTY, decisions, targets });
    expect(plan.options.map((o) => [o.target, o.flags])).toEqual([
      ['pkg:npm/gone-http', ['target-not-found']],
      ['pkg:npm/deprecated-http', ['target-end-of-life']],
    ]);
  });

  it('never suggests in a check message a target whose license the policy refuses too', () => {
    const inventory = assignPlanB(
      inventoryOf([sick('pkg:npm/old-http@1.0.0', 'ABANDONED', {}, 'GPL-3.0-only')]),
      {
        ...EMPTY,
        catalog: indexPlanBRules(
          'test',
          [
            {
              purl: 'pkg:npm/old-http',
              reason: 'unmaintained',
              citation: 'https://example.org/old-http',
              options: [
                { kind: 'alternative', target: 'pkg:npm/copyleft-http' },
                { kind: 'alternative', target: 'pkg:npm/fine-http' },
              ],
            },
          ],
          'citation',
        ).rules,
        targets,
      },
    );
    const result = evaluatePolicy(inventory, policyOf('licenses:\n  deny: [GPL-3.0-only]\n'), {
      now: new Date('2026-01-15T10:00:00Z'),
      categories: CATEGORIES,
    });
    expect(result.violations[0]!.planB).toEqual({
      target: 'pkg:npm/fine-http',
      confidence: 'curated',
      license: 'MIT',
      evidence: 'https://example.org/old-http',
    });
    // an organisation's decision naming a target its registry does not have is kept, but never suggested
    const decided = assignPlanB(
      inventoryOf([sick('pkg:npm/old-http@1.0.0', 'ABANDONED', {}, 'GPL-3.0-only')]),
      {
        ...EMPTY,
        decisions: indexPlanBRules(
          'configuration',
          [
            {
              purl: 'pkg:npm/old-http',
              reason: 'ours',
              owner: 'team',
              options: [{ kind: 'alternative', target: 'pkg:npm/gone-http' }],
            },
          ],
          'owner',
        ).rules,
        targets,
      },
    );
    const policy = policyOf('licenses:\n  deny: [GPL-3.0-only]\n');
    const checked = evaluatePolicy(decided, policy, {
      now: new Date('2026-01-15T10:00:00Z'),
      categories: CATEGORIES,
    });
    expect(decided.components[0]!.planB!.options[0]!.flags).toEqual(['target-not-found']);
    expect(checked.violations[0]!.planB).toBeUndefined();
    expect(fixLines(result.violations[0]!, 'policy.yaml')[0]).toMatch(
      /^use pkg:npm\/fine-http \(curated, MIT, https:\/\/example\.org\/old-http\) instead; /,
    );
  });
});

describe('a new name published from the same source folder (inferred)', () => {
  const babel = {
    url: 'https://github.com/babel/babel',
    host: 'github.com',
    owner: 'babel',
    name: 'babel',
    directory: 'packages/babel-core',
    confidence: 'high' as const,
    from: 'npm repository',
  };
  const core = sick('pkg:npm/babel-core@6.26.3', 'EOL', { sourceRepository: babel });
  const key = publishedNameKey(core)!;
  const manifest = 'https://github.com/babel/babel/blob/HEAD/packages/babel-core/package.json';
  const found = (repository?: string): TargetFacts => ({
    status: 'found',
    document: 'https://registry.npmjs.org/@babel%2fcore',
    version: '7.26.0',
    ...(repository ? { repository } : {}),
  });
  const knowledge = (
    repository: string | undefined,
    published = { purl: 'pkg:npm/%40babel/core', manifest },
  ) => ({
    ...EMPTY,
    publishedNames: new Map([[key, published]]),
    targets: new Map([[targetKey('npm', '@babel/core'), found(repository)]]),
  });

  it('reads the key from the repository and the folder', () => {
    expect(key).toBe('github.com/babel/babel:packages/babel-core/package.json');
  });

  it('offers the name the manifest at HEAD gives, when the registry says it comes from that repository', () => {
    expect(planOf(core, knowledge('https://github.com/babel/babel')).options[0]).toEqual({
      kind: 'successor',
      target: 'pkg:npm/%40babel/core',
      confidence: 'inferred',
      source: 'source repository',
      evidence: `${manifest} names pkg:npm/%40babel/core at HEAD: its source folder publishes under that name now`,
    });
  });

  it('drops a package of that name published from another repository, unless GitHub says the repository moved there', () => {
    expect(planOf(core, knowledge('https://github.com/someone/else')).status).toBe('none-found');
    const moved = { purl: 'pkg:npm/%40babel/core', manifest, repository: 'github.com/someone/else' };
    expect(planOf(core, knowledge('https://github.com/someone/else', moved)).status).toBe('options');
  });

  it("drops it when its registry did not answer, or declares no repository: it may be anyone's", () => {
    expect(planOf(core, knowledge(undefined)).status).toBe('none-found');
    const unanswered = {
      ...knowledge('https://github.com/babel/babel'),
      targets: new Map([
        [targetKey('npm', '@babel/core'), { status: 'unknown' as const, reason: 'offline' }],
      ]),
    };
    expect(planOf(core, unanswered).status).toBe('none-found');
  });

  it('never offers the component itself when the folder is shared', () => {
    const self = { purl: 'pkg:npm/babel-core', manifest };
    expect(planOf(core, { ...EMPTY, publishedNames: new Map([[key, self]]) }).status).toBe('none-found');
  });
});

describe('plan B in the outputs', () => {
  const c = sick('pkg:npm/node-sass@4.14.1', 'EOL', {}, 'GPL-3.0-only');
  const inventory = assignPlanB(inventoryOf([c]), SHIPPED);

  it('is valid in the inventory schema and written as CycloneDX properties', () => {
    expect(inventorySchemaErrors(inventory)).toEqual([]);
    const bom = JSON.parse(renderCycloneDxJson(inventory));
    const sass = (bom.components as { purl?: string; properties: { name: string; value: string }[] }[]).find(
      (x) => x.purl === c.purl,
    )!;
    const props = sass.properties.filter((p) => p.name.startsWith('oss-inventory:planb:'));
    expect(props).toEqual([
      { name: 'oss-inventory:planb:status', value: 'options' },
      { name: 'oss-inventory:planb:option', value: 'successor curated pkg:npm/sass' },
    ]);
  });

  it("fills the check violation and says 'use X instead' in the fix line", () => {
    const policy = policyOf('licenses:\n  deny: [GPL-3.0-only]\n');
    const result = evaluatePolicy(inventory, policy, {
      now: new Date('2026-01-15T10:00:00Z'),
      categories: CATEGORIES,
    });
    const violation = result.violations[0]!;
    const citation = citationOf('pkg:npm/node-sass');
    expect(violation.planB).toEqual({ target: 'pkg:npm/sass', confidence: 'curated', evidence: citation });
    expect(fixLines(violation, 'policy.yaml')[0]).toBe(
      `use pkg:npm/sass (curated, ${citation}) instead; or remove or replace it; or waive it by adding to policy.yaml:`,
    );
  });
});

const ROOT = path.resolve(import.meta.dirname, '..');
const readJson = (file: string): object => JSON.parse(readFileSync(path.join(ROOT, file), 'utf8')) as object;

/** The citation of the shipped catalog's entry for a purl: what plan B gives as its evidence. */
function citationOf(purl: string): string {
  const entry = (readPlanBCatalog() as { purl: string; citation: string }[]).find((e) => e.purl === purl);
  return entry!.citation;
}

describe('the shipped catalog', () => {
  it('validates against its schema, data/planb-catalog.schema.json', () => {
    const ajv = new Ajv2020({ allErrors: true })
      .addSchema(readJson('policy.schema.json'), 'policy.schema.json')
      .addSchema(readJson('config.schema.json'), 'config.schema.json');
    const validate = ajv.compile(readJson('data/planb-catalog.schema.json'));
    const document = load(readFileSync(path.join(ROOT, 'data', 'planb-catalog.yaml'), 'utf8'));
    expect(validate(document), JSON.stringify(validate.errors, null, 2)).toBe(true);
    // the schema refuses what the loader refuses
    const broken = {
      entries: [{ purl: 'pkg:npm/x', reason: 'r', citation: 'http://x', options: [{ kind: 'successor' }] }],
    };
    expect(validate(broken)).toBe(false);
    expect(validate.errors!.map((e) => e.instancePath).sort()).toEqual(
      expect.arrayContaining(['/entries/0/citation', '/entries/0/options/0']),
    );
  });

  it('has usable entries, each with a citation URL, for both ecosystems', () => {
    const entries = readPlanBCatalog();
    const { issues } = indexPlanBRules('data/planb-catalog.yaml', entries, 'citation');
    expect(issues).toEqual([]);
    expect(entries.length).toBeGreaterThanOrEqual(60);
    for (const entry of entries as { citation: string }[]) expect(entry.citation).toMatch(/^https:\/\//);
    const purls = (entries as { purl: string }[]).map((e) => e.purl);
    expect(purls.filter((p) => p.startsWith('pkg:maven/')).length).toBeGreaterThanOrEqual(25);
    expect(purls.filter((p) => p.startsWith('pkg:npm/')).length).toBeGreaterThanOrEqual(25);
  });
});
