import type { Inventory } from '../core/model.js';
import type { CheckResult, Policy } from '../core/policy-model.js';

/** What `check --fail-on` counts: only errors, or warnings (licenses to review) too. */
export type FailOn = 'error' | 'warning';

/** Everything a renderer of `check` needs. Renderers are pure: they render this and add nothing. */
export interface CheckReport {
  result: CheckResult;
  /** The inventory that was checked: licenses' provenance, and every component for JUnit. */
  inventory: Inventory;
  policy: Policy;
  failOn: FailOn;
  /**
   * Per subject name, the folder its files are in relative to the working folder (`''` for the working
   * folder itself), so that SARIF, annotations and the text name files as the repository sees them. A
   * subject absent from the map keeps its subject-relative paths.
   */
  subjectRoots: ReadonlyMap<string, string>;
  tool: { name: string; version: string; informationUri?: string };
  /** The base inventory file given with `--base`, if any: its violations are in `result.preexisting`. */
  base?: string;
  /** ANSI colours in the text format. */
  color: boolean;
}

export const CHECK_FORMATS = ['text', 'json', 'sarif', 'github', 'junit'] as const;
export type CheckFormat = (typeof CHECK_FORMATS)[number];

/** Each format's renderer, loaded when first used. */
export const CHECK_RENDERERS: Record<CheckFormat, (report: CheckReport) => Promise<string>> = {
  text: async (report) => (await import('./text.js')).renderText(report),
  json: async (report) => (await import('./json.js')).renderJson(report),
  sarif: async (report) => (await import('./sarif.js')).renderSarif(report),
  github: async (report) => (await import('./github.js')).renderGitHub(report),
  junit: async (report) => (await import('./junit.js')).renderJUnit(report),
};
