import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS, field, renderCsv } from '../src/reporters/csv.js';
import { parseCsv } from './helpers/csv.js';
import { healthInventory } from './helpers/health-inventory.js';
import { sampleInventory } from './helpers/sample-inventory.js';

describe('renderCsv', () => {
  it('writes one row per component and project, with a byte order mark and CRLF line ends', () => {
    const csv = renderCsv(sampleInventory());
    expect(csv.startsWith('\uFEFFecosystem,group,name,version,purl,')).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const rows = parseCsv(csv.slice(1));
    expect(rows[0]).toEqual([
      'ecosystem',
      'group',
      'name',
      'version',
      'purl',
      'license',
      'license category',
      'license status',
      'license source',
      'license evidence',
      'license declared',
      'health',
      'health reasons',
      'plan B',
      'plan B license',
      'plan B flags',
      'project',
      'scopes',
      'direct',
      'path',
      'manifest',
      'declared in',
      'line',
    ]);
    expect(rows.slice(1).map((r) => `${r[2]}@${r[3]} ${r[16]} ${r[17]} ${r[18]}`)).toEqual([
      'runtime@7.24.0 acme:. dev true',
      'runtime@7.24.0 acme:packages/web runtime true',
      'express@^4.19.2 acme:tools/legacy runtime true',
      'fsevents@2.3.3 acme:packages/web optional true',
      'jszip@3.10.1 acme:packages/web runtime true',
      'left-pad@1.3.0 acme:packages/web runtime true',
      'pako@1.0.11 acme:packages/web runtime false',
      'typescript@5.4.5 acme:. dev true',
      'xlsx@0.20.2 acme:packages/web runtime true',
    ]);
    expect(rows[2]).toEqual([
      'npm',
      "'@babel",
      'runtime',
      '7.24.0',
      'pkg:npm/%40babel/runtime@7.24.0',
      'MIT',
      'permissive',
      'known',
      'lockfile',
      'package-lock.json',
      'MIT',
      '',
      '',
      '',
      '',
      '',
      'acme:packages/web',
      'runtime',
      'true',
      "'@acme/web@2.3.0 > @babel/runtime@7.24.0",
      'package-lock.json',
      '',
      '',
    ]);
    expect(rows.every((r) => r.length === CSV_COLUMNS.length)).toBe(true);
  });

  it('writes the manifest line that declares the dependency, and a row for a component no project uses', () => {
    const inventory = sampleInventory();
    inventory.components[2]!.usedBy[0]!.declaredAt = { file: 'packages/web/package.json', line: 14 };
    inventory.components[3]!.usedBy = [];
    const rows = parseCsv(renderCsv(inventory).slice(1));
    expect(rows[4]!.slice(16)).toEqual([
      'acme:packages/web',
      'optional',
      'true',
      "'@acme/web@2.3.0 > fsevents@2.3.3",
      'package-lock.json',
      'packages/web/package.json',
      '14',
    ]);
    expect(rows[5]!.slice(2, 4)).toEqual(['jszip', '3.10.1']);
    expect(rows[5]!.slice(16)).toEqual(['', '', '', '', '', '', '']);
  });

  it('writes the health class, its reason codes and the first way out with its license and flags', () => {
    const rows = parseCsv(renderCsv(healthInventory()).slice(1));
    const health = rows[0]!.indexOf('health');
    expect(rows[0]!.slice(health, health + 5)).toEqual([
      'health',
      'health reasons',
      'plan B',
      'plan B license',
      'plan B flags',
    ]);
    expect(rows.slice(1).map((r) => [r[2], ...r.slice(health, health + 5)])).toEqual([
      ['runtime', 'HEALTHY', 'recent-release regular-commits several-committers', 'not-needed', '', ''],
      ['runtime', 'HEALTHY', 'recent-release regular-commits several-committers', 'not-needed', '', ''],
      ['express', 'AT_RISK', 'stale-release single-committer', 'none-found', '', ''],
      ['fsevents', 'UNKNOWN', 'no-dates', 'not-needed', '', ''],
      ['jszip', 'MAINTAINED', 'recent-release', 'alternative pkg:npm/fflate (curated)', 'MIT', ''],
      ['left-pad', 'EOL', 'deprecated', 'native String.prototype.padStart (curated)', '', ''],
      ['pako', 'EOL', 'latest-deprecated', 'successor pkg:npm/fflate (authoritative)', 'MIT', ''],
      ['typescript', 'HEALTHY', 'recent-release regular-commits several-committers', 'not-needed', '', ''],
      [
        'xlsx',
        'ABANDONED',
        'no-release no-commit',
        'alternative pkg:npm/exceljs (curated)',
        'MIT',
        'target-unhealthy',
      ],
    ]);
  });

  it('skips survival plans for the first way out, and guards hostile plan-B values', () => {
    const inventory = healthInventory();
    const xlsx = inventory.components.find((c) => c.name === 'xlsx')!;
    xlsx.planB!.options = [
      { kind: 'survive', label: 'pin it', confidence: 'suggested', source: 'oss-inventory' },
      {
        kind: 'maintained-fork',
        label: 'https://github.com/a/b,"x"\nnext',
        confidence: 'inferred',
        source: 'GitHub forks',
        targetLicense: '=HYPERLINK("http://evil.example")',
        flags: ['target-unhealthy', 'license-family-differs'],
      },
    ];
    const rows = parseCsv(renderCsv(inventory).slice(1));
    const health = rows[0]!.indexOf('health');
    const row = rows.find((r) => r[2] === 'xlsx')!;
    expect(row.slice(health + 2, health + 5)).toEqual([
      'maintained-fork https://github.com/a/b,"x"?next (inferred)',
      '\'=HYPERLINK("http://evil.example")',
      'target-unhealthy license-family-differs',
    ]);
    expect(rows.every((r) => r.length === CSV_COLUMNS.length)).toBe(true);
  });
});

describe('CSV fields', () => {
  it('quotes what RFC 4180 needs quoted', () => {
    expect(field('plain')).toBe('plain');
    expect(field('a,b')).toBe('"a,b"');
    expect(field('say "hi"')).toBe('"say ""hi"""');
    expect(field('')).toBe('');
  });

  it('replaces control characters, so a field never holds a line break', () => {
    expect(field('two\nlines')).toBe('two?lines');
    expect(field('bell\u0007 and \u202e')).toBe('bell? and ?');
  });

  it('guards values a spreadsheet would run as formulas', () => {
    expect(field('=HYPERLINK("http://evil.example","x")')).toBe(
      '"\'=HYPERLINK(""http://evil.example"",""x"")"',
    );
    expect(field('+1')).toBe("'+1");
    expect(field('-2+3')).toBe("'-2+3");
    expect(field('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(field('\t=1')).toBe("'?=1");
    expect(field('\uFF1D1+1')).toBe("'\uFF1D1+1");
    expect(field('1-2')).toBe('1-2');
  });

  it('cuts a huge value', () => {
    // the length is written `5,000`: the cut value holds a comma, so it is quoted
    expect(field('x'.repeat(5000)) === `"${'x'.repeat(2000)} ... (5,000 characters)"`).toBe(true);
  });
});
