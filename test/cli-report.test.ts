import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Inventory } from '../src/core/model.js';
import { runCli } from './helpers/cli.js';
import { cycloneDxJsonErrors, hasXmllint, validateCycloneDxXml } from './helpers/schema-validation.js';
import { spdxRuleErrors, spdxSchemaErrors } from './helpers/spdx-validation.js';

const repo = path.resolve(import.meta.dirname, '..');
const app = path.join(repo, 'fixtures', 'check', 'app');
const policy = path.join(repo, 'examples', 'policy.yaml');
const env = { SOURCE_DATE_EPOCH: '1767225600' };
const FORMATS =
  'inventory-json, inventory-yaml, cyclonedx-json, cyclonedx-xml, spdx-json, html, markdown, csv, notice';

let work: string;
let scanned: string;
let inventoryFile: string;

async function cli(args: string[]) {
  return runCli(args, { cwd: work, env });
}

async function files(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'oss-inventory-report-'));
  scanned = path.join(work, 'scanned');
  const result = await cli(['scan', '--offline', app, '-o', scanned, '-q']);
  expect(result.code, result.stderr).toBe(0);
  inventoryFile = path.join(scanned, 'inventory.json');
  await writeFile(path.join(work, 'policy.yaml'), await readFile(policy));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('oss-inventory report', () => {
  it('writes the HTML and Markdown reports next to the inventory by default', async () => {
    const copy = path.join(work, 'default');
    const result = await cli(['scan', '--offline', app, '-o', copy, '-q', '-f', 'inventory-json']);
    expect(result.code, result.stderr).toBe(0);
    const report = await cli(['report', 'default/inventory.json']);
    expect(report).toEqual({ code: 0, stdout: '', stderr: 'wrote report.html, report.md to default\n' });
    expect(await files(copy)).toEqual(['inventory.json', 'report.html', 'report.md']);
  });

  it('takes repeated and comma-separated formats, and writes the notices per project', async () => {
    const result = await cli(['report', inventoryFile, '-f', 'csv', '-f', 'spdx-json,notice', '-o', 'many']);
    expect(result).toEqual({
      code: 0,
      stdout: '',
      stderr: 'wrote components.csv, sbom.spdx.json, notices/ (1 file) to many\n',
    });
    expect(await files(path.join(work, 'many'))).toEqual([
      'components.csv',
      'notices/app.txt',
      'sbom.spdx.json',
    ]);
  });

  it('renders the inventory and SBOMs a scan wrote, byte for byte', async () => {
    const result = await cli([
      'report',
      inventoryFile,
      '-f',
      'inventory-json,inventory-yaml,cyclonedx-json,cyclonedx-xml',
      '-o',
      'again',
    ]);
    expect(result.code, result.stderr).toBe(0);
    for (const name of ['inventory.json', 'inventory.yaml', 'bom.cdx.json', 'bom.cdx.xml']) {
      expect(await readFile(path.join(work, 'again', name), 'utf8'), name).toBe(
        await readFile(path.join(scanned, name), 'utf8'),
      );
    }
  });

  it('gives byte-identical files for the same inventory', async () => {
    const formats = 'spdx-json,html,markdown,csv,notice';
    await cli(['report', inventoryFile, '-f', formats, '-o', 'first', '-q']);
    await cli(['report', inventoryFile, '-f', formats, '-o', 'second', '-q']);
    const names = await files(path.join(work, 'first'));
    expect(names).toEqual([
      'components.csv',
      'notices/app.txt',
      'report.html',
      'report.md',
      'sbom.spdx.json',
    ]);
    for (const name of names) {
      expect(await readFile(path.join(work, 'second', name), 'utf8'), name).toBe(
        await readFile(path.join(work, 'first', name), 'utf8'),
      );
    }
  });

  it('prints one format on stdout and writes nothing', async () => {
    const result = await cli(['report', inventoryFile, '--stdout', 'markdown', '-o', 'nothing']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout.startsWith('# Open source inventory of `app`\n')).toBe(true);
    expect(existsSync(path.join(work, 'nothing'))).toBe(false);
  });

  it('is quiet with -q and lists every file with -v', async () => {
    expect(await cli(['report', inventoryFile, '-f', 'csv', '-o', 'quiet', '-q'])).toEqual({
      code: 0,
      stdout: '',
      stderr: '',
    });
    const verbose = await cli(['report', inventoryFile, '-f', 'csv,notice', '-o', 'verbose', '-v']);
    expect(verbose.stderr).toBe(
      [
        `wrote ${path.join(work, 'verbose', 'components.csv')}`,
        `wrote ${path.join(work, 'verbose', 'notices', 'app.txt')}`,
        'wrote components.csv, notices/ (1 file) to verbose',
        '',
      ].join('\n'),
    );
  });

  it('shows the violations of a policy, and the changes since a previous inventory', async () => {
    const previous: Inventory = JSON.parse(await readFile(inventoryFile, 'utf8')) as Inventory;
    previous.components = previous.components.filter((c) => c.name !== 'ms');
    await writeFile(path.join(work, 'previous.json'), JSON.stringify(previous));
    const result = await cli([
      'report',
      inventoryFile,
      '--stdout',
      'markdown',
      '--policy',
      'policy.yaml',
      '--previous',
      'previous.json',
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('| Policy violations | 2 errors, 0 warnings (policy `policy.yaml`) |');
    expect(result.stdout).toContain('| error | `geo-calc@1.3.0` | `GPL-3.0-only` (strong-copyleft) |');
    expect(result.stdout).toContain('| added | `ms` |  | `2.1.3`, `MIT` |');
  });
  it("takes the configuration's policy: section when --policy is not given", async () => {
    const folder = path.join(work, 'with-config');
    await mkdir(folder);
    await writeFile(
      path.join(folder, '.oss-inventory.yaml'),
      'policy:\n  licenses:\n    deny: [strong-copyleft]\n',
    );
    const result = await runCli(['report', inventoryFile, '--stdout', 'markdown'], { cwd: folder, env });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(
      '| Policy violations | 1 error, 1 warning (policy `.oss-inventory.yaml#policy`) |',
    );
  });
});

describe('oss-inventory report refuses', () => {
  it('a file that is not an inventory, naming it (exit 2)', async () => {
    await writeFile(path.join(work, 'package.json'), '{"name": "not-an-inventory"}');
    const result = await cli(['report', 'package.json']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: package\.json is not an inventory \(inventory\.schema\.json\): /);
  });

  it('a file that is not JSON, or does not exist (exit 2)', async () => {
    await writeFile(path.join(work, 'broken.json'), '{"schemaVersion": ');
    const broken = await cli(['report', 'broken.json']);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/^error: broken\.json: not a readable JSON file: /);
    const missing = await cli(['report', 'missing.json']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^error: missing\.json: not a readable JSON file: ENOENT/);
  });

  it('an unknown format, listing the formats (exit 2)', async () => {
    const result = await cli(['report', inventoryFile, '-f', 'markdown,pdf']);
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr: `error: unknown format "pdf"; use one of ${FORMATS}\n`,
    });
    const stdout = await cli(['report', inventoryFile, '--stdout', 'pdf']);
    expect(stdout.code).toBe(2);
    expect(stdout.stderr).toContain("error: option '--stdout <format>' argument 'pdf' is invalid.");
  });

  it('--per-project without an SBOM format, or with --stdout (exit 2)', async () => {
    expect(await cli(['report', inventoryFile, '-f', 'markdown', '--per-project'])).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'error: --per-project writes one SBOM per project: ask for one of cyclonedx-json, cyclonedx-xml, spdx-json with --format\n',
    });
    expect(await cli(['report', inventoryFile, '--stdout', 'spdx-json', '--per-project'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'error: --per-project writes files: it cannot be combined with --stdout\n',
    });
  });

  it('a policy with errors, listing them (exit 2)', async () => {
    await writeFile(path.join(work, 'bad-policy.yaml'), 'licenses:\n  allow: [Apache 2]\n');
    const result = await cli(['report', inventoryFile, '-f', 'markdown', '--policy', 'bad-policy.yaml']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: invalid policy \(1 error\):\n {2}bad-policy\.yaml:2:\d+: /);
  });
});

describe('oss-inventory scan with the report formats', () => {
  it('writes only the inventory and SBOMs by default', async () => {
    const result = await cli(['scan', '--offline', app, '-o', 'plain', '-q']);
    expect(result.code, result.stderr).toBe(0);
    expect(await files(path.join(work, 'plain'))).toEqual([
      'bom.cdx.json',
      'bom.cdx.xml',
      'inventory.json',
      'inventory.yaml',
    ]);
  });

  it('writes the report formats, and one valid SBOM per project with --per-project', async () => {
    const result = await cli([
      'scan',
      '--offline',
      app,
      '-o',
      'per-project',
      '-f',
      'cyclonedx-json,cyclonedx-xml,spdx-json,markdown,csv',
      '--per-project',
      '--policy',
      'policy.yaml',
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr.split('\n')[0]).toBe(
      'wrote bom.cdx.json, bom.cdx.xml, sbom.spdx.json, report.md, components.csv, projects/ (3 files) to per-project',
    );
    const out = path.join(work, 'per-project');
    expect(await files(out)).toEqual([
      'bom.cdx.json',
      'bom.cdx.xml',
      'components.csv',
      'projects/app.cdx.json',
      'projects/app.cdx.xml',
      'projects/app.spdx.json',
      'report.md',
      'sbom.spdx.json',
    ]);
    expect(
      await cycloneDxJsonErrors(await readFile(path.join(out, 'projects/app.cdx.json'), 'utf8')),
    ).toBeNull();
    if (hasXmllint()) {
      const xml = validateCycloneDxXml(await readFile(path.join(out, 'projects/app.cdx.xml'), 'utf8'));
      expect(xml.output).toMatch(/validates$/);
    }
    const spdx: unknown = JSON.parse(await readFile(path.join(out, 'projects/app.spdx.json'), 'utf8'));
    expect(spdxSchemaErrors(spdx)).toEqual([]);
    expect(spdxRuleErrors(spdx)).toEqual([]);
    expect(await readFile(path.join(out, 'report.md'), 'utf8')).toContain('## Policy violations');
  });
});
