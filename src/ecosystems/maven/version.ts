/**
 * Maven version ordering and version ranges, as Maven 3.8 (the oracle installed next to this project)
 * orders and matches them: `org.apache.maven.artifact.versioning.ComparableVersion` and `VersionRange`.
 *
 * A version is split into items at `.`, `-` and digit/letter transitions; a `-` (and a transition) opens a
 * sub-list, so `1-1` is `[1, [1]]`. Numbers compare numerically; qualifiers compare as
 * alpha < beta < milestone < rc = cr < snapshot < "" = ga = final = release < sp < any other (lexically);
 * a number beats a qualifier and a sub-list. Trailing "null" items (0, "", empty lists) are dropped, so
 * `1.0.0` equals `1`. Pure, never throws, no recursion (a hostile version cannot blow the stack).
 */

type Item = NumberItem | QualifierItem | ListItem;

interface NumberItem {
  kind: 'number';
  /** Decimal digits without leading zeros ('0' for zero). */
  digits: string;
}

interface QualifierItem {
  kind: 'qualifier';
  /** Lower case, aliases applied ('ga', 'final', 'release' → '', 'cr' → 'rc'). */
  value: string;
}

interface ListItem {
  kind: 'list';
  items: Item[];
}

/** A parsed version: compare many times, parse once. */
export interface MavenVersion {
  /** As written. */
  readonly value: string;
  /** Maven's canonical form (`1.0-SNAPSHOT` → `1-snapshot`): equal canonical forms are equal versions. */
  readonly canonical: string;
  readonly items: ListItem;
}

const QUALIFIERS = ['alpha', 'beta', 'milestone', 'rc', 'snapshot', '', 'sp'];
const RELEASE_INDEX = String(QUALIFIERS.indexOf(''));
const ALIASES = new Map([
  ['ga', ''],
  ['final', ''],
  ['release', ''],
  ['cr', 'rc'],
]);
const SINGLE_LETTER = new Map([
  ['a', 'alpha'],
  ['b', 'beta'],
  ['m', 'milestone'],
]);

export function parseVersion(version: string): MavenVersion {
  const items = parseItems(version.toLowerCase());
  return { value: version, canonical: canonicalOf(items), items };
}

/** Negative when a < b, 0 when Maven considers them equal, positive when a > b. */
export function compareVersions(a: string | MavenVersion, b: string | MavenVersion): number {
  const left = typeof a === 'string' ? parseVersion(a) : a;
  const right = typeof b === 'string' ? parseVersion(b) : b;
  return compareLists(left.items, right.items);
}

export function isSnapshot(version: string): boolean {
  return version.endsWith('-SNAPSHOT') || TIMESTAMPED_SNAPSHOT.test(version);
}

/** `1.0-20240611.093015-2`: a SNAPSHOT pinned to one deployed build. */
export const TIMESTAMPED_SNAPSHOT = /^(.+)-(\d{8}\.\d{6})-(\d+)$/;

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

/** ComparableVersion.parseVersion, Maven 3.8 flavour (`1.0.RC1` is read like `1.0-RC1`). */
function parseItems(version: string): ListItem {
  const root: ListItem = { kind: 'list', items: [] };
  const opened: ListItem[] = [root];
  let list = root;
  const openSubList = () => {
    const sub: ListItem = { kind: 'list', items: [] };
    list.items.push(sub);
    opened.push(sub);
    list = sub;
  };
  let digit = false;
  let start = 0;
  for (let i = 0; i < version.length; i++) {
    const c = version.charAt(i);
    if (c === '.' || c === '-') {
      list.items.push(i === start ? zero() : parseItem(digit, version.slice(start, i)));
      start = i + 1;
      if (c === '-') openSubList();
    } else if (isDigit(c)) {
      if (!digit && i > start) {
        // `.X1` is read as `-X1`: a qualifier after a dot still opens a sub-list
        if (list.items.length > 0) openSubList();
        list.items.push(qualifier(version.slice(start, i), true));
        start = i;
        openSubList();
      }
      digit = true;
    } else {
      if (digit && i > start) {
        list.items.push(parseItem(true, version.slice(start, i)));
        start = i;
        openSubList();
      }
      digit = false;
    }
  }
  if (version.length > start) {
    if (!digit && list.items.length > 0) openSubList();
    list.items.push(parseItem(digit, version.slice(start)));
  }
  for (let i = opened.length - 1; i >= 0; i--) normalize(opened[i]!);
  return root;
}

function zero(): NumberItem {
  return { kind: 'number', digits: '0' };
}

function parseItem(digit: boolean, text: string): Item {
  if (!digit) return qualifier(text, false);
  return { kind: 'number', digits: text.replace(/^0+/, '') || '0' };
}

function qualifier(text: string, followedByDigit: boolean): QualifierItem {
  const expanded = followedByDigit && text.length === 1 ? (SINGLE_LETTER.get(text) ?? text) : text;
  return { kind: 'qualifier', value: ALIASES.get(expanded) ?? expanded };
}

function isNull(item: Item): boolean {
  switch (item.kind) {
    case 'number':
      return item.digits === '0';
    case 'qualifier':
      return item.value === '';
    case 'list':
      return item.items.length === 0;
  }
}

/** Drops trailing null items, looking through trailing sub-lists (ListItem.normalize). */
function normalize(list: ListItem): void {
  for (let i = list.items.length - 1; i >= 0; i--) {
    const item = list.items[i]!;
    if (isNull(item)) list.items.splice(i, 1);
    else if (item.kind !== 'list') break;
  }
}

/** ListItem.toString: a separator only once the list's own text is not empty (so `ga.1` is `1`). */
function canonicalOf(root: ListItem): string {
  let out = '';
  const stack: { list: ListItem; index: number; start: number }[] = [{ list: root, index: 0, start: 0 }];
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    if (frame.index >= frame.list.items.length) {
      stack.pop();
      continue;
    }
    const item = frame.list.items[frame.index++]!;
    if (out.length > frame.start) out += item.kind === 'list' ? '-' : '.';
    if (item.kind === 'list') stack.push({ list: item, index: 0, start: out.length });
    else out += item.kind === 'number' ? item.digits : item.value;
  }
  return out;
}

function comparableQualifier(value: string): string {
  const index = QUALIFIERS.indexOf(value);
  return index < 0 ? `${QUALIFIERS.length}-${value}` : String(index);
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareNumbers(a: string, b: string): number {
  return a.length !== b.length ? a.length - b.length : compareStrings(a, b);
}

/** One item against another item or the end of the other list (`null`); `item` is never a list here unless `other` is a leaf. */
function compareLeaf(item: Item, other: Item | null): number {
  switch (item.kind) {
    case 'number':
      if (other === null) return item.digits === '0' ? 0 : 1;
      return other.kind === 'number' ? compareNumbers(item.digits, other.digits) : 1;
    case 'qualifier':
      if (other === null) return compareStrings(comparableQualifier(item.value), RELEASE_INDEX);
      if (other.kind === 'qualifier') {
        return compareStrings(comparableQualifier(item.value), comparableQualifier(other.value));
      }
      return -1;
    case 'list':
      return other?.kind === 'number' ? -1 : 1;
  }
}

interface Frame {
  left: Item[];
  /** null: the left list is compared with the end of the other list. */
  right: Item[] | null;
  index: number;
  /** -1 when the sides were swapped on the way down. */
  sign: 1 | -1;
}

/** ListItem.compareTo, with an explicit stack instead of recursion. */
function compareLists(left: ListItem, right: ListItem): number {
  const stack: Frame[] = [{ left: left.items, right: right.items, index: 0, sign: 1 }];
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    const length = frame.right === null ? frame.left.length : Math.max(frame.left.length, frame.right.length);
    if (frame.index >= length) {
      stack.pop();
      continue;
    }
    let a = frame.left[frame.index] ?? null;
    let b = frame.right === null ? null : (frame.right[frame.index] ?? null);
    frame.index++;
    let sign = frame.sign;
    if (a === null) {
      // the left list is shorter: compare the right item with "nothing" and invert
      a = b!;
      b = null;
      sign = sign === 1 ? -1 : 1;
    }
    if (a.kind === 'list' && (b === null || b.kind === 'list')) {
      stack.push({ left: a.items, right: b === null ? null : b.items, index: 0, sign });
      continue;
    }
    const result = compareLeaf(a, b);
    if (result !== 0) return sign * Math.sign(result);
  }
  return 0;
}

// ---------------------------------------------------------------------------------------------------
// Version ranges

/** One interval of a range; an absent bound is unbounded. */
export interface Restriction {
  lower?: MavenVersion;
  lowerInclusive: boolean;
  upper?: MavenVersion;
  upperInclusive: boolean;
}

export type VersionRange =
  /** `1.0`: a soft requirement: that version is recommended, any version is acceptable. */
  | { kind: 'soft'; spec: string; recommended: MavenVersion }
  /** `[1.0,2.0)`, `[1.0]`, `(,1.0],[1.2,)`: only versions inside one of the restrictions. */
  | { kind: 'range'; spec: string; restrictions: Restriction[] };

export type RangeParse = { ok: true; range: VersionRange } | { ok: false; reason: string };

/** Whether a version spec is a range (`[...]` or `(...)`) rather than a soft requirement. */
export function isRange(spec: string): boolean {
  const trimmed = spec.trim();
  return trimmed.startsWith('[') || trimmed.startsWith('(');
}

/**
 * Parses a version spec as Maven's resolver does: a soft requirement, or one or more bracketed
 * restrictions separated by commas. Overlapping restrictions are accepted (the resolver does; only the
 * legacy VersionRange refused them). Never throws: a bad spec is `{ ok: false, reason }`.
 */
export function parseRange(spec: string): RangeParse {
  let rest = spec.trim();
  if (rest === '') return invalid(spec, 'the version is empty');
  if (!isRange(rest)) {
    if (/[[\](),]/.test(rest)) return invalid(spec, 'a range must start with [ or (');
    return { ok: true, range: { kind: 'soft', spec, recommended: parseVersion(rest) } };
  }
  const restrictions: Restriction[] = [];
  while (rest.startsWith('[') || rest.startsWith('(')) {
    const close = firstClosingBracket(rest);
    if (close < 0) return invalid(spec, 'a range is not closed with ] or )');
    const parsed = parseRestriction(rest.slice(0, close + 1), spec);
    if (!parsed.ok) return parsed;
    restrictions.push(parsed.restriction);
    rest = rest.slice(close + 1).trim();
    if (rest.startsWith(',')) rest = rest.slice(1).trim();
  }
  if (rest !== '') return invalid(spec, `expected [ or ( but found "${rest}"`);
  return { ok: true, range: { kind: 'range', spec, restrictions } };
}

function firstClosingBracket(text: string): number {
  const paren = text.indexOf(')');
  const bracket = text.indexOf(']');
  if (paren < 0) return bracket;
  if (bracket < 0) return paren;
  return Math.min(paren, bracket);
}

function parseRestriction(
  text: string,
  spec: string,
): { ok: true; restriction: Restriction } | { ok: false; reason: string } {
  const lowerInclusive = text.startsWith('[');
  const upperInclusive = text.endsWith(']');
  const inner = text.slice(1, -1).trim();
  const comma = inner.indexOf(',');
  if (comma < 0) {
    if (!lowerInclusive || !upperInclusive)
      return invalid(spec, 'a single version must be written [version]');
    if (inner === '') return invalid(spec, 'the brackets hold no version');
    const version = parseVersion(inner);
    return { ok: true, restriction: { lower: version, lowerInclusive, upper: version, upperInclusive } };
  }
  const lowerText = inner.slice(0, comma).trim();
  const upperText = inner.slice(comma + 1).trim();
  if (upperText.includes(',')) return invalid(spec, 'a restriction has more than one comma');
  if (lowerText === upperText) return invalid(spec, 'a range cannot have identical bounds');
  const lower = lowerText === '' ? undefined : parseVersion(lowerText);
  const upper = upperText === '' ? undefined : parseVersion(upperText);
  if (lower && upper && compareVersions(lower, upper) > 0) {
    return invalid(spec, 'the lower bound is greater than the upper bound');
  }
  return { ok: true, restriction: { lower, lowerInclusive, upper, upperInclusive } };
}

function invalid(spec: string, why: string): { ok: false; reason: string } {
  return { ok: false, reason: `invalid version range "${spec}": ${why}` };
}

function restrictionContains(restriction: Restriction, version: MavenVersion): boolean {
  if (restriction.lower) {
    const c = compareVersions(restriction.lower, version);
    if (c > 0 || (c === 0 && !restriction.lowerInclusive)) return false;
  }
  if (restriction.upper) {
    const c = compareVersions(restriction.upper, version);
    if (c < 0 || (c === 0 && !restriction.upperInclusive)) return false;
  }
  return true;
}

/** Whether a version satisfies the range. A soft requirement accepts every version, as in Maven. */
export function rangeContains(range: VersionRange, version: string | MavenVersion): boolean {
  if (range.kind === 'soft') return true;
  const parsed = typeof version === 'string' ? parseVersion(version) : version;
  return range.restrictions.some((restriction) => restrictionContains(restriction, parsed));
}

export interface PickOptions {
  /** Whether `-SNAPSHOT` (and timestamped snapshot) versions may be picked. */
  allowSnapshots: boolean;
}

/**
 * The version Maven resolves the range to among the available ones: the highest inside the range (the
 * first written when two are equal). A soft requirement is its own version, available or not.
 * Undefined when nothing matches.
 */
export function pickVersion(
  range: VersionRange,
  available: readonly string[],
  options: PickOptions,
): string | undefined {
  if (range.kind === 'soft') return range.recommended.value;
  let best: MavenVersion | undefined;
  for (const candidate of available) {
    if (!options.allowSnapshots && isSnapshot(candidate)) continue;
    const parsed = parseVersion(candidate);
    if (!rangeContains(range, parsed)) continue;
    if (!best || compareVersions(parsed, best) > 0) best = parsed;
  }
  return best?.value;
}
