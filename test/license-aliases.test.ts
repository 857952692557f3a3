import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { normaliseLicense } from '../src/core/license.js';
import { parseSpdxExpression, spdxLicenses } from '../src/core/spdx-expression.js';
import { duplicateAliasKeys, loadLicenseKnowledge, type AliasRow } from '../src/licenses/knowledge.js';

// Read here with the YAML parser, not through the loader, so that a loader bug cannot hide a row.
const rows = (
  parse(readFileSync(new URL('../data/license-aliases.yaml', import.meta.url), 'utf8')) as {
    aliases: AliasRow[];
  }
).aliases;
const knowledge = loadLicenseKnowledge();

describe('data/license-aliases.yaml', () => {
  it('holds at least 500 rows', () => {
    expect(rows.length).toBeGreaterThanOrEqual(500);
  });

  it.each(rows.map((row, index) => [index, row.match ?? row.url, row] as const))(
    'row %i maps %j as written, through the alias table',
    (_index, value, row) => {
      const n = normaliseLicense([value!], knowledge);
      expect({ status: n.status, expression: n.expression, mappings: n.mappings }).toEqual({
        status: 'known',
        expression: row.license,
        mappings: ['alias'],
      });
    },
  );

  it('no two rows share a key (same key, other license: a data error; same license: a redundant row)', () => {
    expect(duplicateAliasKeys(rows)).toEqual([]);
  });

  it('every license a row maps to has a category', () => {
    const missing = rows.flatMap((row) => {
      const parsed = parseSpdxExpression(row.license);
      if (!parsed.ok) return [`${row.license}: ${parsed.message}`];
      return spdxLicenses(parsed.node)
        .map((l) => l.id)
        .filter((id) => !knowledge.categories.has(id));
    });
    expect(missing).toEqual([]);
  });

  it('every row has a note saying where the string is used', () => {
    expect(rows.filter((row) => !row.note).map((row) => row.match ?? row.url)).toEqual([]);
  });
});

describe('duplicate key detection', () => {
  it('finds rows whose keys are equal, and says whether they conflict', () => {
    const sample: AliasRow[] = [
      { match: 'The Apache Software License, Version 2.0', license: 'Apache-2.0' },
      { match: 'apache software licence - version 2.0.', license: 'Apache-2.0' },
      { match: 'GNU Lesser General Public License', license: 'LGPL-2.1-only' },
      { match: 'the GNU lesser general public license', license: 'LGPL-2.1-or-later' },
      { url: 'http://www.apache.org/licenses/LICENSE-2.0.txt', license: 'Apache-2.0' },
      { url: 'https://apache.org/licenses/LICENSE-2.0/', license: 'MIT' },
      { url: 'https://apache.org/licenses/LICENSE-1.1', license: 'Apache-1.1' },
    ];
    expect(duplicateAliasKeys(sample)).toEqual([
      { row: 1, first: 0, key: 'name apache software license 2.0', conflict: false },
      { row: 3, first: 2, key: 'name gnu lesser general public license', conflict: true },
      { row: 5, first: 4, key: 'url apache.org/licenses/license-2.0', conflict: true },
    ]);
  });
});
