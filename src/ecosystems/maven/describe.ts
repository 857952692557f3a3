import type { LimitFunction } from 'p-limit';
import { mavenPurl } from '../../core/purl.js';
import type { TargetRef } from '../../core/planb.js';
import type { PackageDescription } from '../types.js';
import { mavenRepositoryFacts } from './metadata.js';
import type { Coordinates } from './pom-model.js';
import { LOCAL_REPOSITORY_ID, type MavenRepositories } from './repository.js';

export interface MavenDescribeDeps {
  client: MavenRepositories | undefined;
  limit: LimitFunction;
  /** The licenses the artifact's effective POM declares (its parents' included). */
  licenses(coordinates: Coordinates): Promise<string[]>;
}

/**
 * Plan B's Maven targets, through the repositories of the run (settings.xml's, then Maven Central): the
 * metadata says whether the artifact exists and its release, the release's POM whether it is relocated and
 * when it was published, its effective POM its license. A target without a version is its release.
 */
export async function describeMavenPackages(
  refs: readonly TargetRef[],
  deps: MavenDescribeDeps,
): Promise<Map<string, PackageDescription>> {
  const described = await Promise.all(
    refs.map((ref) =>
      deps.limit(async (): Promise<[string, PackageDescription]> => [ref.key, await describe(ref, deps)]),
    ),
  );
  return new Map(described);
}

async function describe(ref: TargetRef, deps: MavenDescribeDeps): Promise<PackageDescription> {
  const client = deps.client;
  if (!client) return { status: 'unknown', reason: 'no Maven repository is open in this run' };
  const [groupId = '', artifactId = ''] = ref.name.split(':');
  try {
    const metadata = await client.fetchMetadata(groupId, artifactId, []);
    const remote = metadata.sources.filter((s) => s.repositoryId !== LOCAL_REPOSITORY_ID);
    if (remote.length === 0) {
      const tried = metadata.tried.length > 0 ? ` (tried ${metadata.tried.join(', ')})` : '';
      if (metadata.failures.length > 0) {
        const why = metadata.failures.map((f) => `${f.id || f.url}: ${f.reason}`).join('; ');
        return { status: 'unknown', reason: `${ref.name}: ${why}` };
      }
      return { status: 'not-found', reason: `no repository lists ${ref.name}${tried}` };
    }
    const versions = metadata.versions.map((v) => v.version);
    const version = ref.version ?? remote.map((s) => s.release).find(Boolean) ?? versions.at(-1);
    if (version === undefined) return { status: 'not-found', reason: `${ref.name} lists no version` };
    if (!versions.includes(version)) {
      return { status: 'not-found', reason: `${ref.name}:${version} is not published` };
    }
    const coordinates = { groupId, artifactId, version };
    const facts = await mavenRepositoryFacts(coordinates, [], client);
    if (facts.status !== 'found') return { status: 'unknown', reason: facts.reason };
    const relocatedTo = relocationPurl(coordinates, facts.relocation);
    const lastReleaseAt = facts.latestPublishedAt ?? facts.lastUpdated;
    return {
      status: 'found',
      document: facts.document,
      version,
      ...(relocatedTo !== undefined ? { relocatedTo } : {}),
      declaredLicenses: await deps.licenses(coordinates),
      ...(lastReleaseAt !== undefined ? { lastReleaseAt } : {}),
    };
  } catch (error) {
    return {
      status: 'unknown',
      reason: `${ref.name}: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}

/** A relocation to other coordinates (one that only changes the version moves nothing). */
function relocationPurl(
  from: Coordinates,
  relocation: { groupId?: string; artifactId?: string; version?: string } | undefined,
): string | undefined {
  if (!relocation) return undefined;
  const groupId = relocation.groupId ?? from.groupId;
  const artifactId = relocation.artifactId ?? from.artifactId;
  if (groupId === from.groupId && artifactId === from.artifactId) return undefined;
  return mavenPurl(groupId, artifactId, relocation.version ?? '');
}
