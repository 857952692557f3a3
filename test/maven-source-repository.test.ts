import { describe, expect, it } from 'vitest';
import { mavenSourceRepository } from '../src/core/source-repository.js';
import { buildEffectiveModel, type EffectiveModel } from '../src/ecosystems/maven/effective.js';
import { MemoryPomLoader, props, rawPom } from './helpers/maven-effective-loader.js';

/** What src/ecosystems/maven/index.ts hands mavenSourceRepository for a built model. */
function sourceOf(model: EffectiveModel) {
  const values = {
    'scm.url': model.scm?.url,
    'scm.connection': model.scm?.connection,
    'scm.developerConnection': model.scm?.developerConnection,
    url: model.url,
  };
  const declarations = (model.sourceDeclarations ?? []).map((d) => ({
    ...d,
    value: values[d.field]!,
    declaredBy: d.depth === 0 ? model.coordinates : model.parents[d.depth - 1]!.coordinates,
  }));
  return mavenSourceRepository(model.coordinates, declarations);
}

const orgParent = rawPom({
  source: 'https://repo.example/org/example/org-parent/5/org-parent-5.pom',
  groupId: 'org.example',
  artifactId: 'org-parent',
  version: '5',
  packaging: 'pom',
  url: 'https://www.example.org/',
  scm: {
    connection: 'scm:git:https://github.com/example/org-parent.git',
    url: 'https://github.com/example/org-parent',
  },
});

const buildParent = rawPom({
  source: 'pom.xml',
  groupId: 'com.acme',
  artifactId: 'widgets-parent',
  version: '2.0',
  packaging: 'pom',
  scm: { url: 'https://github.com/acme/widgets' },
});

describe('where the effective url and scm come from', () => {
  it('records, per field, the nearest POM of the chain that writes it, as written', async () => {
    const child = rawPom({
      source: 'core/pom.xml',
      artifactId: 'widget-core',
      parent: { groupId: 'com.acme', artifactId: 'widgets-parent', version: '2.0', line: 2 },
    });
    const middle = rawPom({
      ...buildParent,
      parent: { groupId: 'org.example', artifactId: 'org-parent', version: '5', line: 2 },
    });
    const loader = new MemoryPomLoader().inTree(middle).inTree(child).inRepository(orgParent);
    const model = await buildEffectiveModel(child, loader, {});
    expect(model.sourceDeclarations).toEqual([
      { field: 'scm.url', depth: 1, raw: 'https://github.com/acme/widgets' },
      { field: 'scm.connection', depth: 2, raw: 'scm:git:https://github.com/example/org-parent.git' },
      { field: 'url', depth: 2, raw: 'https://www.example.org/' },
    ]);
    // The scm url the module inherits from its build's parent: the build's repository, the module's folder.
    expect(sourceOf(model)).toEqual({
      url: 'https://github.com/acme/widgets',
      host: 'github.com',
      owner: 'acme',
      name: 'widgets',
      directory: 'widget-core',
      confidence: 'medium',
      from: 'pom scm/url (com.acme:widgets-parent:2.0)',
    });
  });

  it("an artifact's own scm is sure; one inherited from an organisation's parent is not", async () => {
    const own = rawPom({
      source: 'pom.xml',
      groupId: 'com.acme',
      artifactId: 'gadget',
      version: '1.0',
      parent: { groupId: 'org.example', artifactId: 'org-parent', version: '5', line: 2 },
      scm: { connection: 'scm:git:git@github.com:acme/gadget.git' },
    });
    const loader = new MemoryPomLoader().inTree(own).inRepository(orgParent);
    expect(sourceOf(await buildEffectiveModel(own, loader, {}))).toMatchObject({
      owner: 'acme',
      name: 'gadget',
      confidence: 'high',
      from: 'pom scm/connection (com.acme:gadget:1.0)',
    });

    const bare = rawPom({ ...own, scm: undefined });
    expect(
      sourceOf(
        await buildEffectiveModel(bare, new MemoryPomLoader().inTree(bare).inRepository(orgParent), {}),
      ),
    ).toEqual({
      url: 'https://github.com/example/org-parent',
      host: 'github.com',
      owner: 'example',
      name: 'org-parent',
      directory: 'gadget',
      confidence: 'low',
      from: 'pom scm/url (org.example:org-parent:5)',
    });
  });

  it('a parent URL made of ${project.artifactId} names the child repository', async () => {
    const perChild = rawPom({
      ...orgParent,
      scm: { url: 'https://github.com/example/${project.artifactId}' },
      inheritAppendPath: { scm: 'false' },
    });
    const child = rawPom({
      source: 'pom.xml',
      groupId: 'com.acme',
      artifactId: 'plugin-rest',
      version: '3.0',
      parent: { groupId: 'org.example', artifactId: 'org-parent', version: '5', line: 2 },
      properties: props({}),
    });
    const model = await buildEffectiveModel(
      child,
      new MemoryPomLoader().inTree(child).inRepository(perChild),
      {},
    );
    expect(model.scm?.url).toBe('https://github.com/example/plugin-rest');
    expect(sourceOf(model)).toMatchObject({ owner: 'example', name: 'plugin-rest', confidence: 'medium' });
    expect(sourceOf(model)).not.toHaveProperty('directory');
  });
});
