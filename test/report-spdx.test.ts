import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Component, Inventory } from '../src/core/model.js';
import { renderSpdxJson } from '../src/reporters/spdx.js';
import { sampleInventory } from './helpers/sample-inventory.js';
import {
  spdxRuleErrors,
  spdxSchemaErrors,
  spdxTools,
  validateWithSpdxTools,
} from './helpers/spdx-validation.js';

interface SpdxPackage {
  SPDXID: string;
  name: string;
  versionInfo?: string;
  downloadLocation: string;
  licenseConcluded: string;
  licenseDeclared: string;
  licenseComments?: string;
  checksums?: { algorithm: string; checksumValue: string }[];
  externalRefs?: { referenceLocator: string }[];
}
interface SpdxDocument {
  name: string;
  documentNamespace: string;
  creationInfo: { created: string; creators: string[] };
  comment: string;
  hasExtractedLicensingInfos?: { licenseId: string; name: string; extractedText: string }[];
  packages: SpdxPackage[];
  relationships: { spdxElementId: string; relationshipType: string; relatedSpdxElement: string }[];
}

function render(inventory: Inventory): SpdxDocument {
  return JSON.parse(renderSpdxJson(inventory)) as SpdxDocument;
}

function expectValid(json: string): void {
  const document: unknown = JSON.parse(json);
  expect(spdxSchemaErrors(document)).toEqual([]);
  expect(spdxRuleErrors(document)).toEqual([]);
}

function pkg(document: SpdxDocument, name: string): SpdxPackage {
  const found = document.packages.find((p) => p.name === name);
  if (!found) throw new Error(`no package ${name}`);
  return found;
}

const tool = spdxTools();
if (!tool)
  console.warn('skipping the pyspdxtools checks: install the PyPI package spdx-tools or set PYSPDXTOOLS');

describe('renderSpdxJson', () => {
  it('writes an SPDX 2.3 document valid against the schema and the specification', () => {
    expectValid(renderSpdxJson(sampleInventory()));
  });

  it.skipIf(!tool)('is accepted by the SPDX reference validator (pyspdxtools)', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'oss-inventory-spdx-'));
    try {
      const file = path.join(dir, 'sbom.spdx.json');
      await writeFile(file, renderSpdxJson(sampleInventory()));
      const result = validateWithSpdxTools(tool!, file);
      expect(result.output).toBe('');
      expect(result.valid).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('describes the document: name, deterministic namespace, creation time and tool', () => {
    const document = render(sampleInventory());
    expect(document.name).toBe('acme');
    expect(document.documentNamespace).toBe(
      'https://github.com/oss-inventory/oss-inventory/spdx/acme-3126d02a-abc1-574c-9fa0-d8b30f35a96b',
    );
    expect(document.creationInfo).toEqual({
      created: '2024-05-01T08:30:00Z',
      creators: ['Tool: oss-inventory-0.1.0'],
    });
    expect(document.comment).toBe(
      'Inventory of acme by oss-inventory. 2 problems were met while reading it (listed in the inventory): this SBOM may be incomplete.',
    );
  });

  it('lists the projects, then the components, with safe and unique SPDXIDs', () => {
    expect(render(sampleInventory()).packages.map((p) => `${p.SPDXID} ${p.name} ${p.versionInfo}`)).toEqual([
      'SPDXRef-Project-acme acme-monorepo 1.0.0',
      'SPDXRef-Project-acme-packages-web @acme/web 2.3.0',
      'SPDXRef-Project-acme-tools-legacy legacy-tools undefined',
      'SPDXRef-Package-npm-babel-runtime-7.24.0 @babel/runtime 7.24.0',
      'SPDXRef-Package-npm-express-4.19.2 express ^4.19.2',
      'SPDXRef-Package-npm-fsevents-2.3.3 fsevents 2.3.3',
      'SPDXRef-Package-npm-jszip-3.10.1 jszip 3.10.1',
      'SPDXRef-Package-npm-left-pad-1.3.0-vcs-url-git-https-github.com-left-pad-left-pad.git-5a1d5b4c0f1a4e2f9bb25a2f6a0c3a2a0a6c5f2e left-pad 1.3.0',
      'SPDXRef-Package-npm-pako-1.0.11 pako 1.0.11',
      'SPDXRef-Package-npm-typescript-5.4.5 typescript 5.4.5',
      'SPDXRef-Package-npm-xlsx-0.20.2-download-url-https-cdn.sheetjs.com-xlsx-0.20.2-xlsx-0.20.2.tgz xlsx 0.20.2',
    ]);
  });

  it('gives each component its download location, checksums, purl and licenses', () => {
    const document = render(sampleInventory());
    expect(pkg(document, '@babel/runtime')).toEqual({
      SPDXID: 'SPDXRef-Package-npm-babel-runtime-7.24.0',
      name: '@babel/runtime',
      versionInfo: '7.24.0',
      downloadLocation: 'https://registry.npmjs.org/@babel/runtime/-/runtime-7.24.0.tgz',
      filesAnalyzed: false,
      checksums: [
        {
          algorithm: 'SHA512',
          checksumValue:
            'cb0fd12f7b9044643e87ecaba698622063f3b8ed5199692edd5cb53dc37cc03510a377a371c9d57cb6cc03bdf62c43f6dd11e44111b92789679187905da122f9',
        },
      ],
      licenseConcluded: 'MIT',
      licenseDeclared: 'MIT',
      licenseComments: 'read from lockfile: package-lock.json; declared "MIT"; mapped by spdx',
      externalRefs: [
        {
          referenceCategory: 'PACKAGE-MANAGER',
          referenceType: 'purl',
          referenceLocator: 'pkg:npm/%40babel/runtime@7.24.0',
        },
      ],
      primaryPackagePurpose: 'LIBRARY',
    });
    expect(pkg(document, 'left-pad').downloadLocation).toBe(
      'git+ssh://git@github.com/left-pad/left-pad.git@5a1d5b4c0f1a4e2f9bb25a2f6a0c3a2a0a6c5f2e',
    );
    expect(pkg(document, 'xlsx').checksums?.map((c) => c.algorithm)).toEqual(['SHA384', 'SHA256']);
    expect(pkg(document, 'pako').checksums).toEqual([
      { algorithm: 'SHA1', checksumValue: '1270c40ceba4391f4e5797f7811f10e99c41fef3' },
    ]);
    expect(pkg(document, 'jszip').licenseConcluded).toBe('MIT OR GPL-3.0-or-later');
    const express = pkg(document, 'express');
    expect([express.downloadLocation, express.licenseConcluded, express.licenseDeclared]).toEqual([
      'NOASSERTION',
      'NOASSERTION',
      'NOASSERTION',
    ]);
    expect(express.licenseComments).toBe('unknown: not locked: no lockfile records its license');
  });

  it('declares each LicenseRef it uses once, with the declared text', () => {
    const document = render(sampleInventory());
    expect(pkg(document, 'left-pad').licenseConcluded).toBe('LicenseRef-unmapped-SEE-LICENSE-IN-LICENSE');
    expect(document.hasExtractedLicensingInfos).toEqual([
      {
        licenseId: 'LicenseRef-unmapped-SEE-LICENSE-IN-LICENSE',
        name: 'SEE LICENSE IN LICENSE',
        extractedText: 'SEE LICENSE IN LICENSE',
        comment:
          'The license as the package declares it, which no SPDX id was found for; the inventory has no license text.',
      },
      {
        licenseId: 'LicenseRef-unmapped-SEE-LICENSE-IN-LICENSE.txt',
        name: 'SEE LICENSE IN LICENSE.txt',
        extractedText: 'SEE LICENSE IN LICENSE.txt',
        comment:
          'The license as the package declares it, which no SPDX id was found for; the inventory has no license text.',
      },
    ]);
  });

  it('relates the document, the projects and the components by scope', () => {
    const relationships = render(sampleInventory()).relationships.map((r) =>
      `${r.spdxElementId} ${r.relationshipType} ${r.relatedSpdxElement}`.replace(
        /-vcs-url-.*|-download-url-.*/,
        '',
      ),
    );
    expect(relationships).toEqual([
      'SPDXRef-DOCUMENT DESCRIBES SPDXRef-Project-acme',
      'SPDXRef-DOCUMENT DESCRIBES SPDXRef-Project-acme-packages-web',
      'SPDXRef-DOCUMENT DESCRIBES SPDXRef-Project-acme-tools-legacy',
      'SPDXRef-Package-npm-babel-runtime-7.24.0 DEV_DEPENDENCY_OF SPDXRef-Project-acme',
      'SPDXRef-Package-npm-typescript-5.4.5 DEV_DEPENDENCY_OF SPDXRef-Project-acme',
      'SPDXRef-Project-acme-packages-web DEPENDS_ON SPDXRef-Package-npm-babel-runtime-7.24.0',
      'SPDXRef-Package-npm-fsevents-2.3.3 OPTIONAL_DEPENDENCY_OF SPDXRef-Project-acme-packages-web',
      'SPDXRef-Project-acme-packages-web DEPENDS_ON SPDXRef-Package-npm-jszip-3.10.1',
      'SPDXRef-Project-acme-packages-web DEPENDS_ON SPDXRef-Package-npm-left-pad-1.3.0',
      'SPDXRef-Project-acme-packages-web DEPENDS_ON SPDXRef-Package-npm-xlsx-0.20.2',
      'SPDXRef-Project-acme-tools-legacy DEPENDS_ON SPDXRef-Package-npm-express-4.19.2',
      'SPDXRef-Package-npm-jszip-3.10.1 DEPENDS_ON SPDXRef-Package-npm-pako-1.0.11',
    ]);
  });

  it('is byte-identical for the same inventory; the namespace follows the content, not the time', () => {
    const first = renderSpdxJson(sampleInventory());
    expect(renderSpdxJson(sampleInventory())).toBe(first);
    const later = { ...sampleInventory(), generatedAt: '2024-06-01T00:00:00.000Z' };
    expect(render(later).documentNamespace).toBe(render(sampleInventory()).documentNamespace);
    const changed = sampleInventory();
    changed.components[0]!.version = '7.24.1';
    expect(render(changed).documentNamespace).not.toBe(render(sampleInventory()).documentNamespace);
  });
});

describe('SPDX licenses, locations and identifiers from hostile or unusual values', () => {
  function withComponent(changes: Partial<Component>): Inventory {
    const inventory = sampleInventory();
    Object.assign(
      inventory.components.find((c) => c.name === 'fsevents')!,
      changes,
    );
    return inventory;
  }

  it('declares what the package declares when a table only translated it, and NOASSERTION otherwise', () => {
    const cases: [Component['license'], string, string][] = [
      [
        {
          status: 'known',
          declared: ['The Apache Software License, Version 2.0'],
          expression: 'Apache-2.0',
          mappings: ['alias'],
          source: 'pom',
        },
        'Apache-2.0',
        'Apache-2.0',
      ],
      [
        { status: 'known', declared: ['GPL-2.0+'], expression: 'GPL-2.0-or-later', mappings: ['corrected'] },
        'GPL-2.0-or-later',
        'GPL-2.0-or-later',
      ],
      [
        {
          status: 'known',
          declared: [],
          expression: 'MIT',
          mappings: ['license-file'],
          source: 'license-file',
        },
        'MIT',
        'NOASSERTION',
      ],
      [
        {
          status: 'known',
          declared: ['BSD'],
          expression: 'BSD-3-Clause',
          mappings: ['curation'],
          source: 'curation',
          curated: { reason: 'LICENSE is BSD-3-Clause' },
        },
        'BSD-3-Clause',
        'NOASSERTION',
      ],
      [
        { status: 'unknown', declared: ['MIT OR'], expression: 'MIT OR', mappings: [] },
        'NOASSERTION',
        'NOASSERTION',
      ],
      [
        {
          status: 'known',
          declared: ['x'],
          expression: 'DocumentRef-other:LicenseRef-x',
          mappings: ['organisation'],
        },
        'NOASSERTION',
        'NOASSERTION',
      ],
    ];
    for (const [license, concluded, declared] of cases) {
      const json = renderSpdxJson(withComponent({ license }));
      expectValid(json);
      const fsevents = pkg(JSON.parse(json) as SpdxDocument, 'fsevents');
      expect([fsevents.licenseConcluded, fsevents.licenseDeclared], license.declared.join()).toEqual([
        concluded,
        declared,
      ]);
    }
  });

  it("declares npm's UNLICENSED and an organisation's own LicenseRef", () => {
    const inventory = sampleInventory();
    inventory.components[3]!.license = {
      status: 'known',
      declared: ['UNLICENSED'],
      expression: 'LicenseRef-UNLICENSED',
      category: 'proprietary',
      mappings: ['alias'],
    };
    inventory.components[5]!.license = {
      status: 'known',
      declared: ['Lutece license'],
      expression: 'LicenseRef-Lutece OR MIT',
      mappings: ['organisation'],
    };
    const json = renderSpdxJson(inventory);
    expectValid(json);
    expect(
      (JSON.parse(json) as SpdxDocument).hasExtractedLicensingInfos?.map((i) => [
        i.licenseId,
        i.extractedText,
      ]),
    ).toEqual([
      ['LicenseRef-Lutece', 'Lutece license'],
      ['LicenseRef-UNLICENSED', 'UNLICENSED'],
      ['LicenseRef-unmapped-SEE-LICENSE-IN-LICENSE', 'SEE LICENSE IN LICENSE'],
      ['LicenseRef-unmapped-SEE-LICENSE-IN-LICENSE.txt', 'SEE LICENSE IN LICENSE.txt'],
    ]);
  });

  it('writes NOASSERTION for a download location that is local, private or not a URL, and drops credentials', () => {
    const locations: [string | undefined, Component['sourceKind'], string][] = [
      ['file:../vendor/x.tgz', 'file', 'NOASSERTION'],
      ['http://127.0.0.1:4873/x/-/x-1.0.0.tgz', 'registry', 'NOASSERTION'],
      ['http://localhost/x.tgz', 'registry', 'NOASSERTION'],
      ['not a url', 'tarball', 'NOASSERTION'],
      [undefined, 'registry', 'NOASSERTION'],
      [
        'https://user:s3cret@npm.example.com/x/-/x-1.0.0.tgz',
        'registry',
        'https://npm.example.com/x/-/x-1.0.0.tgz',
      ],
      ['git+https://github.com/o/r.git', 'git', 'git+https://github.com/o/r.git'],
    ];
    for (const [resolved, sourceKind, expected] of locations) {
      const json = renderSpdxJson(withComponent({ resolved, sourceKind }));
      expectValid(json);
      expect(pkg(JSON.parse(json) as SpdxDocument, 'fsevents').downloadLocation, resolved).toBe(expected);
    }
  });

  it('keeps SPDXIDs unique when purls differ only in characters an SPDXID cannot hold', () => {
    const inventory = sampleInventory();
    const template = inventory.components[3]!;
    inventory.components = [
      'pkg:npm/a%20b@1.0.0',
      'pkg:npm/a_b@1.0.0',
      'pkg:npm/a%7Cb@1.0.0',
      'pkg:npm/%E2%9C%93@1.0.0',
    ].map((purl) => ({ ...template, purl, usedBy: [], dependsOn: [] }));
    inventory.projects = [];
    const json = renderSpdxJson(inventory);
    expectValid(json);
    const document = JSON.parse(json) as SpdxDocument;
    expect(document.packages.map((p) => p.SPDXID)).toEqual([
      'SPDXRef-Package-npm-1.0.0',
      'SPDXRef-Package-npm-a-b-1.0.0',
      'SPDXRef-Package-npm-a-b-1.0.0-2',
      'SPDXRef-Package-npm-a-b-1.0.0-3',
    ]);
    expect(document.relationships).toEqual([
      { spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: 'NONE' },
    ]);
  });

  it('points a GitHub project at its repository and commit', () => {
    const inventory = sampleInventory();
    inventory.subjects = [
      {
        name: 'acme',
        type: 'github',
        location: 'https://github.com/acme/monorepo',
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
    const json = renderSpdxJson(inventory);
    expectValid(json);
    const document = JSON.parse(json) as SpdxDocument;
    expect(document.packages.slice(0, 2).map((p) => p.downloadLocation)).toEqual([
      'git+https://github.com/acme/monorepo.git@0123456789abcdef0123456789abcdef01234567',
      'git+https://github.com/acme/monorepo.git@0123456789abcdef0123456789abcdef01234567#packages/web',
    ]);
  });
});
