/**
 * The plan-B rules of a run: the organisation's decisions (configuration `planB.decisions`) and our catalog
 * (data/planb-catalog.yaml). Applied by the health pass (src/pipeline/health.ts) through src/core/planb.ts.
 */
import { all as moduleReplacements, resolveDocUrl } from 'module-replacements';
import { replacementEntries } from '../core/planb-replacements.js';
import { readFileSync } from 'node:fs';
import { load } from 'js-yaml';
import type { Problem } from '../core/model.js';
import { indexPlanBRules, type PlanBKnowledge } from '../core/planb.js';

// Both src/pipeline/ (tests) and dist/pipeline/ (the built CLI) are two levels below the package root.
export const SHIPPED_PLANB_CATALOG = new URL('../../data/planb-catalog.yaml', import.meta.url);
export const SHIPPED_PLANB_ORIGIN = 'data/planb-catalog.yaml';
export const REPLACEMENTS_ORIGIN = 'module-replacements (e18e)';

/**
 * The decisions (already shaped by config.schema.json) and the catalog. An unusable decision (a purl or a
 * range that does not parse) is an error problem and is left out; a malformed catalog is a defect of the
 * package: it throws.
 */
export function loadPlanBKnowledge(sources: { decisions?: readonly unknown[]; catalog?: URL } = {}): {
  knowledge: PlanBKnowledge;
  problems: Problem[];
} {
  const catalog = indexPlanBRules(SHIPPED_PLANB_ORIGIN, readPlanBCatalog(sources.catalog), 'citation');
  const first = catalog.issues[0];
  if (first) throw new Error(`${SHIPPED_PLANB_ORIGIN}: entries[${first.index}]: ${first.message}`);
  const decisions = indexPlanBRules('configuration', sources.decisions ?? [], 'owner');
  const problems: Problem[] = decisions.issues.map((issue) => ({
    severity: 'error',
    code: 'planb.decision.invalid-entry',
    message: `configuration: planB.decisions[${issue.index}] is left out: ${issue.message}`,
    hint: 'Each decision needs purl, options (kind, and target or label), reason and owner.',
  }));
  const replacements = indexPlanBRules(
    REPLACEMENTS_ORIGIN,
    replacementEntries(moduleReplacements, (url) =>
      resolveDocUrl(url as Parameters<typeof resolveDocUrl>[0]),
    ),
    'citation',
  );
  return {
    knowledge: { decisions: decisions.rules, catalog: catalog.rules, replacements: replacements.rules },
    problems,
  };
}

/** The `entries:` list of data/planb-catalog.yaml (or of `file`); a malformed file throws. */
export function readPlanBCatalog(file: URL = SHIPPED_PLANB_CATALOG): unknown[] {
  const document: unknown = load(readFileSync(file, 'utf8'));
  const entries =
    typeof document === 'object' && document !== null && Object.hasOwn(document, 'entries')
      ? (document as { entries: unknown }).entries
      : undefined;
  if (!Array.isArray(entries)) throw new Error(`${file.pathname}: expected an "entries" list`);
  return entries;
}
