import { describe, expect, it } from 'vitest';
import type { Component } from '../src/core/model.js';
import { editDistance, parseWhereUsedQuery, whereUsed, type WhereUsedQuery } from '../src/core/where-used.js';
import { renderWhereUsedMarkdown } from '../src/reporters/where-used-markdown.js';
import { renderWhereUsedText } from '../src/reporters/where-used-text.js';
import { component, inventoryOf, usage } from './helpers/policy-inventory.js';

function query(text: string): WhereUsedQuery {
  const parsed = parseWhereUsedQuery(text);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.query;
}

function typed(purl: string, type: string, ...projects: string[]): Component {
  return {
    ...component(
      purl,
      'Apache-2.0',
      projects.map((p) => usage(p, ['runtime'])),
    ),
    maven: { type, scopes: ['compile'], optional: false },
  };
}

// Two Maven groups publish an artifact named `core`, and npm has a package `core` too.
const inventory = inventoryOf([
  typed('pkg:maven/fr.paris.lutece/lutece-core@7.0.0?type=lutece-core', 'lutece-core', 'lutece:plugin-a'),
  typed('pkg:maven/fr.paris.lutece/lutece-core@7.0.10?type=lutece-core', 'lutece-core', 'lutece:plugin-b'),
  typed('pkg:maven/fr.paris.lutece/lutece-core@7.0.9?type=lutece-core', 'lutece-core', 'lutece:plugin-c'),
  typed('pkg:maven/org.acme/core@1.0', 'jar', 'acme:api'),
  typed('pkg:maven/org.acme/core@1.0?type=test-jar', 'test-jar', 'acme:api'),
  typed('pkg:maven/com.example/core@2.1', 'jar', 'acme:web'),
  component('pkg:npm/core@0.1.0', 'MIT', [usage('js:.', ['dev'])]),
  component('pkg:npm/%40babel/core@7.24.0', 'MIT', [usage('js:.', ['dev'])]),
  component('pkg:npm/lodash@4.17.21', 'MIT', [usage('js:.', ['runtime'])]),
  component('pkg:npm/lodash-es@4.17.21', 'MIT', [usage('js:.', ['runtime'])]),
  component('pkg:npm/react@18.2.0', 'MIT', [usage('js:.', ['runtime'])]),
]);

/** `display: version, version` per package found. */
function found(text: string): string[] {
  return whereUsed(inventory, query(text)).packages.map(
    (p) => `${p.display}: ${p.versions.map((v) => v.purl).join(', ')}`,
  );
}

describe('parseWhereUsedQuery', () => {
  it('reads npm names, Maven coordinates and purls, with or without a version', () => {
    const cases = [
      'lodash',
      'lodash@4.17.21',
      '@babel/core',
      '@babel/core@7.24.0',
      'fr.paris.lutece:lutece-core',
      'fr.paris.lutece:lutece-core:7.0.0',
      'pkg:npm/%40babel/core@7.24.0',
      'pkg:maven/org.acme/core?type=test-jar',
    ];
    expect(Object.fromEntries(cases.map((c) => [c, parseWhereUsedQuery(c)]))).toEqual({
      lodash: { ok: true, query: { text: 'lodash', name: 'lodash' } },
      'lodash@4.17.21': { ok: true, query: { text: 'lodash@4.17.21', name: 'lodash', version: '4.17.21' } },
      '@babel/core': { ok: true, query: { text: '@babel/core', name: '@babel/core' } },
      '@babel/core@7.24.0': {
        ok: true,
        query: { text: '@babel/core@7.24.0', name: '@babel/core', version: '7.24.0' },
      },
      'fr.paris.lutece:lutece-core': {
        ok: true,
        query: {
          text: 'fr.paris.lutece:lutece-core',
          ecosystem: 'maven',
          group: 'fr.paris.lutece',
          name: 'lutece-core',
        },
      },
      'fr.paris.lutece:lutece-core:7.0.0': {
        ok: true,
        query: {
          text: 'fr.paris.lutece:lutece-core:7.0.0',
          ecosystem: 'maven',
          group: 'fr.paris.lutece',
          name: 'lutece-core',
          version: '7.0.0',
        },
      },
      'pkg:npm/%40babel/core@7.24.0': {
        ok: true,
        query: {
          text: 'pkg:npm/%40babel/core@7.24.0',
          ecosystem: 'npm',
          group: '@babel',
          name: 'core',
          version: '7.24.0',
        },
      },
      'pkg:maven/org.acme/core?type=test-jar': {
        ok: true,
        query: {
          text: 'pkg:maven/org.acme/core?type=test-jar',
          ecosystem: 'maven',
          group: 'org.acme',
          name: 'core',
          qualifiers: { type: 'test-jar' },
        },
      },
    });
  });

  it('refuses what names no package', () => {
    expect(parseWhereUsedQuery('  ')).toEqual({ ok: false, reason: 'the name is empty' });
    expect(parseWhereUsedQuery('lodash@')).toEqual({
      ok: false,
      reason: 'nothing follows the @ of the version',
    });
    expect(parseWhereUsedQuery('g::a')).toEqual({
      ok: false,
      reason: 'a Maven name is groupId:artifactId or groupId:artifactId:version',
    });
    expect(parseWhereUsedQuery('x'.repeat(1001))).toEqual({ ok: false, reason: 'over 1000 characters' });
    expect(parseWhereUsedQuery('pkg:')).toMatchObject({ ok: false });
  });
});

describe('whereUsed', () => {
  it('a bare name matches every Maven artifactId and the npm package of that name', () => {
    expect(found('core')).toEqual([
      'com.example:core: pkg:maven/com.example/core@2.1',
      'org.acme:core: pkg:maven/org.acme/core@1.0, pkg:maven/org.acme/core@1.0?type=test-jar',
      'core: pkg:npm/core@0.1.0',
    ]);
  });

  it('groupId:artifactId and purls name one package; qualifiers and versions narrow it', () => {
    expect(found('org.acme:core')).toEqual([
      'org.acme:core: pkg:maven/org.acme/core@1.0, pkg:maven/org.acme/core@1.0?type=test-jar',
    ]);
    expect(found('pkg:maven/org.acme/core?type=test-jar')).toEqual([
      'org.acme:core: pkg:maven/org.acme/core@1.0?type=test-jar',
    ]);
    expect(found('pkg:npm/core')).toEqual(['core: pkg:npm/core@0.1.0']);
    expect(found('@babel/core')).toEqual(['@babel/core: pkg:npm/%40babel/core@7.24.0']);
    expect(found('fr.paris.lutece:lutece-core:7.0.9')).toEqual([
      'fr.paris.lutece:lutece-core: pkg:maven/fr.paris.lutece/lutece-core@7.0.9?type=lutece-core',
    ]);
  });

  it('lists versions in the ecosystem order (7.0.9 before 7.0.10) and every project', () => {
    const result = whereUsed(inventory, query('lutece-core'));
    expect(result.packages.map((p) => [p.versions.map((v) => v.version), p.projects])).toEqual([
      [
        ['7.0.0', '7.0.9', '7.0.10'],
        ['lutece:plugin-a', 'lutece:plugin-b', 'lutece:plugin-c'],
      ],
    ]);
  });

  it('suggests close names: a typo, swapped letters, another case, a part of the name', () => {
    const suggest = (text: string) => whereUsed(inventory, query(text)).suggestions;
    expect(suggest('lodahs')).toEqual(['lodash']);
    expect(suggest('lodash_es')).toEqual(['lodash-es']);
    expect(suggest('React')).toEqual(['react']);
    expect(suggest('lutece')).toEqual(['fr.paris.lutece:lutece-core']);
    expect(suggest('babel/core')).toEqual(['@babel/core']);
    expect(suggest('org.acme:cor')).toEqual(['org.acme:core']);
    expect(suggest('lodash@5.0.0')).toEqual(['pkg:npm/lodash@4.17.21']);
    expect(suggest('__proto__')).toEqual([]);
    expect(suggest('constructor')).toEqual([]);
  });

  it('editDistance counts an adjacent swap as one edit and stops past the limit', () => {
    expect(editDistance('lodash', 'lodahs', 2)).toBe(1);
    expect(editDistance('kitten', 'sitting', 3)).toBe(3);
    expect(editDistance('kitten', 'sitting', 2)).toBe(3);
    expect(editDistance('', 'abc', 3)).toBe(3);
    expect(editDistance('a', 'abcdef', 2)).toBe(3);
    expect(editDistance('same', 'same', 0)).toBe(0);
  });
});

describe('where-used renderers on hostile values', () => {
  it('text and Markdown: no control character, table columns kept', () => {
    const evil = component('pkg:npm/evil@1.0.0', 'MIT', [
      usage('acme:\u001b]8;;http://x\u0007|p', ['runtime'], {
        direct: false,
        path: ['root', 'a|b`c\nd@1.0.0', 'evil@1.0.0'],
        declaredAt: { file: 'pack\u001b[2Jage.json', line: 3 },
      }),
    ]);
    const report = {
      result: whereUsed(inventoryOf([evil]), query('evil')),
      inventoryFile: 'inv\u202eentory.json',
      components: 1,
    };
    const text = renderWhereUsedText(report);
    // eslint-disable-next-line no-control-regex
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
    expect(text).toBe(
      [
        'evil (npm): 1 version, used by 1 project',
        '  1.0.0  MIT  pkg:npm/evil@1.0.0',
        '    acme:?]8;;http://x?|p  runtime  via a|b`c?d@1.0.0  declared at pack?[2Jage.json:3',
        '',
      ].join('\n'),
    );
    const markdown = renderWhereUsedMarkdown(report);
    const row = markdown.split('\n').find((line) => line.startsWith('| `1.0.0`'));
    expect(row).toBe(
      '| `1.0.0` | `MIT` | `acme:?]8;;http://x?\\|p` | runtime | ``via a\\|b`c?d@1.0.0`` | `pack?[2Jage.json:3` |',
    );
  });
});
