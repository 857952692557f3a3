import { isRecord } from '../json.js';

/**
 * The facts the registry gives about one name@version, read from a parsed registry document: the full
 * packument (`GET /name`, every version plus `time`) or a version document (`GET /name/version`, one
 * version, no dates). Pure; `now` is passed in.
 *
 * Every value read here comes from a document anyone can publish: nothing is looked up on a plain object
 * without `Object.hasOwn`, and nothing is trusted to have the documented type.
 */

export type LicenseField = 'license' | 'license.type' | 'licenses';

/** Why a declared license cannot be used as one: the raw value is kept for the report. */
export type LicenseFlag = 'missing' | 'empty' | 'url' | 'object' | 'array' | 'not-a-string';

export type NpmLicenseFact =
  /** A declared string: an SPDX expression, a free-text name, `UNLICENSED`, or `SEE LICENSE IN <file>`. */
  | { status: 'declared'; value: string; field: LicenseField; seeLicenseIn?: string }
  | { status: 'unknown'; flag: LicenseFlag; reason: string; raw?: string; field?: LicenseField };

export interface NpmRepositoryFact {
  /** A browsable https URL when the declared one could be normalised, else the declared string. */
  url: string;
  /** The package's folder inside a monorepo. */
  directory?: string;
}

export interface NpmFacts {
  name: string;
  version: string;
  license: NpmLicenseFact;
  /** The deprecation message ('' when deprecated without one). */
  deprecated?: string;
  repository?: NpmRepositoryFact;
  /** How many people maintain the package now (the packument's list; the version's when only that is known). */
  maintainers?: number;
  funding: string[];
  homepage?: string;
  /** When this version was published (packument only). */
  publishedAt?: string;
  /** The `latest` dist-tag, its publication date and its deprecation message when it is deprecated (packument only). */
  latest?: { version: string; publishedAt?: string; deprecated?: string };
  /** The most recent publication time of a version the packument still lists (packument only). */
  lastReleaseAt?: string;
  /** Versions published in the 12 months up to `now`, both ends included (packument only). */
  releasesLast12Months?: number;
}

/**
 * `unpublished`: the registry says the package (`time.unpublished`, no `versions`) or this version (in `time`,
 * not in `versions`) was published and then removed, with when when it says.
 */
export type FactsResult =
  | { ok: true; facts: NpmFacts }
  | { ok: false; reason: string; missing?: true; unpublished?: { at?: string } };

const MAX_RAW = 200;
const TIME_KEYS_NOT_VERSIONS = new Set(['created', 'modified', 'unpublished']);

/**
 * Facts for each of `versions` from one full packument. The document is read once; a shape problem that
 * concerns the whole document gives every version the same reason.
 */
export function factsFromPackument(
  document: unknown,
  name: string,
  versions: readonly string[],
  now: Date,
): Map<string, FactsResult> {
  const results = new Map<string, FactsResult>();
  const shape = packumentShape(document, name);
  if (!shape.ok) {
    const failure: FactsResult = {
      ok: false,
      reason: shape.reason,
      ...(shape.unpublished ? { unpublished: shape.unpublished } : {}),
    };
    for (const version of versions) results.set(version, failure);
    return results;
  }
  const { packument, versionDocs, time } = shape;
  const maintainers = countPeople(packument.maintainers);
  const latest = latestOf(packument, versionDocs, time);
  const releases = time ? releasesInYearBefore(time, now) : undefined;
  const lastReleaseAt = time ? lastPublication(time, versionDocs) : undefined;
  for (const wanted of versions) {
    const version = taggedVersion(packument, versionDocs, wanted) ?? wanted;
    const doc = ownValue(versionDocs, version);
    if (doc === undefined) {
      const unpublished = time !== undefined && dateOf(ownValue(time, version)) !== undefined;
      results.set(wanted, {
        ok: false,
        reason: missingVersionReason(version, time),
        missing: true,
        ...(unpublished ? { unpublished: {} } : {}),
      });
      continue;
    }
    const facts = versionFacts(doc, name, version);
    if (!facts.ok) {
      results.set(wanted, facts);
      continue;
    }
    facts.facts.maintainers = maintainers ?? facts.facts.maintainers;
    facts.facts.publishedAt = time ? dateOf(ownValue(time, version)) : undefined;
    facts.facts.latest = latest;
    facts.facts.lastReleaseAt = lastReleaseAt;
    facts.facts.releasesLast12Months = releases;
    results.set(wanted, facts);
  }
  return results;
}

/** Facts from a version document (`GET /name/version`): no dates, no latest. */
export function factsFromVersionDocument(document: unknown, name: string, version: string): FactsResult {
  if (!isRecord(document)) return { ok: false, reason: 'the version document is not a JSON object' };
  return versionFacts(document, name, version);
}

type PackumentShape =
  | {
      ok: true;
      packument: Record<string, unknown>;
      versionDocs: Record<string, unknown>;
      time?: Record<string, unknown>;
    }
  | { ok: false; reason: string; unpublished?: { at?: string } };

function packumentShape(document: unknown, name: string): PackumentShape {
  if (!isRecord(document)) return { ok: false, reason: 'the packument is not a JSON object' };
  const declaredName = ownValue(document, 'name');
  if (typeof declaredName === 'string' && declaredName !== name) {
    return { ok: false, reason: `the registry answered with the packument of "${clip(declaredName)}"` };
  }
  const versionDocs = ownValue(document, 'versions');
  const unpublished = unpublishedOf(ownValue(document, 'time'));
  if (unpublished && !isRecord(versionDocs)) {
    const when = unpublished.at ? ` on ${unpublished.at}` : '';
    return { ok: false, reason: `the package was unpublished from the registry${when}`, unpublished };
  }
  if (!isRecord(versionDocs)) {
    return { ok: false, reason: `the packument's "versions" is ${describe(versionDocs)}, not an object` };
  }
  const time = ownValue(document, 'time');
  if (time !== undefined && !isRecord(time)) {
    return { ok: false, reason: `the packument's "time" is ${describe(time)}, not an object` };
  }
  const tags = ownValue(document, 'dist-tags');
  if (tags !== undefined && !isRecord(tags)) {
    return { ok: false, reason: `the packument's "dist-tags" is ${describe(tags)}, not an object` };
  }
  return { ok: true, packument: document, versionDocs, time };
}

/** `time.unpublished` of a packument whose every version was unpublished: `{time, versions, ...}`. */
function unpublishedOf(time: unknown): { at?: string } | undefined {
  if (!isRecord(time)) return undefined;
  const entry = ownValue(time, 'unpublished');
  if (!isRecord(entry)) return undefined;
  const at = dateOf(ownValue(entry, 'time'));
  return at ? { at } : {};
}

function missingVersionReason(version: string, time: Record<string, unknown> | undefined): string {
  if (time && dateOf(ownValue(time, version)))
    return `version ${clip(version)} was unpublished from the registry`;
  return `version ${clip(version)} is not in the registry (the packument does not list it)`;
}

function versionFacts(doc: unknown, name: string, version: string): FactsResult {
  if (!isRecord(doc))
    return { ok: false, reason: `the document of version ${clip(version)} is not an object` };
  const declaredVersion = ownValue(doc, 'version');
  if (typeof declaredVersion === 'string' && declaredVersion !== version) {
    return { ok: false, reason: `the registry answered with version "${clip(declaredVersion)}"` };
  }
  return {
    ok: true,
    facts: {
      name,
      version,
      license: licenseOf(doc),
      deprecated: deprecationOf(ownValue(doc, 'deprecated')),
      repository: repositoryOf(ownValue(doc, 'repository')),
      maintainers: countPeople(ownValue(doc, 'maintainers')),
      funding: fundingOf(ownValue(doc, 'funding')),
      homepage: nonEmptyString(ownValue(doc, 'homepage')),
    },
  };
}

/** The deprecation message; `true` (old documents) is a deprecation without one; '' is none. */
function deprecationOf(value: unknown): string | undefined {
  if (value === true) return '';
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/**
 * The declared license as one string. `license` wins over the legacy `licenses` array, whose entries
 * were alternatives (npm's documentation replaces `[A, B]` with `(A OR B)`).
 */
export function licenseOf(doc: Record<string, unknown>): NpmLicenseFact {
  if (Object.hasOwn(doc, 'license')) return licenseValue(doc.license, 'license');
  if (Object.hasOwn(doc, 'licenses')) return legacyLicenses(doc.licenses);
  return { status: 'unknown', flag: 'missing', reason: 'the registry declares no license for this version' };
}

function licenseValue(value: unknown, field: 'license' | 'licenses'): NpmLicenseFact {
  if (typeof value === 'string') return licenseString(value, field);
  // Old packages list their licenses as an array in either field: several licenses offered are a choice.
  if (Array.isArray(value)) return licenseChoice(value, field);
  if (isRecord(value)) {
    const type = ownValue(value, 'type');
    if (typeof type === 'string') return licenseString(type, field === 'license' ? 'license.type' : field);
    return unknownLicense('object', field, raw(value), `"${field}" is an object without a "type"`);
  }
  return unknownLicense('not-a-string', field, raw(value), `"${field}" is ${describe(value)}`);
}

function licenseString(value: string, field: LicenseField): NpmLicenseFact {
  const trimmed = value.trim();
  if (trimmed === '') return unknownLicense('empty', field, value, `"${field}" is empty`);
  if (/^(https?:\/\/|www\.)/i.test(trimmed)) {
    return unknownLicense('url', field, trimmed, `"${field}" is a URL, not a license name`);
  }
  const seeFile = /^SEE LICEN[CS]E IN (.+)$/i.exec(trimmed);
  return seeFile
    ? { status: 'declared', value: trimmed, field, seeLicenseIn: seeFile[1]!.trim() }
    : { status: 'declared', value: trimmed, field };
}

function legacyLicenses(value: unknown): NpmLicenseFact {
  return Array.isArray(value) ? licenseChoice(value, 'licenses') : licenseValue(value, 'licenses');
}

function licenseChoice(value: unknown[], field: 'license' | 'licenses'): NpmLicenseFact {
  const names: string[] = [];
  for (const entry of value) {
    if (Array.isArray(entry)) continue;
    const fact = licenseValue(entry, field);
    if (fact.status !== 'declared') continue;
    names.push(/\s/.test(fact.value) ? `(${fact.value})` : fact.value);
  }
  if (names.length === 0) {
    return unknownLicense('array', field, raw(value), `"${field}" holds no usable license name`);
  }
  const value1 = names.length === 1 ? names[0]!.replace(/^\((.*)\)$/, '$1') : `(${names.join(' OR ')})`;
  return { status: 'declared', value: value1, field };
}

function unknownLicense(
  flag: LicenseFlag,
  field: LicenseField,
  rawValue: string,
  reason: string,
): NpmLicenseFact {
  return { status: 'unknown', flag, reason, raw: rawValue, field };
}

const HOSTED: Record<string, string> = {
  github: 'https://github.com/',
  gitlab: 'https://gitlab.com/',
  bitbucket: 'https://bitbucket.org/',
  gist: 'https://gist.github.com/',
};

/** `repository` as a string (URL or shorthand) or `{type, url, directory}`. */
export function repositoryOf(value: unknown): NpmRepositoryFact | undefined {
  if (typeof value === 'string') {
    const url = normaliseRepositoryUrl(value);
    return url ? { url } : undefined;
  }
  if (!isRecord(value)) return undefined;
  const url = normaliseRepositoryUrl(ownValue(value, 'url'));
  if (!url) return undefined;
  const directory = nonEmptyString(ownValue(value, 'directory'))?.replace(/^\.\//, '').replace(/\/+$/, '');
  return directory ? { url, directory } : { url };
}

/**
 * A browsable URL: `git+https://h/o/r.git`, `git://h/o/r`, `git+ssh://git@h/o/r.git`, `git@h:o/r.git`,
 * `github:o/r`, `o/r` all become `https://h/o/r`. A value that fits none of these is kept as written.
 */
export function normaliseRepositoryUrl(value: unknown): string | undefined {
  const text = nonEmptyString(value)?.trim();
  if (!text) return undefined;
  const withoutFragment = text.replace(/#.*$/, '');
  const hosted = /^(github|gitlab|bitbucket|gist):([^/\s]+(?:\/[^/\s]+)?)$/i.exec(withoutFragment);
  if (hosted) return HOSTED[hosted[1]!.toLowerCase()]! + stripGitSuffix(hosted[2]!);
  if (/^[\w.-]+\/[\w.-]+$/.test(withoutFragment))
    return `https://github.com/${stripGitSuffix(withoutFragment)}`;
  const scp = /^(?:[\w.-]+@)?([\w.-]+\.[a-z]{2,}):(?!\/\/)(.+)$/i.exec(withoutFragment);
  if (scp) return `https://${scp[1]!.toLowerCase()}/${stripGitSuffix(scp[2]!.replace(/^\/+/, ''))}`;
  const url = /^(?:git\+)?(?:https?|git|ssh):\/\/(?:[^@/]*@)?([^/:]+)(?::\d+)?[/:](.+)$/i.exec(
    withoutFragment,
  );
  if (url) return `https://${url[1]!.toLowerCase()}/${stripGitSuffix(url[2]!)}`;
  return text;
}

function stripGitSuffix(path: string): string {
  return path.replace(/\/+$/, '').replace(/\.git$/, '');
}

/** `funding`: a URL string, `{type, url}`, or an array of either. */
export function fundingOf(value: unknown): string[] {
  const entries = Array.isArray(value) ? value : value === undefined ? [] : [value];
  const urls = new Set<string>();
  for (const entry of entries) {
    const url = typeof entry === 'string' ? entry : isRecord(entry) ? ownValue(entry, 'url') : undefined;
    const text = nonEmptyString(url)?.trim();
    if (text) urls.add(text);
  }
  return [...urls];
}

/** How many entries a `maintainers` list has; names and e-mails are never kept. */
function countPeople(value: unknown): number | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.filter((person) => isRecord(person) || (typeof person === 'string' && person !== '')).length;
}

function latestOf(
  packument: Record<string, unknown>,
  versionDocs: Record<string, unknown>,
  time: Record<string, unknown> | undefined,
): NpmFacts['latest'] | undefined {
  const tags = ownValue(packument, 'dist-tags');
  const version = isRecord(tags) ? nonEmptyString(ownValue(tags, 'latest')) : undefined;
  if (!version) return undefined;
  const publishedAt = time ? dateOf(ownValue(time, version)) : undefined;
  const doc = ownValue(versionDocs, version);
  const deprecated = isRecord(doc) ? deprecationOf(ownValue(doc, 'deprecated')) : undefined;
  return {
    version,
    ...(publishedAt ? { publishedAt } : {}),
    ...(deprecated !== undefined ? { deprecated } : {}),
  };
}

/**
 * The version a dist-tag names (`latest`, `next`), as `npm install name@latest` reads it; undefined when
 * `wanted` is a version the packument lists, or not a tag of one it lists.
 */
function taggedVersion(
  packument: Record<string, unknown>,
  versionDocs: Record<string, unknown>,
  wanted: string,
): string | undefined {
  if (Object.hasOwn(versionDocs, wanted)) return undefined;
  const tags = ownValue(packument, 'dist-tags');
  const version = isRecord(tags) ? nonEmptyString(ownValue(tags, wanted)) : undefined;
  return version !== undefined && Object.hasOwn(versionDocs, version) ? version : undefined;
}

/** The latest publication time among the versions the packument still lists. */
function lastPublication(
  time: Record<string, unknown>,
  versionDocs: Record<string, unknown>,
): string | undefined {
  let last: number | undefined;
  for (const [key, value] of Object.entries(time)) {
    if (TIME_KEYS_NOT_VERSIONS.has(key) || typeof value !== 'string' || !Object.hasOwn(versionDocs, key))
      continue;
    const at = Date.parse(value);
    if (!Number.isNaN(at) && (last === undefined || at > last)) last = at;
  }
  return last === undefined ? undefined : new Date(last).toISOString();
}

/** Versions whose publication time falls in [now - 12 months, now]. */
export function releasesInYearBefore(time: Record<string, unknown>, now: Date): number {
  const end = now.getTime();
  const startDate = new Date(end);
  startDate.setUTCFullYear(startDate.getUTCFullYear() - 1);
  const start = startDate.getTime();
  let count = 0;
  for (const [key, value] of Object.entries(time)) {
    if (TIME_KEYS_NOT_VERSIONS.has(key) || typeof value !== 'string') continue;
    const at = Date.parse(value);
    if (at >= start && at <= end) count++;
  }
  return count;
}

function dateOf(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : new Date(at).toISOString();
}

function ownValue(record: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

function describe(value: unknown): string {
  if (value === undefined) return 'absent';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

function raw(value: unknown): string {
  let text: string;
  try {
    text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  return clip(text);
}

function clip(text: string): string {
  return text.length > MAX_RAW ? `${text.slice(0, MAX_RAW)}…` : text;
}
