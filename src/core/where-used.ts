/**
 * The cross-repository index (pure): which projects use a package, in which versions, directly or through
 * which dependency path, and where their manifests declare it.
 *
 * A query is a purl (`pkg:npm/lodash`, `pkg:maven/g/a@1.0`, with or without version), a Maven
 * `groupId:artifactId[:version]`, an npm name (`lodash`, `@babel/core`, optionally `@version`), or a bare
 * name, which matches npm packages of that name and Maven artifacts of that artifactId (all of them when
 * several groups have one). Names are compared exactly; when nothing matches, close names are suggested.
 */
import { PackageURL } from 'packageurl-js';
import { compareVersions } from '../ecosystems/maven/version.js';
import type { Component, DeclarationSite, Ecosystem, Inventory, LicenseCategory, Scope } from './model.js';
import { compareSemver, parseSemver } from './version-range.js';

export interface WhereUsedQuery {
  /** As the user wrote it. */
  text: string;
  ecosystem?: Ecosystem;
  group?: string;
  /** npm: the full name when no ecosystem is set (`@babel/core`); else the bare name or artifactId. */
  name: string;
  version?: string;
  /** purl qualifiers the component's purl must carry (`type=test-jar`). */
  qualifiers?: Record<string, string>;
}

export type QueryParse = { ok: true; query: WhereUsedQuery } | { ok: false; reason: string };

export interface WhereUsedUsage {
  project: string;
  manifest: string;
  scopes: Scope[];
  direct: boolean;
  requested?: string;
  /** From the project to the component, both ends included. */
  path: string[];
  declaredAt?: DeclarationSite;
}

export interface WhereUsedVersion {
  purl: string;
  version: string;
  locked: boolean;
  license?: string;
  category?: LicenseCategory;
  usages: WhereUsedUsage[];
}

export interface WhereUsedPackage {
  ecosystem: Ecosystem;
  group?: string;
  name: string;
  /** `@babel/core`, `fr.paris.lutece:lutece-core`. */
  display: string;
  /** Oldest first, in the ecosystem's version order. */
  versions: WhereUsedVersion[];
  /** Ids of the projects that use any version, sorted. */
  projects: string[];
}

export interface WhereUsedResult {
  query: string;
  packages: WhereUsedPackage[];
  /** Close package names when nothing matches (at most MAX_SUGGESTIONS), else empty. */
  suggestions: string[];
}

export const MAX_SUGGESTIONS = 5;
const MAX_QUERY_LENGTH = 1000;

export function parseWhereUsedQuery(input: string): QueryParse {
  const text = input.trim();
  if (text === '') return { ok: false, reason: 'the name is empty' };
  if (text.length > MAX_QUERY_LENGTH) return { ok: false, reason: `over ${MAX_QUERY_LENGTH} characters` };
  if (text.startsWith('pkg:')) return parsePurlQuery(text);
  if (!text.startsWith('@') && text.includes(':')) {
    const parts = text.split(':');
    if (parts.length > 3 || parts.some((p) => p === '')) {
      return { ok: false, reason: 'a Maven name is groupId:artifactId or groupId:artifactId:version' };
    }
    const [group, name, version] = parts as [string, string, string | undefined];
    return { ok: true, query: { text, ecosystem: 'maven', group, name, ...(version ? { version } : {}) } };
  }
  const at = text.lastIndexOf('@');
  if (at > 0) {
    const version = text.slice(at + 1);
    if (version === '') return { ok: false, reason: 'nothing follows the @ of the version' };
    return { ok: true, query: { text, name: text.slice(0, at), version } };
  }
  return { ok: true, query: { text, name: text } };
}

function parsePurlQuery(text: string): QueryParse {
  let purl: PackageURL;
  try {
    purl = PackageURL.fromString(text);
  } catch (error) {
    return {
      ok: false,
      reason: `not a package URL: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  if (purl.type !== 'npm' && purl.type !== 'maven') {
    return { ok: false, reason: `the inventory holds npm and maven packages, not "${purl.type}"` };
  }
  const qualifiers = purl.qualifiers && Object.keys(purl.qualifiers).length > 0 ? purl.qualifiers : undefined;
  return {
    ok: true,
    query: {
      text,
      ecosystem: purl.type,
      ...(purl.namespace ? { group: purl.namespace } : {}),
      name: purl.name,
      ...(purl.version ? { version: purl.version } : {}),
      ...(qualifiers ? { qualifiers: { ...qualifiers } } : {}),
    },
  };
}

export function whereUsed(inventory: Inventory, query: WhereUsedQuery): WhereUsedResult {
  const packages = new Map<string, { component: Component; versions: WhereUsedVersion[] }>();
  for (const component of inventory.components) {
    if (!matches(query, component)) continue;
    const key = JSON.stringify([component.ecosystem, component.group ?? '', component.name]);
    let entry = packages.get(key);
    if (!entry) {
      entry = { component, versions: [] };
      packages.set(key, entry);
    }
    entry.versions.push(versionOf(component));
  }
  const result: WhereUsedPackage[] = [...packages.values()].map(({ component, versions }) => ({
    ecosystem: component.ecosystem,
    ...(component.group === undefined ? {} : { group: component.group }),
    name: component.name,
    display: displayName(component),
    versions: versions.sort((a, b) => compareVersion(component.ecosystem, a, b)),
    projects: [...new Set(versions.flatMap((v) => v.usages.map((u) => u.project)))].sort(compareText),
  }));
  result.sort((a, b) => compareText(a.ecosystem, b.ecosystem) || compareText(a.display, b.display));
  return {
    query: query.text,
    packages: result,
    suggestions: result.length > 0 ? [] : suggestNames(inventory, query),
  };
}

function matches(query: WhereUsedQuery, component: Component): boolean {
  if (query.version !== undefined && component.version !== query.version) return false;
  if (query.ecosystem !== undefined) {
    if (component.ecosystem !== query.ecosystem || component.name !== query.name) return false;
    if ((component.group ?? '') !== (query.group ?? '')) return false;
    return query.qualifiers === undefined || hasQualifiers(component.purl, query.qualifiers);
  }
  if (component.ecosystem === 'npm') return displayName(component) === query.name;
  return component.name === query.name;
}

function hasQualifiers(purl: string, wanted: Record<string, string>): boolean {
  let qualifiers: Record<string, string> | undefined | null;
  try {
    qualifiers = PackageURL.fromString(purl).qualifiers;
  } catch {
    return false;
  }
  return Object.entries(wanted).every(
    ([key, value]) => qualifiers != null && Object.hasOwn(qualifiers, key) && qualifiers[key] === value,
  );
}

function versionOf(component: Component): WhereUsedVersion {
  const usages = component.usedBy.map((u): WhereUsedUsage => ({
    project: u.project,
    manifest: u.manifest,
    scopes: [...u.scopes],
    direct: u.direct,
    ...(u.requested === undefined ? {} : { requested: u.requested }),
    path: [...u.path],
    ...(u.declaredAt ? { declaredAt: { file: u.declaredAt.file, line: u.declaredAt.line } } : {}),
  }));
  usages.sort(
    (a, b) =>
      compareText(a.project, b.project) ||
      compareText(a.manifest, b.manifest) ||
      compareText(a.path.join('\u0000'), b.path.join('\u0000')),
  );
  return {
    purl: component.purl,
    version: component.version,
    locked: component.locked,
    ...(component.license.expression === undefined ? {} : { license: component.license.expression }),
    ...(component.license.category === undefined ? {} : { category: component.license.category }),
    usages,
  };
}

function compareVersion(ecosystem: Ecosystem, a: WhereUsedVersion, b: WhereUsedVersion): number {
  let order = 0;
  if (a.locked && b.locked) {
    if (ecosystem === 'maven') order = Math.sign(compareVersions(a.version, b.version));
    else {
      const x = parseSemver(a.version);
      const y = parseSemver(b.version);
      if (x && y) order = compareSemver(x, y);
    }
  }
  return order || compareText(a.version, b.version) || compareText(a.purl, b.purl);
}

/** `@scope/name` for npm, `groupId:artifactId` for Maven. */
export function displayName(component: { ecosystem: Ecosystem; group?: string; name: string }): string {
  if (component.group === undefined) return component.name;
  return component.ecosystem === 'maven'
    ? `${component.group}:${component.name}`
    : `${component.group}/${component.name}`;
}

// ---------------------------------------------------------------------------------------------------
// suggestions

/**
 * What the user may have meant. A known package in another version: its versions' purls. Else package names
 * within a small edit distance (a typo, a swapped pair of letters), case ignored; failing that, names that
 * contain the query. Closest first.
 */
function suggestNames(inventory: Inventory, query: WhereUsedQuery): string[] {
  if (query.version !== undefined) {
    const anyVersion: WhereUsedQuery = { ...query };
    delete anyVersion.version;
    // Newest first: the versions in use the user most likely meant.
    const other = inventory.components
      .filter((c) => matches(anyVersion, c))
      .map((c) => ({ ecosystem: c.ecosystem, version: versionOf(c) }))
      .sort(
        (a, b) => compareText(a.ecosystem, b.ecosystem) || compareVersion(a.ecosystem, b.version, a.version),
      )
      .map((v) => v.version.purl);
    if (other.length > 0) return [...new Set(other)].slice(0, MAX_SUGGESTIONS);
  }
  const wanted = (
    query.ecosystem === 'maven' && query.group !== undefined ? `${query.group}:${query.name}` : query.name
  ).toLowerCase();
  // The names compared with the query, each with the package names it suggests.
  const candidates = new Map<string, Set<string>>();
  const add = (compared: string, display: string) => {
    const set = candidates.get(compared);
    if (set) set.add(display);
    else candidates.set(compared, new Set([display]));
  };
  for (const component of inventory.components) {
    const display = displayName(component);
    add(display.toLowerCase(), display);
    if (component.ecosystem === 'maven' && !wanted.includes(':')) add(component.name.toLowerCase(), display);
  }
  const limit = Math.min(3, Math.max(1, Math.floor(wanted.length / 4)));
  const close: { names: Set<string>; distance: number }[] = [];
  for (const [compared, names] of candidates) {
    const distance = editDistance(wanted, compared, limit);
    if (distance <= limit) close.push({ names, distance });
  }
  if (close.length === 0 && wanted.length >= 3) {
    for (const [compared, names] of candidates) {
      if (compared.includes(wanted)) close.push({ names, distance: compared.length });
    }
  }
  const ranked = close.flatMap(({ names, distance }) => [...names].map((name) => ({ name, distance })));
  ranked.sort((a, b) => a.distance - b.distance || compareText(a.name, b.name));
  return [...new Set(ranked.map((c) => c.name))].slice(0, MAX_SUGGESTIONS);
}

/**
 * Optimal string alignment distance (Levenshtein plus adjacent transpositions), or `limit + 1` as soon as it
 * is known to exceed `limit`.
 */
export function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let before = new Array<number>(b.length + 1).fill(0);
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  let current = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, (before[j - 2] as number) + 1);
      }
      current[j] = value;
      if (value < best) best = value;
    }
    if (best > limit) return limit + 1;
    [before, previous, current] = [previous, current, before];
  }
  return Math.min(previous[b.length] as number, limit + 1);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
