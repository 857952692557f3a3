import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LICENSE_CATEGORIES, type Inventory } from '../src/core/model.js';
import { renderHtml } from '../src/reporters/html.js';
import type { ReportData } from '../src/reporters/html/data.js';
import { runCli } from './helpers/cli.js';

const repo = path.resolve(import.meta.dirname, '..');
const corpus = path.resolve(repo, '../shared/corpus/github');
const present = existsSync(corpus);
if (!present) console.warn('skipping the HTML report corpus test: ../shared/corpus is absent');

/** One npm monorepo and one Maven project of the corpus, scanned together (the browser test takes them all). */
const REPOSITORIES = ['MTES-MCT/potentiel', 'lutece-platform/lutece-core'];

function textOf(html: string, id: string): number {
  const text = new RegExp(`id="${id}">([^<]*)<`).exec(html)?.[1];
  return Number(text?.replace(/,/g, ''));
}

describe.skipIf(!present)('the HTML report of corpus repositories (no browser)', () => {
  let work: string;
  let inventory: Inventory;

  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'oss-inventory-html-corpus-'));
    const folders = REPOSITORIES.map((r) => path.join(corpus, r, 'files'));
    const result = await runCli(
      ['scan', '--offline', ...folders, '--out', work, '--format', 'inventory-json', '-q'],
      {
        cwd: repo,
      },
    );
    expect(result.code, result.stderr).toBe(0);
    inventory = JSON.parse(await readFile(path.join(work, 'inventory.json'), 'utf8')) as Inventory;
  }, 120_000);
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('states the inventory figures, embeds every component and project, and renders the same bytes twice', () => {
    const start = performance.now();
    const html = renderHtml(inventory);
    const ms = performance.now() - start;
    console.log(
      `HTML report of ${REPOSITORIES.join(', ')}: ${inventory.components.length} components, ` +
        `${ms.toFixed(0)} ms, ${(html.length / 1e6).toFixed(1)} MB`,
    );
    expect(textOf(html, 'fig-projects')).toBe(inventory.projects.length);
    expect(textOf(html, 'fig-components')).toBe(inventory.components.length);
    expect(textOf(html, 'fig-problems')).toBe(inventory.problems.length);
    for (const category of LICENSE_CATEGORIES) {
      expect(textOf(html, `cat-count-${category}`), category).toBe(
        inventory.components.filter((c) => (c.license.category ?? 'unknown') === category).length,
      );
    }
    const json = /<script type="application\/json" id="report-data">([^]*?)<\/script>/.exec(html)![1]!;
    const data = JSON.parse(json) as ReportData;
    expect(data.components.map((c) => c.purl)).toEqual(inventory.components.map((c) => c.purl));
    expect(data.projects.map((p) => p.id)).toEqual(inventory.projects.map((p) => p.id));
    const usages = (d: ReportData) => d.components.reduce((n, c) => n + c.usages.length, 0);
    expect(usages(data)).toBe(inventory.components.reduce((n, c) => n + c.usedBy.length, 0));
    expect(renderHtml(structuredClone(inventory))).toBe(html);
  });
});
