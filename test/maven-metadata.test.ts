import { describe, expect, it } from 'vitest';
import { mavenRepositoryFacts, stampToIso } from '../src/ecosystems/maven/metadata.js';
import type { Coordinates } from '../src/ecosystems/maven/pom-model.js';
import type { MavenRepositories, MetadataFetch, PomFetch } from '../src/ecosystems/maven/repository.js';

const pom = (version: string, extra = '') =>
  `<project><modelVersion>4.0.0</modelVersion><groupId>g</groupId><artifactId>a</artifactId><version>${version}</version>${extra}</project>`;

/** A repositories client over fixed answers, counting what it is asked. */
function client(
  metadata: MetadataFetch | Error,
  poms: Record<string, PomFetch>,
): MavenRepositories & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    plan: () => ({ repositories: [], skipped: [] }),
    notices: () => [],
    fetchMetadata: async () => {
      if (metadata instanceof Error) throw metadata;
      return metadata;
    },
    fetchPom: async ({ version }: Coordinates) => {
      asked.push(version);
      return poms[version] ?? { ok: false, tried: [], reason: `${version} not found` };
    },
  };
}

const remote = (version: string, content: string, lastModified?: string): PomFetch => ({
  ok: true,
  content,
  url: `https://repo.example/g/a/${version}/a-${version}.pom`,
  repositoryId: 'central',
  origin: {
    kind: 'repository',
    url: `https://repo.example/g/a/${version}/a-${version}.pom`,
    repositoryId: 'central',
  },
  ...(lastModified ? { lastModified } : {}),
});

const metadata = (sources: MetadataFetch['sources'], versions: string[]): MetadataFetch => ({
  versions: versions.map((version) => ({ version, repositoryIds: ['central'] })),
  sources,
  tried: [],
  failures: [],
});

describe('stampToIso', () => {
  it('reads yyyyMMddHHmmss as UTC and refuses what is not a real date', () => {
    expect(stampToIso('20231120101500')).toBe('2023-11-20T10:15:00.000Z');
    expect(stampToIso(' 20240229235959 ')).toBe('2024-02-29T23:59:59.000Z');
    for (const bad of [
      '20230229000000',
      '20241345000000',
      '2024010100000',
      '20240101250000',
      'yesterday',
      undefined,
    ]) {
      expect(stampToIso(bad), String(bad)).toBeUndefined();
    }
  });
});

describe('mavenRepositoryFacts', () => {
  const coordinates = { groupId: 'g', artifactId: 'a', version: '1.0' };

  it('takes the highest release and latest of every repository, the newest lastUpdated, and both POM dates', async () => {
    const repositories = client(
      metadata(
        [
          {
            repositoryId: 'central',
            url: 'https://central/g/a/maven-metadata.xml',
            release: '1.2',
            latest: '1.3-SNAPSHOT',
            lastUpdated: '20240101000000',
          },
          {
            repositoryId: 'lutece',
            url: 'https://lutece/g/a/maven-metadata.xml',
            release: '1.10',
            lastUpdated: '20250101000000',
          },
        ],
        ['1.0', '1.2', '1.10', '1.3-SNAPSHOT'],
      ),
      {
        '1.0': remote('1.0', pom('1.0'), 'Fri, 01 Mar 2019 10:00:00 GMT'),
        '1.10': remote('1.10', pom('1.10'), 'Wed, 01 Jan 2025 00:00:00 GMT'),
      },
    );
    expect(await mavenRepositoryFacts(coordinates, [], repositories)).toEqual({
      status: 'found',
      document: 'https://lutece/g/a/maven-metadata.xml',
      latest: '1.3-SNAPSHOT',
      release: '1.10',
      lastUpdated: '2025-01-01T00:00:00.000Z',
      versions: 4,
      publishedAt: '2019-03-01T10:00:00.000Z',
      latestPublishedAt: '2025-01-01T00:00:00.000Z',
    });
    expect(repositories.asked).toEqual(['1.0', '1.10']);
  });

  it('a POM from the local repository has no date; the used version relocating wins over the latest', async () => {
    const local: PomFetch = {
      ok: true,
      content: pom(
        '1.0',
        '<distributionManagement><relocation><groupId>h</groupId></relocation></distributionManagement>',
      ),
      url: '/home/u/.m2/repository/g/a/1.0/a-1.0.pom',
      repositoryId: 'local',
      origin: { kind: 'local-repository', path: '/home/u/.m2/repository/g/a/1.0/a-1.0.pom' },
      lastModified: 'Fri, 01 Mar 2019 10:00:00 GMT',
    };
    const latestPom = remote(
      '1.1',
      pom(
        '1.1',
        '<distributionManagement><relocation><artifactId>b</artifactId></relocation></distributionManagement>',
      ),
      'Wed, 01 Jan 2025 00:00:00 GMT',
    );
    const repositories = client(
      metadata([{ repositoryId: 'central', url: 'u', release: '1.1' }], ['1.0', '1.1']),
      {
        '1.0': local,
        '1.1': latestPom,
      },
    );
    const facts = await mavenRepositoryFacts(coordinates, [], repositories);
    expect(facts).toEqual({
      status: 'found',
      document: 'u',
      latest: '1.1',
      release: '1.1',
      versions: 2,
      latestPublishedAt: '2025-01-01T00:00:00.000Z',
      relocation: { groupId: 'h' },
    });
    expect(repositories.asked).toEqual(['1.0', '1.1']);
  });

  it('without a remote maven-metadata.xml the facts are missing, with the failures and the URLs tried', async () => {
    const offline: MetadataFetch = {
      versions: [{ version: '1.0', repositoryIds: ['local'] }],
      sources: [{ repositoryId: 'local', url: '/m2/g/a/maven-metadata-local.xml' }],
      tried: ['https://central/g/a/maven-metadata.xml'],
      failures: [{ id: 'central', url: 'https://central/', reason: 'offline and not cached' }],
    };
    expect(await mavenRepositoryFacts(coordinates, [], client(offline, {}))).toEqual({
      status: 'missing',
      reason:
        'no maven-metadata.xml for g:a: central: offline and not cached; tried https://central/g/a/maven-metadata.xml',
    });
  });

  it('never rejects: a failure of the client is a missing reason', async () => {
    expect(await mavenRepositoryFacts(coordinates, [], client(new Error('boom'), {}))).toEqual({
      status: 'missing',
      reason: 'reading the repository metadata failed: boom',
    });
  });
});
