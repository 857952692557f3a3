import { describe, expect, it } from 'vitest';
import type { Project } from '../src/core/model.js';
import { projectFileStems, projectInventories } from '../src/reporters/per-project.js';
import { sampleInventory } from './helpers/sample-inventory.js';

function project(subject: string, path: string): Project {
  return {
    id: `${subject}:${path}`,
    subject,
    path,
    ecosystem: 'npm',
    manifests: [],
    locked: true,
    dependsOn: [],
  };
}

describe('projectFileStems', () => {
  it('names each project after its subject and folder, with only portable characters', () => {
    const stems = projectFileStems([
      project('lutece-platform/lutece-core', '.'),
      project('acme', 'packages/web'),
      project('files', 'packages/domain/période'),
      project('weird', '../a b/<c>:d|e*?'),
      project('.hidden', '.'),
      project('con', '.'),
      project('~', '.'),
    ]);
    expect(Object.fromEntries(stems)).toEqual({
      'lutece-platform/lutece-core:.': 'lutece-platform_lutece-core',
      'acme:packages/web': 'acme_packages_web',
      'files:packages/domain/période': 'files_packages_domain_periode',
      'weird:../a b/<c>:d|e*?': 'weird_.._a_b_c_d_e',
      '.hidden:.': 'hidden',
      'con:.': 'con_',
      '~:.': 'project',
    });
  });

  it('tells apart names that are equal, also when case is ignored, in project id order', () => {
    const stems = projectFileStems([
      project('acme', 'web'),
      project('acme_web', '.'),
      project('ACME', 'web'),
      project('acme', 'web'),
    ]);
    expect([...stems]).toEqual([
      ['ACME:web', 'ACME_web'],
      ['acme:web', 'acme_web-2'],
      ['acme_web:.', 'acme_web-3'],
    ]);
  });

  it('cuts a very long name', () => {
    const stems = projectFileStems([project('org', 'a/'.repeat(100))]);
    expect(stems.get(`org:${'a/'.repeat(100)}`)).toBe(`org_${'a_'.repeat(47)}a`);
  });
});

describe('projectInventories', () => {
  it("splits the inventory into each project's share, with its own usages, scopes and direct flags", () => {
    const parts = [...projectInventories(sampleInventory())];
    expect(
      parts.map(({ project, inventory }) => [
        project.id,
        inventory.projects.map((p) => `${p.id} -> ${p.dependsOn.length}`),
        inventory.components.map(
          (c) => `${c.name}@${c.version} ${c.scopes.join('+')} ${c.direct} ${c.usedBy.length}`,
        ),
      ]),
    ).toEqual([
      ['acme:.', ['acme:. -> 2'], ['runtime@7.24.0 dev true 1', 'typescript@5.4.5 dev true 1']],
      [
        'acme:packages/web',
        ['acme:packages/web -> 5'],
        [
          'runtime@7.24.0 runtime true 1',
          'fsevents@2.3.3 optional true 1',
          'jszip@3.10.1 runtime true 1',
          'left-pad@1.3.0 runtime true 1',
          'pako@1.0.11 runtime false 1',
          'xlsx@0.20.2 runtime true 1',
        ],
      ],
      ['acme:tools/legacy', ['acme:tools/legacy -> 1'], ['express@^4.19.2 runtime true 1']],
    ]);
  });

  it('keeps the subject, its problems, and only dependencies within the share', () => {
    const inventory = sampleInventory();
    inventory.components.find((c) => c.name === 'typescript')!.dependsOn = ['pkg:npm/pako@1.0.11'];
    inventory.problems.push({ severity: 'warning', code: 'other', message: 'elsewhere', subject: 'other' });
    const [root] = [...projectInventories(inventory)];
    expect(root!.inventory.subjects.map((s) => s.name)).toEqual(['acme']);
    expect(root!.inventory.problems.map((p) => p.code)).toEqual([
      'npm.package-lock.unresolved',
      'npm.package-json.invalid-json',
    ]);
    expect(root!.inventory.components.find((c) => c.name === 'typescript')!.dependsOn).toEqual([]);
    // the whole inventory is left as it was
    expect(inventory.components.find((c) => c.name === 'typescript')!.dependsOn).toEqual([
      'pkg:npm/pako@1.0.11',
    ]);
    expect(inventory.components[0]!.usedBy).toHaveLength(2);
  });
});
