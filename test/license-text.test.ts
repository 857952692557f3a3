import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  DETECTION_THRESHOLD,
  closestLicenseText,
  detectLicenseText,
  isLicenseFileName,
  licenseWords,
  prepareTemplates,
  spdxTemplates,
  type PreparedTemplates,
  type SpdxCatalogue,
} from '../src/core/license-text.js';
import { spdxLicenseTemplates } from '../src/licenses/spdx-texts.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const texts = path.resolve(here, '../fixtures/licenses/texts');
const corpus = path.resolve(here, '../../shared/corpus');
const hasCorpus = existsSync(corpus);
if (!hasCorpus) console.warn('skipping: ../shared/corpus is absent');

const require = createRequire(import.meta.url);
const catalogue = require('spdx-license-list/full') as SpdxCatalogue;
const currentIds = new Set(require('spdx-license-ids/index.json') as string[]);

let templates: PreparedTemplates;
beforeAll(async () => {
  templates = await spdxLicenseTemplates();
});

const fixture = (name: string) => readFileSync(path.join(texts, name), 'utf8');
const spdxText = (id: string) => catalogue[id]!.licenseText;
/** A copy as people make them: their own copyright line, the text re-wrapped at 72 columns. */
const rewrapped = (text: string) =>
  `Copyright (c) 2024 Someone Else\n\n${text.replace(/\s+/g, ' ').replace(/(.{1,72})(\s|$)/g, '$1\n')}`;
const detect = (text: string) => {
  const found = detectLicenseText(text, templates);
  return found && { expression: found.expression, confidence: Math.round(found.confidence * 100) / 100 };
};

describe('detectLicenseText on real license files', () => {
  it.each([
    ['MIT.txt', 'MIT', 1],
    ['ISC.txt', 'ISC', 0.95],
    ['0BSD.txt', '0BSD', 1],
    ['BSD-2-Clause.txt', 'BSD-2-Clause', 0.99],
    ['BSD-3-Clause-lutece.txt', 'BSD-3-Clause', 0.99],
    ['Apache-2.0.txt', 'Apache-2.0', 1],
    ['GPL-2.0-COPYING', 'GPL-2.0-only', 0.99],
    ['GPL-3.0-COPYING', 'GPL-3.0-only', 1],
    ['LGPL-2.1-COPYING', 'LGPL-2.1-only', 1],
    ['LGPL-3.0-COPYING.LESSER', 'LGPL-3.0-only', 1],
    ['MPL-2.0.txt', 'MPL-2.0', 1],
    ['dual-MIT-Apache-2.0.txt', 'Apache-2.0 OR MIT', 0.99],
  ])('%s holds %s (confidence %s)', (file, expression, confidence) => {
    expect(detect(fixture(file))).toEqual({ expression, confidence });
  });

  it('finds nothing in a README that talks about its license, nor in an empty file', () => {
    expect(detect(fixture('README.md'))).toBeUndefined();
    expect(detect(fixture('empty.txt'))).toBeUndefined();
    expect(detect('MIT')).toBeUndefined();
    expect(detect('Licensed under the MIT license. See LICENSE.')).toBeUndefined();
  });

  it('ignores copyright lines, years, line endings and list numbering', () => {
    const mit = fixture('MIT.txt');
    const variants = [
      mit.replace(
        'Copyright (c) 2019-2024 Jane Doe <jane@example.org>',
        'Copyright © 2001 ACME Corporation, Inc.',
      ),
      mit.replace(/\n/g, '\r\n'),
      `The MIT License (MIT)\n\n${mit.replace('MIT License\n', '')}`,
      rewrapped(mit),
    ];
    expect(variants.map((v) => detect(v))).toEqual([
      { expression: 'MIT', confidence: 1 },
      { expression: 'MIT', confidence: 1 },
      // "The ... (MIT)": two words the SPDX text does not have.
      { expression: 'MIT', confidence: 0.99 },
      // Re-wrapped, the original copyright line sits inside the first line of text: its words stay.
      { expression: 'MIT', confidence: 0.97 },
    ]);
    let item = 0;
    const numbered = fixture('BSD-3-Clause-lutece.txt').replace(/^\* /gm, () => `${++item}. `);
    expect(detect(numbered)).toEqual({ expression: 'BSD-3-Clause', confidence: 0.99 });
  });

  it('does not call a truncated text a license', () => {
    const apache = fixture('Apache-2.0.txt');
    expect(detect(apache.slice(0, apache.length / 3))).toBeUndefined();
    expect(closestLicenseText(apache.slice(0, apache.length / 3), templates)!.expression).toBe('Apache-2.0');
  });
});

describe('close relatives', () => {
  it.each([
    // The permissive family: a sentence or a clause apart.
    ['MIT', 'MIT'],
    ['MIT-0', 'MIT-0'],
    ['X11', 'X11'],
    ['ISC', 'ISC'],
    ['0BSD', '0BSD'],
    ['BSD-2-Clause', 'BSD-2-Clause'],
    ['BSD-3-Clause', 'BSD-3-Clause'],
    ['BSD-2-Clause-Views', 'BSD-2-Clause-Views'],
    ['Apache-2.0', 'Apache-2.0'],
    ['ECL-2.0', 'ECL-2.0'],
    ['Unlicense', 'Unlicense'],
    // The GNU family: the text says the version; -only unless a notice says "or any later version".
    ['GPL-2.0-only', 'GPL-2.0-only'],
    ['GPL-3.0-only', 'GPL-3.0-only'],
    ['LGPL-2.0-only', 'LGPL-2.0-only'],
    ['LGPL-2.1-only', 'LGPL-2.1-only'],
    ['LGPL-3.0-only', 'LGPL-3.0-only'],
    ['AGPL-3.0-only', 'AGPL-3.0-only'],
    ['MPL-1.1', 'MPL-1.1'],
    ['MPL-2.0', 'MPL-2.0'],
    ['EPL-1.0', 'EPL-1.0'],
    ['CPL-1.0', 'CPL-1.0'],
    ['EPL-2.0', 'EPL-2.0'],
  ])('the SPDX text of %s, copied and re-wrapped, is %s', (id, expected) => {
    expect(detect(rewrapped(spdxText(id)))?.expression).toBe(expected);
  });

  it('tells -or-later from -only by the notice, not by the sample notice of the "How to apply" appendix', () => {
    const notice = (version: string, name: string) =>
      `Copyright (C) 2020 Example\n\nThis program is free software: you can redistribute it and/or modify it under the terms of the ${name} as published by the Free Software Foundation, either version ${version} of the License, or (at your option) any later version.\n\n`;
    const gpl3 = fixture('GPL-3.0-COPYING');
    expect(detect(gpl3)?.expression).toBe('GPL-3.0-only');
    expect(detect(notice('3', 'GNU General Public License') + gpl3)?.expression).toBe('GPL-3.0-or-later');
    expect(detect(notice('2', 'GNU General Public License') + fixture('GPL-2.0-COPYING'))?.expression).toBe(
      'GPL-2.0-or-later',
    );
    expect(
      detect(notice('2.1', 'GNU Lesser General Public License') + fixture('LGPL-2.1-COPYING'))?.expression,
    ).toBe('LGPL-2.1-or-later');
    expect(
      detect(notice('3', 'GNU Affero General Public License') + spdxText('AGPL-3.0-only'))?.expression,
    ).toBe('AGPL-3.0-or-later');
    // The appendix's sample notice filled in with the program's name is the program's own notice.
    const filled = gpl3.replace(
      "<one line to give the program's name and a brief idea of what it does.>",
      'Opening hours - lists the opening hours of public buildings',
    );
    expect(detect(filled)?.expression).toBe('GPL-3.0-or-later');
  });

  it('reads COPYING.LESSER and COPYING together as the LGPL-3.0', () => {
    expect(detect(fixture('LGPL-3.0-COPYING.LESSER') + fixture('GPL-3.0-COPYING'))).toEqual({
      expression: 'LGPL-3.0-only',
      confidence: 1,
    });
  });
});

describe('files holding several texts', () => {
  it('joins two licenses with AND, or with OR when the file says they are a choice', () => {
    const mit = fixture('MIT.txt');
    const bsd = fixture('BSD-3-Clause-lutece.txt');
    expect(detect(`${mit}\n${bsd}`)).toEqual({ expression: 'BSD-3-Clause AND MIT', confidence: 0.99 });
    expect(detect(`${mit}\n---\n\n${fixture('Apache-2.0.txt')}`)).toEqual({
      expression: 'Apache-2.0 AND MIT',
      confidence: 1,
    });
    expect(detect(fixture('dual-MIT-Apache-2.0.txt'))).toEqual({
      expression: 'Apache-2.0 OR MIT',
      confidence: 0.99,
    });
  });

  it('attaches an exception to its license with WITH', () => {
    const classpath = spdxText('GPL-2.0-with-classpath-exception').replace(/^insert.*\n/, '');
    expect(detect(`${fixture('GPL-2.0-COPYING')}\n${classpath}`)).toEqual({
      expression: 'GPL-2.0-only WITH Classpath-exception-2.0',
      confidence: 0.99,
    });
    const gcc = spdxText('GPL-3.0-with-GCC-exception').replace(/^insert.*\n/, '');
    expect(detect(`${fixture('GPL-3.0-COPYING')}\n${gcc}`)?.expression).toBe(
      'GPL-3.0-only WITH GCC-exception-3.1',
    );
  });

  it('does not add a license for a clause the first one already holds', () => {
    // BSD-2-Clause is BSD-3-Clause without its third clause: one license, not two.
    expect(detect(`${fixture('BSD-3-Clause-lutece.txt')}\n\nSee also the NOTICE file.`)?.expression).toBe(
      'BSD-3-Clause',
    );
  });
});

describe('hostile and odd input', () => {
  it('returns quickly and finds nothing in 1 MiB of noise, binary bytes or one huge word', () => {
    let seed = 7;
    const words = ['the', 'software', 'license', 'copyright', 'of', 'and', 'permission', 'any', 'without'];
    const noise: string[] = [];
    for (let n = 0; n < 200_000; n++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      noise.push(words[seed % words.length]!);
    }
    const inputs = [
      noise.join(' ').slice(0, 1024 * 1024),
      String.fromCharCode(...Array.from({ length: 65_536 }, (_, i) => i % 256)),
      'a'.repeat(2 * 1024 * 1024),
      '__proto__ constructor prototype '.repeat(1000),
    ];
    for (const input of inputs) {
      const start = performance.now();
      expect(detect(input)).toBeUndefined();
      expect(performance.now() - start).toBeLessThan(1000);
    }
  });

  it('normalises the words the same way for templates and files', () => {
    expect(
      licenseWords(
        'Copyright (c) 2024 Jane\nAll rights reserved.\n\n1. The Licence is “AS IS”, see https://example.org/\n(a) à la carte',
      ),
    ).toEqual(['the', 'license', 'is', 'as', 'is', 'see', 'http', 'example', 'org', 'la', 'carte']);
  });
});

describe('the SPDX templates', () => {
  it('are prepared once and hold one template per distinct current text', async () => {
    expect(await spdxLicenseTemplates()).toBe(templates);
    const list = spdxTemplates(catalogue, currentIds);
    const ids = new Set(list.map((t) => t.id));
    expect(ids.has('GPL-3.0-only')).toBe(true);
    expect(ids.has('GPL-3.0-or-later')).toBe(false);
    expect(ids.has('GPL-3.0')).toBe(false);
    expect(ids.has('GPL-2.0+')).toBe(false);
    expect(ids.has('OFL-1.1')).toBe(true);
    expect(ids.has('OFL-1.1-RFN')).toBe(false);
    expect(list.find((t) => t.id === 'GPL-3.0-only')!.orLater).toBe('GPL-3.0-or-later');
    // LGPL-3.0: the whole SPDX text (the LGPL then the GPL), without the GPL's appendix, and the LGPL alone.
    expect(list.filter((t) => t.id === 'LGPL-3.0-only')).toHaveLength(3);
    expect(list.filter((t) => t.id === 'Apache-2.0')).toHaveLength(2);
    expect(list.find((t) => t.id === 'Classpath-exception-2.0')!.exceptionTo).toBe('GPL-2.0');
  });

  it('recognise every SPDX text as itself, as written and as re-wrapped copies', () => {
    const list = spdxTemplates(catalogue, currentIds);
    const wrong: string[] = [];
    for (const template of list) {
      const expected =
        template.exceptionTo === undefined ? template.id : `${template.exceptionTo}-only WITH ${template.id}`;
      const copies = [template.text, rewrapped(template.text)];
      // Kastrup's whole text is one short copyright line once re-wrapped: it is stripped as such.
      if (template.id === 'Kastrup') copies.pop();
      for (const copy of copies) {
        const found = detectLicenseText(copy, templates)?.expression;
        if (found !== expected) wrong.push(`${template.id} -> ${found}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('prepares in well under half a second and detects a file in a few milliseconds', () => {
    const list = spdxTemplates(catalogue, currentIds);
    const start = performance.now();
    const prepared = prepareTemplates(list);
    const preparation = performance.now() - start;
    const files = readdirSync(texts).map(fixture);
    const detectStart = performance.now();
    for (const text of files) detectLicenseText(text, prepared);
    const perFile = (performance.now() - detectStart) / files.length;
    console.log(`prepare ${preparation.toFixed(0)} ms; detect ${perFile.toFixed(2)} ms per fixture file`);
    // Generous bounds: two cores are shared with other work while tests run.
    expect(preparation).toBeLessThan(1500);
    expect(perFile).toBeLessThan(20);
    expect(DETECTION_THRESHOLD).toBe(0.8);
  });
});

describe('isLicenseFileName', () => {
  it.each([
    ['LICENSE', true],
    ['LICENSE.txt', true],
    ['LICENSE.md', true],
    ['license', true],
    ['License.markdown', true],
    ['LICENCE', true],
    ['licence.rst', true],
    ['LICENSES.txt', true],
    ['LICENSE-MIT', true],
    ['LICENSE.APACHE-2.0', true],
    ['LICENSE_BSD.txt', true],
    ['COPYING', true],
    ['COPYING.LESSER', true],
    ['copying.lib', true],
    ['UNLICENSE', true],
    ['License.tsx', false],
    ['licenses.ts', false],
    ['License.svg', false],
    ['license.json', false],
    ['LICENSE.html', false],
    ['license-checker.js', false],
    ['licensed.md', false],
    ['README.md', false],
    ['NOTICE', false],
    ['', false],
  ])('%s: %s', (name, expected) => {
    expect(isLicenseFileName(name)).toBe(expected);
  });
});

describe.skipIf(!hasCorpus)('every license file of the corpus', () => {
  it('is detected as its repository shows it', () => {
    const files: string[] = [];
    for (const group of ['github', 'large']) {
      for (const org of readdirSync(path.join(corpus, group))) {
        for (const repo of readdirSync(path.join(corpus, group, org))) {
          const folder = path.join(corpus, group, org, repo, 'files');
          if (!existsSync(folder)) continue;
          for (const name of readdirSync(folder)) {
            if (isLicenseFileName(name)) files.push(`${group}/${org}/${repo}/${name}`);
          }
        }
      }
    }
    const found = Object.fromEntries(
      files.sort().map((f) => {
        const result = detect(readFileSync(path.join(corpus, f.replace(/\/([^/]+)$/, '/files/$1')), 'utf8'));
        return [f, result ? `${result.expression} ${result.confidence.toFixed(2)}` : 'none'];
      }),
    );
    expect(found).toEqual({
      'github/MTES-MCT/monitor-ui/LICENSE': 'AGPL-3.0-only 1.00',
      'github/MTES-MCT/potentiel/LICENSE': 'AGPL-3.0-only 1.00',
      'github/SocialGouv/e2esdk/LICENSE': 'Apache-2.0 0.98',
      'github/SocialGouv/egapro/LICENSE': 'Apache-2.0 1.00',
      'github/SocialGouv/kontinuous/LICENSE': 'MIT 1.00',
      'github/betagouv/api.gouv.fr/LICENSE': 'AGPL-3.0-only 1.00',
      'github/betagouv/mon-entreprise/LICENSE': 'MIT 1.00',
      // The appendix's sample notice is filled in with the program's name: its own "any later version" notice.
      'github/betagouv/signup-front/LICENSE': 'AGPL-3.0-or-later 1.00',
      'github/codegouvfr/react-dsfr/LICENSE': 'MIT 1.00',
      'github/etalab/catalogage-donnees/LICENSE': 'AGPL-3.0-only 1.00',
      'github/lutece-platform/appointment-starter/LICENSE': 'BSD-3-Clause 0.99',
      'github/lutece-platform/lutece-core/LICENSE': 'BSD-3-Clause 0.99',
      'github/lutece-platform/lutece-guide-kubernetes-lutece/LICENSE': 'BSD-3-Clause 0.99',
      'github/lutece-platform/tech-plugin-taskstack/LICENSE': 'BSD-3-Clause 0.99',
      'github/lutece-platform/tools-liberty-maven-plugin/LICENSE': 'Apache-2.0 1.00',
      // Apache-2.0 after a paragraph saying which folders are under other licenses.
      'large/highlight/highlight/LICENSE': 'Apache-2.0 0.97',
      // MIT, then two sentences about sub-folders with licenses of their own.
      'large/novuhq/novu/LICENSE': 'MIT 0.93',
      // Says GPLv3 or a commercial license, and quotes only the GPL's short notice: no full text.
      'large/vendure-ecommerce/vendure/LICENSE.md': 'none',
    });
  });
});
