import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import type { Component, Inventory } from '../src/core/model.js';
import { renderCycloneDxJson, renderCycloneDxXml } from '../src/reporters/cyclonedx.js';
import {
  canonicalJson,
  publishableUrl,
  sriToHexDigests,
  uuidV5,
  xmlSafeText,
} from '../src/reporters/cyclonedx-values.js';
import { healthInventory } from './helpers/health-inventory.js';
import { sampleInventory } from './helpers/sample-inventory.js';
import { cycloneDxJsonErrors, hasXmllint, validateCycloneDxXml } from './helpers/schema-validation.js';

interface CdxProperty {
  name: string;
  value: string;
}
interface CdxComponent {
  type: string;
  name: string;
  group?: string;
  version?: string;
  'bom-ref'?: string;
  scope?: string;
  purl?: string;
  hashes?: { alg: string; content: string }[];
  licenses?: (
    { license: { id?: string; name?: string; acknowledgement?: string } } | { expression: string }
  )[];
  externalReferences?: { url: string; type: string }[];
  properties?: CdxProperty[];
}
interface CdxBom {
  bomFormat: string;
  specVersion: string;
  serialNumber: string;
  version: number;
  metadata: {
    timestamp?: string;
    tools: { components: CdxComponent[] };
    component?: CdxComponent;
    properties: CdxProperty[];
  };
  components: CdxComponent[];
  dependencies: { ref: string; dependsOn?: string[] }[];
}

const BABEL = 'pkg:npm/%40babel/runtime@7.24.0';
const EXPRESS = 'pkg:npm/express@%5E4.19.2';
const FSEVENTS = 'pkg:npm/fsevents@2.3.3';
const JSZIP = 'pkg:npm/jszip@3.10.1';
const LEFT_PAD =
  'pkg:npm/left-pad@1.3.0?vcs_url=git%2Bhttps%3A%2F%2Fgithub.com%2Fleft-pad%2Fleft-pad.git%405a1d5b4c0f1a4e2f9bb25a2f6a0c3a2a0a6c5f2e';
const PAKO = 'pkg:npm/pako@1.0.11';
const TYPESCRIPT = 'pkg:npm/typescript@5.4.5';
const XLSX = 'pkg:npm/xlsx@0.20.2?download_url=https%3A%2F%2Fcdn.sheetjs.com%2Fxlsx-0.20.2%2Fxlsx-0.20.2.tgz';

const xmllintAvailable = hasXmllint();
if (!xmllintAvailable) console.warn('skipping XSD validation: xmllint (libxml2-utils) is not installed');

function renderJson(inventory: Inventory): CdxBom {
  return JSON.parse(renderCycloneDxJson(inventory)) as CdxBom;
}

function component(bom: CdxBom, ref: string): CdxComponent {
  const found = bom.components.find((c) => c['bom-ref'] === ref);
  if (!found) throw new Error(`no component ${ref}`);
  return found;
}

function props(c: { properties?: CdxProperty[] }): [string, string][] {
  return (c.properties ?? []).map((p) => [p.name, p.value]);
}

describe('the sample inventory', () => {
  it('is a valid inventory (inventory.schema.json)', () => {
    const schema = JSON.parse(
      readFileSync(new URL('../inventory.schema.json', import.meta.url), 'utf8'),
    ) as Record<string, unknown>;
    const ajv = new Ajv2020({ allErrors: true });
    addFormats.default(ajv);
    const validate = ajv.compile(schema);
    expect(validate(sampleInventory()) ? [] : validate.errors).toEqual([]);
  });
});

describe('CycloneDX 1.6 JSON of the sample inventory', () => {
  const json = renderCycloneDxJson(sampleInventory());
  const bom = JSON.parse(json) as CdxBom;

  it('validates against the CycloneDX 1.6 JSON schema', async () => {
    expect(await cycloneDxJsonErrors(json)).toBeNull();
  });

  it('has the document header, a deterministic v5 serial number and the metadata', () => {
    expect(bom.bomFormat).toBe('CycloneDX');
    expect(bom.specVersion).toBe('1.6');
    expect(bom.version).toBe(1);
    // Computed independently: Python uuid.uuid5(uuid.uuid5(NAMESPACE_URL,
    // 'urn:oss-inventory:cyclonedx-serial-number'), json.dumps(inventory without generatedAt,
    // sort_keys=True, separators=(',', ':'), ensure_ascii=False)).
    expect(bom.serialNumber).toBe('urn:uuid:d7de29ea-252f-536e-9468-f7134552b73b');
    expect(bom.metadata.timestamp).toBe('2024-05-01T08:30:00.000Z');
    expect(bom.metadata.tools.components).toEqual([
      { type: 'application', name: 'oss-inventory', version: '0.1.0' },
    ]);
    expect(bom.metadata.component).toEqual({
      type: 'application',
      name: 'acme',
      'bom-ref': 'subject:acme',
      properties: [{ name: 'oss-inventory:location', value: '/home/ospo/src/acme' }],
    });
    expect(props(bom.metadata)).toEqual([
      ['oss-inventory:problemCount', '2'],
      ['oss-inventory:inventorySchemaVersion', '1.0.0'],
      ['oss-inventory:subject', 'acme'],
    ]);
  });

  it('has one application per project and one library per component, in a stable order', () => {
    expect(bom.components.map((c) => [c.type, c['bom-ref']])).toEqual([
      ['application', 'acme:.'],
      ['application', 'acme:packages/web'],
      ['application', 'acme:tools/legacy'],
      ['library', BABEL],
      ['library', EXPRESS],
      ['library', FSEVENTS],
      ['library', JSZIP],
      ['library', LEFT_PAD],
      ['library', PAKO],
      ['library', TYPESCRIPT],
      ['library', XLSX],
    ]);
  });

  it('renders projects with name, version, declared license and properties', () => {
    expect(component(bom, 'acme:.')).toEqual({
      type: 'application',
      name: 'acme-monorepo',
      version: '1.0.0',
      'bom-ref': 'acme:.',
      licenses: [{ license: { id: 'Apache-2.0', acknowledgement: 'declared' } }],
      properties: [
        { name: 'oss-inventory:subject', value: 'acme' },
        { name: 'oss-inventory:path', value: '.' },
        { name: 'oss-inventory:manifest', value: 'package-lock.json' },
        { name: 'oss-inventory:manifest', value: 'package.json' },
        { name: 'oss-inventory:locked', value: 'true' },
        { name: 'oss-inventory:license:status', value: 'known' },
        { name: 'oss-inventory:license:declared', value: 'Apache-2.0' },
        { name: 'oss-inventory:license:category', value: 'permissive' },
        { name: 'oss-inventory:license:mapping', value: 'spdx' },
        { name: 'oss-inventory:license:source', value: 'package.json' },
        { name: 'oss-inventory:license:evidence', value: 'package.json' },
        { name: 'oss-inventory:license:detected', value: 'Apache-2.0 LICENSE 0.99' },
      ],
    });
    expect(props(component(bom, 'acme:packages/web'))).toEqual([
      ['oss-inventory:subject', 'acme'],
      ['oss-inventory:path', 'packages/web'],
      ['oss-inventory:manifest', 'package-lock.json'],
      ['oss-inventory:manifest', 'packages/web/package.json'],
      ['oss-inventory:locked', 'true'],
      ['oss-inventory:workspaceRoot', 'acme:.'],
    ]);
    const legacy = component(bom, 'acme:tools/legacy');
    expect(legacy.version).toBeUndefined();
    expect(legacy.licenses).toEqual([
      { license: { name: 'SEE LICENSE IN LICENSE.txt', acknowledgement: 'declared' } },
    ]);
    expect(props(legacy)).toContainEqual(['oss-inventory:locked', 'false']);
  });

  it('renders group, name, version and purl of libraries', () => {
    const babel = component(bom, BABEL);
    expect([babel.group, babel.name, babel.version, babel.purl]).toEqual([
      '@babel',
      'runtime',
      '7.24.0',
      BABEL,
    ]);
    const express = component(bom, EXPRESS);
    expect([express.group, express.name, express.version, express.purl]).toEqual([
      undefined,
      'express',
      '^4.19.2',
      EXPRESS,
    ]);
  });

  it('maps scopes: runtime or peer -> required, optional -> optional, dev only -> excluded', () => {
    const scopes = Object.fromEntries(
      bom.components.filter((c) => c.type === 'library').map((c) => [c.name, c.scope]),
    );
    expect(scopes).toEqual({
      runtime: 'required', // runtime + dev
      express: 'required',
      fsevents: 'optional',
      jszip: 'required',
      'left-pad': 'required',
      pako: 'required',
      typescript: 'excluded',
      xlsx: 'required',
    });
  });

  it('maps licenses: SPDX id, SPDX expression, free text as a name, nothing when unknown', () => {
    expect(component(bom, BABEL).licenses).toEqual([{ license: { id: 'MIT', acknowledgement: 'declared' } }]);
    expect(component(bom, JSZIP).licenses).toEqual([
      { expression: '(MIT OR GPL-3.0-or-later)', acknowledgement: 'declared' },
    ]);
    expect(component(bom, PAKO).licenses).toEqual([
      { expression: '(MIT AND Zlib)', acknowledgement: 'declared' },
    ]);
    expect(component(bom, LEFT_PAD).licenses).toEqual([
      { license: { name: 'SEE LICENSE IN LICENSE', acknowledgement: 'declared' } },
    ]);
    expect(component(bom, EXPRESS).licenses).toBeUndefined();
  });

  it('turns SRI integrity into hex hashes, strongest first', () => {
    expect(component(bom, BABEL).hashes).toEqual([
      {
        alg: 'SHA-512',
        content:
          'cb0fd12f7b9044643e87ecaba698622063f3b8ed5199692edd5cb53dc37cc03510a377a371c9d57cb6cc03bdf62c43f6dd11e44111b92789679187905da122f9',
      },
    ]);
    expect(component(bom, PAKO).hashes).toEqual([
      { alg: 'SHA-1', content: '1270c40ceba4391f4e5797f7811f10e99c41fef3' },
    ]);
    expect(component(bom, XLSX).hashes).toEqual([
      {
        alg: 'SHA-384',
        content:
          'd6a0fca5bdc2785027ad8c47239b3aaf89a8b3a77ddfed778d4cdebd5cee54473c1b887b46ddd5b0088669133de5a19e',
      },
      { alg: 'SHA-256', content: '4845ed9e421b73e8d722b6a04fecefbcdbc67ab3c26a07069baf5792036f30d7' },
    ]);
    expect(component(bom, LEFT_PAD).hashes).toBeUndefined();
    expect(component(bom, EXPRESS).hashes).toBeUndefined();
  });

  it('renders resolved as a distribution reference, or vcs for git', () => {
    expect(component(bom, XLSX).externalReferences).toEqual([
      { url: 'https://cdn.sheetjs.com/xlsx-0.20.2/xlsx-0.20.2.tgz', type: 'distribution' },
    ]);
    expect(component(bom, LEFT_PAD).externalReferences).toEqual([
      {
        url: 'git+ssh://git@github.com/left-pad/left-pad.git#5a1d5b4c0f1a4e2f9bb25a2f6a0c3a2a0a6c5f2e',
        type: 'vcs',
      },
    ]);
    expect(component(bom, EXPRESS).externalReferences).toBeUndefined();
  });

  it('renders what CycloneDX has no field for as oss-inventory properties', () => {
    expect(props(component(bom, BABEL))).toEqual([
      ['oss-inventory:scopes', 'runtime,dev'],
      ['oss-inventory:direct', 'true'],
      ['oss-inventory:locked', 'true'],
      ['oss-inventory:sourceKind', 'registry'],
      ['oss-inventory:usedByProjects', '2'],
      ['oss-inventory:license:status', 'known'],
      ['oss-inventory:license:declared', 'MIT'],
      ['oss-inventory:license:category', 'permissive'],
      ['oss-inventory:license:mapping', 'spdx'],
      ['oss-inventory:license:source', 'lockfile'],
      ['oss-inventory:license:evidence', 'package-lock.json'],
    ]);
    expect(props(component(bom, EXPRESS))).toEqual([
      ['oss-inventory:scopes', 'runtime'],
      ['oss-inventory:direct', 'true'],
      ['oss-inventory:locked', 'false'],
      ['oss-inventory:sourceKind', 'registry'],
      ['oss-inventory:usedByProjects', '1'],
      ['oss-inventory:license:status', 'unknown'],
      ['oss-inventory:license:reason', 'not locked: no lockfile records its license'],
    ]);
    expect(props(component(bom, PAKO))).toContainEqual(['oss-inventory:direct', 'false']);
    expect(props(component(bom, LEFT_PAD))).toContainEqual(['oss-inventory:sourceKind', 'git']);
  });

  it('has the full dependency graph: subject -> projects -> components -> components', () => {
    expect(bom.dependencies).toEqual([
      { ref: 'subject:acme', dependsOn: ['acme:.', 'acme:packages/web', 'acme:tools/legacy'] },
      { ref: 'acme:.', dependsOn: [BABEL, TYPESCRIPT] },
      { ref: 'acme:packages/web', dependsOn: [BABEL, FSEVENTS, JSZIP, LEFT_PAD, XLSX] },
      { ref: 'acme:tools/legacy', dependsOn: [EXPRESS] },
      { ref: BABEL },
      { ref: EXPRESS },
      { ref: FSEVENTS },
      { ref: JSZIP, dependsOn: [PAKO] },
      { ref: LEFT_PAD },
      { ref: PAKO },
      { ref: TYPESCRIPT },
      { ref: XLSX },
    ]);
  });
});

describe('CycloneDX 1.6 XML of the sample inventory', () => {
  const xml = renderCycloneDxXml(sampleInventory());

  it.skipIf(!xmllintAvailable)('validates against the CycloneDX 1.6 XSD with xmllint', () => {
    const result = validateCycloneDxXml(xml);
    expect(result.output).toBe('- validates');
    expect(result.valid).toBe(true);
  });

  it('carries the same content as the JSON', () => {
    expect(xml).toContain('<bom xmlns="http://cyclonedx.org/schema/bom/1.6" version="1"');
    expect(xml).toContain('serialNumber="urn:uuid:d7de29ea-252f-536e-9468-f7134552b73b"');
    expect(xml).toContain('<timestamp>2024-05-01T08:30:00.000Z</timestamp>');
    expect(xml.match(/<component type="library"/g)).toHaveLength(8);
    expect(xml.match(/<component type="application"/g)).toHaveLength(5); // tool + subject + 3 projects
    expect(xml).toContain(`<component type="library" bom-ref="${TYPESCRIPT}">`);
    expect(xml).toContain('<scope>excluded</scope>');
    expect(xml).toContain('<scope>optional</scope>');
    expect(xml).toContain('<license acknowledgement="declared">\n          <id>MIT</id>');
    expect(xml).toContain('<expression acknowledgement="declared">(MIT OR GPL-3.0-or-later)</expression>');
    expect(xml).toContain('<name>SEE LICENSE IN LICENSE</name>');
    expect(xml).toContain('<hash alg="SHA-1">1270c40ceba4391f4e5797f7811f10e99c41fef3</hash>');
    expect(xml).toContain('<property name="oss-inventory:problemCount">2</property>');
    expect(xml).toContain('<property name="oss-inventory:scopes">runtime,dev</property>');
    expect(xml).toContain(`<dependency ref="${JSZIP}">\n      <dependency ref="${PAKO}"/>`);
  });
});

describe('CycloneDX health and plan B', () => {
  const inventory = healthInventory();
  const json = renderCycloneDxJson(inventory);
  const bom = JSON.parse(json) as CdxBom;
  const planB = (ref: string) =>
    props(component(bom, ref)).filter(([name]) => name.startsWith('oss-inventory:planb:'));

  it('validates against the CycloneDX 1.6 JSON schema', async () => {
    expect(await cycloneDxJsonErrors(json)).toBeNull();
  });

  it("writes each option as KIND CONFIDENCE TARGET-OR-LABEL, then the target's license and flags", () => {
    expect(planB(XLSX)).toEqual([
      ['oss-inventory:planb:status', 'options'],
      [
        'oss-inventory:planb:option',
        'alternative curated pkg:npm/exceljs (license MIT; flags target-unhealthy)',
      ],
      ['oss-inventory:planb:option', 'maintained-fork inferred https://github.com/someone/sheetjs'],
      [
        'oss-inventory:planb:option',
        'survive suggested pin this version and mirror it in an internal registry',
      ],
      [
        'oss-inventory:planb:option',
        'survive suggested fork it internally and apply security fixes yourselves',
      ],
    ]);
    expect(planB(PAKO)[1]).toEqual([
      'oss-inventory:planb:option',
      'successor authoritative pkg:npm/fflate (license MIT)',
    ]);
    expect(planB(BABEL)).toEqual([['oss-inventory:planb:status', 'not-needed']]);
  });

  it('writes flags without a license, and nothing after the kind and confidence when there is no target', () => {
    const changed = healthInventory();
    changed.components.find((c) => c.name === 'express')!.planB = {
      status: 'options',
      options: [
        { kind: 'remove', confidence: 'curated', source: 'configuration (planB.decisions[0])' },
        {
          kind: 'alternative',
          target: 'pkg:npm/koa',
          confidence: 'curated',
          source: 'configuration (planB.decisions[0])',
          flags: ['target-not-found', 'license-family-differs'],
        },
      ],
    };
    expect(
      props(component(renderJson(changed), EXPRESS)).filter(
        ([name]) => name === 'oss-inventory:planb:option',
      ),
    ).toEqual([
      ['oss-inventory:planb:option', 'remove curated'],
      [
        'oss-inventory:planb:option',
        'alternative curated pkg:npm/koa (flags target-not-found license-family-differs)',
      ],
    ]);
  });

  it('carries the same values in XML', () => {
    const xml = renderCycloneDxXml(inventory);
    expect(xml).toContain(
      '<property name="oss-inventory:planb:option">alternative curated pkg:npm/exceljs (license MIT; flags target-unhealthy)</property>',
    );
    expect(xml).toContain('<property name="oss-inventory:health:class">ABANDONED</property>');
  });
});

describe('CycloneDX determinism', () => {
  it('renders byte-identical strings twice', () => {
    expect(renderCycloneDxJson(sampleInventory())).toBe(renderCycloneDxJson(sampleInventory()));
    expect(renderCycloneDxXml(sampleInventory())).toBe(renderCycloneDxXml(sampleInventory()));
  });

  it('does not depend on the order of projects, components and dependsOn in the inventory', () => {
    const shuffled = sampleInventory();
    shuffled.projects.reverse();
    shuffled.components.reverse();
    for (const p of shuffled.projects) p.dependsOn.reverse();
    shuffled.projects[0]!.manifests.reverse();
    expect(renderCycloneDxJson(shuffled).replace(/"serialNumber": "[^"]+"/, '')).toBe(
      renderCycloneDxJson(sampleInventory()).replace(/"serialNumber": "[^"]+"/, ''),
    );
  });

  it('keeps the serial number when only generatedAt changes, and changes it with the content', () => {
    const later = sampleInventory();
    later.generatedAt = '2025-01-01T00:00:00.000Z';
    const changed = sampleInventory();
    changed.components[0]!.version = '7.24.1';
    const serial = renderJson(sampleInventory()).serialNumber;
    expect(renderJson(later).serialNumber).toBe(serial);
    expect(renderJson(later).metadata.timestamp).toBe('2025-01-01T00:00:00.000Z');
    expect(renderJson(changed).serialNumber).not.toBe(serial);
    expect(renderJson(changed).serialNumber).toMatch(
      /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });
});

describe('CycloneDX with awkward input', () => {
  function withOddComponent(name: string, license: string): Inventory {
    const inventory = sampleInventory();
    const odd: Component = {
      ...inventory.components[2]!,
      purl: 'pkg:npm/odd@1.0.0',
      name,
      group: undefined,
      license: { status: 'known', declared: [license] },
      dependsOn: [],
    };
    inventory.components.push(odd);
    return inventory;
  }

  const SPECIAL = `<évènement & "quoted" 'name'> 日本語 😀`;

  it('keeps XML special characters and unicode in JSON and XML, both valid', async () => {
    const inventory = withOddComponent(SPECIAL, 'Licence <maison> & co');
    const json = renderCycloneDxJson(inventory);
    expect(await cycloneDxJsonErrors(json)).toBeNull();
    const odd = component(JSON.parse(json) as CdxBom, 'pkg:npm/odd@1.0.0');
    expect(odd.name).toBe(SPECIAL);
    expect(odd.licenses).toEqual([
      { license: { name: 'Licence <maison> & co', acknowledgement: 'declared' } },
    ]);

    const xml = renderCycloneDxXml(inventory);
    expect(xml).toContain(`<name>&lt;évènement &amp; "quoted" 'name'&gt; 日本語 😀</name>`);
    expect(xml).toContain('<name>Licence &lt;maison&gt; &amp; co</name>');
    if (xmllintAvailable) expect(validateCycloneDxXml(xml).valid).toBe(true);
  });

  it('replaces characters XML cannot carry by U+FFFD in XML only', async () => {
    const inventory = withOddComponent('bad\u0001name\uD800end', 'MIT');
    const json = renderCycloneDxJson(inventory);
    expect(await cycloneDxJsonErrors(json)).toBeNull();
    expect(component(JSON.parse(json) as CdxBom, 'pkg:npm/odd@1.0.0').name).toBe('bad\u0001name\uD800end');
    const xml = renderCycloneDxXml(inventory);
    expect(xml).toContain('<name>bad\uFFFDname\uFFFDend</name>');
    if (xmllintAvailable) expect(validateCycloneDxXml(xml).valid).toBe(true);
  });

  it('renders hostile license strings as named licenses', async () => {
    for (const hostile of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      const json = renderCycloneDxJson(withOddComponent('odd', hostile));
      expect(await cycloneDxJsonErrors(json)).toBeNull();
      expect(component(JSON.parse(json) as CdxBom, 'pkg:npm/odd@1.0.0').licenses).toEqual([
        { license: { name: hostile, acknowledgement: 'declared' } },
      ]);
    }
  });

  it('maps peer only to required, optional and dev to optional, no scope to no scope', () => {
    const inventory = sampleInventory();
    inventory.components[0]!.scopes = ['peer'];
    inventory.components[1]!.scopes = ['optional', 'dev'];
    inventory.components[2]!.scopes = [];
    const bom = renderJson(inventory);
    expect([BABEL, EXPRESS, FSEVENTS].map((ref) => component(bom, ref).scope)).toEqual([
      'required',
      'optional',
      undefined,
    ]);
    expect(props(component(bom, BABEL))).toContainEqual(['oss-inventory:scopes', 'peer']);
    expect(props(component(bom, EXPRESS))).toContainEqual(['oss-inventory:scopes', 'optional,dev']);
    expect(props(component(bom, FSEVENTS)).map(([name]) => name)).not.toContain('oss-inventory:scopes');
  });

  it('gives a mapped license as concluded, an SPDX one as declared, an unknown one as its declared names', () => {
    const mapped = sampleInventory();
    mapped.components[0]!.license = {
      status: 'known',
      declared: ['The Apache Software License, Version 2.0'],
      expression: 'Apache-2.0',
      category: 'permissive',
      mappings: ['alias'],
      source: 'pom',
    };
    expect(component(renderJson(mapped), BABEL).licenses).toEqual([
      { license: { id: 'Apache-2.0', acknowledgement: 'concluded' } },
    ]);
    const unknown = sampleInventory();
    unknown.components[0]!.license = {
      status: 'unknown',
      declared: ['MIT', 'Some House License'],
      expression: 'MIT OR LicenseRef-unmapped-Some-House-License',
      mappings: ['spdx'],
      unmapped: ['Some House License'],
    };
    expect(component(renderJson(unknown), BABEL).licenses).toEqual([
      { license: { name: 'MIT', acknowledgement: 'declared' } },
      { license: { name: 'Some House License', acknowledgement: 'declared' } },
    ]);
  });

  it('keeps bom-refs unique and deterministic when a project id equals a purl', async () => {
    const inventory = sampleInventory();
    inventory.projects[2]!.id = PAKO;
    const json = renderCycloneDxJson(inventory);
    expect(await cycloneDxJsonErrors(json)).toBeNull();
    const bom = JSON.parse(json) as CdxBom;
    expect(bom.components.filter((c) => c.type === 'application').map((c) => c['bom-ref'])).toEqual([
      'acme:.',
      'acme:packages/web',
      `${PAKO}#2`,
    ]);
    expect(json).toBe(renderCycloneDxJson(inventory));
  });

  it('has no metadata component with several subjects, and lists every subject', () => {
    const inventory = sampleInventory();
    inventory.subjects.push({ name: 'beta', type: 'directory', location: '/home/ospo/src/beta' });
    const bom = renderJson(inventory);
    expect(bom.metadata.component).toBeUndefined();
    expect(props(bom.metadata)).toEqual([
      ['oss-inventory:problemCount', '2'],
      ['oss-inventory:inventorySchemaVersion', '1.0.0'],
      ['oss-inventory:subject', 'acme'],
      ['oss-inventory:subject', 'beta'],
    ]);
    expect(bom.dependencies[0]).toEqual({ ref: 'acme:.', dependsOn: [BABEL, TYPESCRIPT] });
  });

  it('leaves out an unreadable timestamp, credentials in resolved URLs and local paths', () => {
    const inventory = sampleInventory();
    inventory.generatedAt = 'not a date';
    inventory.components[0]!.resolved =
      'https://ci:s3cr3t@npm.example.org/@babel/runtime/-/runtime-7.24.0.tgz';
    inventory.components[2]!.resolved = 'file:vendor/fsevents-2.3.3.tgz';
    const bom = renderJson(inventory);
    expect(bom.metadata.timestamp).toBeUndefined();
    expect(component(bom, BABEL).externalReferences).toEqual([
      { url: 'https://npm.example.org/@babel/runtime/-/runtime-7.24.0.tgz', type: 'distribution' },
    ]);
    expect(component(bom, FSEVENTS).externalReferences).toBeUndefined();
  });

  it('renders an empty inventory as a valid BOM', async () => {
    const empty: Inventory = {
      ...sampleInventory(),
      subjects: [],
      projects: [],
      components: [],
      problems: [],
    };
    const json = renderCycloneDxJson(empty);
    expect(await cycloneDxJsonErrors(json)).toBeNull();
    expect(JSON.parse(json)).toMatchObject({ components: [], dependencies: [] });
    if (xmllintAvailable) expect(validateCycloneDxXml(renderCycloneDxXml(empty)).valid).toBe(true);
  });
});

describe('cyclonedx-values', () => {
  it('reads SRI strings, ignoring unknown algorithms, bad lengths and non-SRI checksums', () => {
    expect(sriToHexDigests('sha1-EnDEDOukOR9OV5f3gR8Q6ZxB/vM=')).toEqual([
      ['SHA-1', '1270c40ceba4391f4e5797f7811f10e99c41fef3'],
    ]);
    expect(sriToHexDigests('md5-1B2M2Y8AsgTpgAmY7PhCfg== sha1-AAAA sha256-!!!')).toEqual([]);
    expect(sriToHexDigests('10c0/1270c40ceba4391f4e5797f7811f10e99c41fef3')).toEqual([]);
    expect(sriToHexDigests(undefined)).toEqual([]);
    expect(
      sriToHexDigests('sha1-EnDEDOukOR9OV5f3gR8Q6ZxB/vM=?opt sha1-AAAAAAAAAAAAAAAAAAAAAAAAAAA='),
    ).toEqual([['SHA-1', '1270c40ceba4391f4e5797f7811f10e99c41fef3']]);
  });

  it('makes RFC 4122 version 5 UUIDs', () => {
    // Python: uuid.uuid5(uuid.NAMESPACE_DNS, 'python.org')
    expect(uuidV5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'python.org')).toBe(
      '886313e1-3b8a-5372-9b90-0c9aee199e5d',
    );
  });

  it('writes canonical JSON whatever the key order, hostile keys included', () => {
    const hostile = JSON.parse('{"b":1,"__proto__":{"x":2},"a":[{"d":1,"c":2}]}') as unknown;
    expect(canonicalJson(hostile)).toBe('{"__proto__":{"x":2},"a":[{"c":2,"d":1}],"b":1}');
    expect(canonicalJson({ a: 1, b: undefined })).toBe('{"a":1}');
  });

  it('keeps valid XML text and replaces the rest', () => {
    expect(xmlSafeText('tab\there\nnew\u0000\u001f\uFFFE😀')).toBe('tab\there\nnew\uFFFD\uFFFD\uFFFD😀');
  });

  it('publishes URLs without credentials and drops local paths', () => {
    expect(publishableUrl('https://user:pw@host.example/x.tgz')).toBe('https://host.example/x.tgz');
    expect(publishableUrl('https://token@host.example/x.tgz')).toBe('https://host.example/x.tgz');
    expect(publishableUrl('git+ssh://git@github.com/a/b.git#abc')).toBe(
      'git+ssh://git@github.com/a/b.git#abc',
    );
    expect(publishableUrl('file:../x')).toBeUndefined();
    expect(publishableUrl('link:packages/a')).toBeUndefined();
    expect(publishableUrl('not a url')).toBeUndefined();
  });
});

describe('CycloneDX rendering time', () => {
  function syntheticInventory(count: number): Inventory {
    const base = sampleInventory();
    const projects = Array.from({ length: 20 }, (_, p) => ({
      ...base.projects[0]!,
      id: `big:p${p}`,
      path: `p${p}`,
      name: `project-${p}`,
      dependsOn: [] as string[],
    }));
    const purl = (i: number): string => `pkg:npm/pkg-${i}@1.${i % 50}.0`;
    const licenses = ['MIT', '(MIT OR Apache-2.0)', 'Custom license', undefined];
    const components: Component[] = Array.from({ length: count }, (_, i) => {
      const declared = licenses[i % licenses.length];
      const project = projects[i % projects.length]!;
      if (i % 10 === 0) project.dependsOn.push(purl(i));
      return {
        purl: purl(i),
        ecosystem: 'npm',
        name: `pkg-${i}`,
        version: `1.${i % 50}.0`,
        locked: true,
        scopes: i % 3 === 0 ? ['dev'] : ['runtime'],
        direct: i % 10 === 0,
        sourceKind: 'registry',
        resolved: `https://registry.npmjs.org/pkg-${i}/-/pkg-${i}-1.${i % 50}.0.tgz`,
        integrity: `sha512-${createHash('sha512').update(String(i)).digest('base64')}`,
        license: declared
          ? { status: 'known', declared: [declared], source: 'lockfile', evidence: 'package-lock.json' }
          : { status: 'unknown', declared: [], reason: 'not in the lockfile' },
        dependsOn: [1, 2, 3]
          .map((d) => i + d)
          .filter((d) => d < count)
          .map(purl),
        usedBy: [
          {
            project: project.id,
            manifest: 'package-lock.json',
            scopes: ['runtime'],
            direct: false,
            path: [project.name, `pkg-${i}@1.${i % 50}.0`],
          },
        ],
      };
    });
    return {
      ...base,
      subjects: [{ name: 'big', type: 'directory', location: '/big' }],
      projects,
      components,
    };
  }

  it('renders 7,000 components (time printed, not asserted) into valid documents', async () => {
    const inventory = syntheticInventory(7000);
    let started = performance.now();
    const json = renderCycloneDxJson(inventory);
    const jsonMs = performance.now() - started;
    started = performance.now();
    const xml = renderCycloneDxXml(inventory);
    const xmlMs = performance.now() - started;
    console.log(
      `CycloneDX rendering of 7,000 components: JSON ${jsonMs.toFixed(0)} ms (${(json.length / 1e6).toFixed(1)} MB), ` +
        `XML ${xmlMs.toFixed(0)} ms (${(xml.length / 1e6).toFixed(1)} MB)`,
    );
    const bom = JSON.parse(json) as CdxBom;
    expect(bom.components).toHaveLength(7020);
    expect(bom.dependencies).toHaveLength(7021);
    if (xmllintAvailable) expect(validateCycloneDxXml(xml).valid).toBe(true);
  });

  // ajv checks the schema's `uniqueItems` pairwise: about 40 s for 7,000 components, so JSON is
  // schema-checked on a smaller inventory made by the same generator.
  it('renders a 300-component synthetic inventory into schema-valid JSON', async () => {
    expect(await cycloneDxJsonErrors(renderCycloneDxJson(syntheticInventory(300)))).toBeNull();
  });
});
