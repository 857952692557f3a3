import { normaliseLicense, type LicenseKnowledge } from '../core/license.js';
import type { Inventory, Problem } from '../core/model.js';
import { planBTargets, type TargetFacts, type TargetRef } from '../core/planb.js';
import type { PackageDescription, PackagesDescribed } from '../ecosystems/types.js';

/** Asks each target's ecosystem what its registry says (scan.ts binds it to the run's ecosystems). */
export type DescribeTargets = (refs: readonly TargetRef[]) => Promise<PackagesDescribed>;

export interface TargetLookup {
  describe: DescribeTargets;
  /** To map the targets' declared licenses as the components' are mapped. */
  licenses: LicenseKnowledge;
  offline: boolean;
}

const NAMES_SHOWN = 3;

/**
 * The registries' answers for the plan-B targets of a draft plan B that the inventory does not hold, by
 * TargetRef.key: the plan-B engine drops a target that is not published, deprecated or relocated, and
 * flags a stale one or one under another license family. Targets left unanswered stay as they are, and
 * are one problem.
 */
export async function describePlanBTargets(
  draft: Inventory,
  lookup: TargetLookup,
): Promise<{ targets: Map<string, TargetFacts>; problems: Problem[] }> {
  const refs = planBTargets(draft);
  if (refs.length === 0) return { targets: new Map(), problems: [] };
  const { descriptions: described, problems: met } = await lookup.describe(refs);
  const targets = new Map<string, TargetFacts>();
  const unanswered: string[] = [];
  for (const ref of refs) {
    const description = described.get(ref.key);
    if (!description) continue;
    if (description.status === 'unknown') unanswered.push(ref.name);
    targets.set(ref.key, factsOf(description, lookup.licenses));
  }
  return {
    targets,
    problems: [
      ...met,
      ...(unanswered.length > 0 ? [unansweredProblem(unanswered, described, refs, lookup.offline)] : []),
    ],
  };
}

function factsOf(description: PackageDescription, licenses: LicenseKnowledge): TargetFacts {
  if (description.status !== 'found') return description;
  const { declaredLicenses, ...found } = description;
  const license = declaredLicenses.length > 0 ? normaliseLicense(declaredLicenses, licenses) : undefined;
  return {
    ...found,
    ...(license?.status === 'known'
      ? { license: { expression: license.expression, category: license.category } }
      : {}),
  };
}

function unansweredProblem(
  names: readonly string[],
  described: Map<string, PackageDescription>,
  refs: readonly TargetRef[],
  offline: boolean,
): Problem {
  const shown = names.slice(0, NAMES_SHOWN).join(', ') + (names.length > NAMES_SHOWN ? ', ...' : '');
  const first = refs.map((r) => described.get(r.key)).find((d) => d?.status === 'unknown');
  const why = first?.status === 'unknown' ? `: ${first.reason}` : '';
  const n = names.length;
  return {
    severity: offline ? 'info' : 'warning',
    code: 'planb.targets.unchecked',
    message: `${n.toLocaleString('en')} plan-B target${n === 1 ? ' was' : 's were'} not checked against ${n === 1 ? 'its' : 'their'} registry (${shown})${why}; ${n === 1 ? 'it is' : 'they are'} offered unchecked`,
    hint: offline
      ? 'Run once without --offline to fill the cache.'
      : 'Check the registry settings and the network, then run again.',
  };
}
