/**
 * Version ranges of curations and waivers, read the way each ecosystem's users write them:
 * - npm: node-semver ranges (`^1.2.0`, `~1.2`, `1.x`, `>=1.0.0 <2`, `1.2.3 - 2.0.0`, `a || b`), including its
 *   prerelease rule (a prerelease version matches only a comparator set naming a prerelease of the same
 *   major.minor.patch);
 * - Maven: Maven ranges (`[1.0,2.0)`, `[1.5]`, `(,1.0],[1.2,)`) with Maven's version order; comparator sets
 *   (`>=7 <8`, `a || b`) are read with Maven's order too. A plain version means that version only (unlike a
 *   Maven dependency, where it is a soft requirement).
 * `*` (or an empty string) matches every version. Pure, never throws.
 */
import { compareVersions, parseRange, parseVersion, rangeContains } from '../ecosystems/maven/version.js';

export type VersionMatcher = (version: string) => boolean;
export type VersionRangeParse = { ok: true; matches: VersionMatcher } | { ok: false; reason: string };

const MAX_RANGE_LENGTH = 1000;

export function parseVersionRange(ecosystem: string, spec: string): VersionRangeParse {
  if (spec.length > MAX_RANGE_LENGTH)
    return { ok: false, reason: `the range is over ${MAX_RANGE_LENGTH} characters` };
  const trimmed = spec.trim();
  if (trimmed === '' || trimmed === '*') return { ok: true, matches: () => true };
  if (ecosystem === 'npm') return npmRange(trimmed);
  if (ecosystem === 'maven') return mavenRange(trimmed);
  return { ok: false, reason: `no version ranges are known for "${ecosystem}" packages` };
}

// ---------------------------------------------------------------------------------------------------
// semver

interface SemVer {
  major: number;
  minor: number;
  patch: number;
  pre: (string | number)[];
}

const NUMBER = '0|[1-9]\\d{0,14}';
const IDENTIFIER = '[0-9A-Za-z-]+';
const PRERELEASE = `${IDENTIFIER}(?:\\.${IDENTIFIER})*`;
const SEMVER = new RegExp(
  `^v?(${NUMBER})\\.(${NUMBER})\\.(${NUMBER})(?:-(${PRERELEASE}))?(?:\\+${PRERELEASE})?$`,
);

export function parseSemver(version: string): SemVer | undefined {
  const match = SEMVER.exec(version.trim().replace(/^=/, ''));
  if (!match) return undefined;
  return {
    major: Number(match[1]),
    minor: Number(match[2]),
    patch: Number(match[3]),
    pre: match[4] === undefined ? [] : match[4].split('.').map((p) => (/^\d{1,15}$/.test(p) ? Number(p) : p)),
  };
}

export function compareSemver(a: SemVer, b: SemVer): number {
  const core = a.major - b.major || a.minor - b.minor || a.patch - b.patch;
  if (core !== 0) return Math.sign(core);
  // A release sorts after its prereleases.
  if (a.pre.length === 0 || b.pre.length === 0) return Math.sign(b.pre.length - a.pre.length);
  for (let i = 0; i < Math.max(a.pre.length, b.pre.length); i++) {
    const x = a.pre[i];
    const y = b.pre[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x < y ? -1 : 1;
    if (typeof x === 'number') return -1;
    if (typeof y === 'number') return 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

type Operator = '<' | '<=' | '>' | '>=' | '=';

interface Comparator<V> {
  operator: Operator;
  version: V;
}

function satisfies<V>(comparator: Comparator<V>, version: V, compare: (a: V, b: V) => number): boolean {
  const c = compare(version, comparator.version);
  switch (comparator.operator) {
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    case '>':
      return c > 0;
    case '>=':
      return c >= 0;
    case '=':
      return c === 0;
  }
}

/** A partial version as written in a range: missing or `x`/`*` parts are undefined. */
interface Partial {
  major?: number;
  minor?: number;
  patch?: number;
  pre: (string | number)[];
}

const X = '[xX*]';
const PARTIAL = new RegExp(
  `^v?(${NUMBER}|${X})(?:\\.(${NUMBER}|${X})(?:\\.(${NUMBER}|${X})(?:-(${PRERELEASE}))?(?:\\+${PRERELEASE})?)?)?$`,
);

function parsePartial(text: string): Partial | undefined {
  const match = PARTIAL.exec(text);
  if (!match) return undefined;
  const part = (value: string | undefined) =>
    value === undefined || /^[xX*]$/.test(value) ? undefined : Number(value);
  const major = part(match[1]);
  const minor = major === undefined ? undefined : part(match[2]);
  const patch = minor === undefined ? undefined : part(match[3]);
  const pre =
    patch !== undefined && match[4] !== undefined ? (parseSemver(`0.0.0-${match[4]}`)?.pre ?? []) : [];
  return { major, minor, patch, pre };
}

const semver = (major: number, minor: number, patch: number, pre: (string | number)[] = []): SemVer => ({
  major,
  minor,
  patch,
  pre,
});
/** The lowest prerelease of a version: `<2.0.0-0` excludes 2.0.0's prereleases too. */
const floor = (major: number, minor: number, patch: number) => semver(major, minor, patch, [0]);
const NOTHING: Comparator<SemVer>[] = [{ operator: '<', version: floor(0, 0, 0) }];

/** node-semver's desugaring of one comparator (`^1.2`, `~1`, `>1.2`, `1.x`...) into plain ones. */
function desugar(operator: string, p: Partial): Comparator<SemVer>[] | undefined {
  const { major, minor, patch, pre } = p;
  const ge = (v: SemVer): Comparator<SemVer> => ({ operator: '>=', version: v });
  const lt = (v: SemVer): Comparator<SemVer> => ({ operator: '<', version: v });
  if (major === undefined) return operator === '<' || operator === '>' ? NOTHING : [];
  const full = minor !== undefined && patch !== undefined ? semver(major, minor, patch, pre) : undefined;
  switch (operator) {
    case '':
    case '=':
      if (full) return [{ operator: '=', version: full }];
      if (minor === undefined) return [ge(semver(major, 0, 0)), lt(floor(major + 1, 0, 0))];
      return [ge(semver(major, minor, 0)), lt(floor(major, minor + 1, 0))];
    case '>':
      if (full) return [{ operator: '>', version: full }];
      return [ge(minor === undefined ? semver(major + 1, 0, 0) : semver(major, minor + 1, 0))];
    case '>=':
      return [ge(full ?? semver(major, minor ?? 0, 0))];
    case '<':
      return [lt(full ?? floor(major, minor ?? 0, 0))];
    case '<=':
      if (full) return [{ operator: '<=', version: full }];
      return [lt(minor === undefined ? floor(major + 1, 0, 0) : floor(major, minor + 1, 0))];
    case '~':
    case '~>':
      if (minor === undefined) return [ge(semver(major, 0, 0)), lt(floor(major + 1, 0, 0))];
      return [ge(semver(major, minor, patch ?? 0, pre)), lt(floor(major, minor + 1, 0))];
    case '^':
      if (minor === undefined) return [ge(semver(major, 0, 0)), lt(floor(major + 1, 0, 0))];
      if (major > 0) return [ge(semver(major, minor, patch ?? 0, pre)), lt(floor(major + 1, 0, 0))];
      if (patch === undefined || minor > 0) {
        return [ge(semver(0, minor, patch ?? 0, pre)), lt(floor(0, minor + 1, 0))];
      }
      return [ge(semver(0, 0, patch, pre)), lt(floor(0, 0, patch + 1))];
    default:
      return undefined;
  }
}

function hyphen(lowText: string, highText: string): Comparator<SemVer>[] | undefined {
  const low = parsePartial(lowText);
  const high = parsePartial(highText);
  if (!low || !high) return undefined;
  const lower = low.major === undefined ? [] : desugar('>=', low);
  const upper = high.major === undefined ? [] : desugar('<=', high);
  return lower && upper ? [...lower, ...upper] : undefined;
}

function npmRange(spec: string): VersionRangeParse {
  const sets: Comparator<SemVer>[][] = [];
  for (const alternative of spec.split('||')) {
    const text = alternative.trim().replace(/(<=|>=|~>|[<>=~^])\s+/g, '$1');
    const range = /^(\S+)\s+-\s+(\S+)$/.exec(text);
    if (range) {
      const set = hyphen(range[1] as string, range[2] as string);
      if (!set) return { ok: false, reason: `"${cutText(text)}" is not an npm version range` };
      sets.push(set);
      continue;
    }
    const set: Comparator<SemVer>[] = [];
    for (const word of text === '' ? [] : text.split(/\s+/)) {
      const match = /^(<=|>=|~>|[<>=~^])?(.*)$/.exec(word) as RegExpExecArray;
      const partial = parsePartial(match[2] as string);
      const comparators = partial && desugar(match[1] ?? '', partial);
      if (!comparators)
        return { ok: false, reason: `"${cutText(word)}" is not an npm version or comparator` };
      set.push(...comparators);
    }
    sets.push(set);
  }
  return {
    ok: true,
    matches: (version) => {
      const parsed = parseSemver(version);
      return parsed !== undefined && sets.some((set) => semverSetMatches(set, parsed));
    },
  };
}

function semverSetMatches(set: readonly Comparator<SemVer>[], version: SemVer): boolean {
  if (!set.every((c) => satisfies(c, version, compareSemver))) return false;
  if (version.pre.length === 0) return true;
  return set.some(
    ({ version: v }) =>
      v.pre.length > 0 && v.major === version.major && v.minor === version.minor && v.patch === version.patch,
  );
}

// ---------------------------------------------------------------------------------------------------
// Maven

function mavenRange(spec: string): VersionRangeParse {
  if (spec.startsWith('[') || spec.startsWith('(')) {
    const parsed = parseRange(spec);
    if (!parsed.ok) return { ok: false, reason: parsed.reason };
    const range = parsed.range;
    return { ok: true, matches: (version) => rangeContains(range, version) };
  }
  if (/^[^\s<>=|^~*[\](),]+$/.test(spec)) {
    const exact = parseVersion(spec);
    return { ok: true, matches: (version) => compareVersions(version, exact) === 0 };
  }
  const sets: Comparator<string>[][] = [];
  for (const alternative of spec.split('||')) {
    const set: Comparator<string>[] = [];
    const text = alternative.trim().replace(/(<=|>=|[<>=])\s+/g, '$1');
    for (const word of text === '' ? [] : text.split(/\s+/)) {
      const match = /^(<=|>=|[<>=])?([^<>=~^\s[\](),]+)$/.exec(word);
      if (!match) {
        return {
          ok: false,
          reason: `"${cutText(word)}" is not a Maven version or comparator; write a Maven range like [1.0,2.0) or comparators like >=1.0 <2.0`,
        };
      }
      set.push({ operator: (match[1] ?? '=') as Operator, version: match[2] as string });
    }
    sets.push(set);
  }
  return {
    ok: true,
    matches: (version) => sets.some((set) => set.every((c) => satisfies(c, version, compareVersions))),
  };
}

function cutText(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
