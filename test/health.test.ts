import { describe, expect, it } from 'vitest';
import { exposureOf } from '../src/core/exposure.js';
import {
  assessHealth,
  classifyHealth,
  DEFAULT_HEALTH_THRESHOLDS,
  healthThresholds,
  priorityOf,
  refreshHealthExposure,
  type HealthInput,
} from '../src/core/health.js';
import { indexHealthOverrides, type HealthOverride } from '../src/core/health-overrides.js';
import type {
  Component,
  HealthClass,
  Inventory,
  Project,
  RegistryFacts,
  RepositorySignals,
  Usage,
} from '../src/core/model.js';
import { readShippedOverrides, SHIPPED_OVERRIDES_ORIGIN } from '../src/pipeline/health.js';
import { inventorySchemaErrors } from './helpers/inventory-schema.js';

/** The fixed clock of every test. */
const NOW = new Date('2025-06-15T00:00:00.000Z');
const T = DEFAULT_HEALTH_THRESHOLDS;

/** The instant `months` calendar months (and `ms` milliseconds) before NOW. */
function ago(months: number, ms = 0): string {
  const d = new Date(NOW);
  d.setUTCMonth(d.getUTCMonth() - months);
  return new Date(d.getTime() - ms).toISOString();
}

const REPO = {
  url: 'https://github.com/acme/lib',
  host: 'github.com',
  owner: 'acme',
  name: 'lib',
  confidence: 'high' as const,
  from: 'npm repository',
};

function registry(extra: Partial<RegistryFacts> = {}): RegistryFacts {
  return { status: 'found', document: 'https://registry.npmjs.org/lib', funding: [], ...extra };
}

function signals(extra: Partial<RepositorySignals> = {}): RepositorySignals {
  return {
    status: 'found',
    readAt: NOW.toISOString(),
    archived: false,
    disabled: false,
    lastCommitAt: ago(0, 86_400_000),
    commitsLast90Days: 30,
    commitsLast365Days: 120,
    activeCommittersLast12Months: 4,
    ...extra,
  };
}

/** A lively npm component: released a month ago, regular commits, four committers. */
function npm(extra: Partial<HealthInput> = {}): HealthInput {
  return {
    ecosystem: 'npm',
    name: 'lib',
    version: '2.0.0',
    sourceKind: 'registry',
    registry: registry({ lastReleaseAt: ago(1), latest: { version: '2.0.0', publishedAt: ago(1) } }),
    sourceRepository: REPO,
    repositorySignals: signals(),
    ...extra,
  };
}

function override(status: HealthOverride['status'], extra: Partial<HealthOverride> = {}): HealthOverride {
  return {
    purl: 'pkg:npm/lib',
    status,
    reason: 'said so by its maintainers',
    citation: 'https://example.org/lib/status',
    origin: 'test',
    ...extra,
  };
}

function classify(input: HealthInput, o?: HealthOverride, thresholds = T) {
  return classifyHealth(input, NOW, thresholds, o);
}

const codes = (input: HealthInput, o?: HealthOverride, thresholds = T) =>
  classify(input, o, thresholds).reasons.map((r) => r.code);
const classOf = (input: HealthInput, o?: HealthOverride, thresholds = T): HealthClass =>
  classify(input, o, thresholds).class;

/** Signals with a last commit `months` ago and a count of commits in the year. */
const quiet = (months: number, commits365 = 0) =>
  signals({
    lastCommitAt: ago(months),
    commitsLast90Days: 0,
    commitsLast365Days: commits365,
    activeCommittersLast12Months: commits365 > 0 ? 2 : 0,
  });
const released = (months: number, ms = 0) =>
  registry({ lastReleaseAt: ago(months, ms), latest: { version: '2.0.0', publishedAt: ago(months, ms) } });

describe('EOL', () => {
  it('deprecated: the used npm version is deprecated, with its message', () => {
    const result = classify(npm({ registry: registry({ ...released(1), deprecated: 'use lib2 instead' }) }));
    expect(result.class).toBe('EOL');
    expect(result.reasons[0]).toEqual({
      code: 'deprecated',
      message: 'version 2.0.0 is deprecated: use lib2 instead',
      values: { version: '2.0.0', message: 'use lib2 instead' },
    });
  });

  it('deprecated without a message (deprecated: true in old documents) is still EOL', () => {
    expect(codes(npm({ registry: registry({ ...released(1), deprecated: '' }) }))).toContain('deprecated');
  });

  it('latest-deprecated: an older version of a package whose latest is deprecated', () => {
    const facts = registry({
      lastReleaseAt: ago(1),
      latest: { version: '3.0.0', publishedAt: ago(1), deprecated: 'moved to @acme/lib' },
    });
    const result = classify(npm({ registry: facts }));
    expect(result.class).toBe('EOL');
    expect(result.reasons[0]).toMatchObject({
      code: 'latest-deprecated',
      values: { latestVersion: '3.0.0', message: 'moved to @acme/lib' },
    });
  });

  it('unpublished: the registry says it was removed; a plain 404 (a private package) is not', () => {
    const gone = classify(
      npm({
        registry: {
          status: 'missing',
          reason: 'unpublished',
          unpublished: { at: '2024-03-01T12:00:00.000Z' },
        },
        repositorySignals: undefined,
        sourceRepository: undefined,
      }),
    );
    expect(gone.class).toBe('EOL');
    expect(gone.reasons[0]).toMatchObject({
      code: 'unpublished',
      values: { at: '2024-03-01T12:00:00.000Z' },
    });

    const private404 = npm({
      registry: { status: 'missing', reason: '@acme/secret@1.0.0 is not in the registry (404)' },
      repositorySignals: undefined,
      sourceRepository: undefined,
    });
    expect(classOf(private404)).toBe('UNKNOWN');
    expect(codes(private404)).toEqual(['no-dates', 'registry-facts-missing', 'source-repository-unknown']);
  });

  it('repository-archived and repository-disabled', () => {
    expect(codes(npm({ repositorySignals: signals({ archived: true }) }))[0]).toBe('repository-archived');
    expect(classOf(npm({ repositorySignals: signals({ disabled: true }) }))).toBe('EOL');
    expect(codes(npm({ repositorySignals: signals({ disabled: true }) }))[0]).toBe('repository-disabled');
  });

  it('relocated: a Maven relocation to other coordinates; a relocation of the version only is not', () => {
    const maven = (relocation: object): HealthInput => ({
      ecosystem: 'maven',
      group: 'mysql',
      name: 'mysql-connector-java',
      version: '8.0.33',
      sourceKind: 'registry',
      mavenRepository: {
        status: 'found',
        document: 'https://repo.maven.apache.org/maven2/mysql/mysql-connector-java/maven-metadata.xml',
        release: '8.0.33',
        versions: 40,
        latestPublishedAt: ago(2),
        relocation,
      },
    });
    const moved = classify(
      maven({
        groupId: 'com.mysql',
        artifactId: 'mysql-connector-j',
        message: 'MySQL Connector/J artifacts moved',
      }),
    );
    expect(moved.class).toBe('EOL');
    expect(moved.reasons[0]).toEqual({
      code: 'relocated',
      message: 'the artifact moved to com.mysql:mysql-connector-j: MySQL Connector/J artifacts moved',
      values: { to: 'com.mysql:mysql-connector-j', message: 'MySQL Connector/J artifacts moved' },
    });
    expect(classOf(maven({ version: '8.0.34' }))).not.toBe('EOL');
  });

  it('declared-end-of-life: an override, with its citation and successor', () => {
    const result = classify(npm(), override('end-of-life', { successor: 'pkg:npm/lib2' }));
    expect(result.class).toBe('EOL');
    expect(result.reasons[0]).toMatchObject({
      code: 'declared-end-of-life',
      values: { citation: 'https://example.org/lib/status', successor: 'pkg:npm/lib2', origin: 'test' },
    });
  });

  it('wins over every other signal: a deprecated package with a healthy repository is EOL', () => {
    expect(classOf(npm({ registry: registry({ ...released(0), deprecated: 'x' }) }))).toBe('EOL');
  });
});

describe('ABANDONED: no release for 24 months and no commit for 12', () => {
  it('25 months without a release and 13 without a commit', () => {
    const result = classify(npm({ registry: released(25), repositorySignals: quiet(13) }));
    expect(result.class).toBe('ABANDONED');
    expect(result.reasons.map((r) => r.code)).toEqual(['no-release', 'no-commit']);
    expect(result.reasons[0]!.values).toMatchObject({ monthsSinceRelease: 25, thresholdMonths: 24 });
    expect(result.reasons[1]!.values).toMatchObject({ monthsSinceCommit: 13, thresholdMonths: 12 });
  });

  it('23 months without a release is not abandoned (stale, little activity: AT_RISK)', () => {
    const result = classify(npm({ registry: released(23), repositorySignals: quiet(13) }));
    expect(result.class).toBe('AT_RISK');
    expect(result.reasons[0]).toMatchObject({ code: 'stale-release', values: { activityKnown: true } });
  });

  it('a commit 11 months ago is not abandoned', () => {
    expect(classOf(npm({ registry: released(25), repositorySignals: quiet(11) }))).toBe('AT_RISK');
  });

  it('the boundary is the same instant 24 months before: at it, not older; a millisecond before, older', () => {
    expect(classOf(npm({ registry: released(24), repositorySignals: quiet(13) }))).toBe('AT_RISK');
    expect(classOf(npm({ registry: released(24, 1), repositorySignals: quiet(13) }))).toBe('ABANDONED');
    expect(classOf(npm({ registry: released(25), repositorySignals: quiet(12) }))).toBe('AT_RISK');
    expect(classOf(npm({ registry: released(25), repositorySignals: quiet(12, 0) }))).not.toBe('ABANDONED');
    const justOver = signals({
      lastCommitAt: ago(12, 1),
      commitsLast365Days: 0,
      activeCommittersLast12Months: 0,
    });
    expect(classOf(npm({ registry: released(25), repositorySignals: justOver }))).toBe('ABANDONED');
  });

  it('not for a feature-complete package: MAINTAINED, saying so with the staleness facts', () => {
    const result = classify(
      npm({ registry: released(40), repositorySignals: quiet(30) }),
      override('feature-complete'),
    );
    expect(result.class).toBe('MAINTAINED');
    expect(result.reasons.map((r) => r.code)).toEqual(['feature-complete', 'no-release', 'no-commit']);
    expect(result.reasons[0]!.values).toMatchObject({ citation: 'https://example.org/lib/status' });
  });

  it('without commit data it cannot be confirmed: AT_RISK, saying which signals were missing', () => {
    const result = classify(
      npm({
        registry: released(30),
        repositorySignals: { status: 'missing', reason: 'no GitHub token', readAt: NOW.toISOString() },
      }),
    );
    expect(result.class).toBe('AT_RISK');
    expect(result.reasons.map((r) => r.code)).toEqual(['stale-release', 'repository-signals-missing']);
    expect(result.reasons[0]!.message).toMatch(/activity unknown.*abandonment needs commit data/);
    expect(result.reasons[0]!.values).toMatchObject({ activityKnown: false });
    expect(result.reasons[1]!.values).toEqual({ repository: REPO.url, reason: 'no GitHub token' });
  });

  it('a configured threshold moves the boundary', () => {
    const input = npm({ registry: released(30), repositorySignals: quiet(13) });
    expect(classOf(input)).toBe('ABANDONED');
    expect(classOf(input, undefined, healthThresholds({ abandonedReleaseMonths: 36 }))).toBe('AT_RISK');
  });
});

describe('AT_RISK', () => {
  it('stale-release: 13 months, fewer than 10 commits in the year; 10 commits is enough activity', () => {
    expect(classOf(npm({ registry: released(13), repositorySignals: quiet(1, 9) }))).toBe('AT_RISK');
    const active = classify(npm({ registry: released(13), repositorySignals: quiet(1, 10) }));
    expect(active.class).toBe('MAINTAINED');
    expect(active.reasons[0]).toMatchObject({ code: 'recent-commits', values: { commitsLast365Days: 10 } });
  });

  it('a release 11 months ago is not stale', () => {
    expect(classOf(npm({ registry: released(11), repositorySignals: quiet(1, 0) }))).toBe('MAINTAINED');
  });

  it('stale-release from the registry alone: activity unknown', () => {
    const result = classify(
      npm({ registry: released(13), repositorySignals: undefined, sourceRepository: undefined }),
    );
    expect(result.class).toBe('AT_RISK');
    expect(result.reasons.map((r) => r.code)).toEqual(['stale-release', 'source-repository-unknown']);
  });

  it('single-committer: one person committed in 12 months, even with a fresh release', () => {
    const result = classify(npm({ repositorySignals: signals({ activeCommittersLast12Months: 1 }) }));
    expect(result.class).toBe('AT_RISK');
    expect(result.reasons[0]).toEqual({
      code: 'single-committer',
      message: 'a single person committed to the default branch in the last 12 months',
      values: { activeCommittersLast12Months: 1, commitsLast365Days: 120 },
    });
  });

  it('pre-1.0-stale: latest below 1.0.0 and released 13 months ago, however active the repository', () => {
    const facts = (months: number, latest: string) =>
      registry({ lastReleaseAt: ago(months), latest: { version: latest, publishedAt: ago(months) } });
    const busy = signals({ commitsLast90Days: 2, commitsLast365Days: 50 });
    const result = classify(npm({ version: '0.9.0', registry: facts(13, '0.9.0'), repositorySignals: busy }));
    expect(result.class).toBe('AT_RISK');
    expect(result.reasons[0]).toMatchObject({ code: 'pre-1.0-stale', values: { latestVersion: '0.9.0' } });
    expect(classOf(npm({ version: '1.0.0', registry: facts(13, '1.0.0'), repositorySignals: busy }))).toBe(
      'MAINTAINED',
    );
    expect(classOf(npm({ version: '0.9.0', registry: facts(11, '0.9.0'), repositorySignals: busy }))).toBe(
      'MAINTAINED',
    );
    // the latest version decides: a project that reached 1.0 is not pre-1.0 for users of its 0.x
    expect(classOf(npm({ version: '0.9.0', registry: facts(13, '1.2.0'), repositorySignals: busy }))).toBe(
      'MAINTAINED',
    );
  });

  it('no-recent-commits: no release date anywhere and the last commit 13 months ago; 11 months is maintained', () => {
    const git = (months: number): HealthInput => ({
      ecosystem: 'npm',
      name: 'lib',
      version: '1.0.0',
      sourceKind: 'git',
      sourceRepository: REPO,
      repositorySignals: signals({
        lastCommitAt: ago(months),
        commitsLast365Days: undefined,
        lastReleaseAt: null,
      }),
    });
    expect(codes(git(13))[0]).toBe('no-recent-commits');
    expect(classOf(git(13))).toBe('AT_RISK');
    expect(classOf(git(11))).toBe('MAINTAINED');
  });

  it('a feature-complete package is not at risk for staleness', () => {
    const input = npm({ version: '0.3.0', registry: released(13), repositorySignals: quiet(20) });
    expect(classOf(input)).toBe('AT_RISK');
    expect(classOf(input, override('feature-complete'))).toBe('MAINTAINED');
  });
});

describe('HEALTHY and MAINTAINED', () => {
  it('HEALTHY: a release within 6 months, at least 5 commits in 90 days, at least 2 committers', () => {
    const result = classify(
      npm({
        registry: released(5),
        repositorySignals: signals({ commitsLast90Days: 5, activeCommittersLast12Months: 2 }),
      }),
    );
    expect(result.class).toBe('HEALTHY');
    expect(result.reasons.map((r) => r.code)).toEqual([
      'recent-release',
      'regular-commits',
      'several-committers',
    ]);
  });

  it('each HEALTHY criterion at its boundary', () => {
    const base = { commitsLast90Days: 5, activeCommittersLast12Months: 2 };
    expect(classOf(npm({ registry: released(6), repositorySignals: signals(base) }))).toBe('HEALTHY');
    expect(classOf(npm({ registry: released(6, 1), repositorySignals: signals(base) }))).toBe('MAINTAINED');
    expect(
      classOf(npm({ registry: released(1), repositorySignals: signals({ ...base, commitsLast90Days: 4 }) })),
    ).toBe('MAINTAINED');
    const stricter = healthThresholds({ healthyCommitters: 3 });
    expect(
      classOf(npm({ registry: released(1), repositorySignals: signals(base) }), undefined, stricter),
    ).toBe('MAINTAINED');
  });

  it('MAINTAINED says which HEALTHY criteria failed', () => {
    const result = classify(npm({ registry: released(7) }));
    expect(result.class).toBe('MAINTAINED');
    expect(result.reasons.map((r) => r.code)).toEqual(['recent-release', 'healthy-criteria-unmet']);
    expect(result.reasons[1]!.values).toEqual({
      releaseWithinMonths: false,
      commitsLast90Days: 30,
      activeCommittersLast12Months: 4,
    });
  });

  it('from the registry alone a component is at best MAINTAINED, and the missing signals are named', () => {
    const result = classify(
      npm({
        registry: released(0),
        repositorySignals: { status: 'missing', reason: 'offline', readAt: NOW.toISOString() },
      }),
    );
    expect(result.class).toBe('MAINTAINED');
    expect(result.reasons.map((r) => r.code)).toEqual([
      'recent-release',
      'healthy-criteria-unmet',
      'repository-signals-missing',
    ]);
    expect(result.reasons[1]!.values).toEqual({
      releaseWithinMonths: true,
      commitsLast90Days: null,
      activeCommittersLast12Months: null,
    });
  });
});

describe('UNKNOWN: not enough data, never healthy nor dead', () => {
  it('no registry facts and no repository', () => {
    const result = classify({ ecosystem: 'npm', name: 'x', version: '1.0.0', sourceKind: 'tarball' });
    expect(result).toMatchObject({ class: 'UNKNOWN', score: 50 });
    expect(result.reasons.map((r) => r.code)).toEqual([
      'no-dates',
      'registry-facts-missing',
      'source-repository-unknown',
    ]);
    expect(result.reasons[1]!.message).toBe(
      'the npm registry gave no facts: it does not come from a registry (tarball)',
    );
    const unlocked = classify({
      ecosystem: 'maven',
      name: 'core',
      group: 'fr.paris.lutece',
      version: '[7.0,)',
      locked: false,
    });
    expect(unlocked.reasons[1]!.values).toEqual({
      registry: 'Maven repository',
      reason:
        'its version [7.0,) is not locked (a declared range, or one that could not be resolved): nothing was looked up',
    });
    expect(
      classify({ ecosystem: 'npm', name: 'x', version: '1.0.0', sourceKind: 'registry' }).reasons[1]!.message,
    ).toBe('the npm registry gave no facts: no registry lookup for it in this run');
  });

  it('registry facts without dates (a version document) and unread signals', () => {
    const result = classify(
      npm({
        registry: registry(),
        repositorySignals: { status: 'missing', reason: 'not found', readAt: NOW.toISOString() },
      }),
    );
    expect(result.class).toBe('UNKNOWN');
    expect(result.reasons.map((r) => r.code)).toEqual(['no-dates', 'repository-signals-missing']);
  });

  it('a Maven component whose metadata could not be read says why', () => {
    const result = classify({
      ecosystem: 'maven',
      group: 'fr.paris.lutece',
      name: 'internal',
      version: '1.0',
      registry: { status: 'missing', reason: 'fr.paris.lutece:internal:1.0 was not found' },
    });
    expect(result.class).toBe('UNKNOWN');
    expect(result.reasons[1]).toMatchObject({
      code: 'registry-facts-missing',
      values: { registry: 'Maven repository', reason: 'fr.paris.lutece:internal:1.0 was not found' },
    });
  });
});

describe('the signals behind the dates', () => {
  it('the last release is the most recent of the registry and the GitHub release, with its source', () => {
    const result = classify(npm({ registry: released(14), repositorySignals: quiet(1, 50) }));
    expect(result.reasons[0]!.values).toMatchObject({ source: 'GitHub: last commit on the default branch' });
    const github = classify(
      npm({
        registry: released(14),
        repositorySignals: signals({ lastReleaseAt: ago(2), commitsLast90Days: 0 }),
      }),
    );
    expect(github.reasons[0]).toMatchObject({
      code: 'recent-release',
      values: { source: 'GitHub: latest release', monthsSinceRelease: 2 },
    });
  });

  it('npm: the last publication of any version before the latest tag date', () => {
    const facts = registry({ lastReleaseAt: ago(2), latest: { version: '2.0.0', publishedAt: ago(30) } });
    const result = classify(npm({ registry: facts, repositorySignals: signals({ commitsLast90Days: 0 }) }));
    expect(result.reasons[0]!.values).toMatchObject({
      monthsSinceRelease: 2,
      source: 'npm registry: last publication of any version',
    });
  });

  it('Maven: the latest release POM date, else the metadata lastUpdated, saying which', () => {
    const maven = (facts: object): HealthInput => ({
      ecosystem: 'maven',
      group: 'g',
      name: 'a',
      version: '1.0',
      mavenRepository: { status: 'found', document: 'u', versions: 3, release: '1.2', ...facts },
    });
    expect(
      classify(maven({ latestPublishedAt: ago(3), lastUpdated: ago(1) })).reasons[0]!.values,
    ).toMatchObject({
      monthsSinceRelease: 3,
      source: 'Maven: Last-Modified of the latest release POM',
    });
    expect(classify(maven({ lastUpdated: ago(1) })).reasons[0]!.values).toMatchObject({
      monthsSinceRelease: 1,
      source: 'Maven: maven-metadata.xml lastUpdated',
    });
  });

  it('the last commit falls back to the last push', () => {
    const result = classify(
      npm({
        registry: registry(),
        repositorySignals: signals({ lastCommitAt: null, pushedAt: ago(3), commitsLast90Days: 0 }),
      }),
    );
    expect(result.reasons[0]).toMatchObject({
      code: 'recent-commits',
      values: { source: 'GitHub: last push' },
    });
  });

  it('months are calendar months, the day clamped to the month: 2025-03-31 minus one month is 2025-02-28', () => {
    const end = new Date('2025-03-31T00:00:00.000Z');
    const input = (at: string): HealthInput =>
      npm({
        registry: registry({ lastReleaseAt: at }),
        repositorySignals: signals({ commitsLast365Days: 0, activeCommittersLast12Months: 2 }),
      });
    const t = healthThresholds({ staleReleaseMonths: 1 });
    expect(classifyHealth(input('2025-02-28T00:00:00.000Z'), end, t).class).not.toBe('AT_RISK');
    expect(classifyHealth(input('2025-02-27T23:59:59.999Z'), end, t).class).toBe('AT_RISK');
  });
});

describe('score and priority', () => {
  it('the score places the classes in bands, fresher first inside a band', () => {
    const scores = {
      EOL: classify(npm({ repositorySignals: signals({ archived: true }) })).score,
      ABANDONED: classify(npm({ registry: released(25), repositorySignals: quiet(13) })).score,
      AT_RISK: classify(npm({ registry: released(13), repositorySignals: quiet(1, 0) })).score,
      UNKNOWN: classify({ ecosystem: 'npm', name: 'x', version: '1' }).score,
      MAINTAINED: classify(npm({ registry: released(7) })).score,
      HEALTHY: classify(npm()).score,
    };
    expect(scores.EOL).toBeLessThanOrEqual(10);
    expect(scores.ABANDONED).toBeGreaterThanOrEqual(10);
    expect(scores.ABANDONED).toBeLessThanOrEqual(25);
    expect(scores.AT_RISK).toBeGreaterThan(scores.ABANDONED);
    expect(scores.UNKNOWN).toBe(50);
    expect(scores.MAINTAINED).toBeGreaterThanOrEqual(50);
    expect(scores.HEALTHY).toBeGreaterThan(scores.MAINTAINED);
    expect(scores.HEALTHY).toBeLessThanOrEqual(100);
    const staler = classify(npm({ registry: released(20), repositorySignals: quiet(13) })).score;
    expect(staler).toBeLessThan(scores.AT_RISK);
  });

  it('priority: a dying runtime dependency of many projects first; nothing for the maintained', () => {
    const wide = { projects: 5, directProjects: 2, runtimeProjects: 5, devOnly: false };
    const dev = { projects: 5, directProjects: 2, runtimeProjects: 0, devOnly: true };
    expect(priorityOf('EOL', wide)).toBe(4 * (20 + 4 + 5));
    expect(priorityOf('EOL', dev)).toBe(4 * (4 + 5));
    expect(priorityOf('ABANDONED', wide)).toBeLessThan(priorityOf('EOL', wide));
    expect(priorityOf('AT_RISK', wide)).toBeGreaterThan(priorityOf('EOL', dev) / 2);
    expect(priorityOf('MAINTAINED', wide)).toBe(0);
    expect(priorityOf('HEALTHY', wide)).toBe(0);
    expect(priorityOf('UNKNOWN', wide)).toBe(29);
  });
});

describe('exposureOf', () => {
  const usage = (project: string, scopes: Usage['scopes'], direct: boolean): Usage => ({
    project,
    manifest: 'package-lock.json',
    scopes,
    direct,
    path: [],
  });

  it('counts distinct projects, direct ones and those that run it; dev-only when none runs it', () => {
    expect(
      exposureOf([
        usage('a:.', ['runtime'], true),
        usage('a:.', ['dev'], false),
        usage('b:.', ['dev'], true),
        usage('c:.', ['provided'], false),
      ]),
    ).toEqual({ projects: 3, directProjects: 2, runtimeProjects: 2, devOnly: false });
    expect(exposureOf([usage('a:.', ['dev'], true)])).toEqual({
      projects: 1,
      directProjects: 1,
      runtimeProjects: 0,
      devOnly: true,
    });
    expect(exposureOf([])).toEqual({ projects: 0, directProjects: 0, runtimeProjects: 0, devOnly: false });
  });
});

describe('healthThresholds', () => {
  it('keeps the defaults for what is not given or not a number of months', () => {
    expect(healthThresholds()).toEqual(T);
    expect(healthThresholds({ staleReleaseMonths: 18, abandonedCommitMonths: -1 })).toEqual({
      ...T,
      staleReleaseMonths: 18,
    });
  });
});

describe('overrides', () => {
  it('the organisation first; within one origin a pinned version before a version-less one; ranges', () => {
    const { overrides, issues } = indexHealthOverrides([
      {
        origin: 'configuration',
        entries: [
          { purl: 'pkg:npm/lib', status: 'feature-complete', reason: 'r1', citation: 'c1' },
          { purl: 'pkg:npm/lib', versions: '<2', status: 'end-of-life', reason: 'r2', citation: 'c2' },
        ],
      },
      {
        origin: SHIPPED_OVERRIDES_ORIGIN,
        entries: [{ purl: 'pkg:npm/other', status: 'end-of-life', reason: 'r3', citation: 'c3' }],
      },
    ]);
    expect(issues).toEqual([]);
    const component = (name: string, version: string) => ({ ecosystem: 'npm', name, version }) as Component;
    expect(overrides.find(component('lib', '1.5.0'))).toMatchObject({ status: 'end-of-life', reason: 'r2' });
    expect(overrides.find(component('lib', '2.0.0'))).toMatchObject({
      status: 'feature-complete',
      reason: 'r1',
    });
    expect(overrides.find(component('other', '1.0.0'))).toMatchObject({ origin: SHIPPED_OVERRIDES_ORIGIN });
    expect(overrides.find(component('none', '1.0.0'))).toBeUndefined();
  });

  it('lists unusable entries with the field at fault, and leaves them out', () => {
    const { overrides, issues } = indexHealthOverrides([
      {
        origin: 'file.yaml',
        entries: [
          'pkg:npm/x',
          { purl: 'pkg:npm/x', status: 'dead', reason: 'r', citation: 'c' },
          { purl: 'pkg:npm/x', status: 'end-of-life', reason: 'r' },
          { purl: 'not a purl', status: 'end-of-life', reason: 'r', citation: 'c' },
          { purl: 'pkg:npm/x', versions: '>=1 <<2', status: 'end-of-life', reason: 'r', citation: 'c' },
        ],
      },
    ]);
    expect(overrides.size).toBe(0);
    expect(issues.map((i) => [i.index, i.message.split(':')[0]])).toEqual([
      [0, 'an override is a mapping with purl, status, reason and citation'],
      [1, 'status'],
      [2, 'citation'],
      [3, 'purl'],
      [4, 'versions'],
    ]);
  });

  it('the shipped list is valid and every entry cites an https URL', () => {
    const entries = readShippedOverrides();
    const { overrides, issues } = indexHealthOverrides([{ origin: SHIPPED_OVERRIDES_ORIGIN, entries }]);
    expect(issues).toEqual([]);
    expect(overrides.size).toBe(entries.length);
    for (const entry of entries as { citation: string }[]) expect(entry.citation).toMatch(/^https:\/\//);
  });
});

describe('assessHealth', () => {
  const usage: Usage = {
    project: 'app:.',
    manifest: 'package-lock.json',
    scopes: ['runtime'],
    direct: true,
    path: ['app@1.0.0', 'dep@1.0.0'],
  };
  const component = (name: string, extra: Partial<Component>): Component => ({
    purl: `pkg:npm/${name}@1.0.0`,
    ecosystem: 'npm',
    name,
    version: '1.0.0',
    locked: true,
    scopes: ['runtime'],
    direct: true,
    sourceKind: 'registry',
    license: { status: 'known', declared: ['MIT'], expression: 'MIT' },
    dependsOn: [],
    usedBy: [usage],
    ...extra,
  });
  const project = (id: string, subject: string, extra: Partial<Project> = {}): Project => ({
    id,
    subject,
    path: '.',
    ecosystem: 'npm',
    manifests: ['package.json'],
    locked: true,
    dependsOn: [],
    ...extra,
  });
  const inventory: Inventory = {
    schemaVersion: '1.0.0',
    generatedAt: NOW.toISOString(),
    tool: { name: 'oss-inventory', version: 'test' },
    run: { offline: false, network: [] },
    subjects: [
      {
        name: 'acme/old',
        type: 'github',
        location: 'https://github.com/acme/old',
        repository: {
          defaultBranch: 'main',
          ref: 'main',
          headSha: 'a'.repeat(40),
          archived: true,
          fork: false,
          pushedAt: ago(30),
          license: 'MIT',
          topics: [],
          description: null,
        },
      },
      { name: 'local', type: 'directory', location: '.' },
    ],
    stats: { manifestsRead: 2, excluded: [] },
    projects: [
      project('acme/old:.', 'acme/old', { publishes: ['pkg:npm/old@1.0.0'] }),
      project('local:.', 'local'),
    ],
    components: [
      component('gone', { registry: registry({ deprecated: 'no more' }) }),
      component('old', { builtBy: ['acme/old:.'] }),
    ],
    problems: [],
  };

  it('gives every component a health with its exposure and priority, and GitHub projects their repository health', () => {
    const assessed = assessHealth(inventory, { now: NOW });
    expect(inventorySchemaErrors(assessed)).toEqual([]);
    expect(assessed.components[0]!.health).toMatchObject({
      class: 'EOL',
      exposure: { projects: 1, directProjects: 1, runtimeProjects: 1, devOnly: false },
      priority: 4 * (4 + 2 + 1),
      assessedAt: NOW.toISOString(),
    });
    expect(assessed.components[1]!.health!.class).toBe('UNKNOWN');
    expect(assessed.projects[0]!.health!.class).toBe('EOL');
    expect(assessed.projects[0]!.health!.reasons[0]).toMatchObject({
      code: 'repository-archived',
      values: { repository: 'https://github.com/acme/old' },
    });
    expect(assessed.projects[0]!.health!.exposure.projects).toBe(1);
    expect(assessed.projects[1]!.health).toBeUndefined();
    expect(inventory.components[0]!.health).toBeUndefined();
  });

  it('a GitHub project uses the signals read for its repository when a component maps to it', () => {
    const lively = signals({ archived: false });
    const mapped = {
      ...inventory,
      subjects: inventory.subjects.map((s) =>
        s.repository ? { ...s, repository: { ...s.repository, archived: false } } : s,
      ),
      components: inventory.components.map((c) =>
        c.name === 'old'
          ? {
              ...c,
              sourceRepository: { ...REPO, url: 'https://github.com/acme/old', from: 'first-party' },
              repositorySignals: lively,
            }
          : c,
      ),
    };
    const health = assessHealth(mapped, { now: NOW }).projects[0]!.health!;
    expect(health.class).toBe('MAINTAINED');
    expect(health.reasons[0]).toMatchObject({
      code: 'recent-commits',
      values: { source: 'GitHub: last commit on the default branch', commitsLast365Days: 120 },
    });
  });

  it('refreshHealthExposure counts the exposure and priority again (merged shards), keeping the class', () => {
    const assessed = assessHealth(inventory, { now: NOW });
    const second: Usage = { ...usage, project: 'acme/old:.', scopes: ['dev'], direct: false };
    const widened = {
      ...assessed,
      components: assessed.components.map((c) => ({ ...c, usedBy: [...c.usedBy, second] })),
    };
    const refreshed = refreshHealthExposure(widened);
    expect(refreshed.components[0]!.health).toMatchObject({
      class: 'EOL',
      exposure: { projects: 2, directProjects: 1, runtimeProjects: 1, devOnly: false },
      priority: 4 * (4 + 2 + 2),
    });
    expect(refreshed.projects[0]!.health!.exposure.projects).toBe(2);
    expect(refreshHealthExposure(inventory)).toBe(inventory);
  });

  it('applies the overrides and the thresholds it is given', () => {
    const { overrides } = indexHealthOverrides([
      {
        origin: 'configuration',
        entries: [{ purl: 'pkg:npm/old', status: 'end-of-life', reason: 'r', citation: 'c' }],
      },
    ]);
    const assessed = assessHealth(inventory, { now: NOW, overrides });
    expect(assessed.components[1]!.health!.reasons[0]).toMatchObject({ code: 'declared-end-of-life' });
  });
});
