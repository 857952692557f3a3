/**
 * Policy evaluation (pure): every component's license, for each usage that brings it in, against the
 * policy's rules; then waivers.
 *
 * Precedence, for one license of an expression, with the rule lists that apply to the usage's scope:
 * 1. an exact rule: `id WITH exception` as a whole, then the id alone; an or-later id (`GPL-2.0-or-later`,
 *    `Apache-2.0+`) falls back to the rule of its base version (`GPL-2.0-only`, `Apache-2.0`);
 * 2. else the rule of its category (`strong-copyleft`...);
 * 3. else an unknown license (category `unknown`, `LicenseRef-unmapped-...`) follows `unknown:`;
 * 4. else it is allowed when the lists have no `allow`, and not allowed when they do.
 * Within one step, deny beats review, which beats allow. A scope's lists replace the top-level lists for
 * usages in that scope (`unknown` is inherited when the top level writes it); `ignore` skips the scope. A
 * usage in several scopes, and a component with several usages, is judged by the strictest verdict.
 * Curations are applied first. A matching waiver turns a violation into `waived` while
 * `expires >= today` (UTC day of `now`); once past, the violation stands and names the expired waiver.
 */
import { PackageURL } from 'packageurl-js';
import picomatch from 'picomatch';
import { applyCurations } from './curation.js';
import {
  LICENSE_CATEGORIES,
  type Component,
  type ComponentLicense,
  type Inventory,
  type LicenseCategory,
  type Scope,
  type Usage,
} from './model.js';
import {
  componentKey,
  indexPatterns,
  parsePackagePattern,
  versionMatches,
  type PackagePattern,
} from './package-pattern.js';
import type {
  CheckResult,
  LicenseRuleList,
  Policy,
  PolicyPosition,
  Verdict,
  Violation,
  Waiver,
} from './policy-model.js';
import {
  categoryOfLicense,
  evaluateSpdx,
  parseSpdxExpression,
  spdxLicenses,
  termKey,
  type Evaluation,
  type SpdxLicense,
  type SpdxParse,
} from './spdx-expression.js';

export interface EvaluateOptions {
  /** The clock: waivers expire against the UTC day of `now`; waiver snippets expire 90 days after it. */
  now: Date;
  /** Category of every SPDX license id (see data/license-categories.yaml). */
  categories: ReadonlyMap<string, LicenseCategory>;
  /** Only usages in the subjects it accepts are judged. */
  subjectFilter?: (subject: string) => boolean;
}

type ListName = 'allow' | 'deny' | 'review';
type UnknownRule = 'deny' | 'review' | 'allow';

const LIST_NAMES: readonly ListName[] = ['deny', 'review', 'allow'];
const LIST_STRENGTH: Record<ListName, number> = { allow: 1, review: 2, deny: 3 };
/** How bad a verdict is; 0 passes, 1 is a warning, 2 and more fail the check. */
const RANK = { allowed: 0, review: 1, unknownReview: 1, unknownDeny: 2, notAllowed: 3, denied: 4 } as const;
const WAIVER_SNIPPET_DAYS = 90;
const DAY_MS = 24 * 60 * 60 * 1000;

interface ListRule {
  list: ListName;
  /** The entry as written (`strong-copyleft`, `GPL-3.0-only`). */
  entry: string;
  /** `licenses.deny`, `scopes.dev.allow`. */
  path: string;
  at?: PolicyPosition;
}

interface RuleSet {
  /** `licenses` or `scopes.dev`. */
  path: string;
  ids: Map<string, ListRule>;
  categories: Map<string, ListRule>;
  allowAt?: PolicyPosition;
  hasAllow: boolean;
  unknown: UnknownRule;
  unknownPath: string;
  unknownAt?: PolicyPosition;
  unknownWritten: boolean;
  cache: Map<string, Outcome>;
}

interface Finding {
  verdict: Verdict;
  /** The license judged (`termKey`), or undefined when the component has no usable expression. */
  license?: string;
  category?: LicenseCategory;
  rule?: ListRule;
}

type Outcome = Evaluation<Finding>;

interface Failing {
  usage: Usage;
  subject: string;
  scopes: Scope[];
  outcome: Outcome;
  ruleSet: RuleSet;
}

interface CompiledWaiver {
  waiver: Waiver;
  pattern: PackagePattern;
  /** Normalised expression and lower-case license keys of `license`, when set. */
  expression?: string;
  licenses?: Set<string>;
  repositories?: (subject: string) => boolean;
}

export function evaluatePolicy(inventory: Inventory, policy: Policy, options: EvaluateOptions): CheckResult {
  const curated = applyCurations(inventory, policy.curations, options.categories);
  const evaluator = new Evaluator(curated, policy, options);
  const violations: Violation[] = [];
  const waived: CheckResult['waived'] = [];
  let components = 0;
  for (const component of curated.components) {
    const judged = evaluator.judgeComponent(component);
    if (!judged) continue;
    components++;
    const violation = evaluator.violationOf(component, judged, waived);
    if (violation) violations.push(violation);
  }
  violations.sort(
    (a, b) =>
      severityOrder(a) - severityOrder(b) ||
      compareText(a.component.purl, b.component.purl) ||
      compareText(a.verdict, b.verdict),
  );
  waived.sort((a, b) => compareText(a.purl, b.purl) || a.waiver.line - b.waiver.line);
  return {
    policy: policy.file,
    checkedAt: options.now.toISOString(),
    components,
    violations,
    waived,
    preexisting: [],
  };
}

/**
 * Splits a check against a base inventory's check (`--base`): violations the base has too (same package,
 * whatever its version, with the same offending licenses) move to `preexisting` and no longer fail.
 */
export function separatePreexisting(current: CheckResult, base: CheckResult): CheckResult {
  const known = new Set(base.violations.map(preexistingKey));
  const violations: Violation[] = [];
  const preexisting: Violation[] = [...current.preexisting];
  for (const violation of current.violations) {
    (known.has(preexistingKey(violation)) ? preexisting : violations).push(violation);
  }
  return { ...current, violations, preexisting };
}

function preexistingKey(violation: Violation): string {
  const { ecosystem, name } = violation.component;
  return JSON.stringify([ecosystem, name, [...violation.offending].sort()]);
}

function severityOrder(violation: Violation): number {
  return violation.severity === 'error' ? 0 : 1;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

class Evaluator {
  private readonly top: RuleSet;
  private readonly scoped = new Map<Scope, RuleSet | 'ignore'>();
  private readonly parsed = new Map<string, SpdxParse>();
  private readonly subjects = new Map<string, string>();
  private readonly waivers: Map<string, CompiledWaiver[]>;
  private readonly today: string;
  private readonly snippetExpiry: string;

  constructor(
    inventory: Inventory,
    private readonly policy: Policy,
    private readonly options: EvaluateOptions,
  ) {
    const positions = policy.positions ?? new Map<string, PolicyPosition>();
    this.top = compileRuleSet('licenses', policy.licenses, undefined, positions);
    for (const [scope, rules] of Object.entries(policy.scopes ?? {}) as [
      Scope,
      LicenseRuleList | 'ignore',
    ][]) {
      if (rules === undefined) continue;
      this.scoped.set(
        scope,
        rules === 'ignore' ? 'ignore' : compileRuleSet(`scopes.${scope}`, rules, this.top, positions),
      );
    }
    for (const project of inventory.projects) this.subjects.set(project.id, project.subject);
    this.waivers = indexPatterns(compileWaivers(policy.waivers), (w) => w.pattern);
    this.today = utcDay(options.now);
    this.snippetExpiry = utcDay(new Date(options.now.getTime() + WAIVER_SNIPPET_DAYS * DAY_MS));
  }

  /** The usages at fault, or undefined when no usage of the component is judged (filtered or ignored). */
  judgeComponent(component: Component): Failing[] | undefined {
    const usages: Usage[] =
      component.usedBy.length > 0
        ? component.usedBy
        : [{ project: '', manifest: '', scopes: component.scopes, direct: component.direct, path: [] }];
    let judged = false;
    const failing: Failing[] = [];
    for (const usage of usages) {
      const subject = this.subjectOf(usage.project);
      if (this.options.subjectFilter && usage.project !== '' && !this.options.subjectFilter(subject))
        continue;
      const scopes = usage.scopes.length > 0 ? usage.scopes : (['runtime'] as Scope[]);
      let worst: { outcome: Outcome; ruleSet: RuleSet } | undefined;
      const judgedScopes: Scope[] = [];
      for (const scope of scopes) {
        const ruleSet = this.scoped.get(scope) ?? this.top;
        if (ruleSet === 'ignore') continue;
        judgedScopes.push(scope);
        const outcome = this.outcomeOf(component.license, ruleSet);
        if (!worst || outcome.rank > worst.outcome.rank) worst = { outcome, ruleSet };
      }
      if (!worst) continue;
      judged = true;
      if (worst.outcome.rank > 0) failing.push({ usage, subject, scopes: judgedScopes, ...worst });
    }
    return judged ? failing : undefined;
  }

  /** The violation left once active waivers are applied (those are added to `waived`), or undefined. */
  violationOf(
    component: Component,
    failing: Failing[],
    waived: CheckResult['waived'],
  ): Violation | undefined {
    if (failing.length === 0) return undefined;
    const candidates = (this.waivers.get(componentKey(component)) ?? []).filter((w) =>
      versionMatches(w.pattern, component),
    );
    const parsed =
      component.license.expression === undefined ? undefined : this.parse(component.license.expression);
    const expression = parsed?.ok ? parsed.expression : undefined;
    const remaining: Failing[] = [];
    let expired: CompiledWaiver | undefined;
    const used = new Set<CompiledWaiver>();
    for (const entry of failing) {
      const matching = candidates.filter((w) => waiverCovers(w, expression, entry));
      const active = matching.find((w) => w.waiver.expires >= this.today);
      if (active) {
        used.add(active);
        continue;
      }
      expired ??= matching[0];
      remaining.push(entry);
    }
    for (const { waiver } of used) {
      waived.push({
        purl: component.purl,
        ...(component.license.expression === undefined ? {} : { license: component.license.expression }),
        waiver: waiver.at,
        expires: waiver.expires,
        owner: waiver.owner,
        reason: waiver.reason,
      });
    }
    if (remaining.length === 0) return undefined;
    return this.buildViolation(component, remaining, expired?.waiver);
  }

  private buildViolation(component: Component, failing: Failing[], expired: Waiver | undefined): Violation {
    let worst = failing[0] as Failing;
    for (const entry of failing) if (entry.outcome.rank > worst.outcome.rank) worst = entry;
    const { outcome, ruleSet } = worst;
    const finding = outcome.value;
    const offending = new Set<string>();
    for (const entry of failing) for (const id of entry.outcome.offending) offending.add(id);
    const { license } = component;
    const ruleAt = ruleAtOf(finding, ruleSet);
    return {
      severity: outcome.rank >= 2 ? 'error' : 'warning',
      verdict: finding.verdict as Exclude<Verdict, 'allowed'>,
      rule: this.sentence(finding, ruleSet, license) + (expired ? expiredNote(expired) : ''),
      ...(ruleAt ? { ruleAt } : {}),
      component: {
        purl: component.purl,
        name: displayName(component),
        version: component.version,
        ecosystem: component.ecosystem,
      },
      license: {
        ...(license.expression === undefined ? {} : { expression: license.expression }),
        ...(license.category === undefined ? {} : { category: license.category }),
        declared: license.declared,
        ...(license.source === undefined ? {} : { source: license.source }),
        ...(license.evidence === undefined ? {} : { evidence: license.evidence }),
      },
      offending: [...offending],
      usages: failing.filter((f) => f.usage.project !== '').map((f) => usageOf(f)),
      ...(expired
        ? { expiredWaiver: { expires: expired.expires, owner: expired.owner, at: expired.at } }
        : {}),
      waiverSnippet: waiverSnippet(component, this.snippetExpiry),
      ...planBOf(
        component,
        (expression) => this.outcomeOf({ status: 'known', declared: [], expression }, ruleSet).rank === 0,
      ),
    };
  }

  private subjectOf(project: string): string {
    const known = this.subjects.get(project);
    if (known !== undefined) return known;
    const colon = project.lastIndexOf(':');
    return colon > 0 ? project.slice(0, colon) : project;
  }

  private outcomeOf(license: ComponentLicense, ruleSet: RuleSet): Outcome {
    const key = license.expression ?? '';
    const cached = ruleSet.cache.get(key);
    if (cached) return cached;
    const parsed = license.expression === undefined ? undefined : this.parse(license.expression);
    const outcome = parsed?.ok
      ? evaluateSpdx(parsed.node, (term) => judge(term, ruleSet, this.options.categories))
      : unknownOutcome(ruleSet, undefined);
    ruleSet.cache.set(key, outcome);
    return outcome;
  }

  private parse(expression: string): SpdxParse {
    let parsed = this.parsed.get(expression);
    if (!parsed) {
      parsed = parseSpdxExpression(expression);
      this.parsed.set(expression, parsed);
    }
    return parsed;
  }

  private sentence(finding: Finding, ruleSet: RuleSet, license: ComponentLicense): string {
    const subject = finding.license ?? 'the license';
    const rule = finding.rule;
    switch (finding.verdict) {
      case 'denied':
        return `${subject} is denied by ${this.where(rule?.at)} (${rule?.path}: ${rule?.entry})`;
      case 'review':
        return `${subject} needs a review: ${this.where(rule?.at)} (${rule?.path}: ${rule?.entry})`;
      case 'not-allowed': {
        const category = finding.category ? ` nor its category ${finding.category}` : '';
        return `${subject} is not allowed by ${this.where(ruleSet.allowAt)}: ${ruleSet.path}.allow lists neither it${category}`;
      }
      case 'unknown': {
        const what =
          finding.license === undefined ? describeUnconcluded(license) : describeUnknown(finding.license);
        const action = ruleSet.unknown === 'deny' ? 'refuses' : 'asks for a review of';
        if (ruleSet.unknownWritten) {
          return `${what}, and ${this.where(ruleSet.unknownAt)} (${ruleSet.unknownPath}: ${ruleSet.unknown}) ${action} unknown licenses`;
        }
        const when = ruleSet.unknown === 'deny' ? 'is set' : 'is not set';
        return (
          `${what}, and ${this.policy.file} ${action} unknown licenses by default when ${ruleSet.path}.allow ${when} ` +
          `(write ${ruleSet.unknownPath}: deny, review or allow to choose)`
        );
      }
      default:
        return `${subject} is allowed`;
    }
  }

  private where(at: PolicyPosition | undefined): string {
    return at ? `${at.file}:${at.line}` : this.policy.file;
  }
}

function compileRuleSet(
  path: string,
  rules: LicenseRuleList & { unknown?: UnknownRule },
  inherited: RuleSet | undefined,
  positions: ReadonlyMap<string, PolicyPosition>,
): RuleSet {
  const ids = new Map<string, ListRule>();
  const categories = new Map<string, ListRule>();
  for (const list of LIST_NAMES) {
    (rules[list] ?? []).forEach((entry, index) => {
      const at = positions.get(`${path}.${list}[${index}]`) ?? positions.get(`${path}.${list}`);
      const rule: ListRule = { list, entry, path: `${path}.${list}`, ...(at ? { at } : {}) };
      const target = (LICENSE_CATEGORIES as readonly string[]).includes(entry) ? categories : ids;
      const key = target === categories ? entry : ruleKey(entry);
      if (key === undefined) return;
      const existing = target.get(key);
      if (!existing || LIST_STRENGTH[list] > LIST_STRENGTH[existing.list]) target.set(key, rule);
    });
  }
  const hasAllow = rules.allow !== undefined;
  const ownUnknown = rules.unknown;
  const unknownSource =
    ownUnknown !== undefined ? 'own' : inherited?.unknownWritten ? 'inherited' : 'default';
  const allowAt = positions.get(`${path}.allow`);
  const unknownAt = unknownSource === 'own' ? positions.get(`${path}.unknown`) : inherited?.unknownAt;
  return {
    path,
    ids,
    categories,
    ...(allowAt ? { allowAt } : {}),
    hasAllow,
    unknown:
      ownUnknown ??
      (unknownSource === 'inherited' && inherited ? inherited.unknown : hasAllow ? 'deny' : 'review'),
    unknownPath: unknownSource === 'inherited' && inherited ? inherited.unknownPath : `${path}.unknown`,
    ...(unknownAt ? { unknownAt } : {}),
    unknownWritten: unknownSource !== 'default',
    cache: new Map(),
  };
}

/** The lower-case key a rule entry and an expression's license share, or undefined for a bad entry. */
function ruleKey(entry: string): string | undefined {
  const parsed = parseSpdxExpression(entry);
  return parsed.ok && parsed.node.kind === 'license' ? termKey(parsed.node).toLowerCase() : undefined;
}

/** Keys to look up, most specific first: with the exception, then without; the id, then its base version. */
function candidateKeys(license: SpdxLicense): string[] {
  const ids = [license.plus ? `${license.id}+` : license.id];
  if (license.plus) ids.push(license.id);
  if (license.id.endsWith('-or-later')) {
    const stem = license.id.slice(0, -'-or-later'.length);
    ids.push(`${stem}-only`, stem);
  }
  const keys: string[] = [];
  if (license.exception !== undefined) for (const id of ids) keys.push(`${id} WITH ${license.exception}`);
  keys.push(...ids);
  return keys.map((k) => k.toLowerCase());
}

function judge(
  license: SpdxLicense,
  ruleSet: RuleSet,
  categoryTable: ReadonlyMap<string, LicenseCategory>,
): { rank: number; value: Finding } {
  const name = termKey(license);
  const category = categoryOfLicense(license, categoryTable);
  for (const key of candidateKeys(license)) {
    const rule = ruleSet.ids.get(key);
    if (rule) return listOutcome(rule, name, category);
  }
  const byCategory = ruleSet.categories.get(category);
  if (byCategory) return listOutcome(byCategory, name, category);
  if (category === 'unknown') {
    const outcome = unknownOutcome(ruleSet, name);
    return { rank: outcome.rank, value: outcome.value };
  }
  if (ruleSet.hasAllow)
    return { rank: RANK.notAllowed, value: { verdict: 'not-allowed', license: name, category } };
  return { rank: RANK.allowed, value: { verdict: 'allowed', license: name, category } };
}

function listOutcome(
  rule: ListRule,
  license: string,
  category: LicenseCategory,
): { rank: number; value: Finding } {
  const verdict: Verdict = rule.list === 'deny' ? 'denied' : rule.list === 'review' ? 'review' : 'allowed';
  const rank = rule.list === 'deny' ? RANK.denied : rule.list === 'review' ? RANK.review : RANK.allowed;
  return { rank, value: { verdict, license, category, rule } };
}

/** The `unknown:` rule, for an unknown license of an expression or for a component with no usable expression. */
function unknownOutcome(ruleSet: RuleSet, license: string | undefined): Outcome {
  const rank =
    ruleSet.unknown === 'deny' ? RANK.unknownDeny : ruleSet.unknown === 'review' ? RANK.unknownReview : 0;
  const value: Finding = {
    verdict: rank === 0 ? 'allowed' : 'unknown',
    category: 'unknown',
    ...(license === undefined ? {} : { license }),
  };
  return { rank, value, offending: rank > 0 && license !== undefined ? [license] : [] };
}

function ruleAtOf(finding: Finding, ruleSet: RuleSet): PolicyPosition | undefined {
  if (finding.verdict === 'not-allowed') return ruleSet.allowAt;
  if (finding.verdict === 'unknown') return ruleSet.unknownAt;
  return finding.rule?.at;
}

function describeUnconcluded(license: ComponentLicense): string {
  if (license.expression !== undefined)
    return `the license expression "${cut(license.expression)}" does not parse`;
  if (license.declared.length === 0) return 'no license is declared';
  return 'the declared license could not be mapped to SPDX';
}

function describeUnknown(license: string): string {
  return license.includes('LicenseRef-')
    ? `${license} is an unknown license`
    : `${license} has no known category`;
}

function cut(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function compileWaivers(waivers: readonly Waiver[]): CompiledWaiver[] {
  const compiled: CompiledWaiver[] = [];
  for (const waiver of waivers) {
    const parsed = parsePackagePattern(waiver.purl, waiver.versions);
    if (!parsed.ok) continue;
    const entry: CompiledWaiver = { waiver, pattern: parsed.pattern };
    if (waiver.license !== undefined) {
      const license = parseSpdxExpression(waiver.license);
      if (!license.ok) continue;
      entry.expression = license.expression.toLowerCase();
      entry.licenses = new Set(spdxLicenses(license.node).map((l) => termKey(l).toLowerCase()));
    }
    if (waiver.repositories && waiver.repositories.length > 0) {
      entry.repositories = picomatch(waiver.repositories, { windows: false, dot: true });
    }
    compiled.push(entry);
  }
  return compiled;
}

/**
 * Whether a waiver (of the component's package and version) covers a failing usage: its license, when set, is
 * the component's expression or names every offending license; its repositories, when set, match the subject.
 */
function waiverCovers(waiver: CompiledWaiver, expression: string | undefined, failing: Failing): boolean {
  if (waiver.repositories && !waiver.repositories(failing.subject)) return false;
  if (!waiver.licenses) return true;
  if (expression !== undefined && expression.toLowerCase() === waiver.expression) return true;
  const offending = failing.outcome.offending;
  return offending.length > 0 && offending.every((id) => waiver.licenses?.has(id.toLowerCase()));
}

function usageOf(failing: Failing): Violation['usages'][number] {
  const { usage } = failing;
  return {
    project: usage.project,
    subject: failing.subject,
    manifest: usage.manifest,
    scopes: failing.scopes,
    direct: usage.direct,
    path: usage.path,
    ...(usage.declaredAt ? { declaredAt: { file: usage.declaredAt.file, line: usage.declaredAt.line } } : {}),
  };
}

/** `@scope/name` for npm, `groupId:artifactId` for Maven. */
function displayName(component: Component): string {
  if (component.group === undefined) return component.name;
  return component.ecosystem === 'maven'
    ? `${component.group}:${component.name}`
    : `${component.group}/${component.name}`;
}

function expiredNote(waiver: Waiver): string {
  return `; the waiver at ${waiver.at.file}:${waiver.at.line} (owner ${waiver.owner}) expired on ${waiver.expires} and no longer counts`;
}

function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** YAML for the policy's `waivers:` list, indented to be pasted under it. */
/** Flags an organisation's decision keeps on a target its registry says is gone or dead. */
const DEAD_TARGET_FLAGS: ReadonlySet<string> = new Set(['target-not-found', 'target-end-of-life']);

/**
 * The component's first plan-B option that is a way out (not a survival plan, not a dead target) and whose
 * target's license, when known, passes the rules the component failed.
 */
function planBOf(component: Component, passes: (expression: string) => boolean): Pick<Violation, 'planB'> {
  const option = component.planB?.options.find(
    (o) =>
      o.kind !== 'survive' &&
      !o.flags?.some((flag) => DEAD_TARGET_FLAGS.has(flag)) &&
      (o.targetLicense === undefined || passes(o.targetLicense)),
  );
  const target = option?.target ?? option?.label;
  if (!option || target === undefined) return {};
  return {
    planB: {
      target,
      confidence: option.confidence,
      ...(option.targetLicense !== undefined ? { license: option.targetLicense } : {}),
      ...(option.evidence !== undefined ? { evidence: option.evidence } : {}),
    },
  };
}

function waiverSnippet(component: Component, expires: string): string {
  const lines = [
    `  - purl: ${JSON.stringify(versionlessPurl(component))}`,
    `    versions: ${JSON.stringify(component.version)}`,
    ...(component.license.expression === undefined
      ? []
      : [`    license: ${JSON.stringify(component.license.expression)}`]),
    `    reason: "<why this is acceptable>"`,
    `    owner: "<your team or e-mail>"`,
    `    expires: ${expires}`,
  ];
  return `${lines.join('\n')}\n`;
}

function versionlessPurl(component: Component): string {
  try {
    const purl = PackageURL.fromString(component.purl);
    return new PackageURL(purl.type, purl.namespace, purl.name, undefined, undefined, undefined).toString();
  } catch {
    return component.purl;
  }
}
