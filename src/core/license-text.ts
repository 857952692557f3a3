/**
 * Which license a LICENSE/COPYING file holds, by comparing its words with the SPDX license texts.
 *
 * Both texts are normalised the same way (lower case, accents, punctuation, list markers and copyright
 * statements dropped, a few spelling variants unified) and reduced to the set of their word bigrams. A
 * template's score is the Dice coefficient of the two sets, `2|F ∩ T| / (|F| + |T|)`; the best one wins.
 * The ratio of the two set sizes bounds that score, which makes it a free prefilter: only templates whose
 * size could beat the best score so far are compared. A file holding several licenses is explained
 * greedily: templates it contains almost whole (at least 80% of their bigrams) are added while one
 * explains more of the file's rest and raises the score. The confidence is the Dice of the file with the
 * union of what was found; below DETECTION_THRESHOLD (0.8) nothing is reported. A text repeated (a LICENSE
 * bundling the MIT texts of three packages) does not lower the score: all its words are still explained.
 */

/** A license text to compare files with. */
export interface LicenseTemplate {
  /** The SPDX id (or expression) reported when a file matches. */
  id: string;
  text: string;
  /** Reported instead of `id` when the file carries an "or (at your option) any later version" notice. */
  orLater?: string;
  /**
   * For the text of a license exception (`id` is then the exception's id): the license it is added to
   * with `WITH` (`GPL-2.0` matches GPL-2.0-only and GPL-2.0-or-later), and is reported with when the
   * file holds the exception alone.
   */
  exceptionTo?: string;
}

export interface TemplateFingerprint {
  id: string;
  orLater?: string;
  exceptionTo?: string;
  /** Sorted, distinct hashes of the word bigrams. */
  bigrams: Uint32Array;
}

/** Templates reduced once to fingerprints, sorted by size for the length prefilter. */
export interface PreparedTemplates {
  readonly fingerprints: readonly TemplateFingerprint[];
}

export interface DetectedText {
  /** SPDX expression: one id, `A WITH exception`, or several joined with AND (OR when the file says "dual"). */
  expression: string;
  /** 0..1. */
  confidence: number;
}

/** Below this confidence a file is not said to hold any license. */
export const DETECTION_THRESHOLD = 0.8;
/** A further license must have at least this share of its bigrams in the file. */
const CONTAINED = 0.8;
/** ... and raise the score by at least this much. */
const MIN_GAIN = 0.005;
/** The first pick is looked for only among templates that could score this much. */
const FIRST_FLOOR = 0.4;
/** Files with fewer words than this hold no license text. */
const MIN_WORDS = 8;
/** Fewer bigrams left than this: nothing more to explain; a further license must explain as many. */
const MIN_REST = 12;
const MAX_LICENSES = 4;
/** Longer texts are cut (1 MiB: callers skip larger files before reading them). */
const MAX_CHARS = 1024 * 1024;

const EQUIVALENT_WORDS: ReadonlyMap<string, string> = new Map([
  ['licence', 'license'],
  ['licences', 'licenses'],
  ['licenced', 'licensed'],
  ['licencing', 'licensing'],
  ['acknowledgement', 'acknowledgment'],
  ['acknowledgements', 'acknowledgments'],
  ['https', 'http'],
  ['organisation', 'organization'],
  ['authorised', 'authorized'],
]);

/** Reduces the templates once; detection then only compares sorted hash arrays. */
export function prepareTemplates(templates: readonly LicenseTemplate[]): PreparedTemplates {
  const fingerprints: TemplateFingerprint[] = [];
  for (const template of templates) {
    const words = licenseWords(template.text);
    if (words.length < MIN_WORDS) continue;
    fingerprints.push({
      id: template.id,
      ...(template.orLater !== undefined ? { orLater: template.orLater } : {}),
      ...(template.exceptionTo !== undefined ? { exceptionTo: template.exceptionTo } : {}),
      bigrams: bigramSet(words),
    });
  }
  fingerprints.sort((a, b) => a.bigrams.length - b.bigrams.length || compare(a.id, b.id));
  return { fingerprints };
}

/** The license(s) a file's text holds, or undefined when nothing matches with DETECTION_THRESHOLD. */
export function detectLicenseText(text: string, templates: PreparedTemplates): DetectedText | undefined {
  const best = closestLicenseText(text, templates);
  return best && best.confidence >= DETECTION_THRESHOLD ? best : undefined;
}

/**
 * The closest explanation of the text whatever its confidence (undefined when no template comes near at
 * all): what detectLicenseText decides on, for diagnostics.
 */
export function closestLicenseText(text: string, templates: PreparedTemplates): DetectedText | undefined {
  const words = licenseWords(text);
  if (words.length < MIN_WORDS) return undefined;
  const file = bigramSet(words);
  const first = bestMatch(file, templates.fingerprints);
  if (!first) return undefined;
  const picks = [first];
  let union = first.bigrams;
  let rest = difference(file, first.bigrams);
  while (picks.length < MAX_LICENSES && rest.length >= MIN_REST) {
    const next = bestContained(file, rest, union, templates.fingerprints, picks);
    if (!next) break;
    picks.push(next);
    union = unionOf(union, next.bigrams);
    rest = difference(rest, next.bigrams);
  }
  const shared = file.length - rest.length;
  return { expression: expressionOf(picks, words), confidence: dice(shared, file.length, union.length) };
}

/** `* `, `- `, `1. `, `2) `, `(b) `, `iv. `, `1.1. ` at the start of a line: numbering styles vary between copies. */
const LIST_MARKER = /^[\s>]*(?:[-*•·+]|\(?(?:\d{1,3}(?:\.\d{1,3})*|[a-z]|[ivx]{1,5})[.)])\s+/;

/** The normalised words of a text, as the comparison sees them. */
export function licenseWords(text: string): string[] {
  const source = text.length > MAX_CHARS ? text.slice(0, MAX_CHARS) : text;
  const words: string[] = [];
  for (const line of source.toLowerCase().split(/\r\n|\r|\n/)) {
    if (isCopyrightStatement(line)) continue;
    const item = line.replace(LIST_MARKER, '');
    const plain = /[\u0080-\uffff]/.test(item)
      ? item.normalize('NFKD').replace(/[\u0300-\u036f]/g, '')
      : item;
    for (const match of plain.matchAll(/[a-z0-9]+/g)) {
      const word = match[0];
      if (word.length === 1 && word > '9') continue; // letter list markers (a), i.), and the article "a"
      words.push(EQUIVALENT_WORDS.get(word) ?? word);
    }
  }
  return words;
}

/**
 * `Copyright (c) 2017, Mairie de Paris`, `Copyright [yyyy] [name of copyright owner]`, `(c) 2020 Foo`,
 * `All rights reserved.`: names and years that differ in every copy. A wrapped line of license text that
 * happens to start with "copyright owner" is kept: the statement needs a year, a symbol or a placeholder.
 */
function isCopyrightStatement(line: string): boolean {
  const text = line.replace(/^[\s#*>_`|-]+/, '');
  if (text.length === 0 || text.length > 300) return false;
  if (/^all rights reserved\W*$/.test(text)) return true;
  if (/^(\(c\)|©)\s*\d/.test(text)) return true;
  return /^copyright\b/.test(text) && /\(c\)|©|\b\d{4}\b|[<[]|\byears?\b/.test(text);
}

/** FNV-1a of a word. */
function wordHash(word: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Sorted distinct hashes of the word bigrams. */
function bigramSet(words: readonly string[]): Uint32Array {
  const hashes = new Uint32Array(Math.max(0, words.length - 1));
  let previous = words.length > 0 ? wordHash(words[0]!) : 0;
  for (let i = 1; i < words.length; i++) {
    const current = wordHash(words[i]!);
    let h = Math.imul(previous ^ 0x9e3779b9, 0x85ebca6b) ^ current;
    h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
    hashes[i - 1] = (h ^ (h >>> 15)) >>> 0;
    previous = current;
  }
  hashes.sort();
  let n = 0;
  for (let i = 0; i < hashes.length; i++)
    if (i === 0 || hashes[i] !== hashes[n - 1]) hashes[n++] = hashes[i]!;
  return hashes.slice(0, n);
}

function intersectionSize(a: Uint32Array, b: Uint32Array): number {
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x === y) {
      n++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return n;
}

function difference(a: Uint32Array, b: Uint32Array): Uint32Array {
  const out = new Uint32Array(a.length);
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length) {
    const x = a[i]!;
    while (j < b.length && b[j]! < x) j++;
    if (j >= b.length || b[j] !== x) out[n++] = x;
    i++;
  }
  return out.slice(0, n);
}

function unionOf(a: Uint32Array, b: Uint32Array): Uint32Array {
  const out = new Uint32Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i]! < b[j]!)) out[n++] = a[i++]!;
    else if (i >= a.length || b[j]! < a[i]!) out[n++] = b[j++]!;
    else {
      out[n++] = a[i++]!;
      j++;
    }
  }
  return out.slice(0, n);
}

function dice(shared: number, a: number, b: number): number {
  return a + b === 0 ? 0 : (2 * shared) / (a + b);
}

/**
 * The template with the best Dice score. Length prefilter: a template of t bigrams cannot score more
 * than 2·min(f,t)/(f+t) against a file of f, so templates are visited from the file's size outwards and
 * the walk stops when neither side can beat the best score found (or FIRST_FLOOR).
 */
function bestMatch(
  file: Uint32Array,
  fingerprints: readonly TemplateFingerprint[],
): TemplateFingerprint | undefined {
  const f = file.length;
  const bound = (t: number) => (2 * Math.min(f, t)) / (f + t);
  let above = lowerBound(fingerprints, f);
  let below = above - 1;
  let best: TemplateFingerprint | undefined;
  let bestScore = FIRST_FLOOR;
  for (;;) {
    const up = above < fingerprints.length ? bound(fingerprints[above]!.bigrams.length) : -1;
    const down = below >= 0 ? bound(fingerprints[below]!.bigrams.length) : -1;
    if (Math.max(up, down) < bestScore) return best;
    const candidate = up >= down ? fingerprints[above++]! : fingerprints[below--]!;
    const score = dice(intersectionSize(file, candidate.bigrams), f, candidate.bigrams.length);
    if (score > bestScore || (score === bestScore && best && compare(candidate.id, best.id) < 0)) {
      best = candidate;
      bestScore = score;
    }
  }
}

/** First index whose template has at least `size` bigrams. */
function lowerBound(fingerprints: readonly TemplateFingerprint[], size: number): number {
  let lo = 0;
  let hi = fingerprints.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (fingerprints[mid]!.bigrams.length < size) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The further template that is (nearly) whole in the file, explains some of its rest, and raises the
 * score the most. Only templates small enough to be CONTAINED in the file are compared.
 */
function bestContained(
  file: Uint32Array,
  rest: Uint32Array,
  union: Uint32Array,
  fingerprints: readonly TemplateFingerprint[],
  picks: readonly TemplateFingerprint[],
): TemplateFingerprint | undefined {
  const shared = file.length - rest.length;
  const explained = difference(file, rest);
  const current = dice(shared, file.length, union.length);
  const largest = lowerBound(fingerprints, Math.floor(file.length / CONTAINED) + 1);
  let best: { fingerprint: TemplateFingerprint; score: number } | undefined;
  for (let i = 0; i < largest; i++) {
    const candidate = fingerprints[i]!;
    if (picks.some((p) => p.id === candidate.id)) continue;
    const added = intersectionSize(rest, candidate.bigrams);
    if (added < MIN_REST) continue;
    const inFile = added + intersectionSize(explained, candidate.bigrams);
    if (inFile < CONTAINED * candidate.bigrams.length) continue;
    const unionSize = union.length + candidate.bigrams.length - intersectionSize(union, candidate.bigrams);
    const score = dice(shared + added, file.length, unionSize);
    if (score - current < MIN_GAIN) continue;
    if (
      !best ||
      score > best.score ||
      (score === best.score && compare(candidate.id, best.fingerprint.id) < 0)
    )
      best = { fingerprint: candidate, score };
  }
  return best?.fingerprint;
}

/**
 * The expression of what was found. GPL-family ids become `-or-later` when the file carries the notice
 * "or (at your option) any later version" outside the license's own "How to apply" appendix (whose
 * sample notice follows "<one line to give the program's name and a brief idea of what it does.>");
 * without it the text alone cannot say more than `-only`. An exception attaches to its license with WITH.
 */
function expressionOf(picks: readonly TemplateFingerprint[], words: readonly string[]): string {
  const orLater = hasLaterVersionNotice(words);
  const licenses = picks
    .filter((p) => p.exceptionTo === undefined)
    .map((p) => (orLater && p.orLater !== undefined ? p.orLater : p.id));
  const exceptions = picks.filter((p) => p.exceptionTo !== undefined);
  const terms: string[] = [];
  const used = new Set<string>();
  for (const exception of exceptions) {
    const family = `${exception.exceptionTo!}-`;
    const license = licenses.find((l) => l.startsWith(family) && !l.includes(' WITH '));
    if (license !== undefined) {
      used.add(license);
      terms.push(`${license} WITH ${exception.id}`);
    } else {
      terms.push(`${exception.exceptionTo!}-${orLater ? 'or-later' : 'only'} WITH ${exception.id}`);
    }
  }
  terms.push(...licenses.filter((l) => !used.has(l)));
  const sorted = [...new Set(terms)].sort(compare);
  if (sorted.length === 1) return sorted[0]!;
  const operator = isDualLicensed(words) ? ' OR ' : ' AND ';
  return sorted.join(operator);
}

const LATER_NOTICE = ['or', 'at', 'your', 'option', 'any', 'later', 'version'];
const APPENDIX_MARK = ['idea', 'of', 'what', 'it', 'does'];

function hasLaterVersionNotice(words: readonly string[]): boolean {
  for (let i = 0; i + LATER_NOTICE.length <= words.length; i++) {
    if (!startsAt(words, i, LATER_NOTICE)) continue;
    let inAppendix = false;
    for (let j = Math.max(0, i - 80); j < i && !inAppendix; j++)
      inAppendix = startsAt(words, j, APPENDIX_MARK);
    if (!inAppendix) return true;
  }
  return false;
}

function startsAt(words: readonly string[], at: number, phrase: readonly string[]): boolean {
  for (let k = 0; k < phrase.length; k++) if (words[at + k] !== phrase[k]) return false;
  return true;
}

/** "dual licensed", "dual-licensed", "licensed under either", "choose either": the licenses are a choice. */
function isDualLicensed(words: readonly string[]): boolean {
  for (let i = 0; i + 1 < words.length; i++) {
    const a = words[i]!;
    const b = words[i + 1]!;
    if (a === 'dual' && (b === 'licensed' || b === 'license' || b === 'licensing')) return true;
    if (b === 'either' && (a === 'under' || a === 'choose')) return true;
  }
  return false;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The catalogue as spdx-license-list/full gives it: id → text. */
export type SpdxCatalogue = Readonly<Record<string, { readonly licenseText: string }>>;

/**
 * SPDX's deprecated "GPL-x-with-exception" ids: their texts in the catalogue are the exception alone, so
 * they serve as exception templates under today's exception ids.
 */
const DEPRECATED_EXCEPTIONS: ReadonlyMap<string, { exception: string; to: string }> = new Map([
  ['GPL-2.0-with-GCC-exception', { exception: 'GCC-exception-2.0', to: 'GPL-2.0' }],
  ['GPL-2.0-with-autoconf-exception', { exception: 'Autoconf-exception-2.0', to: 'GPL-2.0' }],
  ['GPL-2.0-with-bison-exception', { exception: 'Bison-exception-2.2', to: 'GPL-2.0' }],
  ['GPL-2.0-with-classpath-exception', { exception: 'Classpath-exception-2.0', to: 'GPL-2.0' }],
  ['GPL-2.0-with-font-exception', { exception: 'Font-exception-2.0', to: 'GPL-2.0' }],
  ['GPL-3.0-with-GCC-exception', { exception: 'GCC-exception-3.1', to: 'GPL-3.0' }],
  ['GPL-3.0-with-autoconf-exception', { exception: 'Autoconf-exception-3.0', to: 'GPL-3.0' }],
]);

/**
 * Templates from the SPDX catalogue. Ids sharing one text (`GPL-3.0-only`, `GPL-3.0-or-later`;
 * `OFL-1.1`, `OFL-1.1-RFN`) become one template: the `-only` id with its `-or-later` sibling, else the
 * shortest id. A text with an appendix after "END OF TERMS AND CONDITIONS" (Apache-2.0's and the GPLs'
 * "How to apply") also gets a template without it: many copies leave it out. Ids that are not current (deprecated ones, and the `GPL-2.0+` forms SPDX dropped) are left
 * out, except the GPL-with-exception ones (see above). A text that
 * embeds the GPL-3.0 (SPDX's LGPL-3.0 is the LGPL additions followed by the GPL) also gets a template of
 * its own part, which is what COPYING.LESSER files hold.
 */
export function spdxTemplates(catalogue: SpdxCatalogue, current: ReadonlySet<string>): LicenseTemplate[] {
  const byText = new Map<string, string[]>();
  const templates: LicenseTemplate[] = [];
  for (const id of Object.keys(catalogue).sort(compare)) {
    const entry = catalogue[id];
    if (!entry || typeof entry.licenseText !== 'string') continue;
    const exception = DEPRECATED_EXCEPTIONS.get(id);
    if (exception) {
      const text = entry.licenseText.replace(/^insert GPL v\d license text here\s*/i, '');
      templates.push({ id: exception.exception, text, exceptionTo: exception.to });
      continue;
    }
    if (!current.has(id)) continue;
    const ids = byText.get(entry.licenseText);
    if (ids) ids.push(id);
    else byText.set(entry.licenseText, [id]);
  }
  for (const [text, ids] of byText) {
    ids.sort((a, b) => a.length - b.length || compare(a, b));
    const only = ids.find((id) => id.endsWith('-only'));
    const id = only ?? ids[0]!;
    const later = only === undefined ? undefined : `${only.slice(0, -'-only'.length)}-or-later`;
    const orLater = later !== undefined && ids.includes(later) ? later : undefined;
    const template = { id, ...(orLater ? { orLater } : {}) };
    templates.push({ ...template, text });
    const appendix = text.search(/END OF TERMS AND CONDITIONS/);
    if (appendix > 0 && text.length - appendix > 200)
      templates.push({ ...template, text: text.slice(0, appendix) });
    const embedded = text.search(/\n\s*GNU GENERAL PUBLIC LICENSE\s*\n\s*Version 3, 29 June 2007/);
    if (embedded > 0 && !id.startsWith('GPL-'))
      templates.push({ ...template, text: text.slice(0, embedded) });
  }
  return templates.sort((a, b) => compare(a.id, b.id));
}

/** Extensions a license file may have; anything else that looks like an extension (`License.tsx`) is not one. */
const TEXT_EXTENSIONS = new Set(['txt', 'md', 'markdown', 'rst', 'text', 'adoc', 'asciidoc', 'org']);
const OTHER_EXTENSIONS =
  /\.(?:[cm]?[jt]sx?|json|svg|png|jpe?g|gif|ico|webp|java|kt|class|jar|py|go|rb|php|css|scss|less|vue|xml|ya?ml|html?|pdf|sh|ps1|bat|[ch](?:pp)?|rs|swift|dart|lock|properties|sql|toml|ini|cfg|gz|zip)$/;

/**
 * LICENSE, LICENCE, COPYING and UNLICENSE files, whatever their case, with a text extension or a suffix
 * naming the license (`LICENSE.md`, `LICENSE-MIT`, `COPYING.LESSER`, `LICENCE.txt`, `license`); not
 * source files that happen to be named so (`License.tsx`, `licenses.ts`).
 */
export function isLicenseFileName(name: string): boolean {
  if (name.length > 80) return false;
  const lower = name.toLowerCase();
  const dot = lower.lastIndexOf('.');
  const stem = dot > 0 && TEXT_EXTENSIONS.has(lower.slice(dot + 1)) ? lower.slice(0, dot) : lower;
  if (OTHER_EXTENSIONS.test(stem)) return false;
  return /^(?:(?:un)?licen[cs]es?|copying)(?:[-._][a-z0-9][a-z0-9.+_-]*)?$/.test(stem);
}
