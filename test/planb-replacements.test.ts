import { describe, expect, it } from 'vitest';
import { replacementEntries, type ReplacementManifest } from '../src/core/planb-replacements.js';
import { assignPlanB, indexPlanBRules } from '../src/core/planb.js';
import { loadPlanBKnowledge } from '../src/pipeline/planb.js';
import { component, inventoryOf } from './helpers/policy-inventory.js';

const resolve = (url: unknown) =>
  url && typeof url === 'object' && 'id' in url ? `https://docs.example/${String(url.id)}` : null;

describe('plan-B entries from the e18e module-replacements manifests', () => {
  it('turns modules, platform features, snippets and removals into options citing their page', () => {
    const manifest: ReplacementManifest = {
      mappings: {
        request: { moduleName: 'request', replacements: ['fetch', 'ky', '@scope/got'], url: { id: 'fetch' } },
        'is-number': { moduleName: 'is-number', replacements: ['snippet::is-number'] },
        'has-symbols': { moduleName: 'has-symbols', replacements: ['removal::symbols'] },
        'node-util': { moduleName: 'node-util', replacements: ['node:util'] },
        'read-pkg': { moduleName: 'read-pkg', replacements: ['node:fs'] },
      },
      replacements: {
        fetch: { id: 'fetch', type: 'native', url: { id: 'Web/API/fetch' } },
        ky: { id: 'ky', type: 'documented', replacementModule: 'ky' },
        'node:fs': { id: 'node:fs', type: 'documented', replacementModule: 'node:fs' },
        'snippet::is-number': {
          id: 'snippet::is-number',
          type: 'simple',
          description: 'You can use `typeof` to check if a value is a number. More text.',
        },
        'removal::symbols': {
          id: 'removal::symbols',
          type: 'removal',
          description: 'Every engine has Symbol.',
        },
      },
    };
    expect(replacementEntries(manifest, resolve)).toEqual([
      {
        purl: 'pkg:npm/request',
        reason: 'the e18e module-replacements manifests suggest fetch, ky, @scope/got instead',
        citation: 'https://docs.example/fetch',
        options: [
          { kind: 'native', label: 'fetch' },
          { kind: 'alternative', target: 'pkg:npm/ky' },
          { kind: 'alternative', target: 'pkg:npm/%40scope/got' },
        ],
      },
      {
        purl: 'pkg:npm/is-number',
        reason: 'the e18e module-replacements manifests suggest snippet::is-number instead',
        citation: 'https://github.com/e18e/module-replacements',
        options: [{ kind: 'native', label: 'You can use `typeof` to check if a value is a number.' }],
      },
      {
        purl: 'pkg:npm/has-symbols',
        reason: 'the e18e module-replacements manifests suggest removal::symbols instead',
        citation: 'https://github.com/e18e/module-replacements',
        options: [{ kind: 'remove', label: 'Every engine has Symbol.' }],
      },
      {
        purl: 'pkg:npm/node-util',
        reason: 'the e18e module-replacements manifests suggest node:util instead',
        citation: 'https://github.com/e18e/module-replacements',
        options: [{ kind: 'native', label: 'node:util' }],
      },
      {
        purl: 'pkg:npm/read-pkg',
        reason: 'the e18e module-replacements manifests suggest node:fs instead',
        citation: 'https://github.com/e18e/module-replacements',
        options: [{ kind: 'native', label: 'node:fs' }],
      },
    ]);
    // every entry is a valid plan-B rule
    expect(indexPlanBRules('test', replacementEntries(manifest, resolve), 'citation').issues).toEqual([]);
  });

  it('gives object-assign its native replacement, from the shipped package', () => {
    const { knowledge } = loadPlanBKnowledge();
    const objectAssign = component('pkg:npm/object-assign@4.1.1', 'MIT');
    const [withPlanB] = assignPlanB(inventoryOf([objectAssign]), knowledge).components;
    expect(withPlanB!.planB).toEqual({
      status: 'options',
      options: [
        {
          kind: 'native',
          label: 'Object.assign',
          confidence: 'curated',
          source: 'module-replacements (e18e)',
          evidence:
            'https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/Object/assign',
        },
      ],
    });
  });
});
