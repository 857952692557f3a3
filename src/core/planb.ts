/**
 * Plan B (DESIGN.md section 6): per component, an ordered list of ways out - what to switch to, or how to
 * survive - each with its confidence, source and evidence. Pure: the inventory and the rules in, the
 * inventory with `planB` out; the catalog and the configuration are read by src/pipeline/planb.ts.
 *
 * Sources, in this order:
 *   configuration  the organisation's decisions (`planB.decisions`): first whatever else is known, shown
 *                  with where they are written; a dead target is kept but flagged `target-end-of-life`
 *   authoritative  the Maven relocation of the used or latest version; the npm deprecation message when it
 *                  names a package ("use X instead", "moved to X"...), a platform feature ("use the
 *                  URLSearchParams API instead"), says a types stub can go, or, when the latest version is
 *                  not deprecated, an upgrade to it
 *   curated        our catalog, data/planb-catalog.yaml, every entry with a citation; for npm the e18e
 *                  module-replacements manifests (src/core/planb-replacements.ts)
 *   inferred       the package the component's source folder publishes now (the manifest at HEAD names another,
 *                  read by src/pipeline/published-names.ts); for a component whose repository is archived (EOL)
 *                  or that is ABANDONED, an active fork of its GitHub repository (src/pipeline/maintained-forks.ts)
 *   suggested      survival plans (pin and mirror, internal fork, support contract, fund the maintainers when
 *                  the registry or the repository lists funding), when nothing else is known
 *
 * EOL, ABANDONED and AT_RISK components get every source; the others only the data (configuration and
 * catalog), else `not-needed`. Targets are checked against the inventory, else against what their registries
 * say (`targets`, gathered by src/pipeline/planb-targets.ts for the targets planBTargets lists): a dead or
 * unpublished target is dropped (kept and flagged on an organisation's decision), an unhealthy one flagged
 * `target-unhealthy`, one under another license family `license-family-differs`.
 */
import type {
  Component,
  HealthClass,
  LicenseCategory,
  Inventory,
  PlanB,
  PlanBConfidence,
  PlanBKind,
  PlanBOption,
} from './model.js';
import { HEALTH_SEVERITY, NEEDS_PLAN_B, PLANB_KINDS } from './model.js';
import { Clock } from './health.js';
import { npmPurl } from './purl.js';
import { parseRepositoryUrl, repositoryKey } from './source-repository.js';
import {
  componentKey,
  indexPatterns,
  parsePackagePattern,
  patternKey,
  versionMatches,
  type PackagePattern,
} from './package-pattern.js';

/** One option of a catalog or configuration entry, as written. */
export interface PlanBEntryOption {
  kind: PlanBKind;
  target?: string;
  label?: string;
  effort?: 'low' | 'medium' | 'high';
}

/** A catalog entry (with `citation`) or an organisation's decision (with `owner`). */
export interface PlanBEntry {
  purl: string;
  versions?: string;
  reason: string;
  citation?: string;
  owner?: string;
  options: PlanBEntryOption[];
}

export interface PlanBRule extends PlanBEntry {
  /** `data/planb-catalog.yaml`, `configuration`. */
  origin: string;
  index: number;
  pattern: PackagePattern;
}

export interface PlanBRules {
  /** The rules whose purl and versions match the component, in the order written. */
  find(component: Component): PlanBRule[];
  readonly size: number;
}

export interface PlanBKnowledge {
  /** The organisation's decisions (configuration `planB.decisions`). */
  decisions: PlanBRules;
  /** Our catalog (data/planb-catalog.yaml). */
  catalog: PlanBRules;
  /** The e18e module-replacements manifests (npm). */
  replacements?: PlanBRules;
  /**
   * The active fork of each source repository searched, by `host/owner/name` in lower case (repositoryKey);
   * null: searched, none qualifies. Absent: no search (no token, offline).
   */
  forks?: ReadonlyMap<string, MaintainedFork | null>;
  /**
   * The package each source folder publishes now, by publishedNameKey; null: read, it names the component
   * itself or nothing usable. Absent: not read (no token, offline).
   */
  publishedNames?: ReadonlyMap<string, PublishedName | null>;
  /**
   * What the registries say of the targets the inventory does not hold, by targetKey (planBTargets lists
   * them). Absent, or a target missing from it: checked against the inventory only.
   */
  targets?: ReadonlyMap<string, TargetFacts>;
  /** A target whose last release is older than this many months is flagged `target-unhealthy` (default 24). */
  staleTargetMonths?: number;
}

/** What a registry says of a plan-B target: the version named, or the latest. */
export type TargetFacts =
  | {
      status: 'found';
      /** The registry document read. */
      document: string;
      version: string;
      /** Its deprecation message ('' when deprecated without one). */
      deprecated?: string;
      /** The purl its POM relocates it to. */
      relocatedTo?: string;
      license?: { expression?: string; category?: LicenseCategory };
      lastReleaseAt?: string;
      /** The source repository it declares, as a browsable URL. */
      repository?: string;
    }
  /** The registry answered that there is no such package or version. */
  | { status: 'not-found'; reason: string }
  /** No answer: offline, a failure, a registry refusing. The option stays as it is. */
  | { status: 'unknown'; reason: string };

/** A target to look up: the package, and its version when the option names one. */
export interface TargetRef {
  ecosystem: 'npm' | 'maven';
  /** npm: the full name (`@scope/name`), in the case it was written; Maven: `groupId:artifactId`. */
  name: string;
  version?: string;
  key: string;
  /** The subjects whose components name it: their registry settings (`.npmrc`, POM repositories) apply. */
  subjects: string[];
}

/** The package a component's source folder names at the repository's HEAD. */
export interface PublishedName {
  /** Version-less purl of the package the manifest at HEAD names. */
  purl: string;
  /** The manifest's browsable URL (`https://github.com/owner/name/blob/HEAD/packages/x/package.json`). */
  manifest: string;
  /** `host/owner/name` as GitHub answered it, when the repository was renamed or moved since declared. */
  repository?: string;
}

/** An active fork of a component's source repository, as GitHub describes it. */
export interface MaintainedFork {
  /** `owner/name`. */
  repository: string;
  url: string;
  pushedAt: string | null;
  /** Commits on its default branch in the 12 months before the run. */
  commitsLast12Months: number;
  lastReleaseTag: string;
  lastReleaseAt: string;
  stars: number;
}

const EFFORTS = ['low', 'medium', 'high'] as const;
const KINDS_NEEDING_TARGET: readonly PlanBKind[] = ['successor', 'maintained-fork', 'alternative'];

type PlanBEntryCheck =
  { ok: true; entry: PlanBEntry; pattern: PackagePattern } | { ok: false; reason: string };

/**
 * Whether a value is a usable entry; `needs` is the field that proves it (`citation` for the catalog, `owner`
 * for a decision). The reason starts with the field at fault. Never throws.
 */
function checkPlanBEntry(value: unknown, needs: 'citation' | 'owner'): PlanBEntryCheck {
  if (!isRecord(value))
    return { ok: false, reason: `an entry is a mapping with purl, options, reason and ${needs}` };
  const purl = text(value, 'purl');
  const reason = text(value, 'reason');
  const proof = text(value, needs);
  if (purl === undefined) return { ok: false, reason: 'purl: give the package URL, e.g. pkg:npm/request' };
  if (reason === undefined) return { ok: false, reason: 'reason: say in a sentence why' };
  if (proof === undefined) {
    return {
      ok: false,
      reason: needs === 'citation' ? 'citation: give the URL that says so' : 'owner: who decided',
    };
  }
  const versions = field(value, 'versions');
  if (versions !== undefined && typeof versions !== 'string') {
    return { ok: false, reason: 'versions: a version range as a string' };
  }
  const parsed = parsePackagePattern(purl, versions);
  if (!parsed.ok) return { ok: false, reason: `${parsed.part}: ${parsed.reason}` };
  const list = field(value, 'options');
  if (!Array.isArray(list) || list.length === 0) {
    return { ok: false, reason: 'options: give at least one option (kind, and target or label)' };
  }
  const options: PlanBEntryOption[] = [];
  for (const [i, item] of list.entries()) {
    const checked = checkOption(item);
    if (typeof checked === 'string') return { ok: false, reason: `options[${i}].${checked}` };
    options.push(checked);
  }
  return {
    ok: true,
    pattern: parsed.pattern,
    entry: {
      purl,
      ...(versions !== undefined ? { versions } : {}),
      reason,
      [needs]: proof,
      options,
    },
  };
}

function checkOption(item: unknown): PlanBEntryOption | string {
  if (!isRecord(item)) return 'kind: an option is a mapping with kind, and target or label';
  const kind = text(item, 'kind');
  if (kind === undefined || !(PLANB_KINDS as readonly string[]).includes(kind)) {
    return `kind: use one of ${PLANB_KINDS.join(', ')}`;
  }
  const target = text(item, 'target');
  const label = text(item, 'label');
  const effort = text(item, 'effort');
  if (target !== undefined) {
    const parsed = parsePackagePattern(target);
    if (!parsed.ok) return `target: ${parsed.reason}`;
  }
  if (KINDS_NEEDING_TARGET.includes(kind as PlanBKind) && target === undefined) {
    return `target: a ${kind} names the package to use, as a purl`;
  }
  if (target === undefined && label === undefined) return 'label: give a target purl or a label';
  if (effort !== undefined && !(EFFORTS as readonly string[]).includes(effort)) {
    return `effort: use ${EFFORTS.join(', ')}`;
  }
  return {
    kind: kind as PlanBKind,
    ...(target !== undefined ? { target } : {}),
    ...(label !== undefined ? { label } : {}),
    ...(effort !== undefined ? { effort: effort as PlanBEntryOption['effort'] } : {}),
  };
}

/** Indexes the entries of one origin; the unusable ones are left out and listed in `issues`. */
export function indexPlanBRules(
  origin: string,
  entries: readonly unknown[],
  needs: 'citation' | 'owner',
): { rules: PlanBRules; issues: { index: number; message: string }[] } {
  const rules: PlanBRule[] = [];
  const issues: { index: number; message: string }[] = [];
  entries.forEach((value, index) => {
    const checked = checkPlanBEntry(value, needs);
    if (checked.ok) rules.push({ ...checked.entry, origin, index, pattern: checked.pattern });
    else issues.push({ index, message: checked.reason });
  });
  const byPackage = indexPatterns(rules, (r) => r.pattern);
  return {
    issues,
    rules: {
      size: rules.length,
      find: (component) =>
        (byPackage.get(componentKey(component)) ?? []).filter((r) => versionMatches(r.pattern, component)),
    },
  };
}

/** Every component gets a `planB`. */
export function assignPlanB(inventory: Inventory, knowledge: PlanBKnowledge): Inventory {
  const targets = new TargetIndex(inventory.components, {
    facts: knowledge.targets,
    publishedNames: knowledge.publishedNames,
    now: new Date(inventory.generatedAt),
    staleMonths: knowledge.staleTargetMonths,
  });
  return {
    ...inventory,
    components: inventory.components.map((component) => ({
      ...component,
      planB: planBFor(component, knowledge, targets),
    })),
  };
}

function planBFor(component: Component, knowledge: PlanBKnowledge, targets: TargetIndex): PlanB {
  const full = component.health !== undefined && NEEDS_PLAN_B.has(component.health.class);
  const decided = knowledge.decisions.find(component).flatMap((rule) => ruleOptions(rule, 'curated'));
  const found = [
    ...(full ? [...relocationOptions(component), ...deprecationOptions(component)] : []),
    ...knowledge.catalog.find(component).flatMap((rule) => ruleOptions(rule, 'curated')),
    ...(knowledge.replacements?.find(component) ?? []).flatMap((rule) => ruleOptions(rule, 'curated')),
    ...(full ? publishedNameOptions(component, knowledge.publishedNames) : []),
    ...(full ? forkOptions(component, knowledge.forks) : []),
  ];
  const options = distinctTargets([
    ...decided.map((o) => targets.check(o, component, true)),
    ...found.map((o) => targets.check(o, component, false)),
  ]).filter((o): o is PlanBOption => o !== undefined);
  if (options.length > 0) return { status: 'options', options };
  if (!full) return { status: 'not-needed', options: [] };
  return { status: 'none-found', options: surviveOptions(component) };
}

function ruleOptions(rule: PlanBRule, confidence: PlanBConfidence): PlanBOption[] {
  const source =
    rule.origin === 'configuration' ? `configuration (planB.decisions[${rule.index}])` : rule.origin;
  const evidence = rule.citation ?? `${rule.reason} (owner: ${rule.owner ?? 'unknown'})`;
  return rule.options.map((o) => ({
    kind: o.kind,
    ...(o.target !== undefined ? { target: o.target } : {}),
    ...(o.label !== undefined ? { label: o.label } : {}),
    confidence,
    source,
    evidence,
    ...(o.effort !== undefined ? { effort: o.effort } : {}),
  }));
}

/** The first option for each target (or label): the organisation's decision before ours. */
function distinctTargets(options: readonly (PlanBOption | undefined)[]): (PlanBOption | undefined)[] {
  const seen = new Set<string>();
  return options.filter((o) => {
    if (!o) return false;
    const key = `${o.kind === 'upgrade' ? 'upgrade' : ''}|${o.target ?? ''}|${o.label ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

// ---- maintained forks ----

/** Whether plan B looks for an active fork: the repository is archived, or the component is ABANDONED. */
export function wantsMaintainedFork(component: Component): boolean {
  const health = component.health;
  if (!health) return false;
  return (
    health.class === 'ABANDONED' ||
    (health.class === 'EOL' && health.reasons.some((r) => r.code === 'repository-archived'))
  );
}

/**
 * Whether plan B reads the manifest at the HEAD of the component's source folder for a new package name:
 * any component that needs a plan B and whose repository names an owner and a repository.
 */
export function wantsPublishedName(component: Component): boolean {
  const health = component.health;
  const repository = component.sourceRepository;
  return (
    health !== undefined &&
    NEEDS_PLAN_B.has(health.class) &&
    repository !== undefined &&
    repository.from !== 'first-party' &&
    repositoryKey(repository) !== undefined
  );
}

/** The manifest a component's source folder holds: `package.json` or `pom.xml`, under its directory. */
export function publishedNameManifest(component: Component): string {
  const file = component.ecosystem === 'maven' ? 'pom.xml' : 'package.json';
  const directory = (component.sourceRepository?.directory ?? '').replace(/^\/+|\/+$/g, '');
  return directory === '' ? file : `${directory}/${file}`;
}

/** `host/owner/name:path/to/package.json`, lower-cased repository: the key of `publishedNames`. */
export function publishedNameKey(component: Component): string | undefined {
  const repository = component.sourceRepository;
  const key = repository ? repositoryKey(repository) : undefined;
  return key === undefined ? undefined : `${key}:${publishedNameManifest(component)}`;
}

const PUBLISHED_NAME_SOURCE = 'source repository';

function publishedNameOptions(
  component: Component,
  names: ReadonlyMap<string, PublishedName | null> | undefined,
): PlanBOption[] {
  const key = names && wantsPublishedName(component) ? publishedNameKey(component) : undefined;
  const published = key === undefined ? undefined : names!.get(key);
  const target = published ? parsePackagePattern(published.purl) : undefined;
  // the folder may be shared with another package (node-uuid and uuid): never offer the component itself
  if (
    !published ||
    !target?.ok ||
    patternKey(target.pattern).toLowerCase() === componentKey(component).toLowerCase()
  )
    return [];
  return [
    {
      kind: 'successor',
      target: published.purl,
      confidence: 'inferred',
      source: PUBLISHED_NAME_SOURCE,
      evidence: `${published.manifest} names ${published.purl} at HEAD: its source folder publishes under that name now`,
    },
  ];
}

function forkOptions(
  component: Component,
  forks: ReadonlyMap<string, MaintainedFork | null> | undefined,
): PlanBOption[] {
  const repository = component.sourceRepository;
  if (!forks || !repository || !wantsMaintainedFork(component)) return [];
  const key = repositoryKey(repository);
  const fork = key === undefined ? undefined : forks.get(key);
  if (!fork) return [];
  const pushed = fork.pushedAt ? `, last pushed ${fork.pushedAt.slice(0, 10)}` : '';
  return [
    {
      kind: 'maintained-fork',
      label: fork.url,
      confidence: 'inferred',
      source: 'GitHub forks',
      evidence:
        `${fork.url}: a fork of ${repository.url} with ${fork.commitsLast12Months} commits in the last 12 ` +
        `months, release ${fork.lastReleaseTag} on ${fork.lastReleaseAt.slice(0, 10)}${pushed}, ` +
        `${fork.stars} stars`,
    },
  ];
}

// ---- Maven relocation ----

function relocationOptions(component: Component): PlanBOption[] {
  const facts = component.mavenRepository;
  if (component.ecosystem !== 'maven' || facts?.status !== 'found' || !facts.relocation) return [];
  const { relocation } = facts;
  const group = relocation.groupId ?? component.group ?? '';
  const artifact = relocation.artifactId ?? component.name;
  if (group === (component.group ?? '') && artifact === component.name && !relocation.version) return [];
  const version = relocation.version ? `@${encodeURIComponent(relocation.version)}` : '';
  const coordinates = `${group}:${artifact}${relocation.version ? `:${relocation.version}` : ''}`;
  return [
    {
      kind: 'successor',
      target: `pkg:maven/${encodeURIComponent(group)}/${encodeURIComponent(artifact)}${version}`,
      confidence: 'authoritative',
      source: 'maven relocation',
      evidence:
        `the POM relocates it to ${coordinates} (${facts.document})` +
        (relocation.message ? `: ${JSON.stringify(relocation.message)}` : ''),
      effort: group === component.group ? 'low' : 'medium',
    },
  ];
}

// ---- npm deprecation messages ----

/** What a deprecation message names: packages, platform features, or that the package can be removed. */
export type DeprecationHint =
  { kind: 'package'; name: string } | { kind: 'native'; label: string } | { kind: 'remove' };

const NPM_NAME = /^(?:@[a-z0-9~-][a-z0-9._~-]*\/)?[a-z0-9~-][a-z0-9._~-]*$/;
/**
 * Plain words a phrasing may catch that are never the package meant ("renamed to x and is no longer
 * maintained", "is now deprecated"): some are real npm packages (`is`), so the registry check cannot catch
 * them. A quoted name is always taken.
 */
const NOT_A_PACKAGE = new Set(
  (
    'a an the this that it its our your their new newer latest native builtin built-in node nodejs ' +
    'something another other version versions instead separate separately modern current official ' +
    'alternative alternatives one these those them package module library npm yarn ' +
    'is are was be been being will would should can could may might must has have had do does did ' +
    'no not none nothing never please stop start using used use part obsolete deprecated maintained ' +
    'unmaintained supported unsupported available archived longer here there now also only just still ' +
    'all any both each more most same and or but with without into onto of in on at by for from to'
  ).split(' '),
);
const TOKEN = String.raw`[\`'"“]?@?[\w.~/-]+[\`'"”]?`;
/**
 * Separators of a list of names: commas and "or"; "and" only before what must be a name (quoted, scoped,
 * or holding `-`, `/` or `.`), so that "renamed to x and is no longer maintained" names x alone.
 */
const SEPARATOR = String.raw`\s*,\s*or\s+|\s*,\s*|\s+or\s+|\s+and\s+(?=[\`'"“@]|[\w~]+[-/.][\w~])`;
const LIST = String.raw`${TOKEN}(?:(?:${SEPARATOR})${TOKEN})*`;
const SEPARATORS = new RegExp(`(${SEPARATOR})`);
const NOUN = String.raw`(?:\s+(?:package|module|library|instead))*`;
const AFTER = String.raw`(?=$|[\s.,;:!)(]|\s+(?:package|module|library|instead|which|for|from|on|as|if|to|going|that)\b)`;
/** Phrasings that name what to use, the names in group 1. */
const PACKAGE_PHRASES: readonly RegExp[] = [
  new RegExp(
    String.raw`\b(?:please\s+)?(?:use|try|switch\s+to|migrate\s+to)\s+(?:the\s+)?(${LIST})${NOUN}${AFTER}`,
    'dgi',
  ),
  new RegExp(String.raw`\b(?:moved|renamed|migrated|merged)\s+(?:in)?to\s+(${LIST})${AFTER}`, 'dgi'),
  new RegExp(String.raw`\b(?:replaced|superseded)\s+by\s+(${LIST})${AFTER}`, 'dgi'),
  new RegExp(String.raw`\bin\s+favou?r\s+of\s+(${LIST})${AFTER}`, 'dgi'),
  new RegExp(String.raw`\b(?:is\s+)?now\s+(?:at\s+|called\s+|published\s+as\s+)?(${LIST})${AFTER}`, 'dgi'),
  new RegExp(String.raw`\bnpm\s+(?:install|i|add)\s+(${TOKEN})`, 'dgi'),
  new RegExp(String.raw`\bcheck\s+out\s+(${TOKEN})${AFTER}`, 'dgi'),
  new RegExp(String.raw`\bat\s+(@[a-z0-9~-][a-z0-9._~-]*\/[a-z0-9~-][a-z0-9._~-]*)`, 'dgi'),
];
const SUCCESSOR_PHRASE = new RegExp(String.raw`(${TOKEN})\s+is\s+(?:the|its)\s+(?:new\s+)?successor`, 'dgi');
const NATIVE_PHRASES: readonly RegExp[] = [
  /\buse\s+(?:your\s+platform's\s+)?native\s+([^.;]{2,60}?)(?:\s+instead|\.|;|$)/gi,
  /\buse\s+(?:the\s+)?([^.;]{2,60}?\s+(?:API|operator|method|methods|function))\s+instead/gi,
  /\buse\s+((?:require\(['"][\w:/.-]+['"]\)|[A-Za-z_$][\w$]*)(?:\.[\w$]+)+(?:\(\))?)(?:\s+instead)?/gi,
];

/**
 * What a deprecation message points to. A name is kept only when it is a valid npm name, not a plain word,
 * not `own` (that is an upgrade), and quoted, scoped or followed by what ends a name (so "in favor of
 * separate inclusion" names nothing).
 */
export function deprecationHints(message: string, own: string): DeprecationHint[] {
  if (/\bstub types definition\b/i.test(message)) return [{ kind: 'remove' }];
  // in the order the message names them: the first name is the successor
  const found: { at: number; hint: DeprecationHint }[] = [];
  const names = new Set<string>();
  const addName = (raw: string, at: number) => {
    const quoted = /^[`'"“].*[`'"”]$/.test(raw);
    const name = raw.replace(/^[`'"“]|[`'"”]$/g, '').replace(/[.]+$/, '');
    if (!NPM_NAME.test(name) || name.length > 214 || name === own || names.has(name)) return;
    if (!quoted && NOT_A_PACKAGE.has(name.toLowerCase())) return;
    names.add(name);
    found.push({ at, hint: { kind: 'package', name } });
  };
  // A platform feature's words are blanked out, so that "use require('node:util')..." names no package.
  let rest = message;
  for (const phrase of NATIVE_PHRASES) {
    for (const match of message.matchAll(phrase)) {
      const label = match[1]!.trim();
      if (NPM_NAME.test(label)) continue;
      found.push({ at: match.index, hint: { kind: 'native', label } });
      rest =
        rest.slice(0, match.index) + ' '.repeat(match[0].length) + rest.slice(match.index + match[0].length);
    }
  }
  for (const phrase of [...PACKAGE_PHRASES, SUCCESSOR_PHRASE]) {
    for (const match of rest.matchAll(phrase)) {
      let offset = match.indices![1]![0];
      // split keeps the separators (odd indices), so the offsets stay those of the message
      for (const [i, part] of match[1]!.split(SEPARATORS).entries()) {
        if (i % 2 === 0) addName(part, offset);
        offset += part.length;
      }
    }
  }
  return found.sort((a, b) => a.at - b.at).map((f) => f.hint);
}

function deprecationOptions(component: Component): PlanBOption[] {
  const registry = component.registry;
  if (component.ecosystem !== 'npm' || registry?.status !== 'found') return [];
  const own = component.group ? `${component.group}/${component.name}` : component.name;
  const message = registry.deprecated ?? registry.latest?.deprecated;
  const options: PlanBOption[] = [];
  if (message) {
    const quoted = JSON.stringify(message.length > 300 ? `${message.slice(0, 300)}...` : message);
    const base = { confidence: 'authoritative' as const, source: 'npm deprecation', evidence: quoted };
    deprecationHints(message, own).forEach((hint, i) => {
      if (hint.kind === 'remove')
        options.push({
          kind: 'remove',
          label: 'types stub: the package ships its own types',
          ...base,
          effort: 'low',
        });
      else if (hint.kind === 'native') options.push({ kind: 'native', label: hint.label, ...base });
      else
        options.push({
          kind: i === 0 ? 'successor' : 'alternative',
          target: npmPurl(hint.name, ''),
          ...base,
        });
    });
  }
  const latest = registry.latest;
  if (
    registry.deprecated !== undefined &&
    latest &&
    !latest.deprecated &&
    latest.version !== component.version
  ) {
    options.push({
      kind: 'upgrade',
      target: npmPurl(own, latest.version),
      confidence: 'authoritative',
      source: 'npm registry',
      evidence: `${own}@${component.version} is deprecated; the latest version, ${latest.version}, is not (${registry.document})`,
    });
  }
  return options;
}

// ---- survival ----

function surviveOptions(component: Component): PlanBOption[] {
  // The class and its reasons, not the exposure's counts: those change when shards are merged.
  const reasons = component.health?.reasons.map((r) => r.code).join(', ');
  const evidence = component.health
    ? `${component.health.class}${reasons ? ` (${reasons})` : ''}; the exposure is in its health`
    : undefined;
  const plan = (label: string, effort: PlanBOption['effort']): PlanBOption => ({
    kind: 'survive',
    label,
    confidence: 'suggested',
    source: 'oss-inventory',
    ...(evidence ? { evidence } : {}),
    effort,
  });
  const options = [
    plan('pin this version and mirror it in an internal registry', 'low'),
    plan('fork it internally and apply security fixes yourselves', 'high'),
    plan('buy a support contract covering it', 'medium'),
  ];
  const registryFunding = component.registry?.status === 'found' ? component.registry.funding.length : 0;
  const repositoryFunding = component.repositorySignals?.fundingLinks ?? 0;
  if (registryFunding > 0 || repositoryFunding > 0) {
    const where =
      component.registry?.status === 'found' && registryFunding > 0
        ? `: ${component.registry.funding[0]}`
        : '';
    options.push(plan(`fund the maintainers${where}`, 'medium'));
  }
  return options;
}

// ---- targets checked against the inventory and the registries ----

/** EOL reasons that hold for the whole package, not only one version. */
const PACKAGE_DEAD = new Set([
  'latest-deprecated',
  'unpublished',
  'repository-archived',
  'repository-disabled',
  'relocated',
  'declared-end-of-life',
]);
const DEFAULT_STALE_TARGET_MONTHS = 24;

/** `npm/@scope/name@1.2.3`, `maven/group:artifact@`: the key of `PlanBKnowledge.targets`. */
export function targetKey(ecosystem: string, name: string, version?: string): string {
  return `${ecosystem}/${name}@${version ?? ''}`;
}

/** The package a target purl names, as a registry lookup; undefined for a purl that does not parse. */
export function targetRef(purl: string, subjects: string[] = []): TargetRef | undefined {
  const parsed = parsePackagePattern(purl);
  if (!parsed.ok) return undefined;
  const { type, namespace, name, version } = parsed.pattern;
  const ecosystem = type === 'maven' ? 'maven' : 'npm';
  // packageurl-js lower-cases npm names; the registry wants the name as published (JSONStream)
  const full =
    ecosystem === 'maven'
      ? `${namespace ?? ''}:${name}`
      : (npmNameAsWritten(purl) ?? (namespace ? `${namespace}/${name}` : name));
  return {
    ecosystem,
    name: full,
    ...(version !== undefined ? { version } : {}),
    key: targetKey(ecosystem, full.toLowerCase(), version),
    subjects,
  };
}

/** `@scope/Name` from `pkg:npm/%40scope/Name@1.0.0`, its case kept. */
function npmNameAsWritten(purl: string): string | undefined {
  const path = /^pkg:npm\/([^@?#]+)/i.exec(purl.trim())?.[1];
  if (path === undefined) return undefined;
  try {
    return path.split('/').map(decodeURIComponent).join('/');
  } catch {
    return undefined;
  }
}

/**
 * The targets of the plan B assigned to an inventory that the inventory does not hold, once each, with the
 * subjects whose components name them: what the registries are asked about before plan B is assigned again
 * with their answers.
 */
export function planBTargets(inventory: Inventory): TargetRef[] {
  const held = new Set(
    inventory.components.flatMap((c) => [componentKey(c), `${componentKey(c)}@${c.version}`]),
  );
  const subjectOf = new Map(inventory.projects.map((p) => [p.id, p.subject]));
  const refs = new Map<string, TargetRef>();
  for (const component of inventory.components) {
    const subjects = [...new Set(component.usedBy.map((u) => subjectOf.get(u.project) ?? ''))].filter(
      Boolean,
    );
    for (const option of component.planB?.options ?? []) {
      if (option.target === undefined || option.kind === 'upgrade') continue;
      const parsed = parsePackagePattern(option.target);
      if (!parsed.ok) continue;
      const { version } = parsed.pattern;
      if (held.has(`${patternKey(parsed.pattern)}${version === undefined ? '' : `@${version}`}`)) continue;
      const ref = targetRef(option.target);
      if (!ref) continue;
      const known = refs.get(ref.key);
      if (known) known.subjects = [...new Set([...known.subjects, ...subjects])];
      else refs.set(ref.key, { ...ref, subjects });
    }
  }
  return [...refs.values()];
}

interface TargetChecks {
  facts?: ReadonlyMap<string, TargetFacts>;
  publishedNames?: ReadonlyMap<string, PublishedName | null>;
  now: Date;
  staleMonths?: number;
}

class TargetIndex {
  private readonly byPackage = new Map<string, Component[]>();

  private readonly clock: Clock;

  constructor(
    components: readonly Component[],
    private readonly checks: TargetChecks,
  ) {
    this.clock = new Clock(checks.now);
    for (const c of components) {
      const key = componentKey(c);
      const list = this.byPackage.get(key);
      if (list) list.push(c);
      else this.byPackage.set(key, [c]);
    }
  }

  /**
   * The option as it stands against what the inventory, else the registry, knows of its target; undefined
   * when dropped: a target that is dead, or that the registry does not have. An organisation's decision is
   * kept (`keepDead`) with the flag that says why it would have been dropped.
   */
  check(option: PlanBOption, component: Component, keepDead: boolean): PlanBOption | undefined {
    // an upgrade names the component's own package: its health is the component's
    if (option.target === undefined || option.kind === 'upgrade') return option;
    const parsed = parsePackagePattern(option.target);
    if (!parsed.ok) return undefined;
    const known = (this.byPackage.get(patternKey(parsed.pattern)) ?? []).filter(
      (c) => parsed.pattern.version === undefined || c.version === parsed.pattern.version,
    );
    const verdict =
      known.length > 0
        ? this.fromInventory(known, parsed.pattern.version !== undefined)
        : this.fromRegistry(option.target);
    // A name read in a repository is only a successor once its registry says it comes from there (a draft,
    // made before the registries are asked, keeps it so that it is asked about).
    const drafting = this.checks.facts === undefined;
    if (
      option.source === PUBLISHED_NAME_SOURCE &&
      !drafting &&
      !this.publishedFromSource(verdict?.repository, component)
    )
      return undefined;
    if (!verdict) return option;
    if (verdict.dead && !keepDead) return undefined;
    const flags = verdict.dead ? [...verdict.flags, verdict.dead] : verdict.flags;
    const from = component.license.category;
    const to = verdict.license?.category;
    if (from && to && from !== 'unknown' && to !== 'unknown' && from !== to)
      flags.push('license-family-differs');
    const targetLicense = verdict.license?.expression;
    return {
      ...option,
      ...(targetLicense !== undefined ? { targetLicense } : {}),
      ...(flags.length > 0 ? { flags: [...(option.flags ?? []), ...flags] } : {}),
    };
  }

  /**
   * Whether a name read in the component's repository is published from that repository (under its
   * declared name, or the one GitHub gives it now). A package of that name that declares another
   * repository, or none, or that no registry answered for, may be anyone's: no.
   */
  private publishedFromSource(declared: string | undefined, component: Component): boolean {
    const parsed = declared === undefined ? undefined : parseRepositoryUrl(declared);
    const theirs = parsed ? repositoryKey(parsed) : undefined;
    if (theirs === undefined) return false;
    const key = publishedNameKey(component);
    const now = key === undefined ? undefined : this.checks.publishedNames?.get(key)?.repository;
    const own = component.sourceRepository ? repositoryKey(component.sourceRepository) : undefined;
    return theirs === own || theirs === now?.toLowerCase();
  }

  private fromInventory(known: readonly Component[], pinned: boolean): TargetVerdict {
    const license = known.find((c) => c.license.category !== undefined)?.license;
    const best = bestClass(known);
    const repository = known.find((c) => c.sourceRepository)?.sourceRepository?.url;
    return {
      ...(isDead(known, pinned) ? { dead: 'target-end-of-life' as const } : {}),
      ...(repository !== undefined ? { repository } : {}),
      flags: best === 'ABANDONED' || best === 'AT_RISK' ? ['target-unhealthy'] : [],
      ...(license ? { license: { expression: license.expression, category: license.category } } : {}),
    };
  }

  private fromRegistry(target: string): TargetVerdict | undefined {
    const ref = targetRef(target);
    const facts = ref ? this.checks.facts?.get(ref.key) : undefined;
    if (!facts || facts.status === 'unknown') return undefined;
    if (facts.status === 'not-found') return { dead: 'target-not-found', flags: [] };
    const dead = facts.deprecated !== undefined || facts.relocatedTo !== undefined;
    const staleMonths = this.checks.staleMonths ?? DEFAULT_STALE_TARGET_MONTHS;
    const last = facts.lastReleaseAt ? Date.parse(facts.lastReleaseAt) : Number.NaN;
    const stale = !Number.isNaN(last) && this.clock.olderThan(last, staleMonths);
    return {
      ...(dead ? { dead: 'target-end-of-life' as const } : {}),
      flags: stale ? ['target-unhealthy'] : [],
      ...(facts.license ? { license: facts.license } : {}),
      ...(facts.repository !== undefined ? { repository: facts.repository } : {}),
    };
  }
}

interface TargetVerdict {
  /** Why the target is dead: dropped, or kept with this flag for a decision. */
  dead?: 'target-end-of-life' | 'target-not-found';
  flags: string[];
  license?: { expression?: string; category?: LicenseCategory };
  /** The source repository the target declares. */
  repository?: string;
}

/** A pinned version is dead when EOL; a package when every version known is EOL for a package-wide reason. */
function isDead(known: readonly Component[], pinned: boolean): boolean {
  if (!known.every((c) => c.health?.class === 'EOL')) return false;
  return pinned || known.some((c) => c.health!.reasons.some((r) => PACKAGE_DEAD.has(r.code)));
}

function bestClass(known: readonly Component[]): HealthClass | undefined {
  let best: HealthClass | undefined;
  for (const c of known) {
    const cls = c.health?.class;
    if (cls && (best === undefined || HEALTH_SEVERITY.indexOf(cls) > HEALTH_SEVERITY.indexOf(best)))
      best = cls;
  }
  return best;
}

// ---- helpers ----

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function field(value: Record<string, unknown>, name: string): unknown {
  return Object.hasOwn(value, name) ? value[name] : undefined;
}

function text(value: Record<string, unknown>, name: string): string | undefined {
  const v = field(value, name);
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}
