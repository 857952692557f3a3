import { diffInventories } from '../src/core/diff.js';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Component, Inventory } from '../src/core/model.js';
import { evaluatePolicy } from '../src/core/policy.js';
import { renderHtml } from '../src/reporters/html.js';
import { CLIENT_SCRIPT } from '../src/reporters/html/client.js';
import type { ReportData } from '../src/reporters/html/data.js';
import { formatShare, safeHref } from '../src/reporters/html/escape.js';
import { healthInventory } from './helpers/health-inventory.js';
import { syntheticInventory } from './helpers/html-synthetic-inventory.js';
import { CATEGORIES, policyOf } from './helpers/policy-inventory.js';
import { sampleInventory } from './helpers/sample-inventory.js';

/** The text of the element with this id (the figures of the summary are plain text). */
function textOf(html: string, id: string): string | undefined {
  return new RegExp(`id="${id}">([^<]*)<`).exec(html)?.[1];
}

function figures(html: string, ids: string[]): Record<string, string | undefined> {
  return Object.fromEntries(ids.map((id) => [id, textOf(html, id)]));
}

function dataOf(html: string): ReportData {
  const match = /<script type="application\/json" id="report-data">([^]*?)<\/script>/.exec(html);
  return JSON.parse(match![1]!) as ReportData;
}

const CATEGORY_IDS = [
  'cat-count-public-domain',
  'cat-count-permissive',
  'cat-count-weak-copyleft',
  'cat-count-strong-copyleft',
  'cat-count-network-copyleft',
  'cat-count-proprietary',
  'cat-count-unknown',
];

function hostileInventory(): Inventory {
  const inventory = sampleInventory();
  const leftPad = inventory.components.find((c) => c.name === 'left-pad')!;
  leftPad.name = '<img src=x onerror=alert(1)>';
  leftPad.license.declared = ['</script><script>alert(1)</script>', 'bell\u0007 \u202Egnp.exe\u2028line'];
  leftPad.registry = {
    status: 'found',
    document: 'https://registry.npmjs.org/left-pad',
    repository: { url: 'javascript:alert(1)' },
    homepage: 'https://user:secret@example.com/left-pad?q="x"',
    funding: [],
  };
  inventory.projects[0]!.name = '"quoted" & <b>bold</b>';
  inventory.problems[0]!.message = '<!-- comment --> </SCRIPT > \u2029';
  return inventory;
}

describe('renderHtml: the summary', () => {
  it('states the inventory figures of the sample inventory', () => {
    const html = renderHtml(sampleInventory());
    expect(
      figures(html, [
        'fig-projects',
        'fig-components',
        'fig-licenses',
        'fig-unknown',
        'fig-conflicts',
        'fig-problems',
      ]),
    ).toEqual({
      'fig-projects': '3',
      'fig-components': '8',
      'fig-licenses': '5',
      'fig-unknown': '2',
      'fig-conflicts': '0',
      'fig-problems': '2',
    });
    expect(figures(html, CATEGORY_IDS)).toEqual({
      'cat-count-public-domain': '0',
      'cat-count-permissive': '6',
      'cat-count-weak-copyleft': '0',
      'cat-count-strong-copyleft': '0',
      'cat-count-network-copyleft': '0',
      'cat-count-proprietary': '0',
      'cat-count-unknown': '2',
    });
    expect(html).toContain('<span class="sub">7 direct · 1 transitive</span>');
    expect(html).toContain('<span class="sub">1 errors · 1 warnings · 0 notes</span>');
    // Most used first: @babel/runtime is the one component two projects use.
    expect(html).toContain('<title>@babel/runtime 7.24.0: 2 (MIT, permissive)</title>');
    expect(html).not.toContain('id="fig-violations"');
    expect(html).not.toContain('id="changes"');
  });

  it('is one self-contained page: no external resource, a CSP that allows only its own style and script', () => {
    const html = renderHtml(sampleInventory());
    expect(html).not.toMatch(/\b(src|href)="(https?:)?\/\//);
    const style = /<style>([^]*?)<\/style>/.exec(html)![1]!;
    const script = /<script>([^]*?)<\/script>/.exec(html)![1]!;
    const hash = (text: string) => createHash('sha256').update(text).digest('base64');
    expect(html).toContain(
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'sha256-${hash(style)}'; ` +
        `script-src 'sha256-${hash(script)}'; img-src 'none'; base-uri 'none'; form-action 'none'">`,
    );
    expect(html.match(/<script\b/g)).toHaveLength(2);
    expect(html.match(/<\/script>/g)).toHaveLength(2);
  });

  it('has landmarks, a skip link, table headers with scope, and a text alternative for each chart', () => {
    const html = renderHtml(sampleInventory());
    for (const landmark of [
      '<header class="top">',
      '<nav class="sections" aria-label="Sections">',
      '<main id="main"',
      '<footer>',
    ]) {
      expect(html).toContain(landmark);
    }
    expect(html).toContain('<a class="skip" href="#main">');
    expect(html).not.toMatch(/<th(?=[\s>])(?![^>]*scope=)[^>]*>/);
    expect(html).toContain('role="img" aria-labelledby="chart-categories-title chart-categories-desc"');
    expect(html).toContain(
      '<desc id="chart-categories-desc">Public domain: 0; Permissive: 6; Weak copyleft: 0; Strong copyleft: 0; ' +
        'Network copyleft: 0; Proprietary: 0; Unknown: 2</desc>',
    );
  });

  it('renders an empty inventory', () => {
    const inventory: Inventory = {
      ...sampleInventory(),
      subjects: [],
      projects: [],
      components: [],
      problems: [],
    };
    const html = renderHtml(inventory);
    expect(figures(html, ['fig-projects', 'fig-components', 'fig-unknown', 'fig-problems'])).toEqual({
      'fig-projects': '0',
      'fig-components': '0',
      'fig-unknown': '0',
      'fig-problems': '0',
    });
    expect(html).toContain('<title>Open source inventory: nothing scanned</title>');
    expect(html).toContain('<p>Every component has a known license.</p>');
    expect(html).toContain('<p>No problem was met: every manifest was read and resolved.</p>');
    expect(html).not.toContain('id="problems-app"');
  });

  it('gives the same bytes for the same inventory', () => {
    expect(renderHtml(sampleInventory())).toBe(renderHtml(structuredClone(sampleInventory())));
  });
});

describe('renderHtml: the embedded data', () => {
  it('holds each component once, usage strings interned', () => {
    const data = dataOf(renderHtml(sampleInventory()));
    expect(data.columns).toEqual([
      'component',
      'version',
      'ecosystem',
      'license',
      'category',
      'scopes',
      'direct',
      'usedBy',
    ]);
    expect(data.components.map((c) => `${c.name}@${c.version} ${c.projects}`)).toEqual([
      '@babel/runtime@7.24.0 2',
      'express@^4.19.2 1',
      'fsevents@2.3.3 1',
      'jszip@3.10.1 1',
      'left-pad@1.3.0 1',
      'pako@1.0.11 1',
      'typescript@5.4.5 1',
      'xlsx@0.20.2 1',
    ]);
    const pako = data.components.find((c) => c.name === 'pako')!;
    const s = (i: number | null | undefined) => (i === null || i === undefined ? i : data.strings[i]);
    expect({ ...pako, usages: [], license: { ...pako.license, evidence: s(pako.license.evidence) } }).toEqual(
      {
        purl: 'pkg:npm/pako@1.0.11',
        ecosystem: 'npm',
        name: 'pako',
        version: '1.0.11',
        locked: true,
        scopes: ['runtime'],
        direct: false,
        sourceKind: 'registry',
        resolvedHref: 'https://registry.npmjs.org/pako/-/pako-1.0.11.tgz',
        license: {
          status: 'known',
          category: 'permissive',
          expression: '(MIT AND Zlib)',
          declared: ['(MIT AND Zlib)'],
          mappings: ['spdx'],
          source: 'node_modules',
          evidence: 'node_modules/pako/package.json',
        },
        projects: 1,
        usages: [],
      },
    );
    expect(
      pako.usages.map(([project, manifest, scopes, direct, path, file, line, requested]) => [
        s(project),
        s(manifest),
        s(scopes),
        direct,
        path.map(s),
        s(file),
        line,
        s(requested),
      ]),
    ).toEqual([
      [
        'acme:packages/web',
        'package-lock.json',
        'runtime',
        0,
        ['@acme/web@2.3.0', 'jszip@3.10.1', 'pako@1.0.11'],
        null,
        null,
        null,
      ],
    ]);
    expect(data.projects.map((p) => [p.id, p.components, p.direct, p.unknown])).toEqual([
      ['acme:.', 2, 2, 0],
      ['acme:packages/web', 6, 5, 1],
      ['acme:tools/legacy', 1, 1, 1],
    ]);
    expect(data.strings.filter((v) => v === 'package-lock.json')).toHaveLength(1);
  });

  it('links GitHub projects, manifest lines and license evidence to the commit read', () => {
    const inventory = sampleInventory();
    inventory.subjects = [
      {
        name: 'acme/web',
        type: 'github',
        location: 'https://github.com/acme/web',
        repository: {
          defaultBranch: 'main',
          ref: 'main',
          headSha: '0123456789abcdef0123456789abcdef01234567',
          archived: false,
          fork: false,
          pushedAt: null,
          license: null,
          topics: [],
          description: null,
        },
      },
    ];
    for (const p of inventory.projects) p.subject = 'acme/web';
    const data = dataOf(renderHtml(inventory));
    const blob = 'https://github.com/acme/web/blob/0123456789abcdef0123456789abcdef01234567/';
    expect(data.subjects).toEqual([
      {
        name: 'acme/web',
        type: 'github',
        location: 'https://github.com/acme/web',
        href: 'https://github.com/acme/web',
        blob,
        tree: 'https://github.com/acme/web/tree/0123456789abcdef0123456789abcdef01234567/',
      },
    ]);
    expect(data.projects.map((p) => p.folderHref)).toEqual([
      'https://github.com/acme/web',
      'https://github.com/acme/web/tree/0123456789abcdef0123456789abcdef01234567/packages/web',
      'https://github.com/acme/web/tree/0123456789abcdef0123456789abcdef01234567/tools/legacy',
    ]);
    const pako = data.components.find((c) => c.name === 'pako')!;
    expect(data.strings[pako.license.evidenceHref!]).toBe(`${blob}node_modules/pako/package.json`);
    expect(data.projects[2]!.license!.evidenceHref).toBe(
      data.strings.indexOf(`${blob}tools/legacy/package.json`),
    );
  });

  it('links a directory subject to nothing', () => {
    const data = dataOf(renderHtml(sampleInventory()));
    expect(data.subjects).toEqual([{ name: 'acme', type: 'directory', location: '/home/ospo/src/acme' }]);
    expect(data.projects.map((p) => p.folderHref)).toEqual([undefined, undefined, undefined]);
    expect(data.components.find((c) => c.name === 'pako')!.license.evidenceHref).toBeUndefined();
  });
});

describe('renderHtml: hostile strings', () => {
  it('escapes names, licenses and messages in the page and in the data, and never ends the script early', () => {
    const inventory = hostileInventory();
    const html = renderHtml(inventory);
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>bold');
    expect(html).not.toContain('<!-- comment');
    expect(html).not.toMatch(/<\/script>\s*<script>alert/i);
    expect(html.match(/<\/script/gi)).toHaveLength(2);
    const json = /<script type="application\/json" id="report-data">([^]*?)<\/script>/.exec(html)![1]!;
    expect(json).not.toMatch(/[\u2028\u2029<]/);
    // Outside the data (where the script escapes them), no control or bidi character reaches the page.
    const page = html.replace(json, '');
    expect(page).not.toContain('\u0007');
    expect(page).not.toContain('\u202E');
    // The unknown-licenses list shows them escaped, control and bidi characters as `?`.
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt; 1.3.0');
    expect(html).toContain('<code>&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;</code>');
    expect(html).toContain('<code>bell? ?gnp.exe\u2028line</code>');
    // The data gives the strings back exactly, and only http(s) links without credentials.
    const data = dataOf(html);
    const leftPad = data.components.find((c) => c.purl.startsWith('pkg:npm/left-pad'))!;
    expect(leftPad.name).toBe('<img src=x onerror=alert(1)>');
    expect(leftPad.license.declared).toEqual(
      inventory.components.find((c) => c.version === '1.3.0')!.license.declared,
    );
    expect(leftPad.repositoryHref).toBeUndefined();
    expect(leftPad.homepageHref).toBe('https://example.com/left-pad?q=%22x%22');
    expect(data.problems[0]!.message).toBe('<!-- comment --> </SCRIPT > \u2029');
  });

  it('keeps only http(s) URLs as links', () => {
    expect(
      [
        'https://github.com/a/b',
        'http://example.org/x y',
        'https://u:p@host/x',
        'javascript:alert(1)',
        'JAVASCRIPT:alert(1)',
        'data:text/html,<b>',
        'git+https://github.com/a/b.git',
        'git@github.com:a/b.git',
        '//evil.example/x',
        'package-lock.json',
        ' https://padded.example/ ',
      ].map(safeHref),
    ).toEqual([
      'https://github.com/a/b',
      'http://example.org/x%20y',
      'https://host/x',
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      'https://padded.example/',
    ]);
  });

  it('gives plain URLs back as the URL parser would', () => {
    const urls = [
      'https://github.com/a/b',
      'https://registry.npmjs.org/@scope%2fname',
      "https://example.org/it's/(x)*",
      'https://github.com/a/./b/',
      'https://github.com/a/../b',
      'https://github.com/a/%2E%2E/b',
      'https://github.com/a/.',
      'https://0x7f.1/x',
      'https://1.2.3.4/x',
      'https://GitHub.com/x',
      'https://github.com:443/x',
      'https://example.org/a b',
      'https://example.org/é',
      'https://example.org/a?b=c#d',
      'https://example.org/a\\b',
    ];
    expect(urls.map(safeHref)).toEqual(urls.map((u) => new URL(u).href));
  });

  it('formats shares without rounding a small part to zero', () => {
    expect([
      formatShare(0, 10),
      formatShare(1, 3),
      formatShare(1, 20_000),
      formatShare(2, 3),
      formatShare(5, 5),
    ]).toEqual(['0%', '33.3%', '<0.1%', '66.7%', '100.0%']);
  });
});

describe('renderHtml: maintainer health and plan B', () => {
  it('counts the components per class and lists those that need a plan B, highest priority first', () => {
    const html = renderHtml(healthInventory());
    expect(html).toContain('<li><a href="#health">Health</a></li>');
    expect(figures(html, ['fig-planb', 'planb-needed', 'planb-curated'])).toEqual({
      'fig-planb': '4',
      'planb-needed': '4',
      'planb-curated': '3',
    });
    expect(html).toContain(
      '<span class="sub">end of life, abandoned or at risk<br>3 with a curated or better option</span>',
    );
    expect(
      figures(
        html,
        ['EOL', 'ABANDONED', 'AT_RISK', 'UNKNOWN', 'MAINTAINED', 'HEALTHY'].map((h) => `health-count-${h}`),
      ),
    ).toEqual({
      'health-count-EOL': '2',
      'health-count-ABANDONED': '1',
      'health-count-AT_RISK': '1',
      'health-count-UNKNOWN': '1',
      'health-count-MAINTAINED': '1',
      'health-count-HEALTHY': '2',
    });
    const queue =
      /<caption>Components that need a plan B, highest priority first<\/caption>[^]*?<\/table>/.exec(
        html,
      )![0];
    expect([...queue.matchAll(/<tr><th scope="row">([^<]*)<\/th>/g)].map((m) => m[1])).toEqual([
      'left-pad 1.3.0',
      'xlsx 0.20.2',
      'pako 1.0.11',
      'express ^4.19.2',
    ]);
    expect(queue).toContain(
      '<td><span class="health health-ABANDONED" title="no-release: last release 2022-03-24, 25 months ago (more than 24)\n' +
        'no-commit: last commit 2022-08-01, 21 months ago (more than 12)">Abandoned</span></td>' +
        '<td>no-release, no-commit</td><td class="num">1</td>' +
        '<td>alternative <code>pkg:npm/exceljs</code> <span class="muted">(curated)</span> <span class="tag">target-unhealthy</span></td>',
    );
    expect(queue).toContain('<td><span class="muted">none found</span></td>');
    const style = /<style>([^]*?)<\/style>/.exec(html)![1]!;
    expect(style).toContain('.health-AT_RISK{background:#9a4a00}');
  });

  it('embeds the health and every option of each component, with a health and a plan-B column', () => {
    const data = dataOf(renderHtml(healthInventory()));
    expect(data.columns.slice(-2)).toEqual(['health', 'planB']);
    expect(data.healthClasses!.map((h) => `${h.id} ${h.label}`)).toEqual([
      'EOL End of life',
      'ABANDONED Abandoned',
      'AT_RISK At risk',
      'UNKNOWN Unknown',
      'MAINTAINED Maintained',
      'HEALTHY Healthy',
    ]);
    const s = (i: number | undefined) => (i === undefined ? i : data.strings[i]);
    const xlsx = data.components.find((c) => c.name === 'xlsx')!;
    expect({
      ...xlsx.health!,
      reasons: xlsx.health!.reasons.map(([code, message]) => [s(code), s(message)]),
    }).toEqual({
      class: 'ABANDONED',
      priority: 21,
      exposure: [1, 1, 1, 0],
      reasons: [
        ['no-release', 'last release 2022-03-24, 25 months ago (more than 24)'],
        ['no-commit', 'last commit 2022-08-01, 21 months ago (more than 12)'],
      ],
    });
    expect(xlsx.planB!.status).toBe('options');
    expect(
      xlsx.planB!.options.map((o) => ({
        ...o,
        label: s(o.label),
        source: s(o.source),
        evidence: s(o.evidence),
        evidenceHref: s(o.evidenceHref),
      })),
    ).toEqual([
      {
        kind: 'alternative',
        target: 'pkg:npm/exceljs',
        label: undefined,
        confidence: 'curated',
        source: 'oss-inventory catalog',
        evidence: 'https://github.com/exceljs/exceljs',
        evidenceHref: 'https://github.com/exceljs/exceljs',
        effort: 'medium',
        targetLicense: 'MIT',
        flags: ['target-unhealthy'],
      },
      {
        kind: 'maintained-fork',
        label: 'https://github.com/someone/sheetjs',
        confidence: 'inferred',
        source: 'GitHub forks',
        evidence: '38 commits in 12 months, last release 2024-02-01',
        evidenceHref: undefined,
      },
      {
        kind: 'survive',
        label: 'pin this version and mirror it in an internal registry',
        confidence: 'suggested',
        source: 'oss-inventory',
        evidence: undefined,
        evidenceHref: undefined,
        effort: 'low',
      },
      {
        kind: 'survive',
        label: 'fork it internally and apply security fixes yourselves',
        confidence: 'suggested',
        source: 'oss-inventory',
        evidence: undefined,
        evidenceHref: undefined,
        effort: 'high',
      },
    ]);
    // Survival plans repeat across components: their labels are stored once.
    expect(
      data.strings.filter((v) => v === 'pin this version and mirror it in an internal registry'),
    ).toHaveLength(1);
  });

  it('leaves health out of an inventory assessed without it (--no-health), and puts the policy column last', () => {
    const html = renderHtml(sampleInventory());
    expect(html).not.toContain('id="health"');
    expect(html).not.toContain('id="fig-planb"');
    expect(dataOf(html).healthClasses).toBeUndefined();
    const inventory = healthInventory();
    const check = evaluatePolicy(inventory, policyOf('licenses:\n  allow: [permissive]\n'), {
      now: new Date('2024-05-01T00:00:00Z'),
      categories: CATEGORIES,
    });
    expect(dataOf(renderHtml(inventory, { check })).columns.slice(-3)).toEqual(['health', 'planB', 'policy']);
  });

  it('links only http(s) evidence, and escapes hostile plan-B values in the page and in the data', () => {
    const inventory = healthInventory();
    const leftPad = inventory.components.find((c) => c.name === 'left-pad')!;
    const hostile = [
      'javascript:alert(1)',
      '<img src=x onerror=alert(1)>',
      'https://example.org/moved and a message after it',
      'https://user:secret@example.org/notice',
    ];
    leftPad.planB!.options = hostile.map((evidence) => ({
      kind: 'alternative',
      label: '<img src=x onerror=alert(1)></script>',
      confidence: 'curated',
      source: 'oss-inventory catalog',
      evidence,
    }));
    leftPad.health!.reasons = [{ code: 'deprecated', message: '"><script>alert(1)</script>' }];
    const html = renderHtml(inventory);
    expect(html).not.toContain('<img');
    expect(html.match(/<\/script/gi)).toHaveLength(2);
    expect(html).toContain(
      'title="deprecated: &quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">End of life</span>',
    );
    expect(html).toContain(
      '<td>alternative <code>&lt;img src=x onerror=alert(1)&gt;&lt;/script&gt;</code> <span class="muted">(curated)</span></td>',
    );
    const data = dataOf(html);
    const row = data.components.find((c) => c.name === 'left-pad')!;
    expect(
      row.planB!.options.map((o) => [
        data.strings[o.evidence!],
        o.evidenceHref === undefined ? undefined : data.strings[o.evidenceHref],
      ]),
    ).toEqual([
      ['javascript:alert(1)', undefined],
      ['<img src=x onerror=alert(1)>', undefined],
      ['https://example.org/moved and a message after it', undefined],
      ['https://user:secret@example.org/notice', 'https://example.org/notice'],
    ]);
  });
});

describe('renderHtml: the script', () => {
  it('parses, and holds neither a closing script tag nor an HTML comment opener', () => {
    expect(() => new Function(CLIENT_SCRIPT)).not.toThrow();
    expect(CLIENT_SCRIPT).not.toMatch(/<\/script/i);
    expect(CLIENT_SCRIPT).not.toContain('<!--');
  });
});

describe('renderHtml: policy check and previous inventory', () => {
  it('shows the violations of a check, and the verdict of each component', () => {
    const inventory = sampleInventory();
    const policy = policyOf('licenses:\n  allow: [permissive]\n  unknown: deny\n');
    const check = evaluatePolicy(inventory, policy, {
      now: new Date('2024-05-01T00:00:00Z'),
      categories: CATEGORIES,
    });
    const html = renderHtml(inventory, { check });
    expect(textOf(html, 'fig-violations')).toBe('3');
    expect(html).toContain('<li><a href="#policy">Policy</a></li>');
    const data = dataOf(html);
    expect(data.columns.at(-1)).toBe('policy');
    expect(
      data.components
        .filter((c) => c.policy)
        .map((c) => `${c.name} ${c.policy!.verdict} ${c.policy!.severity}`),
    ).toEqual(['express unknown error', 'left-pad unknown error', 'pako unknown error']);
    expect(
      data.violations!.map((v) => `${v.name} ${v.verdict} ${v.usages.map((u) => u.project).join(',')}`),
    ).toEqual([
      'express unknown acme:tools/legacy',
      'left-pad unknown acme:packages/web',
      'pako unknown acme:packages/web',
    ]);
  });

  it('shows what changed since a previous inventory', () => {
    const previous = sampleInventory();
    const current = sampleInventory();
    current.components = current.components.filter((c) => c.name !== 'fsevents');
    const typescript = current.components.find((c) => c.name === 'typescript')!;
    typescript.version = '5.5.2';
    typescript.purl = 'pkg:npm/typescript@5.5.2';
    const pako = current.components.find((c) => c.name === 'pako')!;
    pako.license = { ...pako.license, declared: ['MIT'], expression: 'MIT' };
    const html = renderHtml(current, { changes: diffInventories(previous, current) });
    expect(
      figures(html, [
        'diff-projects-added',
        'diff-projects-removed',
        'diff-components-added',
        'diff-components-removed',
        'diff-upgraded',
        'diff-downgraded',
        'diff-license-changes',
      ]),
    ).toEqual({
      'diff-projects-added': '0',
      'diff-projects-removed': '0',
      'diff-components-added': '0',
      'diff-components-removed': '1',
      'diff-upgraded': '1',
      'diff-downgraded': '0',
      'diff-license-changes': '1',
    });
    expect(html).toContain(
      '<details><summary>License changes (1)</summary><div class="table-scroll"><table><caption class="visually-hidden">' +
        'License changes</caption><thead><tr><th scope="col">Component</th><th scope="col">What changed</th></tr></thead>' +
        '<tbody><tr><th scope="row">pako 1.0.11</th><td>',
    );
    // The field's name is diffInventories' (`license.expression`).
    expect(html).toMatch(
      /<td>license[.a-z ]*: \(MIT AND Zlib\) → MIT<\/td><\/tr><\/tbody><\/table><\/div><\/details>/,
    );
    expect(html).toContain('<tr><th scope="row">typescript</th><td>5.4.5</td><td>5.5.2</td></tr>');
  });
});

describe('renderHtml: speed', () => {
  it('renders 10,000 components (measured, printed)', () => {
    const inventory = syntheticInventory(10_000);
    renderHtml(syntheticInventory(100));
    const start = performance.now();
    const html = renderHtml(inventory);
    const ms = performance.now() - start;
    console.log(
      `HTML report, 10,000 synthetic components (${inventory.components.reduce((n, c: Component) => n + c.usedBy.length, 0)} usages): ` +
        `rendered in ${ms.toFixed(0)} ms, ${(html.length / 1e6).toFixed(1)} MB`,
    );
    expect(textOf(html, 'fig-components')).toBe('10,000');
    expect(dataOf(html).components).toHaveLength(10_000);
  });
});
