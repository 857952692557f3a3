import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  compareVersions,
  isRange,
  isSnapshot,
  parseRange,
  parseVersion,
  pickVersion,
  rangeContains,
  type VersionRange,
} from '../src/ecosystems/maven/version.js';

/*
 * Expected answers are those of Maven 3.8.7's own ComparableVersion, checked with
 * `java -jar maven-artifact-3.8.7.jar V1 V2 ...` (which prints canonical forms and comparisons).
 */

function sign(n: number): '<' | '==' | '>' {
  return n < 0 ? '<' : n > 0 ? '>' : '==';
}

function range(spec: string): VersionRange {
  const parsed = parseRange(spec);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.range;
}

describe('compareVersions: ascending sequences (every earlier one is lower than every later one)', () => {
  const sequences: Record<string, string[]> = {
    'qualifiers: alpha < beta < milestone < rc < snapshot < release < sp < unknown (lexical)': [
      '2.0-alpha1',
      '2.0-alpha-2',
      '2.0-beta-1',
      '2.0-b2',
      '2.0-milestone-1',
      '2.0-M2',
      '2.0-rc1',
      '2.0-CR2',
      '2.0-SNAPSHOT',
      '2.0',
      '2.0-sp',
      '2.0-sp1',
      '2.0-foo',
      '2.0-jre',
      '2.0-1',
      '2.0-2',
    ],
    'numbers compare as numbers, not text': [
      '1.2',
      '1.9',
      '1.10',
      '1.10.1',
      '1.11',
      '10',
      '1000000000000000000000',
    ],
    'a dot beats a hyphen: 1.0.1 > 1.0-1 > 1.0-sp > 1.0': ['3.0', '3.0-sp', '3.0-1', '3.0.1', '3.1'],
    'a SNAPSHOT is lower than its release, a qualified SNAPSHOT lower than its qualified release': [
      '5.2-alpha-1-SNAPSHOT',
      '5.2-alpha-1',
      '5.2-beta-1',
      '5.2-SNAPSHOT',
      '5.2',
    ],
    'Lutece versions': [
      '7.0.2',
      '7.0.10',
      '8.0.0-SNAPSHOT',
      '8.0.0',
      '8.0.1-SNAPSHOT',
      '8.0.1',
      '8.0.2-SNAPSHOT',
      '8.1.0-beta-01',
      '8.1.0',
    ],
    'letters directly after digits start a qualifier: 11.a2 < 11.b2 < 11.m2 < 11 < 11.a < 11b < 11c': [
      '11.a2',
      '11.a11',
      '11.b2',
      '11.m2',
      '11',
      '11.a',
      '11b',
      '11c',
    ],
  };
  for (const [name, versions] of Object.entries(sequences)) {
    it(name, () => {
      for (let i = 0; i < versions.length; i++) {
        for (let j = i + 1; j < versions.length; j++) {
          expect(`${versions[i]} ${sign(compareVersions(versions[i]!, versions[j]!))} ${versions[j]}`).toBe(
            `${versions[i]} < ${versions[j]}`,
          );
          expect(sign(compareVersions(versions[j]!, versions[i]!))).toBe('>');
        }
      }
    });
  }
});

describe('compareVersions: pairs', () => {
  const pairs: [string, '<' | '==' | '>', string][] = [
    ['1', '==', '1.0'],
    ['1', '==', '1.0.0'],
    ['1', '==', '1-0'],
    ['1.0', '==', '1.0-0'],
    ['1.0.0', '<', '1.0-1'],
    ['2.0-1', '<', '2.0.1'],
    ['2.0.1', '<', '2.0.1-xyz'],
    ['2.0.1-xyz', '<', '2.0.1-123'],
    ['2.0.1-klm', '<', '2.0.1-lmn'],
    ['1.0-SNAPSHOT', '<', '1.0'],
    ['1.0-SNAPSHOT', '==', '1.0.0-SNAPSHOT'],
    ['1-beta-1', '<', '1-SNAPSHOT'],
    ['1ga', '==', '1'],
    ['1final', '==', '1'],
    ['1.0.RELEASE', '==', '1'],
    ['1-release', '==', '1.0.Final'],
    ['1.2.3.GA', '==', '1.2.3'],
    ['1cr', '==', '1rc'],
    ['1a1', '==', '1-alpha-1'],
    ['1b2', '==', '1beta2'],
    ['1m3', '==', '1milestone3'],
    ['1.2.3.RC1', '==', '1.2.3-rc-1'],
    ['1.2.3-M1', '<', '1.2.3rc1'],
    ['1X', '==', '1x'],
    ['1x', '==', '1.0.0-x'],
    ['1.a', '==', '1-a'],
    ['1a', '>', '1'],
    ['1a1', '<', '1'],
    ['1-sp', '>', '1'],
    ['1-sp', '<', '1-abc'],
    ['1-abc', '<', '1-1'],
    ['1.010', '==', '1.10'],
    ['1.0000000001', '==', '1.1'],
    ['1.1234567890', '<', '1.12345678901234567890'],
    ['1', '<', '1-0.1'],
    ['1-0-1', '<', '1-1'],
    ['1.a.1', '<', '1-a-1'],
    ['1.0.a.b', '>', '1.0-a.b'],
    ['1..1', '==', '1.0.1'],
    ['-1', '<', '.1'],
    ['', '<', '1-SNAPSHOT'],
    ['1-abcdefghijklmnopqrstuvwxyz', '==', '1-ABCDEFGHIJKLMNOPQRSTUVWXYZ'],
  ];
  it.each(pairs)('%s %s %s', (a, expected, b) => {
    expect(sign(compareVersions(a, b))).toBe(expected);
    const reverse = expected === '<' ? '>' : expected === '>' ? '<' : '==';
    expect(sign(compareVersions(b, a))).toBe(reverse);
  });
});

describe('parseVersion: canonical forms', () => {
  const canonical: [string, string][] = [
    ['1.0-SNAPSHOT', '1-snapshot'],
    ['1.0.RELEASE', '1'],
    ['1-0-1', '1-1'],
    ['1a1', '1-alpha-1'],
    ['1.2.3.RC1', '1.2.3-rc-1'],
    ['1.0.a.b', '1.0.a-b'],
    ['2.0.0.a', '2-a'],
    ['1..1', '1.0.1'],
    ['.1', '0.1'],
    ['-1', '1'],
    ['1-', '1'],
    ['ga.1', '1'],
    ['final-release.0000000000001.m', '1-m'],
    ['8.0.2-SNAPSHOT', '8.0.2-snapshot'],
  ];
  it.each(canonical)('%s → %s', (version, expected) => {
    expect(parseVersion(version).canonical).toBe(expected);
  });

  it('handles a hostile 100,000-item version without recursion or quadratic time', () => {
    const deep = Array.from({ length: 100_000 }, (_, i) => (i % 2 ? 'a' : '1')).join('-');
    const started = performance.now();
    expect(compareVersions(deep, `${deep}-1`)).toBeLessThan(0);
    expect(parseVersion(deep).canonical.length).toBeGreaterThan(100_000);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

describe('isSnapshot and isRange', () => {
  it.each([
    ['1.0-SNAPSHOT', true],
    ['1.0-20240611.093015-2', true],
    ['1.0', false],
    ['1.0-snapshot', false],
  ] as const)('isSnapshot(%s) = %s', (version, expected) => {
    expect(isSnapshot(version)).toBe(expected);
  });

  it.each([
    ['[1.0,2.0)', true],
    [' (,1.0]', true],
    ['1.0', false],
    ['${lutece.version}', false],
  ] as const)('isRange(%s) = %s', (spec, expected) => {
    expect(isRange(spec)).toBe(expected);
  });
});

describe('parseRange', () => {
  const bounds = (spec: string) => {
    const parsed = range(spec);
    if (parsed.kind === 'soft') return `soft ${parsed.recommended.value}`;
    return parsed.restrictions
      .map(
        (r) =>
          `${r.lowerInclusive ? '[' : '('}${r.lower?.value ?? ''},${r.upper?.value ?? ''}${r.upperInclusive ? ']' : ')'}`,
      )
      .join(' ');
  };

  it.each([
    ['1.0', 'soft 1.0'],
    ['[1.0]', '[1.0,1.0]'],
    ['[1.0,2.0)', '[1.0,2.0)'],
    ['[ 1.0 , 2.0 ]', '[1.0,2.0]'],
    ['(,1.0]', '(,1.0]'],
    ['[1.2,)', '[1.2,)'],
    ['[8.0.0-SNAPSHOT,)', '[8.0.0-SNAPSHOT,)'],
    ['[1,2),[3,4)', '[1,2) [3,4)'],
    ['(,1.0],[1.2,)', '(,1.0] [1.2,)'],
    ['[1,3),[2,4)', '[1,3) [2,4)'],
  ])('%s', (spec, expected) => {
    expect(bounds(spec)).toBe(expected);
  });

  it.each([
    ['', 'the version is empty'],
    ['[1.0', 'a range is not closed with ] or )'],
    ['(1.0)', 'a single version must be written [version]'],
    ['[1.0)', 'a single version must be written [version]'],
    ['[]', 'the brackets hold no version'],
    ['[,]', 'a range cannot have identical bounds'],
    ['[1.0,1.0]', 'a range cannot have identical bounds'],
    ['[2.0,1.0]', 'the lower bound is greater than the upper bound'],
    ['[1,2,3]', 'a restriction has more than one comma'],
    ['[1,2) 3', 'expected [ or ( but found "3"'],
    ['1.0,2.0', 'a range must start with [ or ('],
  ])('refuses %j: %s', (spec, why) => {
    expect(parseRange(spec)).toEqual({ ok: false, reason: `invalid version range "${spec}": ${why}` });
  });
});

describe('rangeContains', () => {
  const cases: [string, string, boolean][] = [
    ['[1.0,2.0)', '1.0', true],
    ['[1.0,2.0)', '1.5.3', true],
    ['[1.0,2.0)', '2.0', false],
    ['[1.0,2.0)', '2.0-SNAPSHOT', true],
    ['(1.0,2.0]', '1.0', false],
    ['(1.0,2.0]', '2.0.0', true],
    ['[1.0]', '1.0.0', true],
    ['[1.0]', '1.0.1', false],
    ['(,1.0]', '0.1', true],
    ['(,1.0]', '1.0-SNAPSHOT', true],
    ['(,1.0]', '1.0.1', false],
    ['[1.2,)', '99', true],
    ['[1.2,)', '1.2-rc1', false],
    ['[8.0.0-SNAPSHOT,)', '8.0.2-SNAPSHOT', true],
    ['[8.0.0-SNAPSHOT,)', '7.1.9', false],
    ['[1,2),[3,4)', '2.5', false],
    ['[1,2),[3,4)', '3.9', true],
    ['1.0', '0.5', true],
  ];
  it.each(cases)('%s contains %s: %s', (spec, version, expected) => {
    expect(rangeContains(range(spec), version)).toBe(expected);
  });
});

describe('pickVersion', () => {
  const available = [
    '1.0',
    '1.1',
    '1.2-SNAPSHOT',
    '1.10',
    '2.0-beta-1',
    '2.0-SNAPSHOT',
    '2.0',
    '3.0-20240611.093015-2',
  ];
  const cases: [string, boolean, string | undefined][] = [
    ['[1.0,2.0)', false, '2.0-beta-1'],
    ['[1.0,2.0)', true, '2.0-SNAPSHOT'],
    ['[1.0,1.2)', false, '1.1'],
    ['[1.0,1.10)', true, '1.2-SNAPSHOT'],
    ['[1.0,1.10)', false, '1.1'],
    ['(,1.0]', false, '1.0'],
    ['[1.2,)', false, '2.0'],
    ['[1.2,)', true, '3.0-20240611.093015-2'],
    ['[1,1.1],[2.0-beta-1]', false, '2.0-beta-1'],
    ['[5.0,)', true, undefined],
    ['4.2', false, '4.2'],
  ];
  it.each(cases)('%s (snapshots allowed: %s) → %s', (spec, allowSnapshots, expected) => {
    expect(pickVersion(range(spec), available, { allowSnapshots })).toBe(expected);
  });

  it('keeps the first written of two equal versions', () => {
    expect(pickVersion(range('[1,2)'), ['1.1', '1.1.0', '1.0'], { allowSnapshots: false })).toBe('1.1');
  });
});

const corpus = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../shared/corpus/github');
const hasCorpus = existsSync(corpus);
if (!hasCorpus) console.warn('skipping: ../shared/corpus is absent');

function pomFiles(dir: string): string[] {
  const found: string[] = [];
  const stack = [dir];
  while (stack.length > 0) {
    const current = stack.pop()!;
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) stack.push(full);
      else if (entry.name === 'pom.xml') found.push(full);
    }
  }
  return found;
}

describe.skipIf(!hasCorpus)('corpus: every version range written in a real POM', () => {
  it('parses, and a [version] range contains its version', () => {
    const contents = pomFiles(corpus).map((file) => readFileSync(file, 'utf8'));
    const specs = contents.flatMap((content) =>
      [...content.matchAll(/<version>\s*([[(][^<]*?)\s*<\/version>/g)].map((m) => m[1]!),
    );
    // independent count: plain substring counts (the corpus writes no space after <version>)
    const counted = contents.reduce(
      (sum, content) => sum + content.split('<version>[').length - 1 + content.split('<version>(').length - 1,
      0,
    );
    expect(specs.length).toBe(counted);
    expect(specs.length).toBeGreaterThan(100);
    const failures = specs.filter((spec) => !parseRange(spec).ok);
    expect(failures).toEqual([]);
    for (const spec of specs.filter((s) => /^\[[^,]+\]$/.test(s))) {
      expect(rangeContains(range(spec), spec.slice(1, -1))).toBe(true);
    }
    expect(
      pickVersion(range('[8.0.0-SNAPSHOT,)'), ['7.1.2', '8.0.2-SNAPSHOT'], { allowSnapshots: true }),
    ).toBe('8.0.2-SNAPSHOT');
  });
});
