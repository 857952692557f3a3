import { describe, expect, it } from 'vitest';
import {
  categoryOfLicense,
  evaluateSpdx,
  expressionCategory,
  parseSpdxExpression,
  spdxLicenses,
  termKey,
  type SpdxLicense,
} from '../src/core/spdx-expression.js';

/** The normalised text of an expression, or its error as `offset: message`. */
function normalise(text: string): string {
  const parsed = parseSpdxExpression(text);
  return parsed.ok ? parsed.expression : `error at ${parsed.offset}: ${parsed.message}`;
}

/** Evaluates with a verdict per license: listed ids pass (rank 0), others fail with rank 1 (or the given rank). */
function passes(text: string, allowed: readonly string[], ranks: Record<string, number> = {}) {
  const parsed = parseSpdxExpression(text);
  if (!parsed.ok) throw new Error(parsed.message);
  const result = evaluateSpdx(parsed.node, (license: SpdxLicense) => {
    const key = termKey(license);
    const rank = allowed.includes(key) ? 0 : (ranks[key] ?? 1);
    return { rank, value: key };
  });
  return { pass: result.rank === 0, rank: result.rank, value: result.value, offending: result.offending };
}

describe('parseSpdxExpression: reading and normalising', () => {
  it.each([
    ['MIT', 'MIT'],
    ['mit', 'MIT'],
    ['apache-2.0 or mit', 'Apache-2.0 OR MIT'],
    ['(MIT)', 'MIT'],
    ['MIT OR Apache-2.0 AND BSD-3-Clause', 'MIT OR (Apache-2.0 AND BSD-3-Clause)'],
    ['(MIT OR Apache-2.0) AND BSD-3-Clause', '(MIT OR Apache-2.0) AND BSD-3-Clause'],
    ['MIT AND (ISC AND (BSD-2-Clause AND 0BSD))', 'MIT AND ISC AND BSD-2-Clause AND 0BSD'],
    ['GPL-2.0', 'GPL-2.0-only'],
    ['GPL-2.0+', 'GPL-2.0-or-later'],
    ['GPL-2.0-only+', 'GPL-2.0-or-later'],
    ['GPL-2.0-or-later+', 'GPL-2.0-or-later'],
    ['LGPL-2.1', 'LGPL-2.1-only'],
    ['Apache-2.0+', 'Apache-2.0+'],
    ['GPL-2.0-with-classpath-exception', 'GPL-2.0-only WITH Classpath-exception-2.0'],
    ['GPL-3.0-with-GCC-exception', 'GPL-3.0-only WITH GCC-exception-3.1'],
    ['gpl-2.0-only with classpath-exception-2.0', 'GPL-2.0-only WITH Classpath-exception-2.0'],
    ['LicenseRef-unmapped-lutece-license', 'LicenseRef-unmapped-lutece-license'],
    ['licenseref-Acme', 'LicenseRef-Acme'],
    ['DocumentRef-spdx-tool-1.2:LicenseRef-MIT-Style-2', 'DocumentRef-spdx-tool-1.2:LicenseRef-MIT-Style-2'],
    ['Apache-2.0 OR LicenseRef-unmapped-x', 'Apache-2.0 OR LicenseRef-unmapped-x'],
    ['  MIT\n OR\tISC ', 'MIT OR ISC'],
  ])('%j reads as %j', (text, expected) => {
    expect(normalise(text)).toBe(expected);
  });

  it('lists the deprecated ids it replaced', () => {
    const parsed = parseSpdxExpression('GPL-2.0+ OR LGPL-2.1 OR GPL-2.0-with-classpath-exception OR MIT');
    expect(parsed.ok && parsed.deprecated).toEqual([
      { written: 'GPL-2.0+', replacement: 'GPL-2.0-or-later' },
      { written: 'LGPL-2.1', replacement: 'LGPL-2.1-only' },
      {
        written: 'GPL-2.0-with-classpath-exception',
        replacement: 'GPL-2.0-only WITH Classpath-exception-2.0',
      },
    ]);
  });

  it.each([
    ['', 'error at 0: the expression is empty'],
    ['Apache 2', 'error at 0: "Apache" is not an SPDX license id'],
    ['Lutece license', 'error at 0: "Lutece" is not an SPDX license id'],
    ['MIT OR', 'error at 6: the expression ends where a license was expected'],
    ['MIT ISC', 'error at 4: expected AND or OR but found "ISC" at offset 4'],
    ['(MIT OR ISC', 'error at 11: a "(" is never closed'],
    ['MIT)', 'error at 3: expected AND or OR but found ")" at offset 3'],
    ['MIT WITH', 'error at 4: WITH must be followed by a license exception'],
    ['GPL-2.0-only WITH MIT', 'error at 18: MIT is a license, not an exception: join them with AND or OR'],
    [
      'GPL-2.0-only WITH Nonsense-exception',
      'error at 18: "Nonsense-exception" is not an SPDX license exception',
    ],
    [
      'Classpath-exception-2.0',
      'error at 0: Classpath-exception-2.0 is a license exception: write it after WITH',
    ],
    ['MIT/X11', 'error at 3: unexpected "/" at offset 3'],
    ['MIT\u0007', 'error at 3: unexpected character U+0007 at offset 3'],
    ['GPL+2.0', 'error at 3: "+" may only end a license id'],
    ['Foo:LicenseRef-x', 'error at 3: unexpected ":" in "Foo:LicenseRef-x"'],
    [
      'GPL-2.0-with-classpath-exception WITH GCC-exception-2.0',
      'error at 38: GPL-2.0-only already carries the exception Classpath-exception-2.0',
    ],
  ])('%j is refused: %s', (text, expected) => {
    expect(normalise(text)).toBe(expected);
  });

  it('names the word that is not an id, for suggestions', () => {
    const parsed = parseSpdxExpression('MIT OR Apache2');
    expect(parsed.ok ? undefined : parsed.unknownWord).toBe('Apache2');
  });

  it('refuses hostile input without recursing: deep nesting, very long text, long chains', () => {
    expect(normalise(`${'('.repeat(33)}MIT${')'.repeat(33)}`)).toBe(
      'error at 32: parentheses nested deeper than 32 levels',
    );
    expect(normalise(`${'('.repeat(32)}MIT${')'.repeat(32)}`)).toBe('MIT');
    expect(normalise('x'.repeat(10_001))).toBe(
      'error at 0: the expression is 10001 characters long, over the 10000-character limit',
    );
    const chain = Array.from({ length: 1200 }, () => 'MIT').join(' OR ');
    const parsed = parseSpdxExpression(chain);
    expect(parsed.ok && parsed.node.kind === 'or' && parsed.node.children.length).toBe(1200);
    const hostile = parseSpdxExpression(`${'('.repeat(100_000)}`);
    expect(hostile.ok).toBe(false);
  });

  it('lists the licenses of an expression left to right', () => {
    const parsed = parseSpdxExpression(
      'MIT OR (Apache-2.0 AND GPL-2.0-only WITH Classpath-exception-2.0) OR ISC+',
    );
    expect(parsed.ok && spdxLicenses(parsed.node).map(termKey)).toEqual([
      'MIT',
      'Apache-2.0',
      'GPL-2.0-only WITH Classpath-exception-2.0',
      'ISC+',
    ]);
  });
});

describe('evaluateSpdx: truth tables', () => {
  it('OR passes when one branch passes', () => {
    expect(passes('MIT OR GPL-3.0-only', ['MIT'])).toEqual({
      pass: true,
      rank: 0,
      value: 'MIT',
      offending: [],
    });
    expect(passes('MIT OR GPL-3.0-only', ['GPL-3.0-only'])).toEqual({
      pass: true,
      rank: 0,
      value: 'GPL-3.0-only',
      offending: [],
    });
    expect(passes('MIT OR GPL-3.0-only', ['MIT', 'GPL-3.0-only']).pass).toBe(true);
    expect(passes('MIT OR GPL-3.0-only', [])).toEqual({
      pass: false,
      rank: 1,
      value: 'MIT',
      offending: ['MIT', 'GPL-3.0-only'],
    });
  });

  it('AND needs every part', () => {
    expect(passes('MIT AND GPL-3.0-only', ['MIT', 'GPL-3.0-only']).pass).toBe(true);
    expect(passes('MIT AND GPL-3.0-only', ['MIT'])).toEqual({
      pass: false,
      rank: 1,
      value: 'GPL-3.0-only',
      offending: ['GPL-3.0-only'],
    });
    expect(passes('MIT AND GPL-3.0-only', ['GPL-3.0-only']).offending).toEqual(['MIT']);
    expect(passes('MIT AND GPL-3.0-only', []).offending).toEqual(['MIT', 'GPL-3.0-only']);
  });

  it('nesting: (A OR B) AND C, A OR (B AND C)', () => {
    const table: [string, string[], boolean, string[]][] = [
      ['(MIT OR GPL-3.0-only) AND ISC', ['MIT', 'ISC'], true, []],
      ['(MIT OR GPL-3.0-only) AND ISC', ['GPL-3.0-only', 'ISC'], true, []],
      ['(MIT OR GPL-3.0-only) AND ISC', ['MIT'], false, ['ISC']],
      ['(MIT OR GPL-3.0-only) AND ISC', ['ISC'], false, ['MIT', 'GPL-3.0-only']],
      ['MIT OR (GPL-3.0-only AND ISC)', ['MIT'], true, []],
      ['MIT OR (GPL-3.0-only AND ISC)', ['GPL-3.0-only', 'ISC'], true, []],
      ['MIT OR (GPL-3.0-only AND ISC)', ['GPL-3.0-only'], false, ['MIT', 'ISC']],
      ['MIT OR (GPL-3.0-only AND ISC)', [], false, ['MIT', 'GPL-3.0-only', 'ISC']],
    ];
    for (const [expression, allowed, pass, offending] of table) {
      const result = passes(expression, allowed);
      expect([expression, allowed, result.pass, result.offending]).toEqual([
        expression,
        allowed,
        pass,
        offending,
      ]);
    }
  });

  it('OR keeps the least bad branch, AND the worst part; ties keep the leftmost', () => {
    const ranks = { 'GPL-3.0-only': 4, 'LicenseRef-unmapped-x': 2, 'MPL-2.0': 1 };
    expect(passes('GPL-3.0-only OR MPL-2.0', [], ranks)).toMatchObject({ rank: 1, value: 'MPL-2.0' });
    expect(passes('GPL-3.0-only AND MPL-2.0', [], ranks)).toMatchObject({ rank: 4, value: 'GPL-3.0-only' });
    expect(passes('LicenseRef-unmapped-x OR GPL-3.0-only', [], ranks)).toMatchObject({
      rank: 2,
      value: 'LicenseRef-unmapped-x',
    });
    expect(passes('MPL-2.0 OR EPL-2.0', [], { 'MPL-2.0': 1, 'EPL-2.0': 1 })).toMatchObject({
      value: 'MPL-2.0',
    });
  });

  it('an unknown part does not sink an OR whose other branch passes', () => {
    expect(passes('Apache-2.0 OR LicenseRef-unmapped-x', ['Apache-2.0']).pass).toBe(true);
    expect(passes('Apache-2.0 AND LicenseRef-unmapped-x', ['Apache-2.0']).offending).toEqual([
      'LicenseRef-unmapped-x',
    ]);
  });

  it('WITH and + stay part of the license the verdict function sees', () => {
    expect(
      passes('GPL-2.0-only WITH Classpath-exception-2.0', ['GPL-2.0-only WITH Classpath-exception-2.0']).pass,
    ).toBe(true);
    expect(passes('GPL-2.0-only WITH Classpath-exception-2.0', ['GPL-2.0-only']).offending).toEqual([
      'GPL-2.0-only WITH Classpath-exception-2.0',
    ]);
    expect(passes('Apache-2.0+', ['Apache-2.0+']).pass).toBe(true);
    expect(passes('GPL-2.0+', ['GPL-2.0-or-later']).pass).toBe(true);
  });
});

describe('categories of expressions', () => {
  const categories = new Map([
    ['MIT', 'permissive'],
    ['CC0-1.0', 'public-domain'],
    ['LGPL-2.1-only', 'weak-copyleft'],
    ['GPL-3.0-only', 'strong-copyleft'],
    ['AGPL-3.0-only', 'network-copyleft'],
  ] as const);
  const categoryOf = (text: string) => {
    const parsed = parseSpdxExpression(text);
    if (!parsed.ok) throw new Error(parsed.message);
    return expressionCategory(parsed.node, (l) => categoryOfLicense(l, categories));
  };

  it('OR is its least demanding branch, AND its most demanding part', () => {
    expect(categoryOf('MIT OR GPL-3.0-only')).toBe('permissive');
    expect(categoryOf('MIT AND GPL-3.0-only')).toBe('strong-copyleft');
    expect(categoryOf('CC0-1.0 OR MIT')).toBe('public-domain');
    expect(categoryOf('(LGPL-2.1-only OR AGPL-3.0-only) AND MIT')).toBe('weak-copyleft');
    expect(categoryOf('MIT AND LicenseRef-unmapped-x')).toBe('unknown');
    expect(categoryOf('MIT OR LicenseRef-unmapped-x')).toBe('permissive');
  });

  it('LicenseRef-UNLICENSED is proprietary, other unlisted ids unknown', () => {
    expect(categoryOf('LicenseRef-UNLICENSED')).toBe('proprietary');
    expect(categoryOf('LicenseRef-Acme')).toBe('unknown');
    expect(categoryOf('Zlib')).toBe('unknown');
  });
});
