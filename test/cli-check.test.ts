import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from './helpers/cli.js';

/**
 * `oss-inventory check` through the real CLI on fixtures/check/app: a package-lock v3 whose lockfile carries
 * the licenses (GPL-3.0 reached through map-widgets, none for civic-forms, MIT for ms and map-widgets,
 * LGPL-2.1 for the dev dependency doc-pdf-builder), with the strict example policy of examples/policy.yaml.
 * The clock is fixed (SOURCE_DATE_EPOCH: 2024-05-01T08:30:00Z), so waiver snippets expire on 2024-07-30.
 */
const repo = path.resolve(import.meta.dirname, '..');
const APP = 'fixtures/check/app';
const APP_BASE = 'fixtures/check/app-base';
const POLICY = 'examples/policy.yaml';
const CLOCK = { SOURCE_DATE_EPOCH: '1714552200' };

let tmp: string;
beforeEach(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'oss-inventory-check-'));
});
afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

function check(args: string[], cwd = repo, env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return runCli(['check', '--offline', ...args], { cwd, env: { ...CLOCK, ...env } });
}

async function scanTo(fixture: string, out: string): Promise<string> {
  const result = await runCli(
    ['scan', '--offline', fixture, '--format', 'inventory-json', '--out', out, '-q'],
    {
      cwd: repo,
      env: CLOCK,
    },
  );
  expect(result.code, result.stderr).toBe(0);
  return path.join(out, 'inventory.json');
}

/** The block of the text report that starts with `✖ <purl>`, up to the blank line after it. */
function block(text: string, purl: string): string[] {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`✖ ${purl} `) || l.startsWith(`⚠ ${purl} `));
  if (start < 0) return [];
  const end = lines.indexOf('', start);
  return lines.slice(start, end);
}

/** The YAML under the `fix` entry of a block, as a developer would copy it: without the report's indentation. */
function pasted(lines: string[], key: 'waivers:' | 'curations:'): string[] {
  const start = lines.findIndex((l) => l.trim() === key);
  const yaml: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (!line.startsWith('               ')) break;
    yaml.push(line.slice(13));
  }
  return yaml;
}

const GEO_CALC_BLOCK = [
  '✖ pkg:npm/geo-calc@1.3.0  GPL-3.0-only  (strong-copyleft)',
  '    rule     GPL-3.0-only is denied by examples/policy.yaml:24 (licenses.deny: strong-copyleft)',
  '    evidence license "GPL-3.0" in lockfile package-lock.json (corrected to GPL-3.0-only)',
  '    used by  app:. (fixtures/check/app/package.json:9, runtime): city-portal@1.0.0 > map-widgets@2.0.0 > geo-calc@1.3.0',
  '    fix      remove or replace it; or waive it by adding to examples/policy.yaml:',
  '             waivers:',
  '               - purl: "pkg:npm/geo-calc"',
  '                 versions: "1.3.0"',
  '                 license: "GPL-3.0-only"',
  '                 reason: "<why this is acceptable>"',
  '                 owner: "<your team or e-mail>"',
  '                 expires: 2024-07-30',
];

describe('oss-inventory check, text', () => {
  it('exits 1 and tells, for each violation, the component, license, evidence, manifest line, rule and fix', async () => {
    const result = await check([APP, '--policy', POLICY]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    expect(block(result.stdout, 'pkg:npm/geo-calc@1.3.0')).toEqual(GEO_CALC_BLOCK);
    const civic = block(result.stdout, 'pkg:npm/civic-forms@0.4.1');
    expect(civic.slice(0, 2)).toEqual([
      '✖ pkg:npm/civic-forms@0.4.1  no license  (unknown)',
      '    rule     no license is declared, and examples/policy.yaml:27 (licenses.unknown: deny) refuses unknown licenses',
    ]);
    expect(civic[2]).toMatch(/^ {4}evidence no license declared: /);
    expect(civic.slice(3, 10)).toEqual([
      '    used by  app:. (fixtures/check/app/package.json:8, runtime): city-portal@1.0.0 > civic-forms@0.4.1',
      '    fix      find its license (its repository, its LICENSE file) and record it in examples/policy.yaml:',
      '             curations:',
      '               - purl: "pkg:npm/civic-forms"',
      '                 versions: "0.4.1"',
      '                 license: "<its SPDX expression, e.g. MIT>"',
      '                 reason: "<where the license is stated>"',
    ]);
    const headers = result.stdout.split('\n').filter((l) => /^[✖⚠✔] /.test(l));
    expect(headers).toEqual([
      '✖ pkg:npm/civic-forms@0.4.1  no license  (unknown)',
      '✖ pkg:npm/geo-calc@1.3.0  GPL-3.0-only  (strong-copyleft)',
      '✖ 2 errors, 0 warnings in 5 components (policy examples/policy.yaml)',
    ]);
  });

  it('takes the pasted waiver and curation snippets: the violations go away', async () => {
    const first = await check([APP, '--policy', POLICY]);
    const policy = (await readFile(path.join(repo, POLICY), 'utf8')).trimEnd().split('\n');
    // The example policy ends with its waivers: list; the curation goes under curations:.
    const waiver = pasted(block(first.stdout, 'pkg:npm/geo-calc@1.3.0'), 'waivers:');
    expect(waiver[0]).toBe('  - purl: "pkg:npm/geo-calc"');
    policy.push(...waiver);
    await writeFile(path.join(tmp, 'policy.yaml'), `${policy.join('\n')}\n`);

    const waived = await check([path.join(repo, APP), '--policy', 'policy.yaml'], tmp);
    expect(waived.code).toBe(1);
    expect(block(waived.stdout, 'pkg:npm/geo-calc@1.3.0')).toEqual([]);
    expect(waived.stdout).toContain(
      'Waived:\n  pkg:npm/geo-calc@1.3.0  GPL-3.0-only  until 2024-07-30, policy.yaml:57' +
        ' (owner <your team or e-mail>: <why this is acceptable>)\n',
    );

    const curation = pasted(block(first.stdout, 'pkg:npm/civic-forms@0.4.1'), 'curations:').map((l) =>
      l
        .replace('<its SPDX expression, e.g. MIT>', 'MIT')
        .replace('<where the license is stated>', 'its README'),
    );
    policy.splice(policy.indexOf('curations:') + 1, 0, ...curation);
    await writeFile(path.join(tmp, 'policy.yaml'), `${policy.join('\n')}\n`);
    const clean = await check([path.join(repo, APP), '--policy', 'policy.yaml'], tmp);
    expect(clean.stdout.split('\n').slice(-2)).toEqual([
      '✔ 0 errors, 0 warnings in 5 components (policy policy.yaml); 1 waived',
      '',
    ]);
    expect(clean.code).toBe(0);
  });

  it('counts warnings only with --fail-on warning', async () => {
    await writeFile(
      path.join(tmp, 'policy.yaml'),
      'licenses:\n  review: [weak-copyleft, strong-copyleft]\n  unknown: allow\n',
    );
    const lenient = await check([path.join(repo, APP)], tmp);
    expect(lenient.stdout.split('\n').filter((l) => /^[✖⚠✔] /.test(l))).toEqual([
      '⚠ pkg:npm/doc-pdf-builder@3.2.0  LGPL-2.1-only  (weak-copyleft)',
      '⚠ pkg:npm/geo-calc@1.3.0  GPL-3.0-only  (strong-copyleft)',
      '⚠ 0 errors, 2 warnings in 5 components (policy policy.yaml); warnings do not fail (--fail-on warning)',
    ]);
    expect(lenient.code).toBe(0);
    const strict = await check([path.join(repo, APP), '--fail-on', 'warning'], tmp);
    expect(strict.code).toBe(1);
    expect(strict.stdout.split('\n').at(-2)).toBe(
      '✖ 0 errors, 2 warnings in 5 components (policy policy.yaml)',
    );
  });

  it('reads the policy: section of .oss-inventory.yaml, else policy.yaml of the working folder', async () => {
    await writeFile(
      path.join(tmp, '.oss-inventory.yaml'),
      'policy:\n  licenses:\n    allow: [permissive, weak-copyleft]\n    unknown: allow\n',
    );
    const fromConfig = await check([path.join(repo, APP)], tmp);
    expect(fromConfig.code).toBe(1);
    expect(block(fromConfig.stdout, 'pkg:npm/geo-calc@1.3.0')[1]).toMatch(
      /^ {4}rule {5}GPL-3\.0-only is not allowed by \.oss-inventory\.yaml:3: licenses\.allow lists neither it nor its category strong-copyleft$/,
    );

    await rm(path.join(tmp, '.oss-inventory.yaml'));
    await writeFile(path.join(tmp, 'policy.yaml'), 'licenses:\n  deny: [strong-copyleft]\n');
    const fromFile = await check([path.join(repo, APP)], tmp);
    expect(fromFile.code).toBe(1);
    expect(block(fromFile.stdout, 'pkg:npm/geo-calc@1.3.0')[1]).toBe(
      '    rule     GPL-3.0-only is denied by policy.yaml:2 (licenses.deny: strong-copyleft)',
    );
  });

  it('never echoes a 1 MB license string or control characters from a lockfile', async () => {
    const project = path.join(tmp, 'hostile');
    await mkdir(project);
    const huge = `\u001b[2J\u001b]0;owned\u0007${'GPL '.repeat(250_000)}`;
    await writeFile(
      path.join(project, 'package.json'),
      JSON.stringify({ name: 'hostile', version: '1.0.0', dependencies: { evil: '1.0.0' } }, null, 2),
    );
    await writeFile(
      path.join(project, 'package-lock.json'),
      JSON.stringify(
        {
          name: 'hostile',
          version: '1.0.0',
          lockfileVersion: 3,
          requires: true,
          packages: {
            '': { name: 'hostile', version: '1.0.0', dependencies: { evil: '1.0.0' } },
            'node_modules/evil': {
              version: '1.0.0',
              resolved: 'https://registry.npmjs.org/evil/-/evil-1.0.0.tgz',
              license: huge,
            },
          },
        },
        null,
        2,
      ),
    );
    for (const format of ['text', 'github', 'sarif', 'junit', 'json']) {
      const result = await check([project, '--policy', path.join(repo, POLICY), '--format', format], tmp);
      expect(result.code, format).toBe(1);
      // eslint-disable-next-line no-control-regex
      expect(result.stdout, format).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
      expect(result.stdout.length, format).toBeLessThan(10_000);
    }
  });
});

describe('oss-inventory check, machine formats', () => {
  it('writes SARIF 2.1.0 that validates against the schema and points at the manifest lines', async () => {
    const result = await check([APP, '--policy', POLICY, '--format', 'sarif']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('2 errors, 0 warnings in 5 components (policy examples/policy.yaml)\n');
    const sarif = JSON.parse(result.stdout);
    const validate = sarifValidator();
    expect(validate(sarif), JSON.stringify(validate.errors)).toBe(true);
    const results = sarif.runs[0].results as {
      ruleId: string;
      level: string;
      locations: {
        physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number } };
      }[];
      properties: { purl: string };
    }[];
    expect(
      results.map((r) => [
        r.ruleId,
        r.level,
        r.properties.purl,
        r.locations[0]!.physicalLocation.artifactLocation.uri,
        r.locations[0]!.physicalLocation.region?.startLine,
      ]),
    ).toEqual([
      ['license/unknown', 'error', 'pkg:npm/civic-forms@0.4.1', 'fixtures/check/app/package.json', 8],
      ['license/denied', 'error', 'pkg:npm/geo-calc@1.3.0', 'fixtures/check/app/package.json', 9],
    ]);
    expect(sarif.runs[0].tool.driver.name).toBe('oss-inventory');
  });

  it('annotates the manifest lines for GitHub Actions', async () => {
    const result = await check([APP, '--policy', POLICY, '--format', 'github']);
    expect(result.code).toBe(1);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines.map((l) => l.replace(/::(?!.*::).*$/, '::…'))).toEqual([
      '::error file=fixtures/check/app/package.json,line=8,title=unknown license%3A civic-forms@0.4.1::…',
      '::error file=fixtures/check/app/package.json,line=9,title=denied license GPL-3.0-only%3A geo-calc@1.3.0::…',
      'oss-inventory check: 2 errors, 0 warnings in 5 components (policy examples/policy.yaml)',
    ]);
    expect(lines[1]!.split('::')[2]!.split('%0A').slice(0, 4)).toEqual([
      'pkg:npm/geo-calc@1.3.0 is under GPL-3.0-only (strong-copyleft).',
      'Rule: GPL-3.0-only is denied by examples/policy.yaml:24 (licenses.deny: strong-copyleft)',
      'Evidence: license "GPL-3.0" in lockfile package-lock.json (corrected to GPL-3.0-only)',
      'Used by app:. (fixtures/check/app/package.json:9, runtime): city-portal@1.0.0 > map-widgets@2.0.0 > geo-calc@1.3.0',
    ]);
  });

  it('writes JUnit XML with one testsuite per project and one testcase per component', async () => {
    const out = path.join(tmp, 'licenses.xml');
    const result = await check([APP, '--policy', POLICY, '--format', 'junit', '--output', out]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    const xml = await readFile(out, 'utf8');
    expect(xml.split('\n').slice(0, 3)).toEqual([
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<testsuites name="oss-inventory check" tests="5" failures="2" errors="0">',
      '  <testsuite name="app:." tests="5" failures="2" errors="0" skipped="0">',
    ]);
    expect([...xml.matchAll(/<testcase classname="([^"]+)" name="([^"]+)"/g)].map((m) => m[2])).toEqual([
      'pkg:npm/civic-forms@0.4.1',
      'pkg:npm/doc-pdf-builder@3.2.0',
      'pkg:npm/geo-calc@1.3.0',
      'pkg:npm/map-widgets@2.0.0',
      'pkg:npm/ms@2.1.3',
    ]);
    expect(xml).toContain('<failure message="denied license GPL-3.0-only: geo-calc@1.3.0" type="denied">');
  });

  it('writes the CheckResult as JSON', async () => {
    const result = await check([APP, '--policy', POLICY, '--format', 'json']);
    const json = JSON.parse(result.stdout);
    expect(Object.keys(json)).toEqual([
      'policy',
      'checkedAt',
      'components',
      'violations',
      'waived',
      'preexisting',
    ]);
    expect(json).toMatchObject({
      policy: 'examples/policy.yaml',
      checkedAt: '2024-05-01T08:30:00.000Z',
      components: 5,
    });
    expect(json.violations.map((v: { component: { purl: string } }) => v.component.purl)).toEqual([
      'pkg:npm/civic-forms@0.4.1',
      'pkg:npm/geo-calc@1.3.0',
    ]);
  });
});

describe('oss-inventory check, saved inventories', () => {
  it('checks a saved inventory with --inventory, offline, as it checks a scan', async () => {
    const inventory = await scanTo(APP, path.join(tmp, 'app'));
    const saved = await runCli(['check', '--inventory', inventory, '--policy', POLICY], {
      cwd: repo,
      env: CLOCK,
    });
    const scanned = await check([APP, '--policy', POLICY]);
    expect(saved.code).toBe(1);
    expect(saved.stdout).toBe(scanned.stdout);
  });

  it('refuses as --inventory a file that is not an inventory, and a folder with it', async () => {
    const notInventory = await check(['--inventory', `${APP}/package.json`, '--policy', POLICY]);
    expect(notInventory.code).toBe(2);
    expect(notInventory.stderr).toMatch(
      /^error: fixtures\/check\/app\/package\.json is not an inventory \(inventory\.schema\.json\): /,
    );
    const both = await check([APP, '--inventory', 'x.json', '--policy', POLICY]);
    expect(both.code).toBe(2);
    expect(both.stderr).toBe(
      'error: --inventory checks a saved inventory: give no folder and no --github-* option with it\n',
    );
  });

  it('fails with --base only on violations new since the base inventory', async () => {
    const base = await scanTo(APP_BASE, path.join(tmp, 'base'));
    const result = await check([APP, '--policy', POLICY, '--base', base]);
    expect(result.code).toBe(1);
    const headers = result.stdout.split('\n').filter((l) => /^(\s*[✖⚠✔] |Already)/.test(l));
    expect(headers).toEqual([
      '✖ pkg:npm/civic-forms@0.4.1  no license  (unknown)',
      'Already in the base inventory (not failing):',
      '  ✖ pkg:npm/geo-calc@1.3.0  GPL-3.0-only  (strong-copyleft)',
      '✖ 1 error, 0 warnings in 5 components (policy examples/policy.yaml); 1 already in the base inventory, not failing',
    ]);

    const unchanged = await check([APP_BASE, '--policy', POLICY, '--base', base]);
    expect(unchanged.code).toBe(0);
    expect(unchanged.stdout.split('\n').at(-2)).toBe(
      '✔ 0 errors, 0 warnings in 4 components (policy examples/policy.yaml); 1 already in the base inventory, not failing',
    );
  });
});

describe('oss-inventory check, errors', () => {
  it('refuses a broken policy with exit 2, listing every error with file and line', async () => {
    const result = await check([APP, '--policy', 'fixtures/check/broken-policy.yaml']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe('error: invalid policy (4 errors):');
    expect(lines.slice(1).map((l) => l.replace(/: .*$/, ''))).toEqual([
      '  fixtures/check/broken-policy.yaml:3:23',
      '  fixtures/check/broken-policy.yaml:5:3',
      '  fixtures/check/broken-policy.yaml:8:14',
      '  fixtures/check/broken-policy.yaml:11:5',
    ]);
    expect(lines[1]).toContain(
      '"Apache 2" is neither an SPDX license id nor a category (did you mean "Apache-2.0"?)',
    );
    expect(lines[2]).toContain('unknown key "forbid"');
    expect(lines[3]).toContain('"MIT OR" is not a valid SPDX expression');
    expect(lines[4]).toContain('"reason" is missing');
  });

  it('says how to write a policy when there is none', async () => {
    const result = await check([path.join(repo, APP)], tmp);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      [
        'error: no license policy to check against: give --policy FILE, add a policy: section to .oss-inventory.yaml,',
        'or write policy.yaml in the working folder. A strict one to start from, every rule explained, is',
        "examples/policy.yaml in oss-inventory's repository; the smallest useful one:",
        '  licenses:',
        '    allow: [permissive, public-domain]',
        '    review: [weak-copyleft]',
        '    deny: [strong-copyleft, network-copyleft, proprietary]',
        '    unknown: deny',
        '',
      ].join('\n'),
    );
    const missing = await check([APP, '--policy', 'nope.yaml']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^error: invalid policy \(1 error\):\n {2}nope\.yaml:1:1: /);
  });

  it('exits 2 on a usage error and 3 when the report cannot be written', async () => {
    const format = await check([APP, '--policy', POLICY, '--format', 'xml']);
    expect(format.code).toBe(2);
    expect(format.stderr).toMatch(
      /argument 'xml' is invalid\. Allowed choices are text, json, sarif, github, junit/,
    );
    const output = await check([
      APP,
      '--policy',
      POLICY,
      '--output',
      path.join(tmp, 'no', 'such', 'dir.txt'),
    ]);
    expect(output.code).toBe(3);
    expect(output.stderr).toMatch(/^error: cannot write .*dir\.txt: ENOENT/);
    expect(existsSync(path.join(tmp, 'no'))).toBe(false);
  });
});

/** The OASIS SARIF 2.1.0 schema (test/schemas/README.md says why draft-07 Ajv reads this draft-04 schema). */
function sarifValidator() {
  const schema = JSON.parse(readFileSync(new URL('schemas/sarif-2.1.0.json', import.meta.url), 'utf8'));
  const { id, ...rest } = schema;
  delete rest.$schema;
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats.default(ajv);
  return ajv.compile({ $id: id, ...rest });
}
