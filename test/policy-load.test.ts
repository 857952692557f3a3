import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import policySchema from '../policy.schema.json' with { type: 'json' };
import { parseConfig } from '../src/config/parse.js';
import type { ConfigIssue } from '../src/config/types.js';
import { SCOPES } from '../src/core/model.js';
import { loadPolicy } from '../src/policy/load.js';
import { parsePolicy } from '../src/policy/parse.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/policy/${name}`, import.meta.url));
const NOW = new Date('2026-01-15T10:00:00Z');

/** `line:column: message` of each issue, the part a test states exactly. */
const where = (issues: ConfigIssue[]) => issues.map((i) => `${i.line}:${i.column}: ${i.message}`);

const CATEGORY_HINT =
  'use an id of https://spdx.org/licenses/, a LicenseRef-..., an id WITH an exception, or a category: ' +
  'public-domain, permissive, weak-copyleft, strong-copyleft, network-copyleft, proprietary';

describe('policy.schema.json', () => {
  it('is a valid JSON Schema 2020-12 document that ajv compiles in strict mode', () => {
    const ajv = new Ajv2020({ strict: true, allowUnionTypes: true });
    expect(ajv.validateSchema(policySchema)).toBe(true);
    expect(() => ajv.compile(policySchema)).not.toThrow();
  });

  it('knows exactly the scopes of the model, and refuses unknown keys everywhere', () => {
    expect(Object.keys(policySchema.properties.scopes.properties)).toEqual([...SCOPES]);
    expect(policySchema.additionalProperties).toBe(false);
    expect(policySchema.properties.scopes.additionalProperties).toBe(false);
    expect(policySchema.$defs.topRules.additionalProperties).toBe(false);
    expect(policySchema.$defs.curation.additionalProperties).toBe(false);
    expect(policySchema.$defs.waiver.additionalProperties).toBe(false);
  });
});

describe('loadPolicy: a valid policy file', () => {
  it('reads the OSPO example with positions for every rule, curation and waiver', async () => {
    const file = fixture('policy.yaml');
    const result = await loadPolicy(file, NOW);
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    const at = (line: number) => ({ file, line });
    expect(result.policy).toEqual({
      file,
      licenses: {
        allow: ['permissive', 'public-domain', 'LGPL-2.1-only', 'MPL-2.0'],
        deny: ['network-copyleft', 'strong-copyleft'],
        review: ['weak-copyleft'],
        unknown: 'deny',
      },
      scopes: {
        dev: { allow: ['permissive', 'public-domain', 'weak-copyleft', 'strong-copyleft'] },
        provided: 'ignore',
      },
      curations: [
        {
          purl: 'pkg:maven/fr.paris.lutece/lutece-core',
          license: 'BSD-3-Clause',
          reason: 'LICENSE.txt of the repository is BSD-3-Clause; the POM says "Lutece license"',
          at: at(11),
        },
        {
          purl: 'pkg:maven/fr.paris.lutece/lutece-core',
          versions: '>=7 <8',
          license: 'BSD-3-Clause OR MIT',
          reason: 'release 7 was dual-licensed (see the 7.0 release notes)',
          at: at(14),
        },
      ],
      waivers: [
        {
          purl: 'pkg:npm/some-gpl-thing',
          versions: '^1.2.0',
          license: 'GPL-3.0-only',
          reason: 'used only by the build, never shipped',
          owner: 'ospo@paris.fr',
          expires: '2027-03-31',
          repositories: ['lutece-platform/*'],
          at: at(19),
        },
        {
          purl: 'pkg:maven/org.example/old-lib',
          versions: '[1.0,2.0)',
          reason: 'replaced by new-lib in Q1',
          owner: 'team-platform',
          expires: '2026-12-31',
          at: at(26),
        },
      ],
      positions: new Map([
        ['licenses.allow', at(3)],
        ['licenses.allow[0]', at(3)],
        ['licenses.allow[1]', at(3)],
        ['licenses.allow[2]', at(3)],
        ['licenses.allow[3]', at(3)],
        ['licenses.deny', at(4)],
        ['licenses.deny[0]', at(4)],
        ['licenses.deny[1]', at(4)],
        ['licenses.review', at(5)],
        ['licenses.review[0]', at(5)],
        ['licenses.unknown', at(6)],
        ['scopes.provided', at(9)],
        ['scopes.dev', at(8)],
        ['scopes.dev.allow', at(8)],
        ['scopes.dev.allow[0]', at(8)],
        ['scopes.dev.allow[1]', at(8)],
        ['scopes.dev.allow[2]', at(8)],
        ['scopes.dev.allow[3]', at(8)],
      ]),
    });
  });

  it('normalises expressions and reads ids without regard to case', () => {
    const result = parsePolicy(
      [
        'licenses:',
        '  allow: [mit, apache-2.0, "gpl-2.0-only WITH classpath-exception-2.0", LicenseRef-Acme]',
        'curations:',
        '  - purl: pkg:npm/x',
        '    license: "mit or (isc and bsd-3-clause)"',
        '    reason: checked',
      ].join('\n'),
      'policy.yaml',
      NOW,
    );
    expect(result.errors).toEqual([]);
    expect(result.policy?.licenses.allow).toEqual([
      'mit',
      'apache-2.0',
      'gpl-2.0-only WITH classpath-exception-2.0',
      'LicenseRef-Acme',
    ]);
    expect(result.policy?.curations.map((c) => c.license)).toEqual(['MIT OR (ISC AND BSD-3-Clause)']);
  });
});

describe('loadPolicy: errors, each at its line and column', () => {
  it('lists every mistake of a file, not just the first, and returns no policy', async () => {
    const result = await loadPolicy(fixture('mistakes.yaml'), NOW);
    expect(result.policy).toBeUndefined();
    expect(where(result.errors)).toEqual([
      `3:11: licenses.allow[0]: "permisive" is neither an SPDX license id nor a category (did you mean "permissive"?); ${CATEGORY_HINT}`,
      `3:22: licenses.allow[1]: "Apache 2" is neither an SPDX license id nor a category (did you mean "Apache-2.0"?); ${CATEGORY_HINT}`,
      '3:32: licenses.allow[2]: "MIT OR ISC" is an expression; a list takes license ids and categories one by one: list each license of it',
      '3:44: licenses.allow[3]: "unknown" is not listed like a category; write licenses.unknown: deny (or review, allow) to say what an unknown license is',
      '5:3: licenses.reveiw: unknown key "reveiw" (did you mean "review"?); keys allowed in licenses: allow, deny, review, unknown',
      '6:12: licenses.unknown: "block" is not a rule for unknown licenses; use one of deny, review, allow',
      '8:3: scopes.test: unknown key "test"; keys allowed in scopes: runtime, optional, peer, provided, dev',
      '9:8: scopes.dev: "ignored" is not allowed here (did you mean "ignore"?); write ignore or a mapping of rules',
      '12:14: curations[0].license: "Lutece license" is not a valid SPDX expression: "Lutece" is not an SPDX license id; write an SPDX expression like BSD-3-Clause or (Apache-2.0 OR MIT), or LicenseRef-<name> for a license SPDX does not list',
      '14:5: curations[1]: "reason" is missing; a curation needs purl, license and reason',
      '14:11: curations[1].purl: "npm/left-pad" is not a valid package URL (missing required "pkg" scheme component); write it like pkg:npm/left-pad, pkg:npm/%40scope/name or pkg:maven/org.example/lib',
      '17:15: curations[2].versions: the purl has a version and `versions` is set too: keep only one of them',
      '21:5: waivers[0]: "reason" is missing; a waiver needs purl, reason, owner and expires',
      '21:5: waivers[0]: "owner" is missing; a waiver needs purl, reason, owner and expires',
      '21:5: waivers[0]: "expires" is missing; a waiver needs purl, reason, owner and expires',
      '22:15: waivers[0].versions: "^^1" is not an npm version or comparator',
      '25:15: waivers[1].versions: invalid version range "[2.0,1.0]": the lower bound is greater than the upper bound',
      '28:14: waivers[1].expires: "next year" does not have the expected form (a date written YYYY-MM-DD, like 2027-03-31)',
      '29:5: waivers[1].repository: unknown key "repository"; keys allowed in waivers[1]: purl, versions, license, reason, owner, expires, repositories',
      '37:14: waivers[3].expires: 2027-02-30 is not a date of the calendar; write YYYY-MM-DD, like 2027-03-31',
    ]);
    expect(where(result.warnings)).toEqual([
      '3:53: licenses.allow[4]: "GPL-2.0" is a deprecated SPDX id, read as "GPL-2.0-only"; write that instead',
      '33:14: waivers[2].expires: 2025-12-31 is already past (today is 2026-01-15): the waiver no longer counts; give it a later date or remove it',
    ]);
  });

  it('suggests the closest id for a misspelt one, in lists and in expressions', () => {
    const result = parsePolicy(
      [
        'licenses:',
        '  deny: [GPLv3, AGPL3, strong copyleft, Apache-2]',
        'curations:',
        '  - purl: pkg:npm/x',
        '    license: MIT OR Apach-2.0',
        '    reason: checked',
      ].join('\n'),
      'policy.yaml',
      NOW,
    );
    expect(where(result.errors)).toEqual([
      `2:10: licenses.deny[0]: "GPLv3" is neither an SPDX license id nor a category (did you mean "GPL-3.0-or-later"?); ${CATEGORY_HINT}`,
      `2:17: licenses.deny[1]: "AGPL3" is neither an SPDX license id nor a category (did you mean "AGPL-3.0-or-later"?); ${CATEGORY_HINT}`,
      `2:24: licenses.deny[2]: "strong copyleft" is neither an SPDX license id nor a category (did you mean "strong-copyleft"?); ${CATEGORY_HINT}`,
      `2:41: licenses.deny[3]: "Apache-2" is neither an SPDX license id nor a category (did you mean "Apache-2.0"?); ${CATEGORY_HINT}`,
      '5:14: curations[0].license: "MIT OR Apach-2.0" is not a valid SPDX expression: "Apach-2.0" is not an SPDX license id (did you mean "MIT OR Apache-2.0"?); write an SPDX expression like BSD-3-Clause or (Apache-2.0 OR MIT), or LicenseRef-<name> for a license SPDX does not list',
    ]);
  });

  it('refuses purls of other ecosystems, bad Maven comparators and an empty expression list entry', () => {
    const result = parsePolicy(
      [
        'curations:',
        '  - purl: pkg:pypi/requests',
        '    license: Apache-2.0',
        '    reason: checked',
        '  - purl: pkg:maven/org.example/lib',
        '    versions: "^7"',
        '    license: Apache-2.0',
        '    reason: checked',
        'licenses:',
        '  allow: [""]',
      ].join('\n'),
      'policy.yaml',
      NOW,
    );
    expect(where(result.errors)).toEqual([
      '2:11: curations[0].purl: "pkg:pypi/requests" is a purl of type "pypi", which is never inventoried: use a pkg:npm/ or pkg:maven/ purl; write it like pkg:npm/left-pad, pkg:npm/%40scope/name or pkg:maven/org.example/lib',
      '6:15: curations[1].versions: "^7" is not a Maven version or comparator; write a Maven range like [1.0,2.0) or comparators like >=1.0 <2.0',
      '10:11: licenses.allow[0]: the value is empty; give one',
    ]);
  });

  it('warns about an id in two lists (the stronger wins) and about a repeat', () => {
    const result = parsePolicy(
      ['licenses:', '  allow: [MIT, ISC, MIT]', '  review: [ISC]', '  deny: [mit]'].join('\n'),
      'policy.yaml',
      NOW,
    );
    expect(result.errors).toEqual([]);
    expect(where(result.warnings)).toEqual([
      '2:21: licenses.allow[2]: "MIT" is listed twice (first at licenses.allow[0]); the repeat is ignored',
      '3:12: licenses.review[0]: "ISC" is also in licenses.allow[1]; review wins',
      '4:10: licenses.deny[0]: "mit" is also in licenses.allow[0]; deny wins',
    ]);
  });

  it('treats a waiver expiring today as valid, and one that expired yesterday as a warning', () => {
    const waiver = (expires: string) =>
      `waivers:\n  - purl: pkg:npm/x\n    reason: r\n    owner: o\n    expires: ${expires}\n`;
    expect(parsePolicy(waiver('2026-01-15'), 'policy.yaml', NOW).warnings).toEqual([]);
    expect(where(parsePolicy(waiver('2026-01-14'), 'policy.yaml', NOW).warnings)).toEqual([
      '5:14: waivers[0].expires: 2026-01-14 is already past (today is 2026-01-15): the waiver no longer counts; give it a later date or remove it',
    ]);
  });

  it('reports YAML syntax errors, an empty file and a file that is not a mapping', () => {
    expect(where(parsePolicy('licenses:\n  allow: [MIT\n', 'policy.yaml', NOW).errors)).toEqual([
      '3:1: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
    ]);
    expect(where(parsePolicy('# nothing yet\n', 'policy.yaml', NOW).errors)).toEqual([
      '1:1: the policy is empty; write at least licenses: with allow or deny',
    ]);
    expect(where(parsePolicy('- MIT\n', 'policy.yaml', NOW).errors)).toEqual([
      '1:1: top level: expected a mapping (key: value lines), found a list',
    ]);
    expect(where(parsePolicy('licenses: {}\n---\nlicenses: {}\n', 'policy.yaml', NOW).errors)).toEqual([
      '2:1: invalid YAML: a second document starts here (after ---); keep the policy in one',
    ]);
  });

  it('treats __proto__ as an unknown key and cuts hostile values in messages', () => {
    const long = 'x'.repeat(100_000);
    const result = parsePolicy(
      `__proto__: {polluted: true}\nlicenses:\n  allow: ["${long}", "MIT\\u0007"]\n`,
      'policy.yaml',
      NOW,
    );
    expect(where(result.errors)).toEqual([
      '1:1: __proto__: unknown key "__proto__"; keys allowed at the top level: licenses, scopes, curations, waivers',
      `3:11: licenses.allow[0]: "${'x'.repeat(57)}..." is neither an SPDX license id nor a category; ${CATEGORY_HINT}`,
      `3:100015: licenses.allow[1]: "MIT\\u0007" is neither an SPDX license id nor a category (did you mean "MIT"?); ${CATEGORY_HINT}`,
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('loadPolicy: the policy section of .oss-inventory.yaml', () => {
  it('reads it with positions in the configuration file, and names it file#policy', async () => {
    const file = fixture('in-config/.oss-inventory.yaml');
    const result = await loadPolicy(file, NOW);
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.policy).toEqual({
      file: `${file}#policy`,
      licenses: { allow: ['permissive'], deny: ['GPL-3.0-only'] },
      curations: [],
      waivers: [
        {
          purl: 'pkg:npm/some-gpl-thing',
          reason: 'used only by the build',
          owner: 'ospo@paris.fr',
          expires: '2026-02-01',
          at: { file, line: 12 },
        },
      ],
      positions: new Map([
        ['licenses.allow', { file, line: 9 }],
        ['licenses.allow[0]', { file, line: 9 }],
        ['licenses.deny', { file, line: 10 }],
        ['licenses.deny[0]', { file, line: 10 }],
      ]),
    });
  });

  it('reports the policy section mistakes with their policy. path, next to the configuration ones', () => {
    const result = parseConfig(
      [
        'scan:',
        '  strict: yes',
        'licenses:',
        '  mappings:',
        '    - license: Lutece license',
        '    - names: [Acme license]',
        '      license: LicenseRef-Acme',
        'policy:',
        '  licenses:',
        '    allow: [permisive]',
        '  waivers:',
        '    - purl: pkg:npm/x',
        '      reason: r',
        '      owner: o',
        '      expires: 2025-01-01',
      ].join('\n'),
      '.oss-inventory.yaml',
      { now: NOW },
    );
    expect(where(result.errors)).toEqual([
      '2:11: scan.strict: expected true or false, found the string "yes"',
      '5:7: licenses.mappings[0]: give names, urls or both: the declared licenses this mapping is for',
      '5:16: licenses.mappings[0].license: "Lutece license" is not a valid SPDX expression: "Lutece" is not an SPDX license id; write an SPDX expression like BSD-3-Clause or (Apache-2.0 OR MIT), or LicenseRef-<name> for a license SPDX does not list',
      `10:13: policy.licenses.allow[0]: "permisive" is neither an SPDX license id nor a category (did you mean "permissive"?); ${CATEGORY_HINT}`,
    ]);
    expect(where(result.warnings)).toEqual([
      '15:16: policy.waivers[0].expires: 2025-01-01 is already past (today is 2026-01-15): the waiver no longer counts; give it a later date or remove it',
    ]);
    expect(result.config).toEqual({});
  });

  it('keeps valid licenses.mappings, normalised, in the configuration', () => {
    const result = parseConfig(
      'licenses:\n  mappings:\n    - urls: [https://example.org/LICENSE]\n      license: gpl-2.0+\n',
      '.oss-inventory.yaml',
    );
    expect(result.errors).toEqual([]);
    expect(result.config).toEqual({
      licenses: { mappings: [{ urls: ['https://example.org/LICENSE'], license: 'GPL-2.0-or-later' }] },
    });
    expect(where(result.warnings)).toEqual([
      '4:16: licenses.mappings[0].license: "gpl-2.0+" is a deprecated SPDX id, read as "GPL-2.0-or-later"; write that instead',
    ]);
  });

  it('refuses a configuration with no policy section, and passes the configuration errors on', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'oss-inventory-policy-'));
    try {
      const file = path.join(dir, '.oss-inventory.yaml');
      await writeFile(file, 'scan:\n  strict: true\n');
      expect(where((await loadPolicy(file, NOW)).errors)).toEqual([
        '1:1: the configuration has no policy: section; add one, or give a policy file',
      ]);
      await writeFile(file, 'policy:\n  licenses:\n    deny: [GPL]\n');
      expect(where((await loadPolicy(file, NOW)).errors)).toEqual([
        `3:12: policy.licenses.deny[0]: "GPL" is neither an SPDX license id nor a category (did you mean "GPL-3.0-or-later"?); ${CATEGORY_HINT}`,
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('loadPolicy: files', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'oss-inventory-policy-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reports a missing file, a folder and an oversized file as one error each', async () => {
    const missing = path.join(dir, 'missing.yaml');
    expect(await loadPolicy(missing, NOW)).toEqual({
      errors: [
        { file: missing, line: 1, column: 1, message: 'cannot read the policy file: no such file (ENOENT)' },
      ],
      warnings: [],
    });
    expect(where((await loadPolicy(dir, NOW)).errors)).toEqual([
      '1:1: cannot read the policy file: it is not a regular file',
    ]);
    const big = path.join(dir, 'big.yaml');
    await writeFile(big, `licenses: {}\n# ${'x'.repeat(1024 * 1024)}\n`);
    expect(where((await loadPolicy(big, NOW)).errors)).toEqual([
      '1:1: the file is 1048592 bytes, over the 1048576-byte (1 MiB) limit for a policy file; check that it is the right file',
    ]);
  });
});
