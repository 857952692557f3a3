import { describe, expect, it } from 'vitest';
import { applyCurations } from '../src/core/curation.js';
import type { ComponentLicense } from '../src/core/model.js';
import { CATEGORIES, component, inventoryOf, policyOf } from './helpers/policy-inventory.js';

const POM_LICENSE: ComponentLicense = {
  status: 'unknown',
  declared: ['Lutece license'],
  expression: 'LicenseRef-unmapped-lutece-license',
  category: 'unknown',
  mappings: ['alias'],
  unmapped: ['Lutece license'],
  source: 'pom',
  evidence: 'fr.paris.lutece:lutece-global-pom:6.0.0',
  reason: 'no alias maps "Lutece license"',
};

const policy = policyOf(`licenses:
  allow: [permissive]
curations:
  - purl: pkg:maven/fr.paris.lutece/lutece-core
    license: BSD-3-Clause
    reason: LICENSE.txt of the repository is BSD-3-Clause
  - purl: pkg:maven/fr.paris.lutece/lutece-core
    versions: "[7.0,8.0)"
    license: BSD-3-Clause OR MIT
    reason: release 7 was dual-licensed
  - purl: pkg:maven/fr.paris.lutece/lutece-core
    versions: "[7.0,8.0)"
    license: MIT
    reason: a later, conflicting curation for the same versions
  - purl: pkg:npm/left-pad@1.3.0
    license: WTFPL
    reason: the README says WTFPL
  - purl: pkg:npm/left-pad
    license: MIT
    reason: every other version
`);

function curatedLicense(purl: string, license: ComponentLicense | string = POM_LICENSE) {
  const inventory = inventoryOf([component(purl, license)]);
  return applyCurations(inventory, policy.curations, CATEGORIES).components[0]?.license;
}

describe('applyCurations', () => {
  it('beats every declared source, keeping the declared values and the previous expression', () => {
    expect(curatedLicense('pkg:maven/fr.paris.lutece/lutece-core@6.1.0')).toEqual({
      status: 'known',
      declared: ['Lutece license'],
      expression: 'BSD-3-Clause',
      category: 'permissive',
      mappings: ['curation'],
      source: 'curation',
      evidence: 'policy.yaml:4',
      curated: {
        reason: 'LICENSE.txt of the repository is BSD-3-Clause',
        previous: 'LicenseRef-unmapped-lutece-license',
      },
    });
    for (const source of [
      'lockfile',
      'node_modules',
      'package.json',
      'registry',
      'license-file',
      'github',
    ] as const) {
      const declared: ComponentLicense = { status: 'known', declared: ['ISC'], expression: 'ISC', source };
      expect([source, curatedLicense('pkg:npm/left-pad@1.0.0', declared)?.expression]).toEqual([
        source,
        'MIT',
      ]);
    }
  });

  it('a curation with a matching version range beats a version-less one; then the first written wins', () => {
    expect(curatedLicense('pkg:maven/fr.paris.lutece/lutece-core@7.2.0')).toMatchObject({
      expression: 'BSD-3-Clause OR MIT',
      category: 'permissive',
      evidence: 'policy.yaml:7',
      curated: { reason: 'release 7 was dual-licensed' },
    });
    expect(curatedLicense('pkg:maven/fr.paris.lutece/lutece-core@8.0.0')?.evidence).toBe('policy.yaml:4');
  });

  it('a version in the purl pins the curation to that version, which beats the version-less one written after', () => {
    expect(curatedLicense('pkg:npm/left-pad@1.3.0')).toMatchObject({
      expression: 'WTFPL',
      evidence: 'policy.yaml:15',
    });
    expect(curatedLicense('pkg:npm/left-pad@1.2.0')).toMatchObject({
      expression: 'MIT',
      evidence: 'policy.yaml:18',
    });
  });

  it('records the declared values as previous when there was no expression, and nothing when none was declared', () => {
    const none: ComponentLicense = { status: 'unknown', declared: [] };
    expect(curatedLicense('pkg:npm/left-pad@2.0.0', none)?.curated).toEqual({
      reason: 'every other version',
    });
    const raw: ComponentLicense = { status: 'unknown', declared: ['WTFPL-ish', 'Public'] };
    expect(curatedLicense('pkg:npm/left-pad@2.0.0', raw)?.curated).toEqual({
      reason: 'every other version',
      previous: 'WTFPL-ish OR Public',
    });
  });

  it('leaves other components (and the inventory, when nothing matches) untouched', () => {
    const other = component('pkg:npm/right-pad@1.0.0', 'MIT');
    const inventory = inventoryOf([other]);
    expect(applyCurations(inventory, policy.curations, CATEGORIES)).toBe(inventory);
    const mixed = inventoryOf([other, component('pkg:npm/left-pad@1.0.0', 'ISC')]);
    const curated = applyCurations(mixed, policy.curations);
    expect(curated.components[0]).toBe(other);
    expect(curated.components[1]?.license.category).toBeUndefined();
    expect(mixed.components[1]?.license.expression).toBe('ISC');
  });

  it('applying twice changes nothing: previous stays the license before any curation', () => {
    const inventory = inventoryOf([component('pkg:maven/fr.paris.lutece/lutece-core@6.1.0', POM_LICENSE)]);
    const once = applyCurations(inventory, policy.curations, CATEGORIES);
    const twice = applyCurations(once, policy.curations, CATEGORIES);
    expect(twice.components).toEqual(once.components);
    expect(twice.components[0]?.license.curated?.previous).toBe('LicenseRef-unmapped-lutece-license');
  });

  it('skips curations whose purl, range or license does not parse (loading reports them)', () => {
    const inventory = inventoryOf([component('pkg:npm/left-pad@1.0.0', 'ISC')]);
    const broken = [
      { purl: 'npm/left-pad', license: 'MIT', reason: 'r', at: { file: 'p.yaml', line: 1 } },
      {
        purl: 'pkg:npm/left-pad',
        versions: '^^1',
        license: 'MIT',
        reason: 'r',
        at: { file: 'p.yaml', line: 2 },
      },
      { purl: 'pkg:npm/left-pad', license: 'Lutece license', reason: 'r', at: { file: 'p.yaml', line: 3 } },
    ];
    expect(applyCurations(inventory, broken)).toBe(inventory);
  });
});
