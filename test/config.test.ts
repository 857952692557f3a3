import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import schema from '../config.schema.json' with { type: 'json' };
import { DEFAULT_HEALTH_THRESHOLDS } from '../src/core/health.js';
import policySchema from '../policy.schema.json' with { type: 'json' };
import { findConfigFile } from '../src/config/find.js';
import { loadConfig } from '../src/config/load.js';
import { formatConfigIssue, parseConfig } from '../src/config/parse.js';
import { MAX_CONFIG_BYTES, OUTPUT_FORMATS, type ConfigIssue } from '../src/config/types.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/config/${name}`, import.meta.url));
const FILE = '.oss-inventory.yaml';

/** `line:column: message` of each issue, the part a test states exactly. */
const where = (issues: ConfigIssue[]) => issues.map((i) => `${i.line}:${i.column}: ${i.message}`);

function parse(content: string) {
  return parseConfig(content, FILE);
}

describe('config.schema.json', () => {
  it('is a valid JSON Schema 2020-12 document that ajv compiles in strict mode, with the policy schema it refers to', () => {
    const ajv = new Ajv2020({ strict: true, allowUnionTypes: true });
    expect(ajv.validateSchema(schema)).toBe(true);
    expect(ajv.validateSchema(policySchema)).toBe(true);
    ajv.addSchema(policySchema, 'policy.schema.json');
    expect(() => ajv.compile(schema)).not.toThrow();
    expect(schema.properties.policy.$ref).toBe('policy.schema.json');
  });

  it('lists exactly OUTPUT_FORMATS as the allowed formats', () => {
    expect(schema.properties.scan.properties.formats.items.enum).toEqual([...OUTPUT_FORMATS]);
  });

  it('refuses unknown keys in every object, so a typo is never ignored', () => {
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.scan.additionalProperties).toBe(false);
    expect(schema.properties.licenses.additionalProperties).toBe(false);
    expect(schema.properties.licenses.properties.mappings.items.additionalProperties).toBe(false);
  });
});

describe('parseConfig: valid files', () => {
  it('reads the full example with every setting', async () => {
    const file = fixture('full.yaml');
    const result = await loadConfig(file);
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.config).toEqual({
      scan: {
        paths: ['.', '../other'],
        out: './oss-inventory-report',
        formats: ['inventory-json', 'inventory-yaml', 'cyclonedx-json', 'cyclonedx-xml'],
        exclude: ['**/examples/**'],
        defaultExcludes: true,
        strict: false,
      },
      licenses: {
        mappings: [
          {
            names: ['Lutece license'],
            urls: ['https://dev.lutece.paris.fr/LICENSE.TXT'],
            license: 'BSD-3-Clause',
            reason: 'the LICENSE files of the Lutece repositories are BSD-3-Clause',
          },
        ],
      },
      health: {
        enabled: true,
        repositoryTtl: '7d',
        thresholds: {
          abandonedReleaseMonths: 24,
          abandonedCommitMonths: 12,
          staleReleaseMonths: 12,
          lowActivityCommits: 10,
          preOneStaleMonths: 12,
          healthyReleaseMonths: 6,
          healthyCommits90Days: 5,
          healthyCommitters: 2,
        },
        overrides: [
          {
            purl: 'pkg:maven/fr.paris.lutece.plugins/plugin-legacy',
            status: 'end-of-life',
            reason: 'replaced by plugin-forms in Lutece 7',
            citation: 'https://lutece.paris.fr/support/wiki/plugin-legacy.html',
            successor: 'pkg:maven/fr.paris.lutece.plugins/plugin-forms',
          },
        ],
        overridesFile: 'health-overrides.yaml',
      },
      policy: {
        file: `${file}#policy`,
        licenses: { allow: ['permissive', 'public-domain'], unknown: 'review' },
        curations: [],
        waivers: [],
        positions: new Map([
          ['licenses.allow', { file, line: 17 }],
          ['licenses.allow[0]', { file, line: 17 }],
          ['licenses.allow[1]', { file, line: 17 }],
          ['licenses.unknown', { file, line: 18 }],
        ]),
      },
      planB: {
        decisions: [
          {
            purl: 'pkg:npm/moment',
            reason: 'dayjs is our standard date library',
            owner: 'web-platform team',
            options: [{ kind: 'alternative', target: 'pkg:npm/dayjs', label: 'same API', effort: 'low' }],
          },
        ],
      },
    });
  });

  it('the full example sets every key the schema knows', async () => {
    const { config } = await loadConfig(fixture('full.yaml'));
    expect(Object.keys(config)).toEqual(Object.keys(schema.properties));
    expect(Object.keys(config.scan ?? {})).toEqual(Object.keys(schema.properties.scan.properties));
    expect(Object.keys(config.health ?? {})).toEqual(Object.keys(schema.properties.health.properties));
    expect(Object.keys(config.health?.thresholds ?? {})).toEqual(
      Object.keys(schema.properties.health.properties.thresholds.properties),
    );
    expect(Object.keys(config.health?.thresholds ?? {})).toEqual(Object.keys(DEFAULT_HEALTH_THRESHOLDS));
  });

  it('health: an override with a purl or range that cannot be used is an error at its line', () => {
    const result = parse(
      [
        'health:',
        '  overrides:',
        '    - purl: pkg:pypi/requests',
        '      status: end-of-life',
        '      reason: r',
        '      citation: https://example.org',
        '    - purl: pkg:npm/left-pad',
        '      versions: ">=1 <<2"',
        '      status: feature-complete',
        '      reason: r',
        '      citation: https://example.org',
        '',
      ].join('\n'),
    );
    expect(where(result.errors)).toEqual([
      expect.stringMatching(/^3:\d+: health\.overrides\[0\]\.purl: a purl of type "pypi"/),
      expect.stringMatching(/^8:\d+: health\.overrides\[1\]\.versions: /),
    ]);
    expect(result.config.health).toBeUndefined();
  });

  it('health: a repositoryTtl that is not a duration, a negative threshold and an unknown status are schema errors', () => {
    const result = parse(
      [
        'health:',
        '  repositoryTtl: a week',
        '  thresholds: { staleReleaseMonths: -1 }',
        '  overrides:',
        '    - { purl: pkg:npm/x, status: dead, reason: r, citation: c }',
        '',
      ].join('\n'),
    );
    expect(result.errors.map((e) => e.line)).toEqual([2, 3, 5]);
    expect(result.config).toEqual({});
  });

  it('reads an empty file, a comments-only file and an empty section as an empty config', async () => {
    expect(parse('')).toEqual({ config: {}, errors: [], warnings: [] });
    expect(await loadConfig(fixture('empty.yaml'))).toEqual({ config: {}, errors: [], warnings: [] });
    expect(parse('scan:\n  # strict: true\n')).toEqual({ config: {}, errors: [], warnings: [] });
  });

  it('accepts a byte order mark and flow-style mappings', () => {
    expect(parse('\ufeffscan: {strict: true, out: dist/report}\n')).toEqual({
      config: { scan: { strict: true, out: 'dist/report' } },
      errors: [],
      warnings: [],
    });
  });

  it('expands an ordinary alias', () => {
    const result = parse('scan:\n  paths: &roots [apps, libs]\n  exclude: *roots\n');
    expect(result.errors).toEqual([]);
    expect(result.config).toEqual({ scan: { paths: ['apps', 'libs'], exclude: ['apps', 'libs'] } });
  });
});

describe('parseConfig: YAML syntax errors', () => {
  it('reports a stray bracket at its line and column, with an empty config', () => {
    const result = parse('scan:\n  paths: [a, b]]\n');
    expect(result.config).toEqual({});
    expect(where(result.errors)).toEqual([
      '2:16: invalid YAML: Unexpected flow-seq-end token in YAML stream: "]"',
    ]);
  });

  it('reports an unclosed flow list where the parser gives up', () => {
    const result = parse('scan:\n  formats: [inventory-json, cyclonedx-json\n  strict: true\n');
    expect(where(result.errors)).toEqual([
      '3:3: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
    ]);
  });

  it('reports tabs used as indentation', () => {
    expect(where(parse('scan:\n\tstrict: true\n').errors)).toEqual([
      '2:1: invalid YAML: Tabs are not allowed as indentation',
    ]);
  });

  it('reports a duplicate key at the second occurrence, naming the first', () => {
    const result = parse('scan:\n  strict: true\n  out: r\n  strict: false\n');
    expect(result.config).toEqual({});
    expect(where(result.errors)).toEqual(['4:3: duplicate key "strict" (first at line 2); keep only one']);
  });

  it('refuses a second document', () => {
    expect(where(parse('scan: {}\n---\nscan: {}\n').errors)).toEqual([
      '2:1: invalid YAML: a second document starts here (after ---); keep the configuration in one',
    ]);
  });

  it('reports an alias to an anchor that does not exist', () => {
    expect(where(parse('scan:\n  paths: *roots\n').errors)).toEqual([
      '2:10: alias "*roots" refers to no anchor defined before it; define the anchor first or write the value out',
    ]);
  });

  it('reports nesting too deep for the YAML parser instead of overflowing the stack', () => {
    const result = parse(`${'['.repeat(20_000)}${']'.repeat(20_000)}`);
    expect(result.config).toEqual({});
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]?.message).toMatch(
      /^invalid YAML: nesting too deep to read \(.+\); flatten the file$/,
    );
    expect(result.errors[0]?.line).toBe(1);
  });
});

describe('parseConfig: schema errors', () => {
  it('reports every mistake of a file at its line and column', async () => {
    const result = await loadConfig(fixture('mistakes.yaml'));
    expect(result.config).toEqual({});
    expect(result.errors.every((e) => e.file === fixture('mistakes.yaml'))).toBe(true);
    expect(where(result.errors)).toEqual([
      '5:7: scan.formats[1]: "cyclonedx" is not a format; use one of inventory-json, inventory-yaml, cyclonedx-json, cyclonedx-xml, spdx-json, html, markdown, csv, notice',
      '6:3: scan.fromats: unknown key "fromats" (did you mean "formats"?); keys allowed in scan: paths, out, formats, exclude, defaultExcludes, strict',
      '7:11: scan.strict: expected true or false, found the string "yes"',
      '8:8: scan.out: expected a string, found the number 42',
      '9:1: colour: unknown key "colour"; keys allowed at the top level: scan, licenses, health, policy, planB',
    ]);
  });

  it('formats an issue as file:line:column: message', () => {
    const [issue] = parse('scan:\n  formats: [inventory-json, cyclonedx]\n').errors;
    expect(issue && formatConfigIssue(issue)).toBe(
      '.oss-inventory.yaml:2:29: scan.formats[1]: "cyclonedx" is not a format; use one of inventory-json, inventory-yaml, cyclonedx-json, cyclonedx-xml, spdx-json, html, markdown, csv, notice',
    );
  });

  it('points at an unknown top-level key and suggests the close one', () => {
    expect(where(parse('# settings\nScan:\n  strict: true\n').errors)).toEqual([
      '2:1: Scan: unknown key "Scan" (did you mean "scan"?); keys allowed at the top level: scan, licenses, health, policy, planB',
    ]);
  });

  it('keeps the valid sections when only an unknown top-level key is wrong', () => {
    const result = parse('scan:\n  strict: true\nextra: 1\n');
    expect(result.config).toEqual({ scan: { strict: true } });
    expect(where(result.errors)).toEqual([
      '3:1: extra: unknown key "extra"; keys allowed at the top level: scan, licenses, health, policy, planB',
    ]);
  });

  it('reports wrong types in YAML words, with a hint for a scalar where a list belongs', () => {
    const result = parse('scan:\n  formats: cyclonedx-json\n  paths:\n  exclude: [a, 3]\n');
    expect(where(result.errors)).toEqual([
      '2:12: scan.formats: expected a list, found the string "cyclonedx-json"; write [cyclonedx-json] for a list of one',
      '3:3: scan.paths: expected a list, found an empty value',
      '4:16: scan.exclude[1]: expected a string, found the number 3',
    ]);
  });

  it('reports a section that is not a mapping, and a root that is a list', () => {
    expect(where(parse('scan: true\n').errors)).toEqual([
      '1:7: scan: expected a mapping (key: value lines), found the boolean true',
    ]);
    expect(where(parse('- scan\n').errors)).toEqual([
      '1:1: top level: expected a mapping (key: value lines), found a list',
    ]);
  });

  it('reports empty lists and empty strings', () => {
    expect(where(parse('scan:\n  formats: []\n  out: ""\n').errors)).toEqual([
      '2:12: scan.formats: the list is empty; give at least 1 value, or remove the key to use the default',
      '3:8: scan.out: the value is empty; give one, or remove the key to use the default',
    ]);
  });

  it('points into the anchor when an aliased value is wrong', () => {
    expect(where(parse('scan:\n  exclude: &f [cyclonedx]\n  formats: *f\n').errors)).toEqual([
      '2:16: scan.formats[0]: "cyclonedx" is not a format; use one of inventory-json, inventory-yaml, cyclonedx-json, cyclonedx-xml, spdx-json, html, markdown, csv, notice',
    ]);
  });

  it('lists at most 50 errors and counts the rest', () => {
    const keys = Array.from({ length: 2000 }, (_, i) => `key${i}: 1`).join('\n');
    const { errors } = parse(keys);
    expect(errors).toHaveLength(51);
    expect(where(errors.slice(0, 1))).toEqual([
      '1:1: key0: unknown key "key0"; keys allowed at the top level: scan, licenses, health, policy, planB',
    ]);
    expect(where(errors.slice(-1))).toEqual(['50:1: and 1950 more of the same kind']);
  });
});

describe('parseConfig: warnings', () => {
  it('drops repeated list entries with a warning at the repeat', () => {
    const result = parse(
      'scan:\n  formats:\n    - inventory-json\n    - cyclonedx-xml\n    - inventory-json\n',
    );
    expect(result.errors).toEqual([]);
    expect(result.config).toEqual({ scan: { formats: ['inventory-json', 'cyclonedx-xml'] } });
    expect(where(result.warnings)).toEqual([
      '5:7: scan.formats[2]: "inventory-json" is listed twice (first at scan.formats[0]); the repeat is ignored',
    ]);
  });

  it('warns about an absolute exclude pattern, which can never match', () => {
    const result = parse("scan:\n  exclude: ['**/examples/**', /home/me/project/tmp/**]\n");
    expect(result.config).toEqual({ scan: { exclude: ['**/examples/**', '/home/me/project/tmp/**'] } });
    expect(where(result.warnings)).toEqual([
      '2:31: scan.exclude[1]: "/home/me/project/tmp/**" is absolute, but exclude patterns are matched against paths relative to each scanned root, so it never matches; write it relative, like "**/examples/**"',
    ]);
  });

  it('passes on YAML warnings such as an unknown tag', () => {
    const result = parse('scan:\n  out: !path report\n');
    expect(result.config).toEqual({ scan: { out: 'report' } });
    expect(where(result.warnings)).toEqual(['2:8: YAML warning: Unresolved tag: !path']);
  });
});

describe('parseConfig: hostile input', () => {
  it('refuses an alias bomb with one error at the first alias', async () => {
    const started = performance.now();
    const result = await loadConfig(fixture('alias-bomb.yaml'));
    expect(performance.now() - started).toBeLessThan(2000);
    expect(result.config).toEqual({});
    expect(where(result.errors)).toEqual([
      '2:8: aliases expand to more than 100 copies, which is how alias bombs work; the file is refused: write the values out instead of aliasing',
    ]);
  });

  it('refuses content over 1 MiB, counted in UTF-8 bytes, with one error', () => {
    const padding = `# ${'x'.repeat(MAX_CONFIG_BYTES)}\n`;
    expect(parse(padding)).toEqual({
      config: {},
      errors: [
        {
          file: FILE,
          line: 1,
          column: 1,
          message:
            'the file is 1048579 bytes, over the 1048576-byte (1 MiB) limit for a configuration file; check that it is the right file',
        },
      ],
      warnings: [],
    });
    // 400,000 characters, 1,200,000 bytes.
    expect(parse(`# ${'€'.repeat(400_000)}`).errors.map((e) => e.message)).toEqual([
      'the file is 1200002 bytes, over the 1048576-byte (1 MiB) limit for a configuration file; check that it is the right file',
    ]);
    expect(parse(`# ${'x'.repeat(MAX_CONFIG_BYTES - 2)}`).errors).toEqual([]);
    // Astral characters: 4 bytes, 2 UTF-16 units.
    expect(parse(`# ${'😀'.repeat(262_143)}`).errors).toEqual([]);
    expect(parse(`# ${'😀'.repeat(262_144)}`).errors.map((e) => e.message)).toEqual([
      'the file is 1048578 bytes, over the 1048576-byte (1 MiB) limit for a configuration file; check that it is the right file',
    ]);
  });

  it('treats __proto__ as an unknown key and pollutes nothing', () => {
    const result = parse(
      '__proto__: {polluted: true}\nscan:\n  __proto__: {polluted: true}\n  strict: true\n',
    );
    expect(where(result.errors)).toEqual([
      '1:1: __proto__: unknown key "__proto__"; keys allowed at the top level: scan, licenses, health, policy, planB',
      '3:3: scan.__proto__: unknown key "__proto__"; keys allowed in scan: paths, out, formats, exclude, defaultExcludes, strict',
    ]);
    expect(result.config).toEqual({});
    expect(Object.hasOwn(result.config, '__proto__')).toBe(false);
    expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('does not loop on an anchor that contains its own alias', () => {
    const result = parse('scan:\n  exclude: &x [&y [*x]]\n');
    expect(where(result.errors)).toEqual(['2:19: scan.exclude[0]: expected a string, found a list']);
  });

  it('stays linear on a map with tens of thousands of keys', () => {
    const keys = Array.from({ length: 30_000 }, (_, i) => `key${i}: 1`).join('\n');
    const started = performance.now();
    const { errors } = parse(keys);
    expect(errors).toHaveLength(51);
    expect(performance.now() - started).toBeLessThan(5000);
  });
});

describe('loadConfig and findConfigFile', () => {
  let root: string;

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'oss-inventory-config-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('finds the file in the nearest ancestor, walking up from a nested folder', async () => {
    const project = path.join(root, 'walk', 'project');
    const nested = path.join(project, 'packages', 'app', 'src');
    await mkdir(nested, { recursive: true });
    await writeFile(path.join(root, 'walk', '.oss-inventory.yaml'), 'scan:\n  strict: true\n');
    await writeFile(path.join(project, '.oss-inventory.yaml'), 'scan:\n  strict: false\n');
    expect(await findConfigFile(nested)).toBe(path.join(project, '.oss-inventory.yaml'));
    expect(await findConfigFile(path.join(root, 'walk'))).toBe(
      path.join(root, 'walk', '.oss-inventory.yaml'),
    );
    expect((await loadConfig(path.join(project, '.oss-inventory.yaml'))).config).toEqual({
      scan: { strict: false },
    });
  });

  it('accepts .oss-inventory.yml, prefers .yaml in the same folder, and skips a folder with the name', async () => {
    const dir = path.join(root, 'names', 'a');
    const nested = path.join(dir, 'b');
    await mkdir(path.join(nested, '.oss-inventory.yaml'), { recursive: true });
    await writeFile(path.join(dir, '.oss-inventory.yml'), 'scan: {}\n');
    expect(await findConfigFile(nested)).toBe(path.join(dir, '.oss-inventory.yml'));
    await writeFile(path.join(dir, '.oss-inventory.yaml'), 'scan: {}\n');
    expect(await findConfigFile(nested)).toBe(path.join(dir, '.oss-inventory.yaml'));
  });

  it('returns undefined when no folder up to the filesystem root has one', async () => {
    const lonely = path.join(root, 'lonely', 'deeper');
    await mkdir(lonely, { recursive: true });
    expect(await findConfigFile(lonely)).toBeUndefined();
  });

  it('reports a missing file and a folder as one error each', async () => {
    const missing = path.join(root, 'missing.yaml');
    expect(await loadConfig(missing)).toEqual({
      config: {},
      errors: [
        {
          file: missing,
          line: 1,
          column: 1,
          message: 'cannot read the configuration file: no such file (ENOENT)',
        },
      ],
      warnings: [],
    });
    expect(where((await loadConfig(root)).errors)).toEqual([
      '1:1: cannot read the configuration file: it is not a regular file',
    ]);
  });

  it('refuses a file over 1 MiB without parsing it', async () => {
    const big = path.join(root, 'big.yaml');
    await writeFile(big, `scan: {}\n# ${'x'.repeat(MAX_CONFIG_BYTES)}\n`);
    expect(where((await loadConfig(big)).errors)).toEqual([
      '1:1: the file is 1048588 bytes, over the 1048576-byte (1 MiB) limit for a configuration file; check that it is the right file',
    ]);
  });
});
