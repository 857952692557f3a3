import { describe, expect, it } from 'vitest';
import { parseVersionRange } from '../src/core/version-range.js';

/** The versions of `candidates` the range matches. */
function matching(ecosystem: string, spec: string, candidates: readonly string[]): string[] {
  const range = parseVersionRange(ecosystem, spec);
  if (!range.ok) throw new Error(range.reason);
  return candidates.filter((v) => range.matches(v));
}

const NPM = [
  '0.0.3',
  '0.0.4',
  '0.2.3',
  '0.2.9',
  '0.3.0',
  '1.0.0',
  '1.1.9',
  '1.2.0',
  '1.2.3',
  '1.2.4-beta.1',
  '1.3.0-beta.1',
  '1.9.9',
  '2.0.0-rc.1',
  '2.0.0',
  '2.4.0',
  '3.0.0',
];

describe('npm ranges (node-semver semantics)', () => {
  it.each([
    ['^1.2.0', ['1.2.0', '1.2.3', '1.9.9']],
    ['^1.2.3-beta.0', ['1.2.3', '1.9.9']],
    ['^1.2.4-beta.0', ['1.2.4-beta.1', '1.9.9']],
    ['^0.2.3', ['0.2.3', '0.2.9']],
    ['^0.0.3', ['0.0.3']],
    ['^0.x', ['0.0.3', '0.0.4', '0.2.3', '0.2.9', '0.3.0']],
    ['~1.2', ['1.2.0', '1.2.3']],
    ['~1.2.3', ['1.2.3']],
    ['~1', ['1.0.0', '1.1.9', '1.2.0', '1.2.3', '1.9.9']],
    ['1.x', ['1.0.0', '1.1.9', '1.2.0', '1.2.3', '1.9.9']],
    ['1.2.*', ['1.2.0', '1.2.3']],
    ['1.2.3', ['1.2.3']],
    ['=1.2.3', ['1.2.3']],
    ['v1.2.3', ['1.2.3']],
    ['>=1.2.0 <2', ['1.2.0', '1.2.3', '1.9.9']],
    ['>= 1.2.0 < 2', ['1.2.0', '1.2.3', '1.9.9']],
    ['>1.2', ['1.9.9', '2.0.0', '2.4.0', '3.0.0']],
    ['<=1.2', ['0.0.3', '0.0.4', '0.2.3', '0.2.9', '0.3.0', '1.0.0', '1.1.9', '1.2.0', '1.2.3']],
    ['<1', ['0.0.3', '0.0.4', '0.2.3', '0.2.9', '0.3.0']],
    ['1.2.3 - 2.0.0', ['1.2.3', '1.9.9', '2.0.0']],
    ['1.2 - 2', ['1.2.0', '1.2.3', '1.9.9', '2.0.0', '2.4.0']],
    ['^0.0.3 || >=2.4.0', ['0.0.3', '2.4.0', '3.0.0']],
    ['>=2.0.0-rc.0 <2.0.0', ['2.0.0-rc.1']],
  ])('%s matches exactly %j', (spec, expected) => {
    expect(matching('npm', spec, NPM)).toEqual(expected);
  });

  it('* and an empty range match every version, even a non-semver one', () => {
    expect(matching('npm', '*', ['1.0.0', 'github:a/b'])).toEqual(['1.0.0', 'github:a/b']);
    expect(matching('npm', '', ['2.0.0'])).toEqual(['2.0.0']);
  });

  it('a version that is not semver matches no other range', () => {
    expect(matching('npm', '>=0.0.0', ['github:a/b#main', '1.0', 'latest'])).toEqual([]);
  });

  it.each([
    ['^^1', '"^^1" is not an npm version or comparator'],
    ['>=1.0.0 <', '"<" is not an npm version or comparator'],
    ['1.2.3 - ', '"-" is not an npm version or comparator'],
    ['latest', '"latest" is not an npm version or comparator'],
    ['1.2.3.4', '"1.2.3.4" is not an npm version or comparator'],
  ])('%j is refused', (spec, reason) => {
    expect(parseVersionRange('npm', spec)).toEqual({ ok: false, reason });
  });
});

const MAVEN = [
  '0.9',
  '1.0',
  '1.0.1',
  '1.5-SNAPSHOT',
  '1.5',
  '2.0-beta-1',
  '2.0',
  '2.0.0',
  '7.0.0',
  '7.1.2',
  '8.0.0-RC1',
  '8.0.0',
];

describe('Maven ranges (Maven ordering)', () => {
  it.each([
    ['[1.0,2.0)', ['1.0', '1.0.1', '1.5-SNAPSHOT', '1.5', '2.0-beta-1']],
    ['[1.0,2.0]', ['1.0', '1.0.1', '1.5-SNAPSHOT', '1.5', '2.0-beta-1', '2.0', '2.0.0']],
    ['[1.5]', ['1.5']],
    ['(,1.0]', ['0.9', '1.0']],
    ['(,1.0],[7.0,)', ['0.9', '1.0', '7.0.0', '7.1.2', '8.0.0-RC1', '8.0.0']],
    ['>=7 <8', ['7.0.0', '7.1.2', '8.0.0-RC1']],
    ['>=7 <8.0.0-RC1 || 1.5', ['1.5', '7.0.0', '7.1.2']],
    ['2.0', ['2.0', '2.0.0']],
    ['1.0.1', ['1.0.1']],
    ['*', MAVEN],
  ])('%s matches exactly %j', (spec, expected) => {
    expect(matching('maven', spec, MAVEN)).toEqual(expected);
  });

  it.each([
    ['[2.0,1.0]', 'invalid version range "[2.0,1.0]": the lower bound is greater than the upper bound'],
    ['[1.0,2.0', 'invalid version range "[1.0,2.0": a range is not closed with ] or )'],
    [
      '^7',
      '"^7" is not a Maven version or comparator; write a Maven range like [1.0,2.0) or comparators like >=1.0 <2.0',
    ],
    [
      '~1.2',
      '"~1.2" is not a Maven version or comparator; write a Maven range like [1.0,2.0) or comparators like >=1.0 <2.0',
    ],
  ])('%j is refused', (spec, reason) => {
    expect(parseVersionRange('maven', spec)).toEqual({ ok: false, reason });
  });
});

describe('other ecosystems and hostile ranges', () => {
  it('refuses an ecosystem with no ranges and a range over 1,000 characters', () => {
    expect(parseVersionRange('pypi', '>=1')).toEqual({
      ok: false,
      reason: 'no version ranges are known for "pypi" packages',
    });
    expect(parseVersionRange('npm', `${'1.0.0 || '.repeat(200)}1.0.0`)).toEqual({
      ok: false,
      reason: 'the range is over 1000 characters',
    });
  });
});
