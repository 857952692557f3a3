/**
 * The health pass of the scan pipeline, after licenses: source repositories and their signals
 * (repository-signals.ts), then the pure classification (src/core/health.ts) with the thresholds and the
 * overrides: the organisation's (configuration, then its overrides file) before ours (data/).
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { load } from 'js-yaml';
import { assessHealth, DEFAULT_HEALTH_THRESHOLDS, type HealthThresholds } from '../core/health.js';
import { indexHealthOverrides, type HealthOverrides } from '../core/health-overrides.js';
import { compareProblems, distinct } from '../core/inventory.js';
import type { Inventory, Problem } from '../core/model.js';
import { assignSourceRepositories } from '../core/source-repository.js';
import type { NetworkContext } from '../ecosystems/types.js';
import { assignPlanB, type PlanBKnowledge } from '../core/planb.js';
import { findMaintainedForks } from './maintained-forks.js';
import { describePlanBTargets, type TargetLookup } from './planb-targets.js';
import { findPublishedNames } from './published-names.js';
import { addRepositorySignals, type RepositorySignalsRequest } from './repository-signals.js';

// Both src/pipeline/ (tests) and dist/pipeline/ (the built CLI) are two levels below the package root.
export const SHIPPED_OVERRIDES_FILE = new URL('../../data/health-overrides.yaml', import.meta.url);
export const SHIPPED_OVERRIDES_ORIGIN = 'data/health-overrides.yaml';

export interface HealthRequest {
  thresholds?: Partial<HealthThresholds>;
  overrides: HealthOverrides;
  /** Problems met while loading the organisation's overrides, added to the inventory's. */
  problems?: Problem[];
  /**
   * How the source repositories' signals are read (token, cache, TTL); the client and `offline` come from
   * the run's network. Absent, or a run without network: no signals, and health says so per component.
   */
  repositories?: Omit<RepositorySignalsRequest, 'client' | 'offline'>;
  /** The plan-B rules (src/pipeline/planb.ts); absent: no plan B. */
  planB?: PlanBKnowledge;
}

/**
 * Source repositories, their signals, then every component's and GitHub project's health, then plan B: the
 * active forks of archived or abandoned repositories, a draft, its targets checked against their
 * registries (`targets`), then the plan B kept.
 */
export async function runHealth(
  inventory: Inventory,
  request: HealthRequest,
  network: NetworkContext | undefined,
  targets?: TargetLookup,
): Promise<Inventory> {
  const withSignals =
    network && request.repositories
      ? await addRepositorySignals(inventory, {
          ...request.repositories,
          client: network.client,
          offline: network.offline,
        })
      : assignSourceRepositories(inventory);
  const assessed = assessHealth(withSignals, {
    now: new Date(inventory.generatedAt),
    thresholds: request.thresholds,
    overrides: request.overrides,
  });
  const planned = request.planB
    ? await planBOf(assessed, request.planB, request, network, targets)
    : { inventory: assessed, problems: [] };
  // in the order buildInventory gives them, so that merged shards equal a single run
  const problems = distinct([
    ...planned.inventory.problems,
    ...planned.problems,
    ...(request.problems ?? []),
  ]).sort(compareProblems);
  return { ...planned.inventory, problems };
}

async function planBOf(
  assessed: Inventory,
  rules: PlanBKnowledge,
  request: HealthRequest,
  network: NetworkContext | undefined,
  lookup: TargetLookup | undefined,
): Promise<{ inventory: Inventory; problems: Problem[] }> {
  const github =
    network && request.repositories
      ? { ...request.repositories, client: network.client, offline: network.offline }
      : undefined;
  const forks = github ? await findMaintainedForks(assessed, github) : undefined;
  const published = github ? await findPublishedNames(assessed, github) : undefined;
  const knowledge: PlanBKnowledge = {
    ...rules,
    ...(forks?.forks ? { forks: forks.forks } : {}),
    ...(published?.publishedNames ? { publishedNames: published.publishedNames } : {}),
    staleTargetMonths:
      request.thresholds?.abandonedReleaseMonths ?? DEFAULT_HEALTH_THRESHOLDS.abandonedReleaseMonths,
  };
  const draft = assignPlanB(assessed, knowledge);
  const problems = [...(forks?.problems ?? []), ...(published?.problems ?? [])];
  if (!lookup) return { inventory: draft, problems };
  const checked = await describePlanBTargets(draft, lookup);
  return {
    inventory: assignPlanB(assessed, { ...knowledge, targets: checked.targets }),
    problems: [...problems, ...checked.problems],
  };
}

export interface OverridesSources {
  /** `health.overrides` of the configuration (already checked by the configuration parser). */
  entries?: readonly unknown[];
  /** `health.overridesFile`, resolved against the configuration's folder. */
  file?: string;
  /** Our list; tests give another. Default data/health-overrides.yaml. */
  shipped?: URL;
}

/**
 * The overrides of a run, in priority order: the configuration's entries, the organisation's file, ours.
 * A missing or malformed organisation file, or an unusable entry in it, is an error problem (the other
 * overrides still apply); a malformed shipped file is a defect of the package: it throws.
 */
export async function loadHealthOverrides(
  sources: OverridesSources,
): Promise<{ overrides: HealthOverrides; problems: Problem[] }> {
  const lists: { origin: string; entries: readonly unknown[] }[] = [];
  const problems: Problem[] = [];
  if (sources.entries && sources.entries.length > 0) {
    lists.push({ origin: 'configuration (health.overrides)', entries: sources.entries });
  }
  if (sources.file) {
    const read = await readOverridesFile(sources.file);
    if (read.ok) lists.push({ origin: sources.file, entries: read.entries });
    else problems.push(read.problem);
  }
  lists.push({ origin: SHIPPED_OVERRIDES_ORIGIN, entries: readShippedOverrides(sources.shipped) });
  const { overrides, issues } = indexHealthOverrides(lists);
  for (const issue of issues) {
    if (issue.origin === SHIPPED_OVERRIDES_ORIGIN) {
      throw new Error(`${SHIPPED_OVERRIDES_ORIGIN}: overrides[${issue.index}]: ${issue.message}`);
    }
    problems.push({
      severity: 'error',
      code: 'health.overrides.invalid-entry',
      message: `${issue.origin}: overrides[${issue.index}] is left out: ${issue.message}`,
      ...(issue.origin === sources.file ? { file: path.basename(issue.origin) } : {}),
      hint: 'Each override needs purl, status (feature-complete or end-of-life), reason and citation.',
    });
  }
  return { overrides, problems };
}

/** The `overrides:` list of data/health-overrides.yaml (or of `file`); a malformed file throws. */
export function readShippedOverrides(file: URL = SHIPPED_OVERRIDES_FILE): unknown[] {
  const entries = overridesOf(load(readFileSync(file, 'utf8')));
  if (!entries) throw new Error(`${file.pathname}: expected an "overrides" list`);
  return entries;
}

async function readOverridesFile(
  file: string,
): Promise<{ ok: true; entries: unknown[] } | { ok: false; problem: Problem }> {
  const failed = (why: string): { ok: false; problem: Problem } => ({
    ok: false,
    problem: {
      severity: 'error',
      code: 'health.overrides.unreadable',
      message: `the health overrides file ${file} ${why}; its overrides are not applied`,
      hint: 'Fix health.overridesFile in the configuration, or the file: an `overrides:` list.',
    },
  });
  let content: string;
  try {
    content = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return failed(code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? String(error)})`);
  }
  let document: unknown;
  try {
    document = load(content, { json: false });
  } catch (error) {
    return failed(
      `is not valid YAML: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
    );
  }
  const entries = overridesOf(document);
  return entries ? { ok: true, entries } : failed('holds no `overrides:` list');
}

function overridesOf(document: unknown): unknown[] | undefined {
  if (typeof document !== 'object' || document === null || !Object.hasOwn(document, 'overrides')) {
    return undefined;
  }
  const list = (document as { overrides: unknown }).overrides;
  return Array.isArray(list) ? list : undefined;
}
