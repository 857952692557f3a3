import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LICENSE_CATEGORIES, type Inventory } from '../src/core/model.js';
import { projectFileStems } from '../src/reporters/per-project.js';
import { runCli } from './helpers/cli.js';
import { parseCsv } from './helpers/csv.js';
import { cycloneDxJsonErrors } from './helpers/schema-validation.js';
import {
  spdxRuleErrors,
  spdxSchemaErrors,
  spdxTools,
  validateWithSpdxTools,
} from './helpers/spdx-validation.js';

const repo = path.resolve(import.meta.dirname, '..');
const corpus = path.resolve(repo, '../shared/corpus');
const present = existsSync(corpus);
if (!present) console.warn('skipping the report tests on the corpus inventory: ../shared/corpus is absent');
const tool = spdxTools();
const env = { SOURCE_DATE_EPOCH: '1767225600' };
const SHIPPED = new Set(['runtime', 'optional', 'peer', 'provided']);

let work: string;
let out: string;
let inventory: Inventory;

function timed<T>(label: string, run: () => Promise<T>): Promise<T> {
  const start = performance.now();
  return run().finally(() => console.log(`${label}: ${Math.round(performance.now() - start)} ms`));
}

describe.skipIf(!present)('the reports of the corpus inventory (../shared/corpus/github, offline)', () => {
  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'oss-inventory-report-corpus-'));
    out = path.join(work, 'out');
    const scan = await timed('scan of the corpus', () =>
      runCli(['scan', '--offline', path.join(corpus, 'github'), '-o', out, '-f', 'inventory-json', '-q'], {
        cwd: work,
        env,
      }),
    );
    expect(scan.code, scan.stderr).toBe(0);
    inventory = JSON.parse(await readFile(path.join(out, 'inventory.json'), 'utf8')) as Inventory;
    // cyclonedx-xml is left out here (the CycloneDX library takes 17 s to write it whole and per project);
    // cli-report.test.ts validates a per-project XML SBOM against the XSD.
    const formats = 'spdx-json,markdown,csv,notice,cyclonedx-json';
    const report = await timed(`report -f ${formats} --per-project`, () =>
      runCli(['report', path.join(out, 'inventory.json'), '-f', formats, '--per-project', '-q'], {
        cwd: work,
        env,
      }),
    );
    expect(report.code, report.stderr).toBe(0);
  }, 300_000);
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('is an inventory of the whole corpus', () => {
    expect(inventory.projects.length).toBeGreaterThan(100);
    expect(inventory.components.length).toBeGreaterThan(10_000);
  });

  it('Markdown: a short summary whose figures are those of the inventory', async () => {
    const markdown = await readFile(path.join(out, 'report.md'), 'utf8');
    const n = (value: number) => value.toLocaleString('en');
    const direct = inventory.components.filter((c) => c.direct).length;
    expect(markdown).toContain(`| Projects | ${n(inventory.projects.length)} |`);
    expect(markdown).toContain(`| Components | ${n(inventory.components.length)} (npm `);
    expect(markdown).toContain(
      `| Direct / transitive | ${n(direct)} / ${n(inventory.components.length - direct)} |`,
    );
    for (const category of LICENSE_CATEGORIES) {
      const count = inventory.components.filter((c) => (c.license.category ?? 'unknown') === category).length;
      if (count > 0) expect(markdown).toContain(`| \`${category}\` | ${n(count)} |`);
    }
    const problemCodes = new Set(inventory.problems.map((p) => p.code));
    for (const code of problemCodes) expect(markdown).toContain(`| \`${code}\` |`);
    expect(markdown.split('\n').length).toBeLessThan(150);
  });

  it('CSV: one row per component and project, every cell safe for a spreadsheet', async () => {
    const csv = await readFile(path.join(out, 'components.csv'), 'utf8');
    const rows = parseCsv(csv.slice(1));
    const expectedRows = inventory.components.reduce((n, c) => n + Math.max(1, c.usedBy.length), 0);
    expect(rows.length - 1).toBe(expectedRows);
    expect(rows.every((row) => row.length === rows[0]!.length)).toBe(true);
    expect(rows.flat().filter((cell) => /^[=+\-@\t\r]/.test(cell))).toEqual([]);
    expect(new Set(rows.slice(1).map((row) => row[4])).size).toBe(inventory.components.length);
  });

  it('SPDX: valid against the SPDX 2.3 schema and the specification, with every project and component', async () => {
    const json = await readFile(path.join(out, 'sbom.spdx.json'), 'utf8');
    const document = JSON.parse(json) as { packages: { externalRefs?: { referenceLocator: string }[] }[] };
    expect(spdxSchemaErrors(document)).toEqual([]);
    expect(spdxRuleErrors(document)).toEqual([]);
    expect(document.packages).toHaveLength(inventory.projects.length + inventory.components.length);
    const purls = new Set(
      document.packages.flatMap((p) => p.externalRefs ?? []).map((r) => r.referenceLocator),
    );
    for (const component of inventory.components)
      expect(purls.has(component.purl), component.purl).toBe(true);
  });

  // The reference validator takes minutes on the whole corpus document (11,000 packages): it checks the
  // per-project documents of a few projects, from small to a few hundred packages.
  it.skipIf(!tool)(
    'SPDX: per-project documents accepted by the SPDX reference validator (pyspdxtools)',
    async () => {
      const files = (await readdir(path.join(out, 'projects')))
        .filter((f) => f.endsWith('.spdx.json'))
        .sort();
      const sized = await Promise.all(
        files.map(async (f) => ({ f, size: (await readFile(path.join(out, 'projects', f))).length })),
      );
      const chosen = sized
        .sort((a, b) => a.size - b.size || (a.f < b.f ? -1 : 1))
        .filter((_, i, all) => [0.2, 0.4, 0.6, 0.8].some((q) => i === Math.floor(q * all.length)));
      for (const { f } of chosen) {
        const result = await timed(`pyspdxtools on projects/${f}`, async () =>
          validateWithSpdxTools(tool!, path.join(out, 'projects', f)),
        );
        expect(result.output, f).toBe('');
        expect(result.valid, f).toBe(true);
      }
    },
    300_000,
  );

  it('notices: one per project, listing exactly the components it ships, with their license texts', async () => {
    const notices = (await readdir(path.join(out, 'notices'))).sort();
    expect(notices).toHaveLength(inventory.projects.length);
    const text = await Promise.all(notices.map((n) => readFile(path.join(out, 'notices', n), 'utf8')));
    const all = text.join('\n');
    const listed = all.match(/^ {4}pkg:\S+$/gm)?.map((l) => l.trim()) ?? [];
    const shipped = inventory.components.flatMap((c) =>
      [...new Set(c.usedBy.filter((u) => u.scopes.some((s) => SHIPPED.has(s))).map((u) => u.project))].map(
        () => c.purl,
      ),
    );
    expect(listed.sort()).toEqual(shipped.sort());
    expect(all).toContain('\nMIT License\n\nCopyright (c) <year> <copyright holders>\n');
  });

  it('--per-project: one SBOM per project in each format, each valid and holding what the project reaches', async () => {
    expect((await readdir(path.join(out, 'projects'))).length).toBe(inventory.projects.length * 2);
    const reached = new Map<string, number>();
    for (const c of inventory.components) {
      for (const project of new Set(c.usedBy.map((u) => u.project))) {
        reached.set(project, (reached.get(project) ?? 0) + 1);
      }
    }
    const stems = projectFileStems(inventory.projects);
    for (const project of inventory.projects) {
      const stem = stems.get(project.id)!;
      const spdx = JSON.parse(await readFile(path.join(out, 'projects', `${stem}.spdx.json`), 'utf8')) as {
        packages: { name: string }[];
      };
      expect(spdxSchemaErrors(spdx), stem).toEqual([]);
      expect(spdxRuleErrors(spdx), stem).toEqual([]);
      expect(spdx.packages, stem).toHaveLength(1 + (reached.get(project.id) ?? 0));
      expect(spdx.packages[0]!.name).toBe(project.name ?? project.id);
      const cdx = await readFile(path.join(out, 'projects', `${stem}.cdx.json`), 'utf8');
      expect(await cycloneDxJsonErrors(cdx), stem).toBeNull();
      const components = (JSON.parse(cdx) as { components: unknown[] }).components;
      expect(components, stem).toHaveLength(1 + (reached.get(project.id) ?? 0));
    }
  }, 300_000);
});
