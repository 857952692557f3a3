import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from './helpers/cli.js';

/**
 * `oss-inventory diff` through the real CLI on two inventories scanned offline from fixtures/diff/before/app
 * and fixtures/diff/after/app: the same npm project (town-hall) where, between the two, chart-kit was
 * upgraded from 2.4.0 (MIT) to 3.0.0 (MPL-2.0), pdf-maker 0.9.2 (AGPL-3.0-only) was added, left-pad 1.3.0
 * (WTFPL) was removed, and form-utils 1.1.0 gained the license its lockfile lacked (ISC). ms 2.1.3 did not
 * change. The diff must report exactly those changes and nothing else.
 */
const repo = path.resolve(import.meta.dirname, '..');
const CLOCK = { SOURCE_DATE_EPOCH: '1714552200' };

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'oss-inventory-diff-'));
  for (const side of ['before', 'after']) {
    const result = await runCli(
      [
        'scan',
        '--offline',
        // health is classified from registry facts, which an offline scan has none of: not what this test diffs
        '--no-health',
        `fixtures/diff/${side}/app`,
        '-f',
        'inventory-json',
        '-o',
        path.join(tmp, side),
        '-q',
      ],
      { cwd: repo, env: CLOCK },
    );
    expect(result.code, result.stderr).toBe(0);
  }
  await copyFile(path.join(repo, 'fixtures/diff/policy.yaml'), path.join(tmp, 'policy.yaml'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

function diff(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return runCli(['diff', ...args], { cwd: tmp, env: { ...CLOCK, ...env } });
}

const HEADER = [
  'previous: before/inventory.json (2024-05-01T08:30:00.000Z, oss-inventory 0.1.0: 1 project, 4 components)',
  'current:  after/inventory.json (2024-05-01T08:30:00.000Z, oss-inventory 0.1.0: 1 project, 4 components)',
  '',
];

const CHANGES = [
  'Components added (1)',
  '  + pkg:npm/pdf-maker@0.9.2  AGPL-3.0-only (network-copyleft)  runtime, direct  used by app:.',
  '',
  'Components removed (1)',
  '  - pkg:npm/left-pad@1.3.0  WTFPL (permissive)  runtime, direct  used by app:.',
  '',
  'Versions changed (1)',
  '  ↑ pkg:npm/chart-kit  2.4.0 -> 3.0.0 (upgrade)  used by app:.',
  '      license.expression  MIT -> MPL-2.0',
  '      license.category    permissive -> weak-copyleft',
  '',
  'Components changed (1)',
  '  ~ pkg:npm/form-utils@1.1.0',
  '      license.expression  (none) -> ISC',
  '      license.category    unknown -> permissive',
  '      license.status      unknown -> known',
  '',
];

describe('oss-inventory diff on the fixture before and after one change of each kind', () => {
  it('reports exactly the upgrade, the addition, the removal and the license change (text, the default)', async () => {
    const result = await diff(['before/inventory.json', 'after/inventory.json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      [
        ...HEADER,
        ...CHANGES,
        '1 component added, 1 component removed, 1 upgraded, 1 component changed',
        '',
      ].join('\n'),
    );
  });

  it('with --policy, also reports the violations that appeared and the ones resolved', async () => {
    const result = await diff(['before/inventory.json', 'after/inventory.json', '--policy', 'policy.yaml']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      [
        ...HEADER,
        ...CHANGES,
        'New violations of policy.yaml (2)',
        '  ✖ pkg:npm/pdf-maker@0.9.2  AGPL-3.0-only (network-copyleft)',
        '      AGPL-3.0-only is denied by policy.yaml:5 (licenses.deny: network-copyleft)',
        '  ⚠ pkg:npm/chart-kit@3.0.0  MPL-2.0 (weak-copyleft)',
        '      MPL-2.0 needs a review: policy.yaml:4 (licenses.review: weak-copyleft)',
        '',
        'Violations of policy.yaml resolved (1)',
        '  ✔ pkg:npm/form-utils@1.1.0  no license (unknown)',
        '      no license is declared, and policy.yaml:6 (licenses.unknown: deny) refuses unknown licenses',
        '',
        '1 component added, 1 component removed, 1 upgraded, 1 component changed, 2 new violations, 1 violation resolved',
        '',
      ].join('\n'),
    );
  });

  it('as Markdown, one table per kind of change', async () => {
    const result = await diff([
      'before/inventory.json',
      'after/inventory.json',
      '--format',
      'markdown',
      '--policy',
      'policy.yaml',
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(
      [
        '## Inventory changes',
        '',
        '- previous: `before/inventory.json` (2024-05-01T08:30:00.000Z, oss-inventory 0.1.0: 1 project, 4 components)',
        '- current: `after/inventory.json` (2024-05-01T08:30:00.000Z, oss-inventory 0.1.0: 1 project, 4 components)',
        '',
        '**1 component added, 1 component removed, 1 upgraded, 1 component changed, 2 new violations, 1 violation resolved**',
        '',
        '### Components added (1)',
        '',
        '| Component | License | Scopes | Used by |',
        '| --- | --- | --- | --- |',
        '| `pkg:npm/pdf-maker@0.9.2` | `AGPL-3.0-only` (network-copyleft) | runtime, direct | `app:.` |',
        '',
        '### Components removed (1)',
        '',
        '| Component | License | Scopes | Used by |',
        '| --- | --- | --- | --- |',
        '| `pkg:npm/left-pad@1.3.0` | `WTFPL` (permissive) | runtime, direct | `app:.` |',
        '',
        '### Versions changed (1)',
        '',
        '| Package | Previous | Current | Change | Other changes | Used by |',
        '| --- | --- | --- | --- | --- | --- |',
        '| `pkg:npm/chart-kit` | `2.4.0` | `3.0.0` | upgrade | license.expression: `MIT → MPL-2.0`<br>license.category: `permissive → weak-copyleft` | `app:.` |',
        '',
        '### Components changed (1)',
        '',
        '| Component | Changes |',
        '| --- | --- |',
        '| `pkg:npm/form-utils@1.1.0` | license.expression: `(none) → ISC`<br>license.category: `unknown → permissive`<br>license.status: `unknown → known` |',
        '',
        '### New violations of `policy.yaml` (2)',
        '',
        '| Severity | Component | License | Rule |',
        '| --- | --- | --- | --- |',
        '| error | `pkg:npm/pdf-maker@0.9.2` | `AGPL-3.0-only` (network-copyleft) | AGPL-3.0-only is denied by policy.yaml:5 (licenses.deny: network-copyleft) |',
        '| warning | `pkg:npm/chart-kit@3.0.0` | `MPL-2.0` (weak-copyleft) | MPL-2.0 needs a review: policy.yaml:4 (licenses.review: weak-copyleft) |',
        '',
        '### Violations of `policy.yaml` resolved (1)',
        '',
        '| Severity | Component | License | Rule |',
        '| --- | --- | --- | --- |',
        '| error | `pkg:npm/form-utils@1.1.0` | no license (unknown) | no license is declared, and policy.yaml:6 (licenses.unknown: deny) refuses unknown licenses |',
        '',
      ].join('\n'),
    );
  });

  it('as JSON, the whole diff with both files named', async () => {
    const out = path.join(tmp, 'diff.json');
    const result = await diff(['before/inventory.json', 'after/inventory.json', '-f', 'json', '-o', out]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`wrote ${out}\n`);
    const ref = (name: string, version: string, license: string, category: string) => ({
      purl: `pkg:npm/${name}@${version}`,
      ecosystem: 'npm',
      name,
      version,
      license,
      category,
      licenseStatus: 'known',
      direct: true,
      scopes: ['runtime'],
      projects: ['app:.'],
    });
    const side = (file: string) => ({
      file,
      generatedAt: '2024-05-01T08:30:00.000Z',
      tool: { name: 'oss-inventory', version: '0.1.0' },
      projects: 1,
      components: 4,
    });
    expect(JSON.parse(await readFile(out, 'utf8'))).toEqual({
      previous: side('before/inventory.json'),
      current: side('after/inventory.json'),
      projects: { added: [], removed: [], changed: [] },
      components: {
        added: [ref('pdf-maker', '0.9.2', 'AGPL-3.0-only', 'network-copyleft')],
        removed: [ref('left-pad', '1.3.0', 'WTFPL', 'permissive')],
        versionChanges: [
          {
            previous: ref('chart-kit', '2.4.0', 'MIT', 'permissive'),
            current: ref('chart-kit', '3.0.0', 'MPL-2.0', 'weak-copyleft'),
            direction: 'upgrade',
            changes: [
              { field: 'license.expression', before: 'MIT', after: 'MPL-2.0' },
              { field: 'license.category', before: 'permissive', after: 'weak-copyleft' },
            ],
          },
        ],
        changed: [
          {
            component: ref('form-utils', '1.1.0', 'ISC', 'permissive'),
            changes: [
              { field: 'license.expression', after: 'ISC' },
              { field: 'license.category', before: 'unknown', after: 'permissive' },
              { field: 'license.status', before: 'unknown', after: 'known' },
            ],
          },
        ],
      },
    });
  });

  it('the other way round: the upgrade is a downgrade, additions and removals swap', async () => {
    const result = await diff(['after/inventory.json', 'before/inventory.json']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(
      [
        'previous: after/inventory.json (2024-05-01T08:30:00.000Z, oss-inventory 0.1.0: 1 project, 4 components)',
        'current:  before/inventory.json (2024-05-01T08:30:00.000Z, oss-inventory 0.1.0: 1 project, 4 components)',
        '',
        'Components added (1)',
        '  + pkg:npm/left-pad@1.3.0  WTFPL (permissive)  runtime, direct  used by app:.',
        '',
        'Components removed (1)',
        '  - pkg:npm/pdf-maker@0.9.2  AGPL-3.0-only (network-copyleft)  runtime, direct  used by app:.',
        '',
        'Versions changed (1)',
        '  ↓ pkg:npm/chart-kit  3.0.0 -> 2.4.0 (downgrade)  used by app:.',
        '      license.expression  MPL-2.0 -> MIT',
        '      license.category    weak-copyleft -> permissive',
        '',
        'Components changed (1)',
        '  ~ pkg:npm/form-utils@1.1.0',
        '      license.expression  ISC -> (none)',
        '      license.category    permissive -> unknown',
        '      license.status      known -> unknown',
        '',
        '1 component added, 1 component removed, 1 downgraded, 1 component changed',
        '',
      ].join('\n'),
    );
  });

  it('an inventory against itself: no differences; --exit-code exits 1 only when they differ', async () => {
    const same = await diff([
      'after/inventory.json',
      'after/inventory.json',
      '--exit-code',
      '--policy',
      'policy.yaml',
    ]);
    expect(same.code, same.stderr).toBe(0);
    expect(same.stdout).toBe(
      [
        'previous: after/inventory.json (2024-05-01T08:30:00.000Z, oss-inventory 0.1.0: 1 project, 4 components)',
        'current:  after/inventory.json (2024-05-01T08:30:00.000Z, oss-inventory 0.1.0: 1 project, 4 components)',
        '',
        'no differences',
        '',
      ].join('\n'),
    );
    const different = await diff(['before/inventory.json', 'after/inventory.json', '--exit-code', '-q']);
    expect(different.code).toBe(1);
    expect(different.stderr).toBe('');
  });

  it('writes byte-identical reports on every run', async () => {
    const args = ['before/inventory.json', 'after/inventory.json', '--policy', 'policy.yaml'];
    for (const format of ['text', 'markdown', 'json']) {
      const first = await diff([...args, '-f', format]);
      const second = await diff([...args, '-f', format]);
      expect(second.stdout).toBe(first.stdout);
    }
  });
});

describe('oss-inventory diff usage errors (exit 2)', () => {
  it('a missing file, a file that is not an inventory, an invalid policy, an unknown format', async () => {
    const missing = await diff(['before/inventory.json', 'nowhere.json']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^error: nowhere\.json: not a readable JSON file: ENOENT/);

    await writeFile(path.join(tmp, 'other.json'), '{"hello": "world"}');
    const other = await diff(['before/inventory.json', 'other.json']);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/^error: other\.json is not an inventory \(inventory\.schema\.json\): /);

    await writeFile(path.join(tmp, 'bad-policy.yaml'), 'licenses:\n  deny: [strong-copyleft\n');
    const policy = await diff([
      'before/inventory.json',
      'after/inventory.json',
      '--policy',
      'bad-policy.yaml',
    ]);
    expect(policy.code).toBe(2);
    expect(policy.stderr).toMatch(/^error: invalid policy \(1 error\):\n {2}bad-policy\.yaml:\d+:\d+: /);
    expect(policy.stdout).toBe('');

    const format = await diff(['before/inventory.json', 'after/inventory.json', '-f', 'html']);
    expect(format.code).toBe(2);
    expect(format.stderr).toContain("argument 'html' is invalid. Allowed choices are text, markdown, json.");
  });
});
