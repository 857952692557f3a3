import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { SaxesParser } from 'saxes';
import { describe, expect, it } from 'vitest';
import { CHECK_RENDERERS, type CheckReport } from '../src/check/index.js';
import { escapeData, escapeProperty } from '../src/check/github.js';
import { clean, safeJson } from '../src/check/sanitize.js';
import type { Component, Inventory, Project, Usage } from '../src/core/model.js';
import type { CheckResult, Policy, Violation } from '../src/core/policy-model.js';

/** The OASIS schema declares draft-04; see test/schemas/README.md for why draft-07 Ajv reads it the same. */
function sarifValidator() {
  const schema = JSON.parse(readFileSync(new URL('schemas/sarif-2.1.0.json', import.meta.url), 'utf8'));
  const { id, ...rest } = schema;
  delete rest.$schema;
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats.default(ajv);
  return ajv.compile({ $id: id, ...rest });
}

function project(id: string, name: string): Project {
  const [subject, path] = id.split(':') as [string, string];
  return {
    id,
    subject,
    path,
    ecosystem: 'npm',
    name,
    version: '1.0.0',
    manifests: [path === '.' ? 'package.json' : `${path}/package.json`, 'package-lock.json'],
    locked: true,
    dependsOn: [],
  };
}

function component(name: string, version: string, license: Component['license'], usedBy: Usage[]): Component {
  return {
    purl: `pkg:npm/${name.replace('@', '%40')}@${version}`,
    ecosystem: 'npm',
    name,
    version,
    locked: true,
    scopes: [...new Set(usedBy.flatMap((u) => u.scopes))],
    direct: usedBy.some((u) => u.direct),
    sourceKind: 'registry',
    license,
    dependsOn: [],
    usedBy,
  };
}

const GEO_WAIVER = `  - purl: "pkg:npm/geo-calc"
    versions: "1.3.0"
    license: "GPL-3.0-only"
    reason: "<why this is acceptable>"
    owner: "<your team or e-mail>"
    expires: 2024-07-30
`;

const geoCalc: Violation = {
  severity: 'error',
  verdict: 'denied',
  rule: 'GPL-3.0-only is denied by policy.yaml:7 (licenses.deny: strong-copyleft)',
  ruleAt: { file: 'policy.yaml', line: 7 },
  component: { purl: 'pkg:npm/geo-calc@1.3.0', name: 'geo-calc', version: '1.3.0', ecosystem: 'npm' },
  license: {
    expression: 'GPL-3.0-only',
    category: 'strong-copyleft',
    declared: ['GPL-3.0'],
    source: 'lockfile',
    evidence: 'package-lock.json',
  },
  offending: ['GPL-3.0-only'],
  usages: [
    {
      project: 'portal:.',
      subject: 'portal',
      manifest: 'package-lock.json',
      scopes: ['runtime'],
      direct: false,
      path: ['city-portal@1.0.0', 'map-widgets@2.0.0', 'geo-calc@1.3.0'],
      declaredAt: { file: 'package.json', line: 9 },
    },
  ],
  waiverSnippet: GEO_WAIVER,
};

const civicForms: Violation = {
  severity: 'error',
  verdict: 'unknown',
  rule: 'its license is unknown, and policy.yaml:12 (licenses.unknown: deny) refuses unknown licenses',
  ruleAt: { file: 'policy.yaml', line: 12 },
  component: { purl: 'pkg:npm/civic-forms@0.4.1', name: 'civic-forms', version: '0.4.1', ecosystem: 'npm' },
  license: { declared: [], source: 'lockfile', evidence: 'package-lock.json' },
  offending: [],
  usages: [
    {
      project: 'portal:.',
      subject: 'portal',
      manifest: 'package-lock.json',
      scopes: ['runtime'],
      direct: true,
      path: ['city-portal@1.0.0', 'civic-forms@0.4.1'],
      declaredAt: { file: 'package.json', line: 8 },
    },
    {
      project: 'portal:admin',
      subject: 'portal',
      manifest: 'package-lock.json',
      scopes: ['runtime', 'optional'],
      direct: true,
      path: ['portal-admin@1.0.0', 'civic-forms@0.4.1'],
    },
  ],
  expiredWaiver: { expires: '2024-03-31', owner: 'web team', at: { file: 'policy.yaml', line: 30 } },
  waiverSnippet: `  - purl: "pkg:npm/civic-forms"
    versions: "0.4.1"
    reason: "<why this is acceptable>"
    owner: "<your team or e-mail>"
    expires: 2024-07-30
`,
};

const charts: Violation = {
  severity: 'warning',
  verdict: 'review',
  rule: 'LGPL-2.1-only is to be reviewed by policy.yaml:9 (licenses.review: weak-copyleft)',
  ruleAt: { file: 'policy.yaml', line: 9 },
  component: {
    purl: 'pkg:npm/%40city/charts@2.1.0',
    name: '@city/charts',
    version: '2.1.0',
    ecosystem: 'npm',
  },
  license: {
    expression: 'LGPL-2.1-only',
    category: 'weak-copyleft',
    declared: ['GNU Lesser General Public License v2.1'],
    source: 'registry',
    evidence: 'https://registry.npmjs.org/@city%2fcharts',
  },
  offending: ['LGPL-2.1-only'],
  usages: [
    {
      project: 'portal:admin',
      subject: 'portal',
      manifest: 'package-lock.json',
      scopes: ['runtime'],
      direct: true,
      path: ['portal-admin@1.0.0', '@city/charts@2.1.0'],
      declaredAt: { file: 'admin/package.json', line: 6 },
    },
  ],
  waiverSnippet: `  - purl: "pkg:npm/%40city/charts"
    versions: "2.1.0"
    license: "LGPL-2.1-only"
    reason: "<why this is acceptable>"
    owner: "<your team or e-mail>"
    expires: 2024-07-30
`,
};

function sampleInventory(): Inventory {
  const use = (project: string, path: string[], scopes: Usage['scopes'], direct: boolean): Usage => ({
    project,
    manifest: 'package-lock.json',
    scopes,
    direct,
    path,
  });
  return {
    schemaVersion: '1.0.0',
    generatedAt: '2024-05-01T08:30:00.000Z',
    tool: { name: 'oss-inventory', version: '0.1.0' },
    run: { offline: true, network: [] },
    subjects: [{ name: 'portal', type: 'directory', location: 'apps/portal' }],
    stats: { manifestsRead: 3, excluded: [] },
    projects: [project('portal:.', 'city-portal'), project('portal:admin', 'portal-admin')],
    components: [
      component(
        'geo-calc',
        '1.3.0',
        {
          status: 'known',
          declared: ['GPL-3.0'],
          expression: 'GPL-3.0-only',
          category: 'strong-copyleft',
          mappings: ['corrected'],
          source: 'lockfile',
          evidence: 'package-lock.json',
        },
        [use('portal:.', ['city-portal@1.0.0', 'map-widgets@2.0.0', 'geo-calc@1.3.0'], ['runtime'], false)],
      ),
      component(
        'map-widgets',
        '2.0.0',
        {
          status: 'known',
          declared: ['MIT'],
          expression: 'MIT',
          category: 'permissive',
          mappings: ['spdx'],
          source: 'lockfile',
          evidence: 'package-lock.json',
        },
        [use('portal:.', ['city-portal@1.0.0', 'map-widgets@2.0.0'], ['runtime'], true)],
      ),
      component(
        'civic-forms',
        '0.4.1',
        {
          status: 'unknown',
          declared: [],
          source: 'lockfile',
          evidence: 'package-lock.json',
          reason: 'the lockfile declares no license and the registry was not asked (--offline)',
        },
        [
          use('portal:.', ['city-portal@1.0.0', 'civic-forms@0.4.1'], ['runtime'], true),
          use('portal:admin', ['portal-admin@1.0.0', 'civic-forms@0.4.1'], ['runtime', 'optional'], true),
        ],
      ),
      component(
        '@city/charts',
        '2.1.0',
        {
          status: 'known',
          declared: ['GNU Lesser General Public License v2.1'],
          expression: 'LGPL-2.1-only',
          category: 'weak-copyleft',
          mappings: ['alias'],
          source: 'registry',
          evidence: 'https://registry.npmjs.org/@city%2fcharts',
        },
        [use('portal:admin', ['portal-admin@1.0.0', '@city/charts@2.1.0'], ['runtime'], true)],
      ),
      component(
        'eslint',
        '9.0.0',
        {
          status: 'known',
          declared: ['MIT'],
          expression: 'MIT',
          category: 'permissive',
          mappings: ['spdx'],
          source: 'lockfile',
          evidence: 'package-lock.json',
        },
        [use('portal:.', ['city-portal@1.0.0', 'eslint@9.0.0'], ['dev'], true)],
      ),
    ],
    problems: [],
  };
}

const policy: Policy = {
  file: 'policy.yaml',
  licenses: { allow: ['permissive'], deny: ['strong-copyleft'], review: ['weak-copyleft'], unknown: 'deny' },
  scopes: { dev: 'ignore' },
  curations: [],
  waivers: [],
};

function sampleResult(): CheckResult {
  return {
    policy: 'policy.yaml',
    checkedAt: '2024-05-01T08:30:00.000Z',
    components: 4,
    violations: [civicForms, geoCalc, charts],
    waived: [
      {
        purl: 'pkg:npm/map-widgets@2.0.0',
        license: 'MIT',
        waiver: { file: 'policy.yaml', line: 22 },
        expires: '2024-12-31',
        owner: 'ospo@city.example',
        reason: 'kept until the map rewrite',
      },
    ],
    preexisting: [],
  };
}

function report(overrides: Partial<CheckReport> = {}): CheckReport {
  return {
    result: sampleResult(),
    inventory: sampleInventory(),
    policy,
    failOn: 'error',
    subjectRoots: new Map([['portal', 'apps/portal']]),
    tool: { name: 'oss-inventory', version: '0.1.0', informationUri: 'https://example.org/oss-inventory' },
    color: false,
    ...overrides,
  };
}

describe('check text format', () => {
  it('says for each violation what, why, where from and what to do, then the waivers and a summary', async () => {
    const text = await CHECK_RENDERERS.text(report());
    expect(text).toBe(
      [
        '✖ pkg:npm/civic-forms@0.4.1  no license',
        '    rule     its license is unknown, and policy.yaml:12 (licenses.unknown: deny) refuses unknown licenses',
        '    evidence no license declared (looked in lockfile package-lock.json): the lockfile declares no license and the registry was not asked (--offline)',
        '    used by  portal:. (apps/portal/package.json:8, runtime): city-portal@1.0.0 > civic-forms@0.4.1',
        '             portal:admin (apps/portal/package-lock.json, runtime, optional): portal-admin@1.0.0 > civic-forms@0.4.1',
        '    waiver   the waiver at policy.yaml:30 (owner web team) expired on 2024-03-31 and no longer counts: renew it with a new date or fix the dependency',
        '    fix      find its license (its repository, its LICENSE file) and record it in policy.yaml:',
        '             curations:',
        '               - purl: "pkg:npm/civic-forms"',
        '                 versions: "0.4.1"',
        '                 license: "<its SPDX expression, e.g. MIT>"',
        '                 reason: "<where the license is stated>"',
        '             or replace it; or waive it by adding:',
        '             waivers:',
        '               - purl: "pkg:npm/civic-forms"',
        '                 versions: "0.4.1"',
        '                 reason: "<why this is acceptable>"',
        '                 owner: "<your team or e-mail>"',
        '                 expires: 2024-07-30',
        '',
        '✖ pkg:npm/geo-calc@1.3.0  GPL-3.0-only  (strong-copyleft)',
        '    rule     GPL-3.0-only is denied by policy.yaml:7 (licenses.deny: strong-copyleft)',
        '    evidence license "GPL-3.0" in lockfile package-lock.json (corrected to GPL-3.0-only)',
        '    used by  portal:. (apps/portal/package.json:9, runtime): city-portal@1.0.0 > map-widgets@2.0.0 > geo-calc@1.3.0',
        '    fix      remove or replace it; or waive it by adding to policy.yaml:',
        '             waivers:',
        '               - purl: "pkg:npm/geo-calc"',
        '                 versions: "1.3.0"',
        '                 license: "GPL-3.0-only"',
        '                 reason: "<why this is acceptable>"',
        '                 owner: "<your team or e-mail>"',
        '                 expires: 2024-07-30',
        '',
        '⚠ pkg:npm/%40city/charts@2.1.0  LGPL-2.1-only  (weak-copyleft)',
        '    rule     LGPL-2.1-only is to be reviewed by policy.yaml:9 (licenses.review: weak-copyleft)',
        '    evidence license "GNU Lesser General Public License v2.1" in registry https://registry.npmjs.org/@city%2fcharts (mapped to LGPL-2.1-only by the alias table)',
        '    used by  portal:admin (apps/portal/admin/package.json:6, runtime): portal-admin@1.0.0 > @city/charts@2.1.0',
        '    fix      have its license reviewed, then allow it in policy.yaml or waive it by adding:',
        '             waivers:',
        '               - purl: "pkg:npm/%40city/charts"',
        '                 versions: "2.1.0"',
        '                 license: "LGPL-2.1-only"',
        '                 reason: "<why this is acceptable>"',
        '                 owner: "<your team or e-mail>"',
        '                 expires: 2024-07-30',
        '',
        'Waived:',
        '  pkg:npm/map-widgets@2.0.0  MIT  until 2024-12-31, policy.yaml:22 (owner ospo@city.example: kept until the map rewrite)',
        '',
        '✖ 2 errors, 1 warning in 4 components (policy policy.yaml); 1 waived',
        '',
      ].join('\n'),
    );
  });

  it('says so when clean, and colours only when asked', async () => {
    const clean = { ...sampleResult(), violations: [], waived: [] };
    expect(await CHECK_RENDERERS.text(report({ result: clean }))).toBe(
      '✔ 0 errors, 0 warnings in 4 components (policy policy.yaml)\n',
    );
    expect(await CHECK_RENDERERS.text(report({ result: clean, color: true }))).toBe(
      '\u001b[32m✔ 0 errors, 0 warnings in 4 components (policy policy.yaml)\u001b[39m\n',
    );
    const coloured = await CHECK_RENDERERS.text(report({ color: true }));
    expect(coloured.split('\n')[0]).toBe(
      '\u001b[31m✖\u001b[39m \u001b[1mpkg:npm/civic-forms@0.4.1\u001b[22m  no license',
    );
    expect(await CHECK_RENDERERS.text(report())).not.toContain('\u001b');
  });

  it('lists the violations already in the base inventory apart, and a warning alone does not fail', async () => {
    const result = { ...sampleResult(), violations: [charts], waived: [], preexisting: [geoCalc] };
    const text = await CHECK_RENDERERS.text(report({ result, base: 'main.json' }));
    expect(text.split('\n').slice(-6)).toEqual([
      '',
      'Already in the base inventory (not failing):',
      '  ✖ pkg:npm/geo-calc@1.3.0  GPL-3.0-only  (strong-copyleft)',
      '',
      '⚠ 0 errors, 1 warning in 4 components (policy policy.yaml); 1 already in the base inventory, not failing; warnings do not fail (--fail-on warning)',
      '',
    ]);
  });

  it('never prints control characters, bidirectional overrides or a 1 MB value from the inventory', async () => {
    const huge = `GPL ${'x'.repeat(1_000_000)}`;
    const hostile: Violation = {
      ...geoCalc,
      component: {
        ...geoCalc.component,
        purl: 'pkg:npm/evil@1.0.0\u001b[2J\u001b]8;;http://x\u0007',
        name: 'evil',
      },
      rule: 'denied\r\n::error::injected \u202eoverride',
      license: { ...geoCalc.license, declared: [huge, 'MIT\u009b31m'] },
      usages: [{ ...geoCalc.usages[0]!, path: ['app\nnewline@1', 'evil@1.0.0'] }],
      waiverSnippet: 'waivers:\n  - purl: "pkg:npm/evil\u001b[0m"',
    };
    const inventory = sampleInventory();
    inventory.components.push(
      component('evil', '1.0.0', { status: 'unknown', declared: [huge], reason: `why ${huge}` }, []),
    );
    for (const format of ['text', 'github', 'junit', 'sarif', 'json'] as const) {
      const out = await CHECK_RENDERERS[format](
        report({ inventory, result: { ...sampleResult(), violations: [hostile], waived: [] } }),
      );
      // eslint-disable-next-line no-control-regex
      expect(out, format).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
      expect(out.length, format).toBeLessThan(20_000);
    }
    const text = await CHECK_RENDERERS.text(
      report({ inventory, result: { ...sampleResult(), violations: [hostile], waived: [] } }),
    );
    expect(text).toContain('✖ pkg:npm/evil@1.0.0?[2J?]8;;http://x?  GPL-3.0-only  (strong-copyleft)');
    expect(text).toContain('    rule     denied??::error::injected ?override');
    expect(text).toContain(
      `license "GPL ${'x'.repeat(196)} ... (1,000,004 characters)", "MIT?31m" in lockfile`,
    );
    expect(text).toContain('): app?newline@1 > evil@1.0.0');
    expect(text).toContain('               - purl: "pkg:npm/evil?[0m"');
  });
});

describe('check sanitising', () => {
  it('cuts long values after scanning only their beginning, and escapes what JSON.stringify leaves raw', () => {
    expect(clean('a\u0000b\tc\u2066d')).toBe('a?b?c?d');
    expect(clean('abcdef', 3)).toBe('abc ... (6 characters)');
    expect(clean('\ud800x')).toBe('?x');
    expect(clean('😀')).toBe('😀');
    expect(safeJson({ s: 'a\u009bb\u202ec\u2028' })).toBe('{\n  "s": "a\\u009bb\\u202ec\\u2028"\n}\n');
    expect(JSON.parse(safeJson({ s: 'a\u009bb' }))).toEqual({ s: 'a\u009bb' });
  });
});

describe('check json format', () => {
  it('is the CheckResult', async () => {
    const json = await CHECK_RENDERERS.json(report());
    expect(JSON.parse(json)).toEqual(sampleResult());
  });
});

describe('check sarif format', () => {
  const validate = sarifValidator();

  it('validates against the SARIF 2.1.0 schema, with one result per violation and manifest location', async () => {
    const sarif = JSON.parse(await CHECK_RENDERERS.sarif(report()));
    expect(validate(sarif), JSON.stringify(validate.errors)).toBe(true);
    const run = sarif.runs[0];
    expect(run.tool.driver).toMatchObject({
      name: 'oss-inventory',
      version: '0.1.0',
      informationUri: 'https://example.org/oss-inventory',
    });
    expect(run.tool.driver.rules.map((r: { id: string }) => r.id)).toEqual([
      'license/denied',
      'license/not-allowed',
      'license/unknown',
      'license/review',
    ]);
    const summary = run.results.map(
      (r: {
        ruleId: string;
        ruleIndex: number;
        level: string;
        locations: {
          physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number } };
        }[];
      }) => [
        r.ruleId,
        r.ruleIndex,
        r.level,
        r.locations[0]!.physicalLocation.artifactLocation.uri,
        r.locations[0]!.physicalLocation.region?.startLine,
      ],
    );
    expect(summary).toEqual([
      ['license/unknown', 2, 'error', 'apps/portal/package.json', 8],
      ['license/unknown', 2, 'error', 'apps/portal/package-lock.json', undefined],
      ['license/denied', 0, 'error', 'apps/portal/package.json', 9],
      ['license/review', 3, 'warning', 'apps/portal/admin/package.json', 6],
    ]);
    const geo = run.results[2];
    expect(geo.message.text.split('\n').slice(0, 5)).toEqual([
      'denied license GPL-3.0-only: geo-calc@1.3.0',
      'pkg:npm/geo-calc@1.3.0 is under GPL-3.0-only (strong-copyleft).',
      'Rule: GPL-3.0-only is denied by policy.yaml:7 (licenses.deny: strong-copyleft)',
      'Evidence: license "GPL-3.0" in lockfile package-lock.json (corrected to GPL-3.0-only)',
      'Used by portal:. (apps/portal/package.json:9, runtime): city-portal@1.0.0 > map-widgets@2.0.0 > geo-calc@1.3.0',
    ]);
    expect(geo.properties).toMatchObject({ purl: 'pkg:npm/geo-calc@1.3.0', offending: ['GPL-3.0-only'] });
    expect(geo.baselineState).toBeUndefined();
    expect(Object.keys(geo.partialFingerprints)).toEqual(['ossInventoryLicense/v1']);
    expect(geo.partialFingerprints['ossInventoryLicense/v1']).toMatch(/^[0-9a-f]{64}$/);
  });

  it('keeps an alert fingerprint across a version bump and a moved line, and marks new and unchanged with --base', async () => {
    const bumped: Violation = {
      ...geoCalc,
      component: { ...geoCalc.component, purl: 'pkg:npm/geo-calc@1.4.0', version: '1.4.0' },
      usages: [{ ...geoCalc.usages[0]!, declaredAt: { file: 'package.json', line: 15 } }],
    };
    const fingerprintOf = async (violation: Violation) => {
      const result = { ...sampleResult(), violations: [violation] };
      const sarif = JSON.parse(await CHECK_RENDERERS.sarif(report({ result })));
      return sarif.runs[0].results[0].partialFingerprints['ossInventoryLicense/v1'] as string;
    };
    expect(await fingerprintOf(bumped)).toBe(await fingerprintOf(geoCalc));
    expect(await fingerprintOf({ ...geoCalc, offending: ['AGPL-3.0-only'] })).not.toBe(
      await fingerprintOf(geoCalc),
    );

    const result = { ...sampleResult(), violations: [charts], preexisting: [geoCalc] };
    const sarif = JSON.parse(await CHECK_RENDERERS.sarif(report({ result, base: 'main.json' })));
    expect(validate(sarif), JSON.stringify(validate.errors)).toBe(true);
    expect(
      sarif.runs[0].results.map((r: { ruleId: string; baselineState: string }) => [
        r.ruleId,
        r.baselineState,
      ]),
    ).toEqual([
      ['license/review', 'new'],
      ['license/denied', 'unchanged'],
    ]);
  });

  it('percent-encodes what a URI reference cannot hold, and points at the policy when nothing brings it in', async () => {
    const odd: Violation = {
      ...geoCalc,
      usages: [{ ...geoCalc.usages[0]!, declaredAt: { file: 'my app/#1/package.json', line: 3 } }],
    };
    const orphan: Violation = { ...charts, usages: [] };
    const result = { ...sampleResult(), violations: [odd, orphan] };
    const sarif = JSON.parse(await CHECK_RENDERERS.sarif(report({ result, subjectRoots: new Map() })));
    expect(validate(sarif), JSON.stringify(validate.errors)).toBe(true);
    expect(
      sarif.runs[0].results.map(
        (r: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) =>
          r.locations[0]!.physicalLocation.artifactLocation.uri,
      ),
    ).toEqual(['my%20app/%231/package.json', 'policy.yaml']);
  });
});

describe('check github format', () => {
  it('annotates each manifest line that brings a violation in, then prints a summary line', async () => {
    const lines = (await CHECK_RENDERERS.github(report())).trimEnd().split('\n');
    expect(lines.map((l) => l.replace(/::(?!.*::).*$/, '::<message>'))).toEqual([
      '::error file=apps/portal/package.json,line=8,title=unknown license%3A civic-forms@0.4.1::<message>',
      '::error file=apps/portal/package-lock.json,title=unknown license%3A civic-forms@0.4.1::<message>',
      '::error file=apps/portal/package.json,line=9,title=denied license GPL-3.0-only%3A geo-calc@1.3.0::<message>',
      '::warning file=apps/portal/admin/package.json,line=6,title=license to review LGPL-2.1-only%3A @city/charts@2.1.0::<message>',
      'oss-inventory check: 2 errors, 1 warning in 4 components (policy policy.yaml); 1 waived',
    ]);
    expect(lines[2]!.split('::')[2]).toBe(
      [
        'pkg:npm/geo-calc@1.3.0 is under GPL-3.0-only (strong-copyleft).',
        'Rule: GPL-3.0-only is denied by policy.yaml:7 (licenses.deny: strong-copyleft)',
        'Evidence: license "GPL-3.0" in lockfile package-lock.json (corrected to GPL-3.0-only)',
        'Used by portal:. (apps/portal/package.json:9, runtime): city-portal@1.0.0 > map-widgets@2.0.0 > geo-calc@1.3.0',
        'Fix: remove or replace it; or waive it by adding to policy.yaml:',
        'waivers:',
        '  - purl: "pkg:npm/geo-calc"',
        '    versions: "1.3.0"',
        '    license: "GPL-3.0-only"',
        '    reason: "<why this is acceptable>"',
        '    owner: "<your team or e-mail>"',
        '    expires: 2024-07-30',
      ].join('%0A'),
    );
  });

  it('fails warnings too with --fail-on warning', async () => {
    const lines = (await CHECK_RENDERERS.github(report({ failOn: 'warning' }))).split('\n');
    expect(lines[3]).toMatch(/^::error file=apps\/portal\/admin\/package.json,line=6,/);
  });

  it('escapes as the GitHub toolkit does', () => {
    expect(escapeData('50% done\r\nnext')).toBe('50%25 done%0D%0Anext');
    expect(escapeProperty('a:b,c%\n')).toBe('a%3Ab%2Cc%25%0A');
  });
});

describe('check junit format', () => {
  it('has one testsuite per project and one testcase per component in a scope the policy checks', async () => {
    const xml = await CHECK_RENDERERS.junit(report());
    const geoMessage = [
      'pkg:npm/geo-calc@1.3.0 is under GPL-3.0-only (strong-copyleft).',
      'Rule: GPL-3.0-only is denied by policy.yaml:7 (licenses.deny: strong-copyleft)',
      'Evidence: license "GPL-3.0" in lockfile package-lock.json (corrected to GPL-3.0-only)',
      'Used by portal:. (apps/portal/package.json:9, runtime): city-portal@1.0.0 &gt; map-widgets@2.0.0 &gt; geo-calc@1.3.0',
      'Fix: remove or replace it; or waive it by adding to policy.yaml:',
      'waivers:',
      '  - purl: "pkg:npm/geo-calc"',
      '    versions: "1.3.0"',
      '    license: "GPL-3.0-only"',
      '    reason: "&lt;why this is acceptable&gt;"',
      '    owner: "&lt;your team or e-mail&gt;"',
      '    expires: 2024-07-30',
    ].join('\n');
    const lines = xml.split('\n');
    expect(lines.slice(0, 6)).toEqual([
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<testsuites name="oss-inventory check" tests="5" failures="3" errors="0">',
      '  <testsuite name="portal:." tests="3" failures="2" errors="0" skipped="0">',
      '    <properties>',
      '      <property name="policy" value="policy.yaml"/>',
      '    </properties>',
    ]);
    expect(xml).toContain(
      `    <testcase classname="portal:." name="pkg:npm/geo-calc@1.3.0">\n` +
        `      <failure message="denied license GPL-3.0-only: geo-calc@1.3.0" type="denied">${geoMessage}</failure>\n` +
        `    </testcase>`,
    );
    expect(xml).toContain(
      '    <testcase classname="portal:." name="pkg:npm/map-widgets@2.0.0">\n' +
        '      <system-out>waived until 2024-12-31 by policy.yaml:22 (owner ospo@city.example)</system-out>\n' +
        '    </testcase>',
    );
    expect(xml).toContain(
      '    <testcase classname="portal:admin" name="pkg:npm/%40city/charts@2.1.0">\n' +
        '      <system-out>warning: license to review LGPL-2.1-only: @city/charts@2.1.0: LGPL-2.1-only is to be reviewed by policy.yaml:9 (licenses.review: weak-copyleft)</system-out>\n' +
        '    </testcase>',
    );
    expect(xml).not.toContain('eslint');
    const testcases = [...xml.matchAll(/<testcase classname="([^"]+)" name="([^"]+)"/g)].map(
      (m) => `${m[1]} ${m[2]}`,
    );
    expect(testcases).toEqual([
      'portal:. pkg:npm/civic-forms@0.4.1',
      'portal:. pkg:npm/geo-calc@1.3.0',
      'portal:. pkg:npm/map-widgets@2.0.0',
      'portal:admin pkg:npm/%40city/charts@2.1.0',
      'portal:admin pkg:npm/civic-forms@0.4.1',
    ]);
    expect(wellFormed(xml)).toEqual([]);
  });
});

/** Parse errors of an XML document (saxes checks well-formedness and XML 1.0 characters). */
function wellFormed(xml: string): string[] {
  const errors: string[] = [];
  const parser = new SaxesParser();
  parser.on('error', (e) => errors.push(e.message));
  parser.write(xml).close();
  return errors;
}
