import { describe, expect, it } from 'vitest';
import { diffInventories } from '../src/core/diff.js';
import type { Component } from '../src/core/model.js';
import { code, text } from '../src/reporters/diff-common.js';
import { renderDiffJson } from '../src/reporters/diff-json.js';
import { renderDiffMarkdown } from '../src/reporters/diff-markdown.js';
import { renderDiffText } from '../src/reporters/diff-text.js';
import { CATEGORIES, component, inventoryOf, policyOf, project, usage } from './helpers/policy-inventory.js';

// What a repository can put in a name, a version or a license: terminal escapes, a newline, bidirectional
// overrides, Markdown table pipes, backticks and HTML.
const HOSTILE_NAME = 'evil\u001b[2J\u001b]0;owned\u0007|`x`\n<img src=x onerror=alert(1)>\u202egnp.exe';
const HOSTILE_LICENSE = 'MIT | <b>GPL</b>\r\n`rm -rf`';

function hostile(version: string): Component {
  const c = component(`pkg:npm/placeholder@${version}`, HOSTILE_LICENSE, [
    usage('acme:evil\u001b[31m|project', ['runtime']),
  ]);
  return { ...c, purl: `pkg:npm/${encodeURIComponent(HOSTILE_NAME)}@${version}`, name: HOSTILE_NAME };
}

const previous = inventoryOf(
  [hostile('1.0.0'), component('pkg:npm/gone@1.0.0', 'MIT')],
  [project('acme:evil\u001b[31m|project', 'acme'), project('acme:.', 'acme')],
);
const current = inventoryOf(
  [hostile('2.0.0'), { ...hostile('3.0.0'), name: 'other' }],
  [project('acme:evil\u001b[31m|project', 'acme'), project('acme:.', 'acme')],
);
const policy = policyOf(`licenses:
  allow: [permissive]
  unknown: deny
`);
const report = {
  diff: diffInventories(previous, current, {
    policy,
    categories: CATEGORIES,
    now: new Date('2026-01-15T10:00:00Z'),
  }),
  previousFile: 'last\u001b[1mmonth.json',
  currentFile: 'this|month`.json',
};

const TERMINAL_UNSAFE =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('diff renderers on hostile names, versions and licenses', () => {
  it('text: no control or bidirectional character reaches the terminal, one line per item', () => {
    const out = renderDiffText(report);
    expect(out).not.toMatch(TERMINAL_UNSAFE);
    expect(out).toContain('  ↑ pkg:npm/evil%1B%5B2J%1B%5D0%3Bowned%07%7C%60x%60%0A%3Cimg%20src%3Dx%20');
    const added = out.split('\n').filter((line) => line.startsWith('  + '));
    expect(added).toEqual([
      '  + pkg:npm/evil%1B%5B2J%1B%5D0%3Bowned%07%7C%60x%60%0A%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E%E2%80%AEgnp.exe@3.0.0' +
        '  MIT | <b>GPL</b>??`rm -rf`  runtime, direct  used by acme:evil?[31m|project',
    ]);
  });

  it('Markdown: every table row keeps its columns, values stay in code spans, HTML is not live', () => {
    const out = renderDiffMarkdown(report);
    expect(out).not.toMatch(TERMINAL_UNSAFE);
    const tables = out.split('\n\n').filter((block) => block.startsWith('| '));
    expect(tables.length).toBeGreaterThan(0);
    for (const table of tables) {
      const [header, ...rows] = table.trimEnd().split('\n');
      const columns = (header!.match(/(?<!\\)\|/g) ?? []).length;
      for (const row of rows) expect((row.match(/(?<!\\)\|/g) ?? []).length, row).toBe(columns);
    }
    expect(out).not.toMatch(/(?<!`[^`|]*)<img/);
    expect(out).toContain('- current: ``this|month`.json``');
  });

  it('JSON: the values survive (cleaned of nothing but escaped), bidirectional controls escaped', () => {
    const out = renderDiffJson(report);
    expect(out).not.toMatch(/[\u202a-\u202e]/);
    const parsed = JSON.parse(out) as {
      current: { file: string };
      components: { added: { name: string }[] };
    };
    expect(parsed.current.file).toBe('this|month`.json');
    expect(parsed.components.added[0]?.name).toBe('other');
  });
});

describe('Markdown escaping', () => {
  it('code spans: fenced longer than any backtick run, pipes escaped, controls replaced', () => {
    expect(code('lodash')).toBe('`lodash`');
    expect(code('a`b')).toBe('``a`b``');
    expect(code('`edge`')).toBe('`` `edge` ``');
    expect(code('a|b\nc')).toBe('`a\\|b?c`');
    expect(code('')).toBe('');
    expect(code('a|b', false)).toBe('`a|b`');
  });

  it('free text: emphasis, links, HTML, entities and pipes escaped', () => {
    expect(text('*a* _b_ [c](d) <e> &amp; |f| ~g~ `h`')).toBe(
      '\\*a\\* \\_b\\_ \\[c\\](d) \\<e\\> \\&amp; \\|f\\| \\~g\\~ \\`h\\`',
    );
  });
});
