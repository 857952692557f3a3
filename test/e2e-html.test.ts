/**
 * The HTML report in headless Chromium (Debian's `chromium`, driven by playwright-core): the numbers shown
 * against the corpus inventory, search, sort, expanding a row with the keyboard, the summary without
 * script, no request but the file itself, no console error (a CSP violation is one). Saves screenshots to
 * test-artifacts/ and prints timings, also for a synthetic inventory of 10,000 components. Skips with a
 * warning when no Chromium is installed (`apt-get install chromium`, or set CHROMIUM_PATH).
 */
import { accessSync, constants, existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Component, Inventory, LicenseCategory } from '../src/core/model.js';
import { LICENSE_CATEGORIES } from '../src/core/model.js';
import { renderHtml } from '../src/reporters/html.js';
import { runCli } from './helpers/cli.js';
import { healthInventory } from './helpers/health-inventory.js';
import { syntheticInventory } from './helpers/html-synthetic-inventory.js';

const repo = path.resolve(import.meta.dirname, '..');
const corpus = path.resolve(repo, '../shared/corpus/github');
const artifacts = path.join(repo, 'test-artifacts');
const hasCorpus = existsSync(corpus);

function findChromium(): string | undefined {
  const candidates = process.env.CHROMIUM_PATH
    ? [process.env.CHROMIUM_PATH]
    : (process.env.PATH ?? '')
        .split(path.delimiter)
        .flatMap((dir) => ['chromium', 'chromium-browser'].map((name) => path.join(dir, name)));
  return candidates.find((file) => {
    try {
      accessSync(file, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

const executablePath = findChromium();
if (!executablePath) {
  console.warn(
    'skipping the HTML end-to-end test: no chromium found (apt-get install chromium, or set CHROMIUM_PATH)',
  );
}
if (executablePath && !hasCorpus)
  console.warn('skipping the HTML corpus end-to-end test: ../shared/corpus is absent');

/** 11751 as `11,751`, as the page writes it. */
function fmt(value: number): string {
  return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** `11,751` as 11751. */
function count(text: string | null): number {
  return Number((text ?? '').replace(/,/g, ''));
}

function projectsOf(component: Component): number {
  return new Set(component.usedBy.map((u) => u.project)).size;
}

function displayName(c: Component): string {
  if (!c.group) return c.name;
  return c.ecosystem === 'maven' ? `${c.group}:${c.name}` : `${c.group}/${c.name}`;
}

interface Opened {
  page: Page;
  loadMs: number;
  requests: string[];
  errors: string[];
}

describe.skipIf(!executablePath)('the HTML report in headless Chromium', () => {
  let browser: Browser;
  let work: string;

  beforeAll(async () => {
    browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
    work = await mkdtemp(path.join(tmpdir(), 'oss-inventory-html-'));
    await mkdir(artifacts, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await rm(work, { recursive: true, force: true });
  });

  /** Opens the file and waits until the script has rendered the tables. */
  async function open(file: string, javaScriptEnabled = true): Promise<Opened> {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, javaScriptEnabled });
    const page = await context.newPage();
    const requests: string[] = [];
    const errors: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    const start = performance.now();
    await page.goto(pathToFileURL(file).href);
    if (javaScriptEnabled) await page.waitForSelector('html[data-ready="true"]');
    return { page, loadMs: performance.now() - start, requests, errors };
  }

  /** Runs `action` (script source) in the page and returns how long it took, layout included. */
  function timed(page: Page, action: string): Promise<number> {
    return page.evaluate(
      `(() => { const start = performance.now(); ${action}; void document.body.offsetHeight; return performance.now() - start; })()`,
    );
  }

  describe.skipIf(!hasCorpus)('on the corpus inventory', () => {
    let inventory: Inventory;
    let file: string;
    let renderMs: number;

    beforeAll(async () => {
      const out = path.join(work, 'corpus');
      const result = await runCli(
        ['scan', '--offline', corpus, '--out', out, '--format', 'inventory-json', '-q'],
        {
          cwd: repo,
        },
      );
      expect(result.code, result.stderr).toBe(0);
      inventory = JSON.parse(await readFile(path.join(out, 'inventory.json'), 'utf8')) as Inventory;
      const start = performance.now();
      const html = renderHtml(inventory);
      renderMs = performance.now() - start;
      file = path.join(work, 'report.html');
      await writeFile(file, html);
    }, 300_000);

    it('shows the inventory numbers, fetches nothing and logs no error', async () => {
      const { page, loadMs, requests, errors } = await open(file);
      expect(count(await page.textContent('#fig-projects'))).toBe(inventory.projects.length);
      expect(count(await page.textContent('#fig-components'))).toBe(inventory.components.length);
      const expected: Record<string, number> = {};
      const shown: Record<string, number> = {};
      for (const category of LICENSE_CATEGORIES) {
        expected[category] = inventory.components.filter(
          (c) => (c.license.category ?? 'unknown') === (category as LicenseCategory),
        ).length;
        shown[category] = count(await page.textContent(`#cat-count-${category}`));
      }
      expect(shown).toEqual(expected);
      expect(count(await page.textContent('#fig-unknown'))).toBe(expected.unknown);
      expect(count(await page.textContent('#fig-problems'))).toBe(inventory.problems.length);
      expect(count(await page.textContent('#components-count'))).toBe(inventory.components.length);
      expect(count(await page.textContent('#projects-count'))).toBe(inventory.projects.length);
      expect(await page.locator('#components-table tbody tr').count()).toBe(50);
      expect(requests).toEqual([pathToFileURL(file).href]);
      expect(errors).toEqual([]);
      await page.screenshot({ path: path.join(artifacts, 'html-report.png') });
      console.log(
        `HTML report, corpus (${inventory.components.length} components, ${inventory.projects.length} projects): ` +
          `render ${renderMs.toFixed(0)} ms, load ${loadMs.toFixed(0)} ms`,
      );
      await page.context().close();
    });

    it('filters the components as the search box is typed in', async () => {
      const { page } = await open(file);
      const term = 'babel';
      const expected = inventory.components.filter((c) =>
        [displayName(c), c.version, c.purl, c.license.expression ?? '', ...c.license.declared]
          .join('\n')
          .toLowerCase()
          .includes(term),
      ).length;
      expect(expected).toBeGreaterThan(50);
      await page.locator('#components-search').pressSequentially(term);
      await expect.poll(async () => count(await page.textContent('#components-count'))).toBe(expected);
      await expect(page.locator('#components-status').textContent()).resolves.toContain(
        `${fmt(expected)} of ${fmt(inventory.components.length)} components match, showing 1–50`,
      );
      const names = await page.locator('#components-table tbody th[scope=row]').allTextContents();
      expect(names.every((n) => n.toLowerCase().includes(term))).toBe(true);
      await page.selectOption('#components-filter-ecosystem', 'npm');
      await page.selectOption('#components-filter-direct', 'direct');
      const direct = inventory.components.filter(
        (c) => c.ecosystem === 'npm' && c.direct && (displayName(c) + c.purl).toLowerCase().includes(term),
      );
      expect(count(await page.textContent('#components-count'))).toBe(direct.length);
      await page.context().close();
    });

    it('sorts by usage with the keyboard and expands a row with its usages', async () => {
      const { page } = await open(file);
      const header = page.locator('#components-table th[data-column="usedBy"]');
      await header.locator('button').focus();
      await page.keyboard.press('Enter');
      await expect(header.getAttribute('aria-sort')).resolves.toBe('descending');
      const used = (await page.locator('#components-table tbody tr td.num').allTextContents()).map(count);
      expect(used).toEqual([...used].sort((a, b) => b - a));
      // The sort is stable: among the most used, the first in the inventory's order comes first.
      const top = [...inventory.components].sort((a, b) => projectsOf(b) - projectsOf(a))[0]!;
      expect(used[0]).toBe(projectsOf(top));
      const firstRow = page.locator('#components-table tbody tr').first();
      await expect(firstRow.locator('th').textContent()).resolves.toBe(displayName(top));

      const expand = firstRow.locator('button.expand');
      await expand.focus();
      await page.keyboard.press(' ');
      await expect(
        page.locator('#components-table button.expand').first().getAttribute('aria-expanded'),
      ).resolves.toBe('true');
      const detail = page.locator('#components-table tr.detail');
      await expect(detail.locator('section.wide h3').last().textContent()).resolves.toBe(
        `Used by ${projectsOf(top)} projects (${top.usedBy.length} usages)`,
      );
      const usages = detail.locator('table.usages tbody tr');
      expect(await usages.count()).toBe(top.usedBy.length);
      await expect(usages.first().locator('td.path').textContent()).resolves.toBe(
        top.usedBy[0]!.path.join(' › '),
      );
      // Focus stays on the button that was pressed.
      await expect(page.evaluate('document.activeElement.getAttribute("aria-expanded")')).resolves.toBe(
        'true',
      );
      await page.evaluate("document.querySelector('#components-table tbody tr').scrollIntoView()");
      await page.screenshot({ path: path.join(artifacts, 'html-report-components.png') });
      await page.context().close();
    });

    it('shows the summary without JavaScript', async () => {
      const { page, errors } = await open(file, false);
      expect(count(await page.textContent('#fig-components'))).toBe(inventory.components.length);
      expect(count(await page.textContent('#cat-count-permissive'))).toBe(
        inventory.components.filter((c) => c.license.category === 'permissive').length,
      );
      await expect(page.locator('#components-app').textContent()).resolves.toContain(
        'This table needs JavaScript',
      );
      expect(errors).toEqual([]);
      await page.context().close();
    });
  });

  it('shows the policy violations and the changes since a previous inventory (report --policy --previous)', async () => {
    const out = path.join(work, 'check');
    const app = path.join(repo, 'fixtures/check/app');
    const scan = await runCli(['scan', '--offline', app, '--out', out, '--format', 'inventory-json', '-q'], {
      cwd: repo,
    });
    expect(scan.code, scan.stderr).toBe(0);
    const current = JSON.parse(await readFile(path.join(out, 'inventory.json'), 'utf8')) as Inventory;
    const previous: Inventory = {
      ...current,
      components: current.components.filter((c) => c.name !== 'geo-calc'),
    };
    await writeFile(path.join(out, 'previous.json'), JSON.stringify(previous));
    const report = await runCli(
      [
        'report',
        path.join(out, 'inventory.json'),
        '--format',
        'html',
        '--policy',
        path.join(repo, 'examples/policy.yaml'),
        '--previous',
        path.join(out, 'previous.json'),
        '--out',
        out,
        '-q',
      ],
      { cwd: repo, env: { SOURCE_DATE_EPOCH: '1767225600' } },
    );
    expect(report.code, report.stderr).toBe(0);
    const { page, errors } = await open(path.join(out, 'report.html'));
    expect(count(await page.textContent('#fig-violations'))).toBe(2);
    expect(count(await page.textContent('#diff-components-added'))).toBe(1);
    await expect(page.locator('#changes details summary').first().textContent()).resolves.toBe(
      'Components added (1)',
    );
    expect(count(await page.textContent('#violations-count'))).toBe(2);
    await expect(page.locator('#violations-table tbody th[scope=row]').allTextContents()).resolves.toEqual([
      'civic-forms 0.4.1',
      'geo-calc 1.3.0',
    ]);
    await page.locator('#violations-table button.expand').nth(1).click();
    await expect(page.locator('#violations-table tr.detail pre').textContent()).resolves.toContain(
      'purl: "pkg:npm/geo-calc"',
    );
    await expect(page.locator('#violations-table tr.detail td.path').textContent()).resolves.toBe(
      'city-portal@1.0.0 › map-widgets@2.0.0 › geo-calc@1.3.0',
    );
    await page.selectOption('#components-filter-policy', 'denied');
    await expect(page.locator('#components-table tbody th[scope=row]').allTextContents()).resolves.toEqual([
      'geo-calc',
    ]);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('shows health and plan B: sorted by severity, filtered, with every option and only http(s) evidence linked', async () => {
    const inventory = healthInventory();
    const leftPad = inventory.components.find((c) => c.name === 'left-pad')!;
    leftPad.planB!.options.splice(1, 0, {
      kind: 'alternative',
      label: '<img src=x onerror=alert(1)>',
      confidence: 'suggested',
      source: 'oss-inventory catalog',
      evidence: 'javascript:alert(1)',
      targetLicense: 'MIT',
      flags: ['license-family-differs'],
    });
    const file = path.join(work, 'health.html');
    await writeFile(file, renderHtml(inventory));
    const { page, errors } = await open(file);
    const names = () =>
      page.locator('#components-table tbody > tr:not(.detail) > th[scope=row]').allTextContents();
    await page.locator('#components-table th[data-column="health"] button').click();
    await expect(names()).resolves.toEqual([
      'left-pad',
      'pako',
      'xlsx',
      'express',
      'fsevents',
      'jszip',
      '@babel/runtime',
      'typescript',
    ]);
    const cells = page.locator('#components-table tbody > tr:not(.detail)');
    await expect(cells.nth(2).locator('td').nth(-1).textContent()).resolves.toBe(
      'pkg:npm/exceljs (curated) target-unhealthy',
    );
    await expect(cells.nth(3).locator('td').nth(-1).textContent()).resolves.toBe('none found');
    await expect(cells.nth(1).locator('.health').getAttribute('title')).resolves.toBe(
      'latest-deprecated: the latest version, 2.1.0, is deprecated: "moved to fflate"',
    );
    await page.locator('#components-table th[data-column="planB"] button').click();
    // The first way out's confidence, then its target: authoritative, then curated exceljs, fflate, padStart.
    await expect(names()).resolves.toEqual([
      'pako',
      'xlsx',
      'jszip',
      'left-pad',
      'express',
      '@babel/runtime',
      'fsevents',
      'typescript',
    ]);
    await page.selectOption('#components-filter-health', 'needs-plan-b');
    await expect(names()).resolves.toEqual(['pako', 'xlsx', 'left-pad', 'express']);
    await page.selectOption('#components-filter-planb', 'none-found');
    await expect(names()).resolves.toEqual(['express']);
    await page.selectOption('#components-filter-planb', '');
    await page.selectOption('#components-filter-health', 'EOL');
    await expect(names()).resolves.toEqual(['pako', 'left-pad']);

    await page.locator('#components-table button.expand').nth(1).click();
    const detail = page.locator('#components-table tr.detail');
    await expect(detail.locator('h3').allTextContents()).resolves.toEqual([
      'License',
      'Source',
      'Health',
      'Plan B',
      'Used by 1 project (1 usage)',
    ]);
    const options = detail.locator('ol.options > li');
    await expect(options.allTextContents()).resolves.toEqual([
      'native String.prototype.padStart (curated)from module-replacements (native) · evidence: ' +
        'https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/String/padStart · effort low',
      'alternative <img src=x onerror=alert(1)> (suggested)from oss-inventory catalog · evidence: javascript:alert(1) · ' +
        'license MIT · license-family-differs',
      'survive pin this version and mirror it in an internal registry (suggested)from oss-inventory · effort low',
      'survive fork it internally and apply security fixes yourselves (suggested)from oss-inventory · effort high',
    ]);
    await expect(
      options.locator('a').evaluateAll((links) => links.map((a) => a.getAttribute('href'))),
    ).resolves.toEqual([
      'https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/String/padStart',
    ]);
    expect(await page.locator('img').count()).toBe(0);
    await expect(detail.locator('dd').filter({ hasText: 'directly' }).textContent()).resolves.toBe(
      '1 project, 1 directly, 1 at run time',
    );
    expect(errors).toEqual([]);
    await page.screenshot({ path: path.join(artifacts, 'html-report-health.png'), fullPage: true });
    await page.context().close();
  });

  it('renders, opens, filters and sorts 10,000 components quickly (timings printed)', async () => {
    const inventory = syntheticInventory(10_000);
    const start = performance.now();
    const html = renderHtml(inventory);
    const renderMs = performance.now() - start;
    const file = path.join(work, 'synthetic.html');
    await writeFile(file, html);
    const { page, loadMs, errors } = await open(file);
    const search = `var i = document.getElementById('components-search'); i.value = 'pkg-01'; i.dispatchEvent(new Event('input'));`;
    const filterMs = await timed(page, search);
    expect(count(await page.textContent('#components-count'))).toBe(1000);
    const clear = `var i = document.getElementById('components-search'); i.value = ''; i.dispatchEvent(new Event('input'));`;
    await timed(page, clear);
    const sortMs = await timed(
      page,
      `document.querySelector('#components-table th[data-column="usedBy"] button').click();`,
    );
    const expandMs = await timed(page, `document.querySelector('#components-table button.expand').click();`);
    const pageMs = await timed(page, `document.querySelector('#components-app [data-page="next"]').click();`);
    expect(count(await page.textContent('#components-count'))).toBe(10_000);
    expect(errors).toEqual([]);
    console.log(
      `HTML report, 10,000 synthetic components (${(html.length / 1e6).toFixed(1)} MB): render ${renderMs.toFixed(0)} ms, ` +
        `load ${loadMs.toFixed(0)} ms, filter ${filterMs.toFixed(1)} ms, sort ${sortMs.toFixed(1)} ms, ` +
        `expand ${expandMs.toFixed(1)} ms, next page ${pageMs.toFixed(1)} ms`,
    );
    await page.context().close();
  });
});
