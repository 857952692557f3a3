/**
 * License normalisation (DESIGN.md section 5): the declared license values of a component (SPDX expressions,
 * npm's legacy forms, the free-text names and URLs of Maven POMs) become one SPDX expression, with how each
 * value was mapped and the expression's category. What nothing maps stays in the expression as
 * `LicenseRef-unmapped-<slug>` and is listed raw: never guessed.
 *
 * Pure: the knowledge (alias table, categories, organisation mappings, spdx-correct) is loaded once per run
 * by src/licenses/knowledge.ts. Each value is tried in this order, the first answer wins:
 * 1. a valid SPDX expression (`spdx`; `corrected` when ids were deprecated or misspelt in case: `GPL-2.0+`,
 *    `mit`, `MIT or Apache-2.0`);
 * 2. spdx-correct's answer when it only differs from the value in case, punctuation, a `v` before the version
 *    and trailing `.0`s (`Apache 2` → Apache-2.0, `GPLv2+` → GPL-2.0-or-later: `corrected`); its guesses that
 *    add anything (`BSD` → BSD-2-Clause, `MIT License`) are refused;
 * 3. the organisation mappings, by name then by URL (`organisation`): the organisation knows its own strings;
 * 4. the shipped alias table, by name then by URL (`alias`);
 * 5. a Maven `name <url>` pair (see `mavenLicenseValue`): steps 1-4 with the name, the URL only where the name
 *    says nothing;
 * 6. npm's joined legacy arrays and other `A OR B` / `A AND B` texts whose parts are not SPDX ids: each part
 *    on its own.
 * Several declared values are a choice: they are joined with OR.
 */
import type { LicenseCategory, LicenseMapping } from './model.js';
import { UNSAFE_IN_VALUE_SOURCE } from './unsafe-text.js';
import {
  categoryOfLicense,
  expressionCategory,
  formatSpdx,
  parseSpdxExpression,
  type SpdxNode,
} from './spdx-expression.js';

/** A declared name or URL of the organisation's own, mapped in the configuration (`licenses.mappings`). */
export interface OrganisationMapping {
  names?: string[];
  urls?: string[];
  /** The SPDX expression they mean. */
  license: string;
  reason?: string;
}

/** One row of data/license-aliases.yaml, as indexed: its SPDX expression and its position in the file. */
export interface AliasTarget {
  license: string;
  /** 0-based index of the row in the file's `aliases` list. */
  row: number;
}

/** The alias table indexed by `licenseNameKey` and `licenseUrlKey`. */
export interface AliasTable {
  names: ReadonlyMap<string, AliasTarget>;
  urls: ReadonlyMap<string, AliasTarget>;
}

export interface LicenseKnowledge {
  aliases: AliasTable;
  /** Every SPDX license id (deprecated ones included) → its category. */
  categories: ReadonlyMap<string, LicenseCategory>;
  organisation: readonly OrganisationMapping[];
  /** spdx-correct: its guess at the SPDX id a free-text value means, or null. */
  correct?: (value: string) => string | null | undefined;
}

export interface NormalisedLicense {
  status: 'known' | 'unknown';
  expression?: string;
  category?: LicenseCategory;
  /** How each declared value that maps was mapped, in the order of `declared`. */
  mappings: LicenseMapping[];
  /** Declared values (or parts of them) that nothing maps, as stored in `declared`. */
  unmapped: string[];
  /** The declared values with control characters removed and very long ones cut. */
  declared: string[];
  reason?: string;
}

/** Longer declared values are not read: cut to this length in `declared`. */
export const MAX_LICENSE_VALUE_LENGTH = 200;
const MAX_SLUG_LENGTH = 40;
const MAX_SPLIT_DEPTH = 4;
const UNLICENSED = 'LicenseRef-UNLICENSED';
const CONTROL = new RegExp(UNSAFE_IN_VALUE_SOURCE);
const CONTROLS = new RegExp(UNSAFE_IN_VALUE_SOURCE, 'g');
const PAIR = /^(.*\S)\s*<([^<>\s]+)>$/;
const MAPPING_RANK: Record<LicenseMapping, number> = {
  spdx: 0,
  corrected: 1,
  alias: 2,
  organisation: 3,
  'license-file': 4,
  curation: 5,
};

/**
 * The declared value of one Maven `<license>` element: `name <url>` when it has both, so that the pair stays
 * one choice (the name decides; the URL only when the name maps to nothing).
 */
export function mavenLicenseValue(name?: string | null, url?: string | null): string | undefined {
  const n = name?.trim();
  const u = url?.trim();
  if (n && u && !/[<>\s]/.test(u)) return `${n} <${u}>`;
  return n || u || undefined;
}

/**
 * The key a declared license name is matched on: NFKC, case-folded, quotes dropped, commas and ` - ` as
 * spaces, `licence` as `license`, `version`/`ver.`/`v`/`v.` before a number dropped, whitespace collapsed,
 * trailing `.`/`;`/`:` dropped, a leading `the ` dropped.
 * "The Apache Software License, Version 2.0" → `apache software license 2.0`.
 */
export function licenseNameKey(value: string): string {
  let s = value.normalize('NFKC').toLowerCase();
  s = s.replace(/["'`\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u00b4]/g, '');
  s = s.replace(/[\u2010-\u2015\u2212]/g, '-');
  s = s.replace(/licenc/g, 'licens');
  s = s.replace(/,/g, ' ');
  s = s.replace(/\s+/g, ' ');
  s = s.replace(/ - /g, ' ');
  s = s.replace(/\b(?:version|ver\.|v\.|v)\s*(?=\d)/g, '');
  s = s.replace(/\s+/g, ' ').trim();
  s = s.replace(/[.;:]+$/, '').trim();
  s = s.replace(/^the /, '');
  return s;
}

/**
 * The key a declared license URL is matched on: case-folded, without its scheme, `www.`, fragment, trailing
 * slashes and a `.txt`/`.html`/`.htm`/`.php` suffix. `https://www.apache.org/licenses/LICENSE-2.0.txt` →
 * `apache.org/licenses/license-2.0`.
 */
export function licenseUrlKey(value: string): string {
  let s = value.trim().toLowerCase();
  s = s.replace(/^[a-z][a-z0-9+.-]*:\/\//, '');
  s = s.replace(/#.*$/, '');
  s = s.replace(/^www\./, '');
  s = s.replace(/\/+$/, '');
  s = s.replace(/\.(?:txt|html?|php)$/, '');
  s = s.replace(/\/+$/, '');
  return s;
}

/** True for `scheme://...`, `www.host/...` and `host.tld/path` values (no spaces). */
export function isLicenseUrl(value: string): boolean {
  const text = value.trim();
  if (/\s/.test(text)) return false;
  return (
    /^[a-z][a-z0-9+.-]*:\/\/./i.test(text) ||
    /^www\.[^/]+\.[^/]+/i.test(text) ||
    /^[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}\/./i.test(text)
  );
}

/** The value as it may be stored and shown: control characters removed, cut to 200 characters. */
export function displayLicenseValue(value: string): string {
  if (value.length <= MAX_LICENSE_VALUE_LENGTH && !CONTROL.test(value)) return value;
  const head = value.slice(0, MAX_LICENSE_VALUE_LENGTH * 4).replace(CONTROLS, '');
  if (value.length <= MAX_LICENSE_VALUE_LENGTH) return head;
  return `${head.slice(0, MAX_LICENSE_VALUE_LENGTH)} ... (${value.length} characters)`;
}

/** Normalises a component's declared license values; several values are a choice (OR). */
export function normaliseLicense(
  declared: readonly string[],
  knowledge: LicenseKnowledge,
): NormalisedLicense {
  // 10,000 components share a few hundred declared lists: the whole answer is memoised too
  const memoisable = declared.length <= 16 && declared.every((v) => v.length <= MAX_LICENSE_VALUE_LENGTH);
  const caches = cachesOf(knowledge);
  const key = memoisable ? declared.map((v) => `${v.length}:${v}`).join('') : undefined;
  let result = key !== undefined ? caches.lists.get(key) : undefined;
  if (!result) {
    result = normaliseList(declared, knowledge, caches.values);
    if (key !== undefined) caches.lists.set(key, result);
  }
  return {
    ...result,
    mappings: [...result.mappings],
    unmapped: [...result.unmapped],
    declared: [...result.declared],
  };
}

function normaliseList(
  declared: readonly string[],
  knowledge: LicenseKnowledge,
  cache: Map<string, ValueResult>,
): NormalisedLicense {
  const results = declared.map((value) => {
    let result = cache.get(value);
    if (!result) {
      result = normaliseValue(value, knowledge);
      if (value.length <= MAX_LICENSE_VALUE_LENGTH) cache.set(value, result);
    }
    return result;
  });
  const nodes = results.flatMap((r) => (r.node ? [r.node] : []));
  const unmapped = results.flatMap((r) => r.unmapped);
  const node = nodes.length > 0 ? combine('or', nodes) : undefined;
  // an empty value beside real ones is noise, not a reason to doubt them
  const reasons = [...new Set(results.flatMap((r) => (r.node || !node ? r.reasons : [])))];
  const expression = node ? formatSpdx(node) : undefined;
  if (reasons.length === 0 && !node) reasons.push('no license is declared');
  const out: NormalisedLicense = {
    status: reasons.length === 0 ? 'known' : 'unknown',
    mappings: results.flatMap((r) => (r.mapping ? [r.mapping] : [])),
    unmapped,
    declared: results.map((r) => r.declared),
  };
  if (expression !== undefined) {
    out.expression = expression;
    out.category = categoryOf(expression, knowledge);
  } else out.category = 'unknown';
  if (reasons.length > 0) out.reason = reasons.join('; ');
  return out;
}

/**
 * The category of an SPDX expression: a choice (OR) is as demanding as its least demanding branch, a
 * combination (AND, WITH) as its most demanding part; `LicenseRef-UNLICENSED` is proprietary, any other
 * `LicenseRef-` and anything that does not parse is unknown.
 */
export function categoryOf(expression: string, knowledge: LicenseKnowledge): LicenseCategory {
  let cache = categoryCaches.get(knowledge.categories);
  if (!cache) categoryCaches.set(knowledge.categories, (cache = new Map()));
  let category = cache.get(expression);
  if (category === undefined) {
    const parsed = parseSpdxExpression(expression);
    category = parsed.ok
      ? expressionCategory(parsed.node, (license) => categoryOfLicense(license, knowledge.categories))
      : 'unknown';
    if (expression.length <= 1000) cache.set(expression, category);
  }
  return category;
}

/** The organisation mappings whose license is not a valid SPDX expression, as messages (they are ignored). */
export function organisationMappingErrors(mappings: readonly OrganisationMapping[]): string[] {
  const errors: string[] = [];
  mappings.forEach((mapping, index) => {
    if (typeof mapping.license !== 'string') {
      errors.push(`licenses.mappings[${index}]: "license" must be an SPDX expression`);
      return;
    }
    const parsed = parseSpdxExpression(mapping.license);
    if (!parsed.ok) {
      errors.push(
        `licenses.mappings[${index}]: "${displayLicenseValue(mapping.license)}" is not an SPDX expression (${parsed.message})`,
      );
    }
    if (!mapping.names?.length && !mapping.urls?.length) {
      errors.push(`licenses.mappings[${index}]: gives neither names nor urls`);
    }
  });
  return errors;
}

// ---------------------------------------------------------------------------------------------------
// One declared value

interface ValueResult {
  declared: string;
  node?: SpdxNode;
  /** The most interpretive mapping that decided a part of the value. */
  mapping?: LicenseMapping;
  unmapped: string[];
  reasons: string[];
}

interface Found {
  node: SpdxNode;
  mapping: LicenseMapping;
}

interface Caches {
  values: Map<string, ValueResult>;
  lists: Map<string, NormalisedLicense>;
}

const caches = new WeakMap<LicenseKnowledge, Caches>();
const idTokenSets = new WeakMap<ReadonlyMap<string, LicenseCategory>, Set<string>>();
const categoryCaches = new WeakMap<ReadonlyMap<string, LicenseCategory>, Map<string, LicenseCategory>>();
const expressionCache = new Map<string, SpdxNode | null>();
const organisationIndexes = new WeakMap<readonly OrganisationMapping[], OrganisationIndex>();

function cachesOf(knowledge: LicenseKnowledge): Caches {
  let cache = caches.get(knowledge);
  if (!cache) caches.set(knowledge, (cache = { values: new Map(), lists: new Map() }));
  return cache;
}

/** `versionTokens` of every SPDX id: a value whose tokens are none of these cannot be accepted from spdx-correct. */
function idTokens(categories: ReadonlyMap<string, LicenseCategory>): Set<string> {
  let tokens = idTokenSets.get(categories);
  if (!tokens) {
    tokens = new Set([...categories.keys()].map(versionTokens));
    idTokenSets.set(categories, tokens);
  }
  return tokens;
}

function normaliseValue(value: string, knowledge: LicenseKnowledge): ValueResult {
  const declared = displayLicenseValue(value);
  if (value.length > MAX_LICENSE_VALUE_LENGTH || CONTROL.test(value)) {
    const why =
      value.length > MAX_LICENSE_VALUE_LENGTH
        ? `a declared license value of ${value.length} characters was not read (over ${MAX_LICENSE_VALUE_LENGTH})`
        : 'a declared license value holds control characters and was not read';
    return { declared, node: unmappedRef(declared), unmapped: [declared], reasons: [why] };
  }
  const text = value.replace(/\s+/g, ' ').trim();
  if (text === '') return { declared, unmapped: [], reasons: ['the declared license is empty'] };
  const seeFile = /^see licen[cs]e in (.+)$/i.exec(text);
  if (seeFile) {
    return {
      declared,
      node: unmappedRef(text),
      unmapped: [declared],
      reasons: [
        `the license is in the file ${seeFile[1]} of the package ("${text}"): read that file and record its license with a curation`,
      ],
    };
  }
  if (/^unlicensed$/i.test(text)) {
    return {
      declared,
      node: licenseNode(UNLICENSED),
      mapping: text === 'UNLICENSED' ? 'spdx' : 'corrected',
      unmapped: [],
      reasons: [],
    };
  }
  const found = mapText(text, knowledge) ?? mapPair(text, knowledge);
  if (found) return { declared, node: found.node, mapping: found.mapping, unmapped: [], reasons: [] };
  const split = mapCompound(text, knowledge, 0);
  if (split) return { declared, ...split };
  // the LicenseRef of a Maven `name <url>` is named after the name
  const name = PAIR.exec(text)?.[1] ?? text;
  return { declared, node: unmappedRef(name), unmapped: [declared], reasons: [unmappedReason(text)] };
}

function unmappedReason(text: string): string {
  return `"${text}" is not mapped to SPDX: add an organisation mapping (licenses.mappings in .oss-inventory.yaml) or a row of data/license-aliases.yaml`;
}

/** Steps 1-4 for a whole value: a name, or a URL when it looks like one. */
function mapText(text: string, knowledge: LicenseKnowledge): Found | undefined {
  return isLicenseUrl(text) ? lookups(undefined, text, knowledge) : lookups(text, undefined, knowledge);
}

/** A Maven `name <url>` pair (or npm's `Unlicense <http://unlicense.org/>`). */
function mapPair(text: string, knowledge: LicenseKnowledge): Found | undefined {
  const pair = PAIR.exec(text);
  if (!pair) return undefined;
  return lookups(pair[1]!, pair[2]!, knowledge);
}

function lookups(
  name: string | undefined,
  url: string | undefined,
  knowledge: LicenseKnowledge,
): Found | undefined {
  if (name !== undefined) {
    const spdx = asSpdx(name) ?? corrected(name, knowledge);
    if (spdx) return spdx;
  }
  const organisation = organisationIndex(knowledge.organisation);
  const byOrganisation =
    (name !== undefined ? organisation.names.get(licenseNameKey(name)) : undefined) ??
    (url !== undefined ? organisation.urls.get(licenseUrlKey(url)) : undefined);
  if (byOrganisation) return { node: byOrganisation, mapping: 'organisation' };
  const alias =
    (name !== undefined ? knowledge.aliases.names.get(licenseNameKey(name)) : undefined) ??
    (url !== undefined ? knowledge.aliases.urls.get(licenseUrlKey(url)) : undefined);
  const node = alias && parsedExpression(alias.license);
  return node ? { node, mapping: 'alias' } : undefined;
}

/** A valid SPDX expression: `spdx` when written as SPDX writes it, `corrected` when ids or case changed. */
function asSpdx(text: string): Found | undefined {
  if (!/^[\w.\-:+()\s]+$/.test(text)) return undefined;
  const parsed = parseSpdxExpression(text);
  if (!parsed.ok) return undefined;
  const same = words(text) === words(parsed.expression) && parsed.deprecated.length === 0;
  return { node: parsed.node, mapping: same ? 'spdx' : 'corrected' };
}

function words(text: string): string {
  return text.replace(/[()]/g, ' ').trim().split(/\s+/).join(' ');
}

/** spdx-correct's answer, accepted only when it says what the value says (see the module comment). */
function corrected(text: string, knowledge: LicenseKnowledge): Found | undefined {
  if (!knowledge.correct || / (?:AND|OR|WITH) /.test(text)) return undefined;
  const tokens = versionTokens(text);
  if (!idTokens(knowledge.categories).has(tokens)) return undefined;
  let answer: string | null | undefined;
  try {
    answer = knowledge.correct(text);
  } catch {
    return undefined;
  }
  if (!answer || tokens !== versionTokens(answer)) return undefined;
  const node = parsedExpression(answer);
  return node ? { node, mapping: 'corrected' } : undefined;
}

/** `GPLv2+` and `GPL-2.0-or-later` → `gpl 2 or later`; `Apache 2` and `Apache-2.0` → `apache 2`. */
function versionTokens(text: string): string {
  const lower = text
    .toLowerCase()
    .replace(/-only$/, '')
    .replace(/([a-z])v(?=\d)/g, '$1 ')
    .replace(/\bv\.?\s*(?=\d)/g, '')
    .replace(/\+/g, ' or later ')
    .replace(/-or-later\b/g, ' or later ');
  const tokens = lower.match(/[a-z]+|\d+(?:\.\d+)*/g) ?? [];
  return tokens.map((t) => (/^\d/.test(t) ? t.replace(/(?:\.0)+$/, '') : t)).join(' ');
}

/** Step 6: `A OR B` / `A AND B` whose parts are mapped one by one (OR binds looser than AND). */
function mapCompound(
  text: string,
  knowledge: LicenseKnowledge,
  depth: number,
): Omit<ValueResult, 'declared'> | undefined {
  if (depth >= MAX_SPLIT_DEPTH) return undefined;
  const inner = withoutOuterParentheses(text);
  for (const operator of ['OR', 'AND'] as const) {
    const parts = splitTopLevel(inner, operator);
    if (parts.length < 2) continue;
    const results = parts.map((part) => mapPart(part, knowledge, depth + 1));
    if (!results.some((r) => r.node && r.unmapped.length < 1)) return undefined;
    let mapping: LicenseMapping | undefined;
    for (const r of results) {
      if (r.mapping && (!mapping || MAPPING_RANK[r.mapping] > MAPPING_RANK[mapping])) mapping = r.mapping;
    }
    return {
      node: combine(
        operator === 'OR' ? 'or' : 'and',
        results.map((r) => r.node!),
      ),
      ...(mapping ? { mapping } : {}),
      unmapped: results.flatMap((r) => r.unmapped),
      reasons: results.flatMap((r) => r.reasons),
    };
  }
  return undefined;
}

function mapPart(part: string, knowledge: LicenseKnowledge, depth: number): Omit<ValueResult, 'declared'> {
  const text = withoutOuterParentheses(part);
  const found = mapText(text, knowledge) ?? mapPair(text, knowledge);
  if (found) return { node: found.node, mapping: found.mapping, unmapped: [], reasons: [] };
  const split = mapCompound(text, knowledge, depth);
  if (split) return split;
  return { node: unmappedRef(text), unmapped: [text], reasons: [unmappedReason(text)] };
}

function withoutOuterParentheses(text: string): string {
  let s = text.trim();
  while (s.startsWith('(') && s.endsWith(')') && closingOf(s, 0) === s.length - 1) s = s.slice(1, -1).trim();
  return s;
}

function closingOf(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return i;
  }
  return -1;
}

/** Splits on ` OR ` (or ` AND `) outside parentheses; upper case only, so that "v2 or later" stays whole. */
function splitTopLevel(text: string, operator: 'OR' | 'AND'): string[] {
  const parts: string[] = [];
  const separator = ` ${operator} `;
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if (depth === 0 && c === ' ' && text.startsWith(separator, i)) {
      parts.push(text.slice(start, i).trim());
      start = i + separator.length;
      i += separator.length - 1;
    }
  }
  parts.push(text.slice(start).trim());
  return parts.filter((p) => p !== '');
}

// ---------------------------------------------------------------------------------------------------
// Expressions

function licenseNode(id: string): SpdxNode {
  return { kind: 'license', id, plus: false };
}

/** `LicenseRef-unmapped-<slug>`: letters, digits, dots and dashes of the raw text, at most 40 characters. */
function unmappedRef(text: string): SpdxNode {
  const slug =
    text
      .replace(/[^A-Za-z0-9.]+/g, '-')
      .replace(/^[-.]+/, '')
      .slice(0, MAX_SLUG_LENGTH)
      .replace(/[-.]+$/, '') || 'value';
  return licenseNode(`LicenseRef-unmapped-${slug}`);
}

/** One compound of the children, flattened and without repeated branches; a single child stands alone. */
function combine(kind: 'and' | 'or', children: readonly SpdxNode[]): SpdxNode {
  const flat: SpdxNode[] = [];
  const seen = new Set<string>();
  for (const child of children) {
    for (const part of child.kind === kind ? child.children : [child]) {
      const text = formatSpdx(part);
      if (seen.has(text)) continue;
      seen.add(text);
      flat.push(part);
    }
  }
  return flat.length === 1 ? flat[0]! : { kind, children: flat };
}

function parsedExpression(expression: string): SpdxNode | undefined {
  let node = expressionCache.get(expression);
  if (node === undefined) {
    const parsed = parseSpdxExpression(expression);
    node = parsed.ok ? parsed.node : null;
    expressionCache.set(expression, node);
  }
  return node ?? undefined;
}

// ---------------------------------------------------------------------------------------------------
// Organisation mappings

interface OrganisationIndex {
  names: Map<string, SpdxNode>;
  urls: Map<string, SpdxNode>;
}

/** The first mapping that names a key wins; a mapping whose license does not parse is ignored. */
function organisationIndex(mappings: readonly OrganisationMapping[]): OrganisationIndex {
  let index = organisationIndexes.get(mappings);
  if (index) return index;
  index = { names: new Map(), urls: new Map() };
  for (const mapping of mappings) {
    const node = typeof mapping.license === 'string' ? parsedExpression(mapping.license) : undefined;
    if (!node) continue;
    for (const name of mapping.names ?? []) {
      const key = licenseNameKey(name);
      if (!index.names.has(key)) index.names.set(key, node);
    }
    for (const url of mapping.urls ?? []) {
      const key = licenseUrlKey(url);
      if (!index.urls.has(key)) index.urls.set(key, node);
    }
  }
  organisationIndexes.set(mappings, index);
  return index;
}
