import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { LICENSE_CATEGORIES } from '../src/core/model.js';
import { loadLicenseKnowledge, readCategoryLists } from '../src/licenses/knowledge.js';

const require = createRequire(import.meta.url);
const ids = require('spdx-license-ids') as string[];
const deprecated = require('spdx-license-ids/deprecated.json') as string[];
const lists = readCategoryLists();
const { categories } = loadLicenseKnowledge();

describe('data/license-categories.yaml', () => {
  it('uses only the categories of the model', () => {
    expect([...lists.keys()].filter((c) => !(LICENSE_CATEGORIES as readonly string[]).includes(c))).toEqual(
      [],
    );
  });

  it('gives every SPDX license id, deprecated ones included, exactly one category', () => {
    const seen = new Map<string, string[]>();
    for (const [category, list] of lists)
      for (const id of list) seen.set(id, [...(seen.get(id) ?? []), category]);
    const missing = [...ids, ...deprecated].filter((id) => !seen.has(id));
    const twice = [...seen]
      .filter(([, found]) => found.length > 1)
      .map(([id, found]) => `${id}: ${found.join(', ')}`);
    const notSpdx = [...seen.keys()].filter(
      (id) => !ids.includes(id) && !deprecated.includes(id) && !id.startsWith('LicenseRef-'),
    );
    expect({ missing, twice, notSpdx }).toEqual({ missing: [], twice: [], notSpdx: [] });
  });

  it.each([
    ['MIT', 'permissive'],
    ['Apache-2.0', 'permissive'],
    ['BSD-3-Clause', 'permissive'],
    ['ISC', 'permissive'],
    ['0BSD', 'permissive'],
    ['MIT-0', 'permissive'],
    ['WTFPL', 'permissive'],
    ['BlueOak-1.0.0', 'permissive'],
    ['CC-BY-4.0', 'permissive'],
    ['OFL-1.1', 'permissive'],
    ['CECILL-B', 'permissive'],
    ['etalab-2.0', 'permissive'],
    ['CC0-1.0', 'public-domain'],
    ['Unlicense', 'public-domain'],
    ['PDDL-1.0', 'public-domain'],
    ['LicenseRef-public-domain', 'public-domain'],
    ['LGPL-2.1-only', 'weak-copyleft'],
    ['LGPL-3.0-or-later', 'weak-copyleft'],
    ['MPL-2.0', 'weak-copyleft'],
    ['EPL-1.0', 'weak-copyleft'],
    ['EPL-2.0', 'weak-copyleft'],
    ['CDDL-1.1', 'weak-copyleft'],
    ['CECILL-C', 'weak-copyleft'],
    ['CC-BY-SA-4.0', 'weak-copyleft'],
    ['GPL-2.0-only', 'strong-copyleft'],
    ['GPL-3.0-or-later', 'strong-copyleft'],
    ['GPL-2.0', 'strong-copyleft'],
    ['CECILL-2.1', 'strong-copyleft'],
    ['AGPL-3.0-only', 'network-copyleft'],
    ['AGPL-3.0', 'network-copyleft'],
    ['EUPL-1.2', 'network-copyleft'],
    ['OSL-3.0', 'network-copyleft'],
    ['SSPL-1.0', 'proprietary'],
    ['BUSL-1.1', 'proprietary'],
    ['Elastic-2.0', 'proprietary'],
    ['CC-BY-NC-4.0', 'proprietary'],
    ['CC-BY-ND-4.0', 'proprietary'],
    ['JSON', 'proprietary'],
    ['LicenseRef-UNLICENSED', 'proprietary'],
  ])('%s is %s', (id, category) => {
    expect(categories.get(id)).toBe(category);
  });
});
