/**
 * Maintainer health (DESIGN.md section 6): a class with reasons, from the registry's facts (npm packument,
 * Maven metadata and POMs), the source repository's signals (GitHub) and the organisation's overrides.
 * Pure: the clock is passed in; nothing here reads files or the network.
 *
 * The rules, in order (the first class whose rule holds wins; every reason carries the values behind it):
 *
 * EOL, when any of these holds:
 *   deprecated            the used npm version is deprecated
 *   latest-deprecated     the npm `latest` version is deprecated (the package as a whole is given up)
 *   unpublished           the registry says the package or this version was published, then removed (a plain
 *                         404 is not enough: private packages answer 404 too)
 *   repository-archived   the source repository is archived
 *   repository-disabled   the source repository is disabled
 *   relocated             the POM of the used or the latest version relocates the artifact to other
 *                         coordinates (distributionManagement/relocation)
 *   declared-end-of-life  an override (ours or the organisation's) says its maintainers declared it dead
 *
 * The dates: the last release is the most recent of the npm registry's last publication, the Maven latest
 * release (its POM's Last-Modified, else the metadata's lastUpdated) and the repository's latest GitHub
 * release; the last commit is the default branch's last commit (else the repository's last push).
 * "Older than N months" means before the same day and time N calendar months before `now`.
 *
 * ABANDONED: the last release is older than `abandonedReleaseMonths` (24) AND the last commit is older than
 *   `abandonedCommitMonths` (12): `no-release` and `no-commit`. Not when a `feature-complete` override
 *   matches (MAINTAINED, `feature-complete`). Without commit data it cannot be confirmed: AT_RISK below.
 *
 * AT_RISK, when any of these holds:
 *   stale-release     the last release is older than `staleReleaseMonths` (12) and activity is little
 *                     (fewer than `lowActivityCommits` (10) commits in the last 365 days) or unknown (no
 *                     repository signals); not for a feature-complete package
 *   no-recent-commits no release date is known and the last commit is older than `abandonedCommitMonths`;
 *                     not for a feature-complete package
 *   pre-1.0-stale     the latest version is below 1.0.0 and the last release is older than
 *                     `preOneStaleMonths` (12); not for a feature-complete package
 *   single-committer  exactly one person committed to the default branch in the last 12 months
 *
 * HEALTHY, when all of these hold: a release within `healthyReleaseMonths` (6) (`recent-release`), at least
 *   `healthyCommits90Days` (5) commits in the last 90 days (`regular-commits`), at least `healthyCommitters`
 *   (2) committers in the last 12 months (`several-committers`). It needs repository signals: from the
 *   registry alone a component is at best MAINTAINED.
 *
 * MAINTAINED: any other component with a known date: a release within `staleReleaseMonths`, commits but no
 *   release date, active development without a recent release, or a feature-complete package.
 *   `healthy-criteria-unmet` says which HEALTHY criteria failed or were unknown.
 *
 * UNKNOWN: no EOL fact and neither a release date nor a commit date from any source (`no-dates`). Never
 *   shown as healthy or as dead.
 *
 * Whatever the class, these notes say which signals were missing: `registry-facts-missing` (with the
 * registry's reason), `source-repository-unknown`, `repository-signals-missing` (with the reason).
 *
 * The score (0-100, for sorting only) places each class in a band (EOL 0-10, ABANDONED 10-25, AT_RISK
 * 25-50, UNKNOWN 50, MAINTAINED 50-75, HEALTHY 75-100) and, inside it, by how recent the last activity is
 * (a linear fall over 24 months). The priority for the plan B is a class weight (EOL 4, ABANDONED 3,
 * AT_RISK 2, UNKNOWN 1, else 0) times the exposure (4 per project using it at run time + 2 per project
 * declaring it directly + 1 per project using it at all).
 */
import { combinedExposure, exposureOf } from './exposure.js';
import { NO_HEALTH_OVERRIDES, type HealthOverride, type HealthOverrides } from './health-overrides.js';
import type {
  Component,
  Ecosystem,
  Health,
  HealthClass,
  HealthExposure,
  HealthReason,
  Inventory,
  MavenRepositoryFacts,
  Project,
  RegistryFacts,
  RegistryMissing,
  RepositorySignals,
  SourceKind,
  SourceRepository,
  Subject,
} from './model.js';

export type { HealthOverrideEntry } from './health-overrides.js';

export interface HealthThresholds {
  /** No release for more than this many months (and no commit for `abandonedCommitMonths`): ABANDONED. */
  abandonedReleaseMonths: number;
  /** No commit for more than this many months (and no release for `abandonedReleaseMonths`): ABANDONED. */
  abandonedCommitMonths: number;
  /** A last release older than this is stale: AT_RISK when activity is little or unknown. */
  staleReleaseMonths: number;
  /** Fewer commits than this in the last 365 days is little activity. */
  lowActivityCommits: number;
  /** A latest version below 1.0.0 whose last release is older than this: AT_RISK. */
  preOneStaleMonths: number;
  /** HEALTHY needs a release within this many months. */
  healthyReleaseMonths: number;
  /** HEALTHY needs at least this many commits in the last 90 days. */
  healthyCommits90Days: number;
  /** HEALTHY needs at least this many committers in the last 12 months. */
  healthyCommitters: number;
}

export const DEFAULT_HEALTH_THRESHOLDS: Readonly<HealthThresholds> = Object.freeze({
  abandonedReleaseMonths: 24,
  abandonedCommitMonths: 12,
  staleReleaseMonths: 12,
  lowActivityCommits: 10,
  preOneStaleMonths: 12,
  healthyReleaseMonths: 6,
  healthyCommits90Days: 5,
  healthyCommitters: 2,
});

export interface HealthOptions {
  /** The run's clock: every age is measured from it. */
  now: Date;
  /** Overrides of the defaults. */
  thresholds?: Partial<HealthThresholds>;
  overrides?: HealthOverrides;
}

/** What the classification reads: a Component has all of it. */
export interface HealthInput {
  ecosystem: Ecosystem;
  /** Maven groupId (npm scope), to tell a relocation to other coordinates. */
  group?: string;
  name: string;
  version: string;
  /** False when the version is a declared range (or could not be resolved): nothing was looked up. */
  locked?: boolean;
  sourceKind?: SourceKind;
  registry?: RegistryFacts | RegistryMissing;
  mavenRepository?: MavenRepositoryFacts | RegistryMissing;
  sourceRepository?: SourceRepository;
  repositorySignals?: RepositorySignals;
}

export interface HealthVerdict {
  class: HealthClass;
  reasons: HealthReason[];
  score: number;
}

const CLASS_WEIGHT: Record<HealthClass, number> = {
  EOL: 4,
  ABANDONED: 3,
  AT_RISK: 2,
  UNKNOWN: 1,
  MAINTAINED: 0,
  HEALTHY: 0,
};

const SCORE_BAND: Record<HealthClass, [number, number]> = {
  EOL: [0, 10],
  ABANDONED: [10, 25],
  AT_RISK: [25, 50],
  UNKNOWN: [50, 50],
  MAINTAINED: [50, 75],
  HEALTHY: [75, 100],
};

/** Months over which the freshness inside a score band falls from 1 to 0. */
const FRESHNESS_MONTHS = 24;

/** The thresholds in force: the defaults with the given ones over them. */
export function healthThresholds(overrides: Partial<HealthThresholds> = {}): HealthThresholds {
  const out: HealthThresholds = { ...DEFAULT_HEALTH_THRESHOLDS };
  for (const key of Object.keys(out) as (keyof HealthThresholds)[]) {
    const value = overrides[key];
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0) out[key] = value;
  }
  return out;
}

/**
 * The inventory with `health` on every component, and on every project of a GitHub subject (from its
 * repository's facts, the signals read for it, and the registry facts of what it publishes). A new
 * inventory; the input is not changed.
 */
export function assessHealth(inventory: Inventory, options: HealthOptions): Inventory {
  const thresholds = healthThresholds(options.thresholds);
  const overrides = options.overrides ?? NO_HEALTH_OVERRIDES;
  const assessedAt = options.now.toISOString();
  const components = inventory.components.map((component): Component => {
    const verdict = classifyHealth(component, options.now, thresholds, overrides.find(component));
    const health = withExposure(verdict, exposureOf(component.usedBy), assessedAt);
    return { ...component, health };
  });
  const byPurl = new Map(components.map((c) => [c.purl, c]));
  const subjects = new Map(inventory.subjects.map((s) => [s.name, s]));
  const signalsByUrl = new Map<string, RepositorySignals>();
  for (const c of components) {
    const url = c.sourceRepository?.url.toLowerCase();
    if (url && c.repositorySignals?.status === 'found' && !signalsByUrl.has(url)) {
      signalsByUrl.set(url, c.repositorySignals);
    }
  }
  const projects = inventory.projects.map((project) => {
    const subject = subjects.get(project.subject);
    if (subject?.type !== 'github' || !subject.repository) return project;
    const published = (project.publishes ?? [])
      .map((purl) => byPurl.get(purl))
      .filter((c): c is Component => c !== undefined);
    const input = projectInput(project, subject, published, signalsByUrl, assessedAt);
    const verdict = classifyHealth(input, options.now, thresholds, undefined);
    return { ...project, health: withExposure(verdict, combinedExposure(published), assessedAt) };
  });
  return { ...inventory, components, projects };
}

/**
 * The inventory with the exposure and priority of every health counted again from the usages (after a
 * merge of shards, each of which counted only its own projects); classes, reasons and scores are kept.
 */
export function refreshHealthExposure(inventory: Inventory): Inventory {
  if (!inventory.components.some((c) => c.health) && !inventory.projects.some((p) => p.health))
    return inventory;
  const byPurl = new Map(inventory.components.map((c) => [c.purl, c]));
  const again = (health: Health, exposure: HealthExposure): Health => ({
    ...health,
    priority: priorityOf(health.class, exposure),
    exposure,
  });
  return {
    ...inventory,
    components: inventory.components.map((c) =>
      c.health ? { ...c, health: again(c.health, exposureOf(c.usedBy)) } : c,
    ),
    projects: inventory.projects.map((p) => {
      if (!p.health) return p;
      const published = (p.publishes ?? []).map((purl) => byPurl.get(purl)).filter((c) => c !== undefined);
      return { ...p, health: again(p.health, combinedExposure(published)) };
    }),
  };
}

function withExposure(verdict: HealthVerdict, exposure: HealthExposure, assessedAt: string): Health {
  return { ...verdict, priority: priorityOf(verdict.class, exposure), exposure, assessedAt };
}

/** Plan-B priority: the class weight times the exposure; 0 for MAINTAINED and HEALTHY. */
export function priorityOf(healthClass: HealthClass, exposure: HealthExposure): number {
  const weight = CLASS_WEIGHT[healthClass];
  return weight * (4 * exposure.runtimeProjects + 2 * exposure.directProjects + exposure.projects);
}

/**
 * A project's health input: its own repository (the subject's facts, or the signals read for it when a
 * component maps to the same repository), and the registry facts of an artifact it publishes.
 */
function projectInput(
  project: Project,
  subject: Subject,
  published: readonly Component[],
  signalsByUrl: ReadonlyMap<string, RepositorySignals>,
  readAt: string,
): HealthInput {
  const facts = subject.repository!;
  const url = subject.location.replace(/\/+$/, '');
  const read = signalsByUrl.get(url.toLowerCase());
  const signals: RepositorySignals = read ?? {
    status: 'found',
    readAt,
    archived: facts.archived,
    pushedAt: facts.pushedAt,
  };
  const registered = published.find(
    (c) => c.registry?.status === 'found' || c.mavenRepository?.status === 'found',
  );
  let host = 'github.com';
  try {
    host = new URL(url).host;
  } catch {
    // a location that is not a URL keeps the default host
  }
  const [group, name] = splitName(project);
  return {
    ecosystem: project.ecosystem,
    ...(group !== undefined ? { group } : {}),
    name,
    version: project.version ?? '',
    sourceKind: 'registry',
    ...(registered?.registry ? { registry: registered.registry } : {}),
    ...(registered?.mavenRepository ? { mavenRepository: registered.mavenRepository } : {}),
    sourceRepository: { url, host, confidence: 'high', from: 'first-party' },
    repositorySignals: signals,
  };
}

/** A project's `group:artifact` (Maven) or `@scope/name` (npm) name, as a component would hold it. */
function splitName(project: Project): [string | undefined, string] {
  const name = project.name ?? project.id;
  const at =
    project.ecosystem === 'maven' ? name.indexOf(':') : name.startsWith('@') ? name.indexOf('/') : -1;
  return at > 0 ? [name.slice(0, at), name.slice(at + 1)] : [undefined, name];
}

interface Dated {
  at: string;
  ms: number;
  source: string;
}

interface Evidence {
  lastRelease?: Dated;
  lastCommit?: Dated;
  commits90?: number;
  commits365?: number;
  committers?: number;
  signals?: RepositorySignals & { status: 'found' };
  latestVersion: string;
  notes: HealthReason[];
}

/** The class, reasons and score of one component (or project input). */
export function classifyHealth(
  input: HealthInput,
  now: Date,
  thresholds: HealthThresholds = DEFAULT_HEALTH_THRESHOLDS,
  override?: HealthOverride,
): HealthVerdict {
  const evidence = evidenceOf(input);
  const clock = new Clock(now);
  const eol = eolReasons(input, override);
  if (eol.length > 0) return verdict('EOL', [...eol, ...evidence.notes], evidence, clock);

  const { lastRelease, lastCommit } = evidence;
  if (!lastRelease && !lastCommit) {
    const reason: HealthReason = {
      code: 'no-dates',
      message: 'no source gave a release date or a commit date: not enough data to judge',
      values: { ecosystem: input.ecosystem, sourceKind: input.sourceKind ?? null },
    };
    return verdict('UNKNOWN', [reason, ...evidence.notes], evidence, clock);
  }

  const featureComplete = override?.status === 'feature-complete' ? override : undefined;
  const releaseAge = (months: number) => (lastRelease ? clock.olderThan(lastRelease.ms, months) : undefined);
  const commitAge = (months: number) => (lastCommit ? clock.olderThan(lastCommit.ms, months) : undefined);

  if (releaseAge(thresholds.abandonedReleaseMonths) && commitAge(thresholds.abandonedCommitMonths)) {
    const stale = [
      releaseReason('no-release', lastRelease!, clock, thresholds.abandonedReleaseMonths),
      commitReason('no-commit', lastCommit!, clock, thresholds.abandonedCommitMonths),
    ];
    if (!featureComplete) return verdict('ABANDONED', [...stale, ...evidence.notes], evidence, clock);
    return verdict(
      'MAINTAINED',
      [featureCompleteReason(featureComplete), ...stale, ...evidence.notes],
      evidence,
      clock,
    );
  }

  const risks: HealthReason[] = [];
  const littleActivity =
    evidence.commits365 !== undefined
      ? evidence.commits365 < thresholds.lowActivityCommits
      : lastCommit
        ? clock.olderThan(lastCommit.ms, thresholds.abandonedCommitMonths)
        : undefined;
  if (!featureComplete && releaseAge(thresholds.staleReleaseMonths) && littleActivity !== false) {
    risks.push(staleReleaseReason(lastRelease!, clock, thresholds, evidence, littleActivity === undefined));
  }
  if (!featureComplete && !lastRelease && commitAge(thresholds.abandonedCommitMonths)) {
    risks.push(commitReason('no-recent-commits', lastCommit!, clock, thresholds.abandonedCommitMonths));
  }
  const major = majorOf(evidence.latestVersion);
  if (!featureComplete && major === 0 && releaseAge(thresholds.preOneStaleMonths)) {
    risks.push({
      code: 'pre-1.0-stale',
      message: `its latest version ${evidence.latestVersion} is below 1.0.0 and its last release is older than ${thresholds.preOneStaleMonths} months`,
      values: {
        latestVersion: evidence.latestVersion,
        lastReleaseAt: lastRelease!.at,
        monthsSinceRelease: clock.monthsSince(lastRelease!.ms),
        thresholdMonths: thresholds.preOneStaleMonths,
      },
    });
  }
  if (evidence.committers === 1) {
    risks.push({
      code: 'single-committer',
      message: 'a single person committed to the default branch in the last 12 months',
      values: { activeCommittersLast12Months: 1, commitsLast365Days: evidence.commits365 ?? null },
    });
  }
  if (risks.length > 0) {
    const context = featureComplete ? [featureCompleteReason(featureComplete)] : [];
    return verdict('AT_RISK', [...risks, ...context, ...evidence.notes], evidence, clock);
  }

  const healthy = healthyCriteria(evidence, clock, thresholds);
  if (healthy.met) return verdict('HEALTHY', [...healthy.reasons, ...evidence.notes], evidence, clock);

  const why: HealthReason[] = [];
  if (featureComplete) why.push(featureCompleteReason(featureComplete));
  if (lastRelease && !releaseAge(thresholds.staleReleaseMonths)) {
    why.push(releaseReason('recent-release', lastRelease, clock, thresholds.staleReleaseMonths));
  } else if (lastCommit && !commitAge(thresholds.abandonedCommitMonths)) {
    why.push(
      commitReason(
        'recent-commits',
        lastCommit,
        clock,
        thresholds.abandonedCommitMonths,
        evidence.commits365,
      ),
    );
  }
  why.push(healthy.unmet);
  return verdict('MAINTAINED', [...why, ...evidence.notes], evidence, clock);
}

function verdict(
  healthClass: HealthClass,
  reasons: HealthReason[],
  evidence: Evidence,
  clock: Clock,
): HealthVerdict {
  const [low, high] = SCORE_BAND[healthClass];
  const last = Math.max(evidence.lastRelease?.ms ?? -Infinity, evidence.lastCommit?.ms ?? -Infinity);
  const freshness = Number.isFinite(last) ? 1 - Math.min(1, clock.monthsSince(last) / FRESHNESS_MONTHS) : 0;
  return { class: healthClass, reasons, score: Math.round(low + (high - low) * freshness) };
}

// ---- evidence ----

function evidenceOf(input: HealthInput): Evidence {
  const notes: HealthReason[] = [];
  const releases: Dated[] = [];
  let latestVersion = input.version;

  if (input.ecosystem === 'npm') {
    const registry = input.registry;
    if (registry?.status === 'found') {
      pushDated(releases, registry.lastReleaseAt, 'npm registry: last publication of any version');
      if (!registry.lastReleaseAt)
        pushDated(releases, registry.latest?.publishedAt, 'npm registry: publication of latest');
      if (registry.latest?.version) latestVersion = registry.latest.version;
    } else {
      notes.push(registryMissingNote('npm registry', registry, input));
    }
  } else {
    const maven = input.mavenRepository;
    if (maven?.status === 'found') {
      if (maven.latestPublishedAt)
        pushDated(releases, maven.latestPublishedAt, 'Maven: Last-Modified of the latest release POM');
      else pushDated(releases, maven.lastUpdated, 'Maven: maven-metadata.xml lastUpdated');
      latestVersion = maven.release ?? maven.latest ?? latestVersion;
    } else {
      notes.push(registryMissingNote('Maven repository', maven ?? input.registry, input));
    }
  }

  const raw = input.repositorySignals;
  const signals = raw?.status === 'found' ? (raw as RepositorySignals & { status: 'found' }) : undefined;
  let lastCommit: Dated | undefined;
  if (signals) {
    pushDated(releases, signals.lastReleaseAt ?? undefined, 'GitHub: latest release');
    lastCommit =
      datedOf(signals.lastCommitAt ?? undefined, 'GitHub: last commit on the default branch') ??
      datedOf(signals.pushedAt ?? undefined, 'GitHub: last push');
  } else if (!input.sourceRepository) {
    notes.push({
      code: 'source-repository-unknown',
      message: 'no source repository is known for it: no commit or committer signals',
    });
  } else {
    notes.push({
      code: 'repository-signals-missing',
      message: `the signals of ${input.sourceRepository.url} were not read: ${raw?.reason ?? 'no repository lookup in this run'}`,
      values: { repository: input.sourceRepository.url, reason: raw?.reason ?? 'not read' },
    });
  }
  const lastRelease = releases.reduce<Dated | undefined>(
    (best, d) => (best && best.ms >= d.ms ? best : d),
    undefined,
  );
  return {
    ...(lastRelease ? { lastRelease } : {}),
    ...(lastCommit ? { lastCommit } : {}),
    ...(signals?.commitsLast90Days !== undefined ? { commits90: signals.commitsLast90Days } : {}),
    ...(signals?.commitsLast365Days !== undefined ? { commits365: signals.commitsLast365Days } : {}),
    ...(signals?.activeCommittersLast12Months !== undefined
      ? { committers: signals.activeCommittersLast12Months }
      : {}),
    ...(signals ? { signals } : {}),
    latestVersion,
    notes,
  };
}

function registryMissingNote(
  registry: string,
  facts: RegistryFacts | RegistryMissing | MavenRepositoryFacts | undefined,
  input: HealthInput,
): HealthReason {
  const reason =
    facts?.status === 'missing'
      ? facts.reason
      : input.locked === false
        ? `its version ${input.version} is not locked (a declared range, or one that could not be resolved): nothing was looked up`
        : input.sourceKind !== undefined && input.sourceKind !== 'registry'
          ? `it does not come from a registry (${input.sourceKind})`
          : 'no registry lookup for it in this run';
  return {
    code: 'registry-facts-missing',
    message: `the ${registry} gave no facts: ${reason}`,
    values: { registry, reason },
  };
}

function pushDated(list: Dated[], at: string | undefined, source: string): void {
  const dated = datedOf(at, source);
  if (dated) list.push(dated);
}

function datedOf(at: string | undefined, source: string): Dated | undefined {
  if (!at) return undefined;
  const ms = Date.parse(at);
  return Number.isNaN(ms) ? undefined : { at: new Date(ms).toISOString(), ms, source };
}

// ---- EOL ----

function eolReasons(input: HealthInput, override: HealthOverride | undefined): HealthReason[] {
  const reasons: HealthReason[] = [];
  const registry = input.registry;
  if (registry?.status === 'found') {
    if (registry.deprecated !== undefined) {
      reasons.push({
        code: 'deprecated',
        message: `version ${input.version} is deprecated${registry.deprecated ? `: ${registry.deprecated}` : ''}`,
        values: { version: input.version, message: registry.deprecated },
      });
    }
    const latest = registry.latest;
    if (latest?.deprecated !== undefined && latest.version !== input.version) {
      reasons.push({
        code: 'latest-deprecated',
        message: `its latest version ${latest.version} is deprecated${latest.deprecated ? `: ${latest.deprecated}` : ''}`,
        values: { latestVersion: latest.version, message: latest.deprecated },
      });
    }
  } else if (registry?.status === 'missing' && registry.unpublished) {
    reasons.push({
      code: 'unpublished',
      message: `the registry says it was unpublished${registry.unpublished.at ? ` on ${registry.unpublished.at}` : ''}: ${registry.reason}`,
      values: { at: registry.unpublished.at ?? null, reason: registry.reason },
    });
  }
  const signals = input.repositorySignals;
  const repository = input.sourceRepository?.url ?? null;
  if (signals?.status === 'found' && signals.archived) {
    reasons.push({
      code: 'repository-archived',
      message: `its source repository${repository ? ` ${repository}` : ''} is archived`,
      values: { repository, readAt: signals.readAt || null },
    });
  }
  if (signals?.status === 'found' && signals.disabled) {
    reasons.push({
      code: 'repository-disabled',
      message: `its source repository${repository ? ` ${repository}` : ''} is disabled`,
      values: { repository, readAt: signals.readAt || null },
    });
  }
  const maven = input.mavenRepository;
  if (maven?.status === 'found' && maven.relocation) {
    const relocation = maven.relocation;
    const groupId = input.group;
    const artifactId = input.name;
    const target = `${relocation.groupId ?? groupId}:${relocation.artifactId ?? artifactId}${relocation.version ? `:${relocation.version}` : ''}`;
    const moved =
      (relocation.groupId !== undefined && relocation.groupId !== groupId) ||
      (relocation.artifactId !== undefined && relocation.artifactId !== artifactId);
    if (moved) {
      reasons.push({
        code: 'relocated',
        message: `the artifact moved to ${target}${relocation.message ? `: ${relocation.message}` : ''}`,
        values: { to: target, message: relocation.message ?? null },
      });
    }
  }
  if (override?.status === 'end-of-life') {
    reasons.push({
      code: 'declared-end-of-life',
      message: `declared end of life: ${override.reason}`,
      values: {
        reason: override.reason,
        citation: override.citation,
        successor: override.successor ?? null,
        origin: override.origin,
      },
    });
  }
  return reasons;
}

// ---- the other classes ----

function healthyCriteria(
  evidence: Evidence,
  clock: Clock,
  thresholds: HealthThresholds,
): { met: true; reasons: HealthReason[] } | { met: false; unmet: HealthReason } {
  const { lastRelease, commits90, committers } = evidence;
  const recentRelease = lastRelease
    ? !clock.olderThan(lastRelease.ms, thresholds.healthyReleaseMonths)
    : undefined;
  const regularCommits = commits90 !== undefined ? commits90 >= thresholds.healthyCommits90Days : undefined;
  const several = committers !== undefined ? committers >= thresholds.healthyCommitters : undefined;
  if (recentRelease && regularCommits && several) {
    return {
      met: true,
      reasons: [
        releaseReason('recent-release', lastRelease!, clock, thresholds.healthyReleaseMonths),
        {
          code: 'regular-commits',
          message: `${commits90} commits on the default branch in the last 90 days (at least ${thresholds.healthyCommits90Days})`,
          values: { commitsLast90Days: commits90!, threshold: thresholds.healthyCommits90Days },
        },
        {
          code: 'several-committers',
          message: `${committers} people committed in the last 12 months (at least ${thresholds.healthyCommitters})`,
          values: { activeCommittersLast12Months: committers!, threshold: thresholds.healthyCommitters },
        },
      ],
    };
  }
  const state = (value: boolean | undefined) => (value === undefined ? 'unknown' : value ? 'met' : 'not met');
  return {
    met: false,
    unmet: {
      code: 'healthy-criteria-unmet',
      message:
        `not HEALTHY: a release within ${thresholds.healthyReleaseMonths} months ${state(recentRelease)}, ` +
        `at least ${thresholds.healthyCommits90Days} commits in 90 days ${state(regularCommits)}, ` +
        `at least ${thresholds.healthyCommitters} committers in 12 months ${state(several)}`,
      values: {
        releaseWithinMonths: recentRelease ?? null,
        commitsLast90Days: commits90 ?? null,
        activeCommittersLast12Months: committers ?? null,
      },
    },
  };
}

function releaseReason(code: string, release: Dated, clock: Clock, thresholdMonths: number): HealthReason {
  const months = clock.monthsSince(release.ms);
  const older = clock.olderThan(release.ms, thresholdMonths);
  return {
    code,
    message: `last release ${release.at.slice(0, 10)}, ${months} months ago (${older ? 'more' : 'not more'} than ${thresholdMonths}; ${release.source})`,
    values: {
      lastReleaseAt: release.at,
      monthsSinceRelease: months,
      thresholdMonths,
      source: release.source,
    },
  };
}

function commitReason(
  code: string,
  commit: Dated,
  clock: Clock,
  thresholdMonths: number,
  commits365?: number,
): HealthReason {
  const months = clock.monthsSince(commit.ms);
  const older = clock.olderThan(commit.ms, thresholdMonths);
  return {
    code,
    message: `last commit ${commit.at.slice(0, 10)}, ${months} months ago (${older ? 'more' : 'not more'} than ${thresholdMonths}; ${commit.source})`,
    values: {
      lastCommitAt: commit.at,
      monthsSinceCommit: months,
      thresholdMonths,
      source: commit.source,
      ...(commits365 !== undefined ? { commitsLast365Days: commits365 } : {}),
    },
  };
}

function staleReleaseReason(
  release: Dated,
  clock: Clock,
  thresholds: HealthThresholds,
  evidence: Evidence,
  activityUnknown: boolean,
): HealthReason {
  const base = releaseReason('stale-release', release, clock, thresholds.staleReleaseMonths);
  const activity = activityUnknown
    ? 'activity unknown: no repository signals'
    : evidence.commits365 !== undefined
      ? `little activity: ${evidence.commits365} commits in the last 365 days (fewer than ${thresholds.lowActivityCommits})`
      : `little activity: no commit for more than ${thresholds.abandonedCommitMonths} months`;
  const abandonedUnconfirmed =
    activityUnknown && clock.olderThan(release.ms, thresholds.abandonedReleaseMonths)
      ? `; older than ${thresholds.abandonedReleaseMonths} months, but abandonment needs commit data`
      : '';
  return {
    code: 'stale-release',
    message: `${base.message}, ${activity}${abandonedUnconfirmed}`,
    values: {
      ...base.values,
      commitsLast365Days: evidence.commits365 ?? null,
      lowActivityCommits: thresholds.lowActivityCommits,
      activityKnown: !activityUnknown,
    },
  };
}

function featureCompleteReason(override: HealthOverride): HealthReason {
  return {
    code: 'feature-complete',
    message: `feature-complete: ${override.reason}`,
    values: { reason: override.reason, citation: override.citation, origin: override.origin },
  };
}

/** The leading number of a version (`0.9.1` → 0, `v2` → 2), or undefined when it has none. */
function majorOf(version: string): number | undefined {
  const match = /^v?(\d+)(?:[.\-+]|$)/i.exec(version.trim());
  return match ? Number(match[1]) : undefined;
}

/** Calendar arithmetic in UTC, against the run's clock: "older than N months" as health reads it. */
export class Clock {
  readonly #now: Date;
  readonly #cutoffs = new Map<number, number>();

  constructor(now: Date) {
    this.#now = now;
  }

  /** The instant `months` calendar months before now (the day clamped to the month's length). */
  monthsBefore(months: number): number {
    let cutoff = this.#cutoffs.get(months);
    if (cutoff === undefined) {
      cutoff = shiftMonths(this.#now, -months);
      this.#cutoffs.set(months, cutoff);
    }
    return cutoff;
  }

  /** Whether `ms` is before the instant `months` months ago. */
  olderThan(ms: number, months: number): boolean {
    return ms < this.monthsBefore(months);
  }

  /** Whole calendar months from `ms` to now (0 for a date in the future). */
  monthsSince(ms: number): number {
    if (ms >= this.#now.getTime()) return 0;
    const then = new Date(ms);
    let months =
      (this.#now.getUTCFullYear() - then.getUTCFullYear()) * 12 +
      (this.#now.getUTCMonth() - then.getUTCMonth());
    while (months > 0 && this.monthsBefore(months) < ms) months--;
    return months;
  }
}

function shiftMonths(date: Date, months: number): number {
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth() + months;
  const targetYear = year + Math.floor(month / 12);
  const targetMonth = ((month % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(targetYear, targetMonth + 1, 0)).getUTCDate();
  return Date.UTC(
    targetYear,
    targetMonth,
    Math.min(date.getUTCDate(), lastDay),
    date.getUTCHours(),
    date.getUTCMinutes(),
    date.getUTCSeconds(),
    date.getUTCMilliseconds(),
  );
}
