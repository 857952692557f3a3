import type { LicenseCategory, Scope } from './model.js';
export type LicenseRuleList = { allow?: string[]; deny?: string[]; review?: string[] }; // SPDX ids (and `LicenseRef-...`) and category names
export interface Policy {
  /** Where it was read from, for messages (`policy.yaml`, `.oss-inventory.yaml#policy`). */
  file: string;
  licenses: LicenseRuleList & {
    /** What an unknown license is: a violation (`deny`, the default when `allow` is set), to review, or allowed. */
    unknown?: 'deny' | 'review' | 'allow';
  };
  /** Per scope: other lists for dev/test dependencies, or `ignore` to skip that scope. */
  scopes?: Partial<Record<Scope, (LicenseRuleList & { unknown?: 'deny' | 'review' | 'allow' }) | 'ignore'>>;
  curations: Curation[];
  waivers: Waiver[];
  /**
   * Where the rules are written, by path: `licenses.allow` (the list), `licenses.deny[2]` (an entry),
   * `licenses.unknown`, `scopes.dev`, `scopes.dev.allow[0]`... Set by the loader; messages fall back to `file`.
   */
  positions?: ReadonlyMap<string, PolicyPosition>;
}
export interface PolicyPosition {
  file: string;
  line: number;
}
export interface Curation {
  purl: string;
  versions?: string;
  license: string;
  reason: string;
  at: PolicyPosition;
}
export interface Waiver {
  purl: string;
  versions?: string;
  license?: string;
  reason: string;
  owner: string;
  expires: string;
  /* YYYY-MM-DD */ repositories?: string[];
  at: PolicyPosition;
}
export type Verdict = 'allowed' | 'denied' | 'not-allowed' | 'review' | 'unknown';
export interface Violation {
  /** `error` fails the check (denied, not-allowed, unknown when policy says deny); `warning` for review. */
  severity: 'error' | 'warning';
  verdict: Exclude<Verdict, 'allowed'>;
  /** Human sentence of the rule broken, e.g. `GPL-3.0-only is denied by policy.yaml:4 (licenses.deny: strong-copyleft)`. */
  rule: string;
  /** Where that rule is written. */
  ruleAt?: PolicyPosition;
  component: { purl: string; name: string; version: string; ecosystem: 'npm' | 'maven' };
  license: {
    expression?: string;
    category?: LicenseCategory;
    declared: string[];
    source?: string;
    evidence?: string;
  };
  /** The license ids that made it fail (the branch(es) of the expression at fault). */
  offending: string[];
  /** One entry per project that brings it in (scope-filtered). */
  usages: {
    project: string;
    subject: string;
    manifest: string;
    scopes: Scope[];
    direct: boolean;
    path: string[];
    /** The manifest line that declares the direct dependency leading to it, when known. */
    declaredAt?: { file: string; line: number };
  }[];
  /** A waiver that matched but has expired: it stopped counting. */
  expiredWaiver?: { expires: string; owner: string; at: PolicyPosition };
  /** Ready-to-paste YAML for the policy's `waivers:` list (expires 90 days after `now`; reason and owner are prompts to fill in, like `<why this is acceptable>`). */
  waiverSnippet: string;
  /** The plan-B alternative, when one is known (filled by the plan-B issue later; leave undefined). */
  /** The first way out whose target's license, when known, passes the rules this violation failed. */
  planB?: { target: string; confidence: string; license?: string; evidence?: string };
}
export interface CheckResult {
  policy: string; // policy file name
  checkedAt: string; // ISO time (`now`)
  components: number; // components evaluated (after scope filtering)
  violations: Violation[]; // errors and warnings, sorted: errors first, then purl
  waived: {
    purl: string;
    license?: string;
    waiver: PolicyPosition;
    expires: string;
    owner: string;
    reason: string;
  }[];
  /** Violations present in the base inventory too (only with --base): reported but not failing. */
  preexisting: Violation[];
}
