import { describe, expect, it } from 'vitest';
import type { Component, Inventory, Project, Subject } from '../src/core/model.js';
import {
  assignSourceRepositories,
  firstPartySourceRepository,
  mavenSourceRepository,
  npmSourceRepository,
  parseRepositoryUrl,
  type PomSourceDeclaration,
} from '../src/core/source-repository.js';

const repo = (owner: string, name: string, directory?: string) => ({
  url: `https://github.com/${owner}/${name}`,
  host: 'github.com',
  owner,
  name,
  ...(directory ? { directory } : {}),
});

describe('parseRepositoryUrl', () => {
  it.each([
    ['github:o/n', repo('o', 'n')],
    ['o/n', repo('o', 'n')],
    ['o/n#v1.2.3', repo('o', 'n')],
    ['git+https://github.com/o/n.git', repo('o', 'n')],
    ['https://github.com/o/n', repo('o', 'n')],
    ['http://www.github.com/o/n/', repo('o', 'n')],
    ['git://github.com/o/n.git', repo('o', 'n')],
    ['git+ssh://git@github.com/o/n.git', repo('o', 'n')],
    ['ssh://git@github.com:22/o/n.git', repo('o', 'n')],
    ['git@github.com:o/n.git', repo('o', 'n')],
    ['https://github.com/o/n.git#semver:^2', repo('o', 'n')],
    ['https://github.com/o/n#readme', repo('o', 'n')],
    ['https://github.com/o/n/issues', repo('o', 'n')],
    ['https://github.com/o/n/tree/main/packages/core', repo('o', 'n', 'packages/core')],
    ['https://github.com/o/n/blob/main/packages/core/README.md', repo('o', 'n', 'packages/core')],
    // Maven's inheritance appends the child's artifactId to the parent's URL.
    ['https://github.com/o/parent.git/child-module', repo('o', 'parent', 'child-module')],
    ['scm:git:https://github.com/o/n.git', repo('o', 'n')],
    ['scm:git:git@github.com:o/n.git', repo('o', 'n')],
    ['scm:git:ssh://git@github.com/o/n.git', repo('o', 'n')],
    ['scm:git|https://github.com/o/n', repo('o', 'n')],
    ['  https://GitHub.com/Owner/Name  ', repo('Owner', 'Name')],
  ])('%s', (input, expected) => {
    expect(parseRepositoryUrl(input)).toEqual(expected);
  });

  it('knows the layouts of GitLab (nested groups) and Bitbucket', () => {
    expect(parseRepositoryUrl('gitlab:group/project')).toEqual({
      url: 'https://gitlab.com/group/project',
      host: 'gitlab.com',
      owner: 'group',
      name: 'project',
    });
    expect(parseRepositoryUrl('https://gitlab.com/g/sub/p/-/tree/main/lib')).toEqual({
      url: 'https://gitlab.com/g/sub/p',
      host: 'gitlab.com',
      owner: 'g/sub',
      name: 'p',
      directory: 'lib',
    });
    expect(parseRepositoryUrl('bitbucket:team/repo')).toMatchObject({ host: 'bitbucket.org', owner: 'team' });
  });

  it("maps Apache's git hosts to their GitHub mirror", () => {
    for (const url of [
      'scm:git:https://gitbox.apache.org/repos/asf/commons-lang.git',
      'https://gitbox.apache.org/repos/asf?p=commons-lang.git',
      'scm:git:http://git-wip-us.apache.org/repos/asf/commons-lang.git',
    ]) {
      expect(parseRepositoryUrl(url)).toEqual({ ...repo('apache', 'commons-lang'), mirrored: true });
    }
  });

  it('keeps a repository on another host without owner and name', () => {
    expect(parseRepositoryUrl('scm:svn:https://svn.example.org/repos/proj/trunk')).toEqual({
      url: 'https://svn.example.org/repos/proj/trunk',
      host: 'svn.example.org',
    });
    expect(parseRepositoryUrl('https://github.com/orgs/acme')).toEqual({
      url: 'https://github.com/orgs/acme',
      host: 'github.com',
    });
  });

  it.each([
    '',
    'not a url',
    'https://github.com/${project.artifactId}',
    'scm:cvs:pserver:anonymous@cvs.example.org:/cvsroot:module',
    'gist:11081aaa281',
    'mailto:someone@example.org',
    'https://localhost/x',
    `https://github.com/o/${'n'.repeat(3000)}`,
  ])('%j is no repository', (input) => {
    expect(parseRepositoryUrl(input)).toBeUndefined();
  });
});

describe('npm', () => {
  const registry = { status: 'found' as const, document: 'https://registry.npmjs.org/x', funding: [] };

  it("takes the version's repository, its directory winning over a folder in the URL", () => {
    expect(
      npmSourceRepository({
        ...registry,
        repository: {
          url: 'https://github.com/babel/babel/tree/main/x',
          directory: './packages/babel-code-frame/',
        },
      }),
    ).toEqual({
      ...repo('babel', 'babel', 'packages/babel-code-frame'),
      confidence: 'high',
      from: 'npm repository',
    });
  });

  it('falls back to a homepage on a code host, with less confidence', () => {
    expect(npmSourceRepository({ ...registry, homepage: 'https://github.com/o/n#readme' })).toEqual({
      ...repo('o', 'n'),
      confidence: 'medium',
      from: 'homepage',
    });
    expect(npmSourceRepository({ ...registry, homepage: 'https://example.org/docs' })).toBeUndefined();
    expect(npmSourceRepository(registry)).toBeUndefined();
  });

  it('keeps a repository on an unknown host, with medium confidence', () => {
    expect(
      npmSourceRepository({ ...registry, repository: { url: 'https://git.example.org/team/x.git' } }),
    ).toEqual({
      url: 'https://git.example.org/team/x',
      host: 'git.example.org',
      confidence: 'medium',
      from: 'npm repository',
    });
  });
});

describe('Maven', () => {
  const artifact = { groupId: 'com.acme', artifactId: 'widget', version: '1.2.0' };
  const declared = (
    field: PomSourceDeclaration['field'],
    value: string,
    depth = 0,
    by = artifact,
    raw = value,
  ): PomSourceDeclaration => ({ field, value, depth, declaredBy: by, raw });

  it("trusts the artifact's own scm, url first", () => {
    expect(
      mavenSourceRepository(artifact, [
        declared('scm.url', 'https://github.com/acme/widget/tree/master'),
        declared('scm.connection', 'scm:git:git://github.com/acme/other.git'),
      ]),
    ).toEqual({ ...repo('acme', 'widget'), confidence: 'high', from: 'pom scm/url (com.acme:widget:1.2.0)' });
  });

  it('tries the connection when the url is no repository, then the project url', () => {
    expect(
      mavenSourceRepository(artifact, [
        declared('scm.url', 'https://widget.acme.com/source'),
        declared('scm.connection', 'scm:git:https://github.com/acme/widget.git'),
      ]),
    ).toMatchObject({
      ...repo('acme', 'widget'),
      confidence: 'high',
      from: 'pom scm/connection (com.acme:widget:1.2.0)',
    });
    expect(
      mavenSourceRepository(artifact, [declared('url', 'https://github.com/acme/widget')]),
    ).toMatchObject({
      confidence: 'medium',
      from: 'pom url (com.acme:widget:1.2.0)',
    });
    expect(mavenSourceRepository(artifact, [declared('url', 'https://widget.acme.com')])).toBeUndefined();
  });

  it('an scm inherited from a parent of the same group is a module of its repository: medium', () => {
    const parent = { groupId: 'com.acme', artifactId: 'widget-parent', version: '1.2.0' };
    expect(
      mavenSourceRepository(artifact, [
        declared(
          'scm.url',
          'https://github.com/acme/widgets/widget',
          1,
          parent,
          'https://github.com/acme/widgets',
        ),
      ]),
    ).toEqual({
      ...repo('acme', 'widgets', 'widget'),
      confidence: 'medium',
      from: 'pom scm/url (com.acme:widget-parent:1.2.0)',
    });
  });

  it('an scm inherited from an organisation-wide parent is probably not the artifact own: low', () => {
    const ossParent = { groupId: 'org.sonatype.oss', artifactId: 'oss-parent', version: '9' };
    expect(
      mavenSourceRepository(artifact, [
        declared(
          'scm.connection',
          'scm:git:git@github.com:sonatype/oss-parents.git/widget',
          1,
          ossParent,
          'scm:git:git@github.com:sonatype/oss-parents.git',
        ),
      ]),
    ).toMatchObject({ owner: 'sonatype', name: 'oss-parents', confidence: 'low' });
  });

  it('a parent URL built from ${project.artifactId} names each child: medium, no appended folder', () => {
    const parent = { groupId: 'org.example', artifactId: 'global-pom', version: '7' };
    expect(
      mavenSourceRepository(artifact, [
        declared(
          'scm.url',
          'https://github.com/example/widget/widget',
          2,
          parent,
          'https://github.com/example/${project.artifactId}',
        ),
      ]),
    ).toEqual({
      ...repo('example', 'widget'),
      confidence: 'medium',
      from: 'pom scm/url (org.example:global-pom:7)',
    });
  });

  it('keeps an svn repository when nothing better is declared', () => {
    expect(
      mavenSourceRepository(artifact, [
        declared('scm.connection', 'scm:svn:https://svn.acme.com/widget/trunk'),
      ]),
    ).toEqual({
      url: 'https://svn.acme.com/widget/trunk',
      host: 'svn.acme.com',
      confidence: 'medium',
      from: 'pom scm/connection (com.acme:widget:1.2.0)',
    });
  });
});

describe('first-party components', () => {
  const github: Subject = { name: 'acme/portal', type: 'github', location: 'https://github.com/acme/portal' };
  const local: Subject = { name: 'portal', type: 'directory', location: '../portal' };

  it('map to the GitHub repository they were scanned from, with their folder', () => {
    expect(firstPartySourceRepository(github, 'packages/ui')).toEqual({
      ...repo('acme', 'portal', 'packages/ui'),
      confidence: 'high',
      from: 'first-party',
    });
    expect(firstPartySourceRepository(github, '.')).not.toHaveProperty('directory');
    expect(firstPartySourceRepository(local, '.')).toBeUndefined();
  });

  it('win over what the registry says, in assignSourceRepositories', () => {
    const project: Project = {
      id: 'acme/portal:packages/ui',
      subject: 'acme/portal',
      path: 'packages/ui',
      ecosystem: 'npm',
      manifests: ['packages/ui/package.json'],
      locked: true,
      dependsOn: [],
    };
    const base = {
      ecosystem: 'npm' as const,
      version: '1.0.0',
      locked: true,
      scopes: ['runtime' as const],
      direct: true,
      license: { status: 'known' as const, declared: ['MIT'] },
      dependsOn: [],
      usedBy: [],
    };
    const components: Component[] = [
      {
        ...base,
        purl: 'pkg:npm/%40acme/ui@1.0.0',
        name: 'ui',
        group: '@acme',
        sourceKind: 'registry',
        builtBy: [project.id],
        registry: {
          status: 'found',
          document: 'https://registry.npmjs.org/@acme%2fui',
          funding: [],
          repository: { url: 'https://github.com/someone-else/fork' },
        },
      },
      {
        ...base,
        purl: 'pkg:npm/tool@1.0.0?vcs_url=git%2Bssh://git%40github.com/tools/tool.git%23abc',
        name: 'tool',
        sourceKind: 'git',
        resolved: 'git+ssh://git@github.com/tools/tool.git#abc',
      },
      { ...base, purl: 'pkg:npm/plain@1.0.0', name: 'plain', sourceKind: 'registry' },
    ];
    const inventory: Inventory = {
      schemaVersion: '1.0.0',
      generatedAt: '2025-06-15T00:00:00.000Z',
      tool: { name: 'oss-inventory', version: 'test' },
      run: { offline: true, network: [] },
      subjects: [github],
      stats: { manifestsRead: 0, excluded: [] },
      projects: [project],
      components,
      problems: [],
    };
    const out = assignSourceRepositories(inventory).components;
    expect(out[0]!.sourceRepository).toMatchObject({ owner: 'acme', name: 'portal', from: 'first-party' });
    expect(out[1]!.sourceRepository).toEqual({
      ...repo('tools', 'tool'),
      confidence: 'high',
      from: 'git dependency',
    });
    expect(out[2]).toBe(components[2]);
  });
});
