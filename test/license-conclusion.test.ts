import { describe, expect, it } from 'vitest';
import { concludeLicenses } from '../src/core/license-conclusion.js';
import type { Component, ComponentLicense, Inventory, Project } from '../src/core/model.js';
import { loadLicenseKnowledge } from '../src/licenses/knowledge.js';

const knowledge = loadLicenseKnowledge();
const withLutece = loadLicenseKnowledge([
  { names: ['Lutece license'], urls: ['https://${serverUrl}/LICENSE.TXT'], license: 'BSD-3-Clause' },
]);

function component(name: string, license: ComponentLicense): Component {
  return {
    purl: `pkg:npm/${name}@1.0.0`,
    ecosystem: 'npm',
    name,
    version: '1.0.0',
    locked: true,
    scopes: ['runtime'],
    direct: true,
    sourceKind: 'registry',
    license,
    dependsOn: [],
    usedBy: [],
  };
}

const lutecePom = 'Lutece license <https://${serverUrl}/LICENSE.TXT>';
const project: Project = {
  id: 'lutece-core:.',
  subject: 'lutece-core',
  path: '.',
  ecosystem: 'maven',
  name: 'fr.paris.lutece:lutece-core',
  license: {
    status: 'unknown',
    declared: [lutecePom],
    source: 'pom',
    evidence: 'pom.xml',
    reason: 'not yet mapped to SPDX (lutece-core)',
    detected: [{ expression: 'BSD-3-Clause', file: 'LICENSE', confidence: 0.98 }],
    github: 'BSD-3-Clause',
  },
  manifests: ['pom.xml'],
  locked: true,
  dependsOn: [],
};

function inventory(): Inventory {
  return {
    schemaVersion: '1.0.0',
    generatedAt: '2024-05-01T08:30:00.000Z',
    tool: { name: 'oss-inventory', version: '0.1.0' },
    run: { offline: false, network: [] },
    subjects: [{ name: 'lutece-core', type: 'directory', location: '/src/lutece-core' }],
    stats: { manifestsRead: 1, excluded: [] },
    projects: [project, { ...project, id: 'lutece-core:tools', path: 'tools', license: undefined }],
    components: [
      component('lockfile-mit', {
        status: 'known',
        declared: ['MIT'],
        source: 'lockfile',
        evidence: 'package-lock.json',
      }),
      component('registry-url', {
        status: 'unknown',
        declared: ['http://opensource.org/licenses/MIT'],
        source: 'registry',
        evidence: 'https://registry.npmjs.org/registry-url',
        reason: '"license" is a URL, not a license name',
      }),
      component('pom-choice', {
        status: 'known',
        declared: [
          'The Apache Software License, Version 2.0 <http://www.apache.org/licenses/LICENSE-2.0.txt>',
          'MIT',
        ],
        source: 'pom',
        evidence: 'org.example:parent:1.0',
      }),
      component('nothing-declared', {
        status: 'unknown',
        declared: [],
        reason: 'not declared in the manifest or lockfile, nor in an installed copy',
      }),
      component('object-license', {
        status: 'unknown',
        declared: ['{"name":"MIT"}'],
        source: 'registry',
        evidence: 'https://registry.npmjs.org/object-license',
        reason: '"license" is an object without a "type"',
      }),
      component('curated', {
        status: 'known',
        declared: ['BSD'],
        expression: 'BSD-2-Clause',
        category: 'permissive',
        mappings: ['curation'],
        source: 'curation',
        curated: { reason: 'its LICENSE file is BSD-2-Clause' },
      }),
    ],
    problems: [],
  };
}

describe('concludeLicenses', () => {
  it("normalises every component's license, keeping where it came from", () => {
    const input = inventory();
    const before = JSON.stringify(input);
    const out = concludeLicenses(input, knowledge);
    expect(JSON.stringify(input)).toBe(before);
    expect(out.components.map((c) => c.license)).toEqual([
      {
        status: 'known',
        declared: ['MIT'],
        expression: 'MIT',
        category: 'permissive',
        mappings: ['spdx'],
        source: 'lockfile',
        evidence: 'package-lock.json',
      },
      {
        status: 'known',
        declared: ['http://opensource.org/licenses/MIT'],
        expression: 'MIT',
        category: 'permissive',
        mappings: ['alias'],
        source: 'registry',
        evidence: 'https://registry.npmjs.org/registry-url',
      },
      {
        status: 'known',
        declared: [
          'The Apache Software License, Version 2.0 <http://www.apache.org/licenses/LICENSE-2.0.txt>',
          'MIT',
        ],
        expression: 'Apache-2.0 OR MIT',
        category: 'permissive',
        mappings: ['alias', 'spdx'],
        source: 'pom',
        evidence: 'org.example:parent:1.0',
      },
      {
        status: 'unknown',
        declared: [],
        category: 'unknown',
        reason: 'not declared in the manifest or lockfile, nor in an installed copy',
      },
      {
        status: 'unknown',
        declared: ['{"name":"MIT"}'],
        expression: 'LicenseRef-unmapped-name-MIT',
        category: 'unknown',
        unmapped: ['{"name":"MIT"}'],
        source: 'registry',
        evidence: 'https://registry.npmjs.org/object-license',
        reason:
          '"license" is an object without a "type"; "{"name":"MIT"}" is not mapped to SPDX: add an organisation mapping (licenses.mappings in .oss-inventory.yaml) or a row of data/license-aliases.yaml',
      },
      {
        status: 'known',
        declared: ['BSD'],
        expression: 'BSD-2-Clause',
        category: 'permissive',
        mappings: ['curation'],
        source: 'curation',
        curated: { reason: 'its LICENSE file is BSD-2-Clause' },
      },
    ]);
  });

  it("concludes a project's declared license, keeping what its files and GitHub say", () => {
    const [mapped, none] = concludeLicenses(inventory(), withLutece).projects;
    expect(mapped!.license).toEqual({
      status: 'known',
      declared: [lutecePom],
      expression: 'BSD-3-Clause',
      category: 'permissive',
      mappings: ['organisation'],
      source: 'pom',
      evidence: 'pom.xml',
      detected: [{ expression: 'BSD-3-Clause', file: 'LICENSE', confidence: 0.98 }],
      github: 'BSD-3-Clause',
    });
    expect(none!.license).toBeUndefined();
  });

  it("replaces the manifest reader's placeholder reason when a project's license stays unknown", () => {
    const [unmapped] = concludeLicenses(inventory(), knowledge).projects;
    expect(unmapped!.license).toEqual({
      status: 'unknown',
      declared: [lutecePom],
      expression: 'LicenseRef-unmapped-Lutece-license',
      category: 'unknown',
      unmapped: [lutecePom],
      source: 'pom',
      evidence: 'pom.xml',
      reason: `"${lutecePom}" is not mapped to SPDX: add an organisation mapping (licenses.mappings in .oss-inventory.yaml) or a row of data/license-aliases.yaml`,
      detected: [{ expression: 'BSD-3-Clause', file: 'LICENSE', confidence: 0.98 }],
      github: 'BSD-3-Clause',
    });
  });

  it('keeps a license concluded from a file or from GitHub when it concludes a saved inventory again', () => {
    const fromFile: Project = {
      ...project,
      license: {
        status: 'known',
        declared: [],
        expression: 'MIT',
        category: 'permissive',
        mappings: ['license-file'],
        source: 'license-file',
        evidence: 'LICENSE',
        detected: [{ expression: 'MIT', file: 'LICENSE', confidence: 1 }],
      },
    };
    const saved = { ...inventory(), projects: [fromFile] };
    const once = concludeLicenses(saved, knowledge);
    expect(once.projects[0]!.license).toEqual(fromFile.license);
    expect(concludeLicenses(once, knowledge)).toEqual(once);
  });

  it('leaves the rest of the inventory as it was', () => {
    const input = inventory();
    const out = concludeLicenses(input, knowledge);
    expect({ ...out, projects: [], components: [] }).toEqual({ ...input, projects: [], components: [] });
    expect(out.components.map((c) => c.purl)).toEqual(input.components.map((c) => c.purl));
  });
});
