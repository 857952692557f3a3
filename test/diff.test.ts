import { describe, expect, it } from 'vitest';
import { diffInventories, isEmptyDiff, type InventoryDiff } from '../src/core/diff.js';
import type { Component, Health, HealthClass, Project } from '../src/core/model.js';
import { CATEGORIES, component, inventoryOf, policyOf, project, usage } from './helpers/policy-inventory.js';

/** `purl used by p1, p2`: a component used directly at run time by each project. */
function used(purl: string, license: string | undefined, ...projects: string[]): Component {
  return component(
    purl,
    license,
    projects.map((p) => usage(p, ['runtime'])),
  );
}

const P1 = project('acme:one', 'acme');
const P2 = project('acme:two', 'acme');
const P3 = project('acme:three', 'acme');

/** The version changes as `purl -> purl (direction)`. */
function versionLines(diff: InventoryDiff): string[] {
  return diff.components.versionChanges.map(
    (v) => `${v.previous.purl} -> ${v.current.purl} (${v.direction})`,
  );
}

function diffOf(before: Component[], after: Component[], projects: Project[] = [P1, P2]) {
  return diffInventories(inventoryOf(before, projects), inventoryOf(after, projects));
}

function withHealth(c: Component, healthClass: HealthClass): Component {
  const health: Health = {
    class: healthClass,
    reasons: [],
    score: 50,
    priority: 0,
    exposure: { projects: 1, directProjects: 1, runtimeProjects: 1, devOnly: false },
    assessedAt: '2026-01-15T10:00:00.000Z',
  };
  return { ...c, health };
}

describe('diffInventories: versions, in the order of their ecosystem', () => {
  it('orders Maven versions as Maven does (1.10 is after 1.9, a release after its SNAPSHOT)', () => {
    const diff = diffOf(
      [
        used('pkg:maven/org.apache.commons/commons-text@1.9', 'Apache-2.0', 'acme:one'),
        used('pkg:maven/fr.paris.lutece/lutece-core@7.0.0-SNAPSHOT', 'BSD-3-Clause', 'acme:one'),
        used('pkg:maven/com.example/lib@2.0-rc1', 'MIT', 'acme:one'),
        used('pkg:maven/com.example/same@1.0.0', 'MIT', 'acme:one'),
      ],
      [
        used('pkg:maven/org.apache.commons/commons-text@1.10', 'Apache-2.0', 'acme:one'),
        used('pkg:maven/fr.paris.lutece/lutece-core@7.0.0', 'BSD-3-Clause', 'acme:one'),
        used('pkg:maven/com.example/lib@2.0-beta', 'MIT', 'acme:one'),
        used('pkg:maven/com.example/same@1', 'MIT', 'acme:one'),
      ],
    );
    expect(versionLines(diff)).toEqual([
      'pkg:maven/com.example/lib@2.0-rc1 -> pkg:maven/com.example/lib@2.0-beta (downgrade)',
      // Equal in Maven's order (trailing zeros do not count), yet written differently.
      'pkg:maven/com.example/same@1.0.0 -> pkg:maven/com.example/same@1 (change)',
      'pkg:maven/fr.paris.lutece/lutece-core@7.0.0-SNAPSHOT -> pkg:maven/fr.paris.lutece/lutece-core@7.0.0 (upgrade)',
      'pkg:maven/org.apache.commons/commons-text@1.9 -> pkg:maven/org.apache.commons/commons-text@1.10 (upgrade)',
    ]);
    expect(diff.components.added).toEqual([]);
    expect(diff.components.removed).toEqual([]);
    expect(diff.components.changed).toEqual([]);
  });

  it('orders npm versions by semver (prereleases first); git refs and ranges cannot be ordered', () => {
    const unlocked = (c: Component): Component => ({ ...c, locked: false });
    const diff = diffOf(
      [
        used('pkg:npm/%40babel/core@7.9.0', 'MIT', 'acme:one'),
        used('pkg:npm/next@14.0.0-canary.9', 'MIT', 'acme:one'),
        used(
          'pkg:npm/left-pad@1.3.0?vcs_url=git%2Bhttps%3A%2F%2Fgithub.com%2Fa%2Fb.git%40aaaa',
          'MIT',
          'acme:one',
        ),
        unlocked(used('pkg:npm/express@%5E4.18.0', 'MIT', 'acme:one')),
      ],
      [
        used('pkg:npm/%40babel/core@7.10.0', 'MIT', 'acme:one'),
        used('pkg:npm/next@14.0.0', 'MIT', 'acme:one'),
        used(
          'pkg:npm/left-pad@1.3.0?vcs_url=git%2Bhttps%3A%2F%2Fgithub.com%2Fa%2Fb.git%40bbbb',
          'MIT',
          'acme:one',
        ),
        unlocked(used('pkg:npm/express@%5E4.19.2', 'MIT', 'acme:one')),
      ],
    );
    expect(versionLines(diff)).toEqual([
      'pkg:npm/%40babel/core@7.9.0 -> pkg:npm/%40babel/core@7.10.0 (upgrade)',
      'pkg:npm/express@%5E4.18.0 -> pkg:npm/express@%5E4.19.2 (change)',
      // Same version, another commit: a different component of the same package.
      'pkg:npm/left-pad@1.3.0?vcs_url=git%2Bhttps%3A%2F%2Fgithub.com%2Fa%2Fb.git%40aaaa -> ' +
        'pkg:npm/left-pad@1.3.0?vcs_url=git%2Bhttps%3A%2F%2Fgithub.com%2Fa%2Fb.git%40bbbb (change)',
      'pkg:npm/next@14.0.0-canary.9 -> pkg:npm/next@14.0.0 (upgrade)',
    ]);
  });

  it('reports the declared range of an unlocked Maven dependency that changed under the same purl', () => {
    const unlocked = (version: string): Component => ({
      ...used('pkg:maven/fr.paris.lutece/lutece-core?type=lutece-core', undefined, 'acme:one'),
      version,
      locked: false,
    });
    const diff = diffOf([unlocked('[7.0.2,7.9.9)')], [unlocked('[8.0.0,)')]);
    expect(
      diff.components.versionChanges.map((v) => [v.previous.version, v.current.version, v.direction]),
    ).toEqual([['[7.0.2,7.9.9)', '[8.0.0,)', 'change']]);
    expect(diff.components.changed).toEqual([]);
  });

  it('pairs the versions of a package by the projects that moved from one to the other', () => {
    // acme:one went from 1.0.0 to 4.0.0, acme:two from 3.0.0 down to 2.0.0.
    const diff = diffOf(
      [used('pkg:npm/lib@1.0.0', 'MIT', 'acme:one'), used('pkg:npm/lib@3.0.0', 'MIT', 'acme:two')],
      [used('pkg:npm/lib@2.0.0', 'MIT', 'acme:two'), used('pkg:npm/lib@4.0.0', 'MIT', 'acme:one')],
    );
    expect(versionLines(diff)).toEqual([
      'pkg:npm/lib@1.0.0 -> pkg:npm/lib@4.0.0 (upgrade)',
      'pkg:npm/lib@3.0.0 -> pkg:npm/lib@2.0.0 (downgrade)',
    ]);
  });

  it('pairs what no project links in version order; what is left over is added or removed', () => {
    const diff = diffOf(
      [used('pkg:npm/lib@1.0.0', 'MIT', 'acme:one')],
      [used('pkg:npm/lib@3.0.0', 'MIT', 'acme:two'), used('pkg:npm/lib@2.0.0', 'MIT', 'acme:two')],
    );
    expect(versionLines(diff)).toEqual(['pkg:npm/lib@1.0.0 -> pkg:npm/lib@2.0.0 (upgrade)']);
    expect(diff.components.added.map((c) => c.purl)).toEqual(['pkg:npm/lib@3.0.0']);
    expect(diff.components.removed).toEqual([]);
  });

  it('keeps a Maven test-jar apart from the jar of the same artifact', () => {
    const typed = (purl: string, type: string): Component => ({
      ...used(purl, 'Apache-2.0', 'acme:one'),
      maven: { type, scopes: ['compile'], optional: false },
    });
    const diff = diffOf(
      [typed('pkg:maven/g/a@1.0', 'jar'), typed('pkg:maven/g/a@1.0?type=test-jar', 'test-jar')],
      [typed('pkg:maven/g/a@1.1', 'jar'), typed('pkg:maven/g/a@1.1?type=test-jar', 'test-jar')],
    );
    expect(versionLines(diff)).toEqual([
      'pkg:maven/g/a@1.0 -> pkg:maven/g/a@1.1 (upgrade)',
      'pkg:maven/g/a@1.0?type=test-jar -> pkg:maven/g/a@1.1?type=test-jar (upgrade)',
    ]);
  });
});

describe('diffInventories: field changes', () => {
  it('reports license, category, status, scopes and direct changes of one component', () => {
    const before = used('pkg:npm/lib@1.0.0', 'MIT', 'acme:one');
    const after = component('pkg:npm/lib@1.0.0', 'LicenseRef-unmapped-see-license', [
      usage('acme:one', ['dev'], { direct: false }),
    ]);
    after.license.category = 'unknown';
    before.license.category = 'permissive';
    expect(diffOf([before], [after]).components.changed).toEqual([
      {
        component: {
          purl: 'pkg:npm/lib@1.0.0',
          ecosystem: 'npm',
          name: 'lib',
          version: '1.0.0',
          license: 'LicenseRef-unmapped-see-license',
          category: 'unknown',
          licenseStatus: 'unknown',
          direct: false,
          scopes: ['dev'],
          projects: ['acme:one'],
        },
        changes: [
          { field: 'license.expression', before: 'MIT', after: 'LicenseRef-unmapped-see-license' },
          { field: 'license.category', before: 'permissive', after: 'unknown' },
          { field: 'license.status', before: 'known', after: 'unknown' },
          { field: 'scopes', before: 'runtime', after: 'dev' },
          { field: 'direct', before: 'true', after: 'false' },
        ],
      },
    ]);
  });

  it('reports a health class that changed, not one assessed on one side only', () => {
    const lib = used('pkg:npm/lib@1.0.0', 'MIT', 'acme:one');
    const other = used('pkg:npm/other@1.0.0', 'MIT', 'acme:one');
    const diff = diffOf(
      [withHealth(lib, 'MAINTAINED'), other],
      [withHealth(lib, 'ABANDONED'), withHealth(other, 'HEALTHY')],
    );
    expect(diff.components.changed.map((c) => [c.component.purl, c.component.health, c.changes])).toEqual([
      [
        'pkg:npm/lib@1.0.0',
        'ABANDONED',
        [{ field: 'health.class', before: 'MAINTAINED', after: 'ABANDONED' }],
      ],
    ]);
  });

  it('reports the existing projects that started or stopped using a component, not those added or removed', () => {
    const diff = diffInventories(
      inventoryOf([used('pkg:npm/lodash@4.17.21', 'MIT', 'acme:one', 'acme:three')], [P1, P2, P3]),
      inventoryOf(
        [used('pkg:npm/lodash@4.17.21', 'MIT', 'acme:two', 'acme:four')],
        [P1, P2, project('acme:four', 'acme')],
      ),
    );
    expect(diff.projects).toEqual({
      added: [{ id: 'acme:four', ecosystem: 'npm' }],
      removed: [{ id: 'acme:three', ecosystem: 'npm' }],
      changed: [],
    });
    expect(diff.components.changed.map((c) => [c.component.purl, c.changes, c.usedBy])).toEqual([
      ['pkg:npm/lodash@4.17.21', [], { added: ['acme:two'], removed: ['acme:one'] }],
    ]);
  });

  it('reports the projects whose name, version, license or lock changed', () => {
    const before: Project = { ...P1, name: 'one', version: '1.0.0', locked: true };
    const after: Project = {
      ...P1,
      name: 'one',
      version: '1.1.0',
      locked: false,
      license: {
        status: 'known',
        declared: ['EUPL-1.2'],
        expression: 'EUPL-1.2',
        detected: [],
      },
    };
    const diff = diffInventories(inventoryOf([], [before, P2]), inventoryOf([], [after, P2]));
    expect(diff.projects.changed).toEqual([
      {
        project: { id: 'acme:one', ecosystem: 'npm', name: 'one', version: '1.1.0' },
        changes: [
          { field: 'version', before: '1.0.0', after: '1.1.0' },
          { field: 'license.expression', after: 'EUPL-1.2' },
          { field: 'locked', before: 'true', after: 'false' },
        ],
      },
    ]);
  });

  it('does not depend on the order of the inventories’ lists', () => {
    const before = [
      used('pkg:npm/a@1.0.0', 'MIT', 'acme:one'),
      used('pkg:npm/b@1.0.0', 'MIT', 'acme:two'),
      used('pkg:npm/c@1.0.0', 'ISC', 'acme:one', 'acme:two'),
      used('pkg:npm/d@1.0.0', 'MIT', 'acme:one'),
    ];
    const after = [
      used('pkg:npm/a@2.0.0', 'MIT', 'acme:one'),
      used('pkg:npm/b@0.9.0', 'MIT', 'acme:two'),
      used('pkg:npm/c@1.0.0', 'MIT', 'acme:one'),
      used('pkg:npm/e@1.0.0', 'MIT', 'acme:two'),
    ];
    const forward = diffInventories(inventoryOf(before, [P1, P2]), inventoryOf(after, [P1, P2]));
    const shuffled = diffInventories(
      inventoryOf([...before].reverse(), [P2, P1]),
      inventoryOf([after[2]!, after[0]!, after[3]!, after[1]!], [P2, P1]),
    );
    expect(shuffled).toEqual(forward);
    expect(JSON.stringify(shuffled)).toBe(JSON.stringify(forward));
    expect(versionLines(forward)).toEqual([
      'pkg:npm/a@1.0.0 -> pkg:npm/a@2.0.0 (upgrade)',
      'pkg:npm/b@1.0.0 -> pkg:npm/b@0.9.0 (downgrade)',
    ]);
  });

  it('finds nothing between an inventory and itself', () => {
    const inventory = inventoryOf([used('pkg:npm/a@1.0.0', 'MIT', 'acme:one')], [P1]);
    const diff = diffInventories(inventory, structuredClone(inventory));
    expect(isEmptyDiff(diff)).toBe(true);
    expect(diff.components).toEqual({ added: [], removed: [], versionChanges: [], changed: [] });
  });
});

describe('diffInventories with a policy: new and resolved violations', () => {
  const policy = policyOf(`licenses:
  allow: [permissive]
  deny: [strong-copyleft]
  unknown: deny
`);
  const options = { policy, categories: CATEGORIES, now: new Date('2026-01-15T10:00:00Z') };

  it('a package that keeps its refused license across an upgrade is not a new violation', () => {
    const diff = diffInventories(
      inventoryOf([
        used('pkg:npm/gpl-lib@1.0.0', 'GPL-3.0-only', 'acme:.'),
        used('pkg:npm/no-license@1.0.0', undefined, 'acme:.'),
        used('pkg:npm/fine@1.0.0', 'MIT', 'acme:.'),
      ]),
      inventoryOf([
        used('pkg:npm/gpl-lib@2.0.0', 'GPL-3.0-only', 'acme:.'),
        used('pkg:npm/no-license@1.0.0', 'MIT', 'acme:.'),
        used('pkg:npm/fine@1.1.0', 'GPL-2.0-only', 'acme:.'),
      ]),
      options,
    );
    const brief = (v: { component: { purl: string }; verdict: string; offending: string[] }) =>
      `${v.component.purl} ${v.verdict} ${v.offending.join(' ')}`;
    expect(diff.violations?.policy).toBe('policy.yaml');
    expect(diff.violations?.added.map(brief)).toEqual(['pkg:npm/fine@1.1.0 denied GPL-2.0-only']);
    expect(diff.violations?.resolved.map(brief)).toEqual(['pkg:npm/no-license@1.0.0 unknown ']);
    expect(isEmptyDiff(diff)).toBe(false);
  });

  it('without a policy there is no violations section', () => {
    const inventory = inventoryOf([used('pkg:npm/gpl-lib@1.0.0', 'GPL-3.0-only', 'acme:.')]);
    expect(diffInventories(inventory, inventory).violations).toBeUndefined();
    expect(diffInventories(inventory, inventory, options).violations).toEqual({
      policy: 'policy.yaml',
      added: [],
      resolved: [],
    });
  });
});
