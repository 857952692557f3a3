import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { spdxLicenseTexts, type LicenseTexts } from '../src/licenses/license-texts.js';
import { renderNotices, renderNoticesText } from '../src/reporters/notice.js';
import { sampleInventory } from './helpers/sample-inventory.js';

/** Texts for every license but Zlib, short enough to write the expected notices out in full. */
const STUB_TEXTS: LicenseTexts = {
  license: (id) => (id === 'Zlib' ? undefined : `<the ${id} text>\n`),
  exception: (id) => (id === 'Classpath-exception-2.0' ? `<the ${id} text>` : undefined),
};

const catalogue = createRequire(import.meta.url)('spdx-license-list/full') as Record<
  string,
  { licenseText: string }
>;

describe('renderNotices', () => {
  it('writes one notice per project, named after the project', () => {
    expect(renderNotices(sampleInventory(), STUB_TEXTS).map((f) => f.path)).toEqual([
      'notices/acme.txt',
      'notices/acme_packages_web.txt',
      'notices/acme_tools_legacy.txt',
    ]);
  });

  it('lists what a project ships by license, then each license text once', () => {
    const web = renderNotices(sampleInventory(), STUB_TEXTS)[1]!;
    expect(web.content).toBe(`THIRD-PARTY SOFTWARE NOTICES

Project:   @acme/web 2.3.0 (acme:packages/web)
Generated: 2024-05-01 by oss-inventory 0.1.0

This project ships 6 third-party components: its runtime, optional, peer and
provided dependencies (development-only dependencies are not shipped, nor listed).
Each component is listed under its license; the full text of each license follows,
once. The packages' own files were not read: copyright notices they carry are not
reproduced here.

Licenses:
  Apache-2.0: 1 component
  LicenseRef-unmapped-SEE-LICENSE-IN-LICENSE: 1 component
  MIT: 2 components
  MIT AND Zlib: 1 component
  MIT OR GPL-3.0-or-later: 1 component

================================================================================
Apache-2.0
================================================================================

  xlsx 0.20.2
    pkg:npm/xlsx@0.20.2?download_url=https%3A%2F%2Fcdn.sheetjs.com%2Fxlsx-0.20.2%2Fxlsx-0.20.2.tgz

================================================================================
LicenseRef-unmapped-SEE-LICENSE-IN-LICENSE
================================================================================

  left-pad 1.3.0
    pkg:npm/left-pad@1.3.0?vcs_url=git%2Bhttps%3A%2F%2Fgithub.com%2Fleft-pad%2Fleft-pad.git%405a1d5b4c0f1a4e2f9bb25a2f6a0c3a2a0a6c5f2e

================================================================================
MIT
================================================================================

  @babel/runtime 7.24.0
    pkg:npm/%40babel/runtime@7.24.0

  fsevents 2.3.3
    pkg:npm/fsevents@2.3.3

================================================================================
MIT AND Zlib
================================================================================

  pako 1.0.11
    pkg:npm/pako@1.0.11

================================================================================
MIT OR GPL-3.0-or-later
================================================================================

  jszip 3.10.1
    pkg:npm/jszip@3.10.1

================================================================================
LICENSE TEXTS
================================================================================

--------------------------------------------------------------------------------
Apache-2.0
--------------------------------------------------------------------------------

<the Apache-2.0 text>

--------------------------------------------------------------------------------
GPL-3.0-or-later
--------------------------------------------------------------------------------

<the GPL-3.0-or-later text>

--------------------------------------------------------------------------------
LicenseRef-unmapped-SEE-LICENSE-IN-LICENSE
--------------------------------------------------------------------------------

No license text: this is not a license of the SPDX list, and the inventory only has what
the components declare ("SEE LICENSE IN LICENSE"). Find the
license text in the source of the components listed under it.

--------------------------------------------------------------------------------
MIT
--------------------------------------------------------------------------------

<the MIT text>

--------------------------------------------------------------------------------
Zlib
--------------------------------------------------------------------------------

No text: the SPDX license list installed with oss-inventory has no text for this license;
read it at https://spdx.org/licenses/Zlib.html
`);
  });

  it('leaves development-only dependencies out, and says so when nothing is shipped', () => {
    const root = renderNotices(sampleInventory(), STUB_TEXTS)[0]!;
    expect(root.content).toBe(`THIRD-PARTY SOFTWARE NOTICES

Project:   acme-monorepo 1.0.0 (acme:.)
Generated: 2024-05-01 by oss-inventory 0.1.0

This project ships no third-party component: it has no runtime, optional, peer or
provided dependency (development-only dependencies are not shipped).
`);
  });

  it('lists components without a known license apart, with what they declare and why it is unknown', () => {
    const legacy = renderNotices(sampleInventory(), STUB_TEXTS)[2]!;
    expect(legacy.content).toBe(`THIRD-PARTY SOFTWARE NOTICES

Project:   legacy-tools (acme:tools/legacy)
Generated: 2024-05-01 by oss-inventory 0.1.0

This project ships 1 third-party component: its runtime, optional, peer and
provided dependencies (development-only dependencies are not shipped, nor listed).
Each component is listed under its license; the full text of each license follows,
once. The packages' own files were not read: copyright notices they carry are not
reproduced here.

Licenses:
  no known license: 1 component

================================================================================
Components without a known license
================================================================================

The inventory has no license for these components, so no license text is included for
them: find each one's license in its source before distributing it.

  express ^4.19.2
    pkg:npm/express@%5E4.19.2
    nothing declared: not locked: no lockfile records its license
`);
  });

  it("includes exceptions, npm's UNLICENSED, a source URL, and cleans hostile values", () => {
    const inventory = sampleInventory();
    const jszip = inventory.components.find((c) => c.name === 'jszip')!;
    jszip.license = {
      status: 'known',
      declared: ['GPL-2.0-with-classpath-exception'],
      expression: 'GPL-2.0-only WITH Classpath-exception-2.0',
      mappings: ['corrected'],
    };
    jszip.registry = {
      status: 'found',
      document: 'https://registry.npmjs.org/jszip',
      repository: { url: 'https://github.com/Stuk/jszip' },
      funding: [],
    };
    const pako = inventory.components.find((c) => c.name === 'pako')!;
    pako.name = 'pa\u001b[2Jko\nevil';
    pako.license = {
      status: 'known',
      declared: ['UNLICENSED'],
      expression: 'LicenseRef-UNLICENSED',
      mappings: ['alias'],
    };
    const web = renderNotices(inventory, STUB_TEXTS)[1]!.content;
    expect(web).toContain('\n  jszip 3.10.1\n    pkg:npm/jszip@3.10.1\n    https://github.com/Stuk/jszip\n');
    expect(web).toContain('\n  pa?[2Jko?evil 1.0.11\n');
    expect(web).toContain(`
--------------------------------------------------------------------------------
Classpath-exception-2.0
--------------------------------------------------------------------------------

<the Classpath-exception-2.0 text>
`);
    expect(web).toContain(`
--------------------------------------------------------------------------------
LicenseRef-UNLICENSED
--------------------------------------------------------------------------------

No license text: the author declares the package UNLICENSED (npm), that is not licensed
for use by others. Shipping it needs the author's permission.
`);
  });

  it('prints every notice one after the other for --stdout', () => {
    const text = renderNoticesText(sampleInventory(), STUB_TEXTS);
    expect(text.match(/^THIRD-PARTY SOFTWARE NOTICES$/gm)).toHaveLength(3);
  });
});

describe('spdxLicenseTexts', () => {
  it('gives the SPDX list texts, line ends made \\n, and the exception texts the list keeps', () => {
    const texts = spdxLicenseTexts();
    expect(texts.license('MIT')).toBe(catalogue.MIT!.licenseText.replace(/\r\n?/g, '\n'));
    expect(texts.license('GPL-2.0-or-later')).toContain('GNU GENERAL PUBLIC LICENSE');
    expect(texts.license('constructor')).toBeUndefined();
    expect(texts.license('__proto__')).toBeUndefined();
    expect(texts.license('LicenseRef-x')).toBeUndefined();
    expect(texts.exception('Classpath-exception-2.0')).toMatch(/^Class Path Exception\n/);
    expect(texts.exception('LLVM-exception')).toBeUndefined();
  });

  it('puts the full MIT text once in a real notice', () => {
    const web = renderNotices(sampleInventory(), spdxLicenseTexts())[1]!.content;
    const mit = catalogue.MIT!.licenseText.replace(/\r\n?/g, '\n').trimEnd();
    expect(web.split(mit)).toHaveLength(2);
  });
});
