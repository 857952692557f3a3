import { diffInventories } from '../src/core/diff.js';
import { describe, expect, it } from 'vitest';
import type { Component, Inventory } from '../src/core/model.js';
import { evaluatePolicy } from '../src/core/policy.js';
import type { CheckResult } from '../src/core/policy-model.js';
import { MARKDOWN_LIMITS, code, renderMarkdown, text } from '../src/reporters/markdown.js';
import { healthInventory } from './helpers/health-inventory.js';
import { CATEGORIES } from './helpers/policy-inventory.js';
import { sampleInventory } from './helpers/sample-inventory.js';

function sampleCheck(inventory: Inventory): CheckResult {
  return evaluatePolicy(
    inventory,
    {
      file: 'policy.yaml',
      licenses: { allow: ['permissive'], unknown: 'deny' },
      curations: [],
      waivers: [],
    },
    { now: new Date('2024-05-02T00:00:00Z'), categories: CATEGORIES },
  );
}

/** The sample a month earlier: pako one version lower under MIT, no xlsx, typescript under MIT, left-pad-old. */
function previousSample(): Inventory {
  const previous = sampleInventory();
  previous.generatedAt = '2024-04-01T08:30:00.000Z';
  const pako = previous.components.find((c) => c.name === 'pako')!;
  Object.assign(pako, {
    version: '1.0.10',
    purl: 'pkg:npm/pako@1.0.10',
    license: { ...pako.license, expression: 'MIT', declared: ['MIT'] },
  });
  previous.components = previous.components.filter((c) => c.name !== 'xlsx');
  const typescript = previous.components.find((c) => c.name === 'typescript')!;
  typescript.license = { ...typescript.license, expression: 'MIT', declared: ['MIT'] };
  previous.components.push({
    ...typescript,
    purl: 'pkg:npm/left-pad-old@1.0.0',
    name: 'left-pad-old',
    version: '1.0.0',
  });
  return previous;
}

describe('renderMarkdown', () => {
  it('summarises the sample inventory, with the policy violations and the changes since last month', () => {
    const inventory = sampleInventory();
    const markdown = renderMarkdown(inventory, {
      check: sampleCheck(inventory),
      changes: diffInventories(previousSample(), inventory),
    });
    expect(markdown).toBe(`# Open source inventory of \`acme\`

Generated on 2024-05-01 at 08:30 UTC by \`oss-inventory 0.1.0\`.

## Summary

|  | Count |
| --- | --: |
| Projects | 3 |
| Components | 8 (npm 8) |
| Direct / transitive | 7 / 1 |
| By scope | runtime 6, optional 1, dev 2 |
| Licenses known / unknown | 6 / 2 |
| Policy violations | 3 errors, 0 warnings (policy \`policy.yaml\`) |
| Problems | 1 error, 1 warning, 0 notes |

## Licenses

| Category | Components | Share |
| --- | --: | --: |
| \`permissive\` | 6 | 75.0% |
| \`unknown\` | 2 | 25.0% |

| License | Components | Share |
| --- | --: | --: |
| \`Apache-2.0\` | 2 | 25.0% |
| \`MIT\` | 2 | 25.0% |
| \`(MIT AND Zlib)\` | 1 | 12.5% |
| \`(MIT OR GPL-3.0-or-later)\` | 1 | 12.5% |
| \`LicenseRef-unmapped-SEE-LICENSE-IN-LICENSE\` | 1 | 12.5% |

## Unknown licenses

2 components without a license that maps to SPDX, by what they declare:

| Declared | Components | Example | Evidence |
| --- | --: | --- | --- |
| nothing declared | 1 | \`express@^4.19.2\` | not locked: no lockfile records its license |
| \`SEE LICENSE IN LICENSE\` | 1 | \`left-pad@1.3.0\` | \`node_modules/left-pad/package.json\`: the license is in its LICENSE file, which was not read |

## Top exposures

The packages the most projects use (all versions together):

| Package | Projects | Versions | Licenses |
| --- | --: | --- | --- |
| \`@babel/runtime\` | 2 | \`7.24.0\` | \`MIT\` |
| \`express\` | 1 | \`^4.19.2\` | no license |
| \`fsevents\` | 1 | \`2.3.3\` | \`MIT\` |
| \`jszip\` | 1 | \`3.10.1\` | \`(MIT OR GPL-3.0-or-later)\` |
| \`left-pad\` | 1 | \`1.3.0\` | \`LicenseRef-unmapped-SEE-LICENSE-IN-LICENSE\` |
| \`pako\` | 1 | \`1.0.11\` | \`(MIT AND Zlib)\` |
| \`typescript\` | 1 | \`5.4.5\` | \`Apache-2.0\` |
| \`xlsx\` | 1 | \`0.20.2\` | \`Apache-2.0\` |

## Policy violations

Against the policy \`policy.yaml\`: 3 errors, 0 warnings.

| Severity | Component | License | Rule | Projects |
| --- | --- | --- | --- | --- |
| error | \`express@^4.19.2\` | no license | no license is declared, and policy.yaml (licenses.unknown: deny) refuses unknown licenses | \`acme:tools/legacy\` |
| error | \`left-pad@1.3.0\` | \`LicenseRef-unmapped-SEE-LICENSE-IN-LICENSE\` (unknown) | LicenseRef-unmapped-SEE-LICENSE-IN-LICENSE is an unknown license, and policy.yaml (licenses.unknown: deny) refuses unknown licenses | \`acme:packages/web\` |
| error | \`pako@1.0.11\` | \`(MIT AND Zlib)\` (permissive) | Zlib has no known category, and policy.yaml (licenses.unknown: deny) refuses unknown licenses | \`acme:packages/web\` |

## Changes since the previous inventory

The previous inventory was generated on 2024-04-01 at 08:30 UTC: 1 component added, 1 component removed, 1 upgraded, 1 component changed.

| Change | Package | Before | After |
| --- | --- | --- | --- |
| upgrade | \`pako\` | \`1.0.10\`, \`MIT\` | \`1.0.11\`, \`(MIT AND Zlib)\` |
| added | \`xlsx\` |  | \`0.20.2\`, \`Apache-2.0\` |
| removed | \`left-pad-old\` | \`1.0.0\`, \`MIT\` |  |
| license expression | \`typescript@5.4.5\` | \`MIT\` | \`Apache-2.0\` |

## Problems

| Code | Severity | Count | Example |
| --- | --- | --: | --- |
| \`npm.package-json.invalid-json\` | error | 1 | packages/broken/package.json:3:5: expected ',' or '}' after a property value |
| \`npm.package-lock.unresolved\` | warning | 1 | package-lock.json: 1 declared dependency has no entry in the lockfile (\`@acme/missing\`); run npm install |
`);
  });

  it('leaves out the policy and change sections without a policy or a previous inventory', () => {
    const markdown = renderMarkdown(sampleInventory());
    expect(markdown.match(/^## .*$/gm)).toEqual([
      '## Summary',
      '## Licenses',
      '## Unknown licenses',
      '## Top exposures',
      '## Problems',
    ]);
    expect(markdown).not.toContain('Policy violations');
  });

  it('says so when nothing breaks the policy, and lists project license conflicts', () => {
    const inventory = sampleInventory();
    inventory.projects[0]!.license!.conflict = 'declared "Apache-2.0" but LICENSE is MIT (0.98)';
    const check: CheckResult = { ...sampleCheck(inventory), violations: [], components: 8 };
    const markdown = renderMarkdown(inventory, { check });
    expect(markdown).toContain(
      '## Policy violations\n\nNo violation: the 8 components checked pass the policy `policy.yaml`.\n',
    );
    expect(markdown).toContain(`## License conflicts of projects

1 project declares a license that its license file contradicts:

| Project | Concluded | Conflict |
| --- | --- | --- |
| \`acme:.\` | \`Apache-2.0\` | declared "Apache-2.0" but LICENSE is MIT (0.98) |
`);
  });

  it('shows the top of each list and says how many more there are', () => {
    const inventory = sampleInventory();
    const template = inventory.components[3]!;
    inventory.components = Array.from({ length: 30 }, (_, i): Component => ({
      ...template,
      purl: `pkg:npm/pkg-${String(i).padStart(2, '0')}@1.0.0`,
      name: `pkg-${String(i).padStart(2, '0')}`,
      version: '1.0.0',
      license: {
        status: 'known',
        declared: [`X-${i}`],
        expression: `LicenseRef-x-${i}`,
        category: 'unknown',
      },
    }));
    const markdown = renderMarkdown(inventory);
    const licenseRows = markdown.match(/^\| `LicenseRef-x-\d+` \| 1 \| 3\.3% \|$/gm);
    expect(licenseRows).toHaveLength(MARKDOWN_LIMITS.licenses);
    expect(markdown).toContain('\nAnd 20 more licenses: see the inventory.\n');
    const exposureRows = markdown.match(/^\| `pkg-\d\d` \| 1 \|/gm);
    expect(exposureRows).toHaveLength(MARKDOWN_LIMITS.exposures);
  });

  it('groups unknown licenses by what is declared and counts the components left out', () => {
    const inventory = sampleInventory();
    const template = inventory.components[1]!;
    inventory.components = Array.from({ length: 12 }, (_, i): Component => ({
      ...template,
      purl: `pkg:npm/u-${String(i).padStart(2, '0')}@1.0.0`,
      name: `u-${String(i).padStart(2, '0')}`,
      version: '1.0.0',
      license: { status: 'unknown', declared: [i < 2 ? 'BSD' : `Custom ${i}`], reason: 'no table maps it' },
    }));
    const markdown = renderMarkdown(inventory);
    expect(markdown).toContain('| `BSD` | 2 | `u-00@1.0.0` | no table maps it |');
    expect(markdown).toContain('\nAnd 1 more declared value (1 component): see the inventory.\n');
  });
});

describe('renderMarkdown: maintainer health and plan B', () => {
  it('counts the components per class and lists those that need a plan B, highest priority first', () => {
    const markdown = renderMarkdown(healthInventory());
    expect(markdown.match(/^## .*$/gm)).toEqual([
      '## Summary',
      '## Licenses',
      '## Unknown licenses',
      '## Top exposures',
      '## Maintainer health and plan B',
      '## Problems',
    ]);
    expect(markdown).toContain(`## Maintainer health and plan B

| Health | Components | Share |
| --- | --: | --: |
| \`EOL\` | 2 | 25.0% |
| \`ABANDONED\` | 1 | 12.5% |
| \`AT_RISK\` | 1 | 12.5% |
| \`UNKNOWN\` | 1 | 12.5% |
| \`MAINTAINED\` | 1 | 12.5% |
| \`HEALTHY\` | 2 | 25.0% |

4 components need a plan B (EOL, ABANDONED or AT_RISK), the highest priority first; 3 of them have an option of confidence curated or better:

| Component | Health | Priority | Reasons | Projects | First way out |
| --- | --- | --: | --- | --- | --- |
| \`left-pad@1.3.0\` | \`EOL\` | 28 | \`deprecated\` | \`acme:packages/web\` | native \`String.prototype.padStart\` (curated) |
| \`xlsx@0.20.2\` | \`ABANDONED\` | 21 | \`no-release\`, \`no-commit\` | \`acme:packages/web\` | alternative \`pkg:npm/exceljs\` (curated, license \`MIT\`, flagged \`target-unhealthy\`) |
| \`pako@1.0.11\` | \`EOL\` | 20 | \`latest-deprecated\` | \`acme:packages/web\` | successor \`pkg:npm/fflate\` (authoritative, license \`MIT\`) |
| \`express@^4.19.2\` | \`AT_RISK\` | 14 | \`stale-release\`, \`single-committer\` | \`acme:tools/legacy\` | none found |

## Problems
`);
  });

  it('says how many components were not assessed, and when none needs a plan B', () => {
    const inventory = healthInventory();
    inventory.components = inventory.components.filter(
      (c) => !['left-pad', 'xlsx', 'pako', 'express'].includes(c.name),
    );
    delete inventory.components[0]!.health;
    delete inventory.components[0]!.planB;
    const markdown = renderMarkdown(inventory);
    expect(markdown).toContain(`| \`HEALTHY\` | 1 | 33.3% |

1 component was not assessed.

No component needs a plan B: none is EOL, ABANDONED or AT_RISK.
`);
  });

  it('shows the first 50 components that need a plan B and says how many more there are', () => {
    const inventory = healthInventory();
    const template = inventory.components.find((c) => c.name === 'xlsx')!;
    inventory.components = Array.from({ length: 60 }, (_, i): Component => ({
      ...template,
      purl: `pkg:npm/dying-${String(i).padStart(2, '0')}@1.0.0`,
      name: `dying-${String(i).padStart(2, '0')}`,
      version: '1.0.0',
      health: { ...template.health!, priority: i },
    }));
    const markdown = renderMarkdown(inventory);
    const rows = markdown.match(/^\| `dying-\d\d@1\.0\.0` \| `ABANDONED` \| (\d+) \|/gm)!;
    expect(rows).toHaveLength(MARKDOWN_LIMITS.planB);
    expect(rows[0]).toContain('`dying-59@1.0.0`');
    expect(rows.at(-1)).toContain('`dying-10@1.0.0`');
    expect(markdown).toContain('\nAnd 10 more components: see the inventory.\n');
  });
});

describe('Markdown escaping of hostile values', () => {
  it('writes identifiers as code spans that nothing inside can close', () => {
    expect(code('lodash')).toBe('`lodash`');
    expect(code('a`b')).toBe('``a`b``');
    expect(code('`x``')).toBe('``` `x`` ```');
    expect(code('a|b')).toBe('`a\\|b`');
    expect(code('a|b', false)).toBe('`a|b`');
    expect(code('line\nbreak\u001b[31m')).toBe('`line?break?[31m`');
    expect(code('x'.repeat(130))).toBe(`\`${'x'.repeat(120)} ... (130 characters)\``);
  });

  it('escapes free text, and keeps @names and #numbers from notifying or linking', () => {
    expect(text('see *this* [link](javascript:alert(1)) <img src=x> & $x$ ~~y~~ a|b \\')).toBe(
      'see \\*this\\* \\[link\\](javascript:alert(1)) \\<img src=x\\> \\& \\$x\\$ \\~\\~y\\~\\~ a\\|b \\\\',
    );
    expect(text('no entry for @acme/missing, see #12 and user@example.com or a#3')).toBe(
      'no entry for `@acme/missing`, see `#12` and user@example.com or a#3',
    );
    expect(text('two\nlines\u202e')).toBe('two?lines?');
  });

  it('renders a hostile component in every table without breaking the table', () => {
    const inventory = sampleInventory();
    const evil = inventory.components[1]!;
    evil.name = 'x|y`z\n<script>@owner';
    evil.version = '1.0.0 | *bold*';
    evil.license = {
      status: 'unknown',
      declared: ['[MIT](https://evil.example/)|'],
      reason: 'a <b> reason @someone #7',
    };
    const markdown = renderMarkdown(inventory);
    expect(markdown).toContain(
      '| `[MIT](https://evil.example/)\\|` | 1 | ``x\\|y`z?<script>@owner@1.0.0 \\| *bold*`` | a \\<b\\> reason `@someone` `#7` |',
    );
    const tables = cellCounts(markdown);
    expect(tables).toHaveLength(6);
    expect(tables.every((counts) => counts.every((n) => n === counts[0]))).toBe(true);
  });

  it('renders hostile health reasons and plan-B options without breaking the table', () => {
    const inventory = healthInventory();
    const leftPad = inventory.components.find((c) => c.name === 'left-pad')!;
    leftPad.health!.reasons = [{ code: 'x|y`z', message: 'm' }];
    leftPad.planB!.options = [
      {
        kind: 'maintained-fork',
        label: '<img src=x onerror=alert(1)> | @owner',
        confidence: 'inferred',
        source: 'GitHub forks',
        evidence: 'javascript:alert(1)',
        targetLicense: 'MIT|`x`',
        flags: ['*bold*'],
      },
    ];
    const markdown = renderMarkdown(inventory);
    expect(markdown).toContain(
      '| `left-pad@1.3.0` | `EOL` | 28 | ``x\\|y`z`` | `acme:packages/web` | maintained-fork ' +
        '`<img src=x onerror=alert(1)> \\| @owner` (inferred, license `` MIT\\|`x` ``, flagged `*bold*`) |',
    );
    expect(markdown).not.toContain('javascript:');
    const tables = cellCounts(markdown);
    expect(tables).toHaveLength(8);
    expect(tables.every((counts) => counts.every((n) => n === counts[0]))).toBe(true);
  });
});

/** For each table, the number of cells of each of its rows (a `|` escaped as `\\|` separates nothing). */
function cellCounts(markdown: string): number[][] {
  const tables: number[][] = [];
  let current: number[] | undefined;
  for (const line of markdown.split('\n')) {
    if (!line.startsWith('| ')) {
      current = undefined;
      continue;
    }
    if (!current) tables.push((current = []));
    current.push(line.replace(/\\\|/g, '').split('|').length);
  }
  return tables;
}
