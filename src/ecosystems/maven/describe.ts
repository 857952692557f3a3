import type { LimitFunction } from 'p-limit';
import { mavenPurl } from '../../core/purl.js';
import type { TargetRef } from '../../core/planb.js';
import type { PackageDescription } from '../types.js';
import { mavenRepositoryFacts } from './metadata.js';
import { parsePom } from './pom.js';
import type { Coordinates, Relocation, Repository } from './pom-model.js';
import {
  invalidCoordinates,
  LOCAL_REPOSITORY_ID,
  type MavenRepositories,
  type MetadataFetch,
} from './repository.js';

export interface MavenDescribeDeps {
  client: MavenRepositories | undefined;
  limit: LimitFunction;
  /**
   * The repositories the POMs of the target's subjects declare, in Maven's order (settings.xml's and
   * Maven Central are added by the client, the local repository read first).
   */
  repositories(ref: TargetRef): readonly Repository[];
  /**
   * What the artifact's effective POM (its parents' included), read through `repositories`, declares: its
   * licenses, and its source repository (scm, url) as a browsable URL.
   */
  model(
    coordinates: Coordinates,
    ref: TargetRef,
    repositories: readonly Repository[],
  ): Promise<{ licenses: string[]; repository?: string }>;
}

/**
 * Plan B's Maven targets, through the repositories that apply to the subjects naming them (the local
 * repository, settings.xml's, their POMs', then Maven Central): the metadata says whether the artifact
 * exists and its release, the release's POM whether it is relocated and when it was published, its
 * effective POM its license. A target without a version is its release. One that only the local
 * repository lists (installed with `mvn install`) is described from there, without a release date.
 * Coordinates no repository could hold (`org..evil`) are not found, never asked.
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
  const colon = ref.name.indexOf(':');
  const groupId = colon < 0 ? ref.name : ref.name.slice(0, colon);
  const artifactId = colon < 0 ? '' : ref.name.slice(colon + 1);
  const invalid = invalidCoordinates({ groupId, artifactId, version: ref.version ?? '0' });
  if (invalid !== undefined) return { status: 'not-found', reason: invalid };
  const client = deps.client;
  if (!client) return { status: 'unknown', reason: 'no Maven repository is open in this run' };
  const repositories = deps.repositories(ref);
  try {
    const metadata = await client.fetchMetadata(groupId, artifactId, repositories);
    const remote = metadata.sources.filter((s) => s.repositoryId !== LOCAL_REPOSITORY_ID);
    const listed = remote.length > 0 ? remote : metadata.sources;
    if (listed.length === 0) return unlisted(ref, metadata);
    const versions = metadata.versions.map((v) => v.version);
    const version = ref.version ?? listed.map((s) => s.release).find(Boolean) ?? versions.at(-1);
    if (version === undefined) return { status: 'not-found', reason: `${ref.name} lists no version` };
    if (!versions.includes(version)) {
      return { status: 'not-found', reason: `${ref.name}:${version} is not published` };
    }
    const coordinates = { groupId, artifactId, version };
    const facts =
      remote.length > 0
        ? await fromRemote(coordinates, repositories, client)
        : await fromLocal(coordinates, repositories, client);
    if (!facts.ok) return { status: 'unknown', reason: facts.reason };
    const relocatedTo = relocationPurl(coordinates, facts.relocation);
    const model = await deps.model(coordinates, ref, repositories);
    return {
      status: 'found',
      document: facts.document,
      version,
      ...(relocatedTo !== undefined ? { relocatedTo } : {}),
      declaredLicenses: model.licenses,
      ...(model.repository !== undefined ? { repository: model.repository } : {}),
      ...(facts.lastReleaseAt !== undefined ? { lastReleaseAt: facts.lastReleaseAt } : {}),
    };
  } catch (error) {
    return {
      status: 'unknown',
      reason: `${ref.name}: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}

/** No repository lists the artifact: not found, unless a repository gave no answer (or could not be asked). */
function unlisted(ref: TargetRef, metadata: MetadataFetch): PackageDescription {
  if (metadata.failures.length > 0) {
    const why = metadata.failures.map((f) => `${f.id || f.url}: ${f.reason}`).join('; ');
    return { status: 'unknown', reason: `${ref.name}: ${why}` };
  }
  const tried = metadata.tried.length > 0 ? ` (tried ${metadata.tried.join(', ')})` : '';
  return { status: 'not-found', reason: `no repository lists ${ref.name}${tried}` };
}

type Described =
  | { ok: true; document: string; relocation?: Relocation; lastReleaseAt?: string }
  | { ok: false; reason: string };

/** What the remote repositories say: their metadata, the version's and the release's POMs, their dates. */
async function fromRemote(
  coordinates: Coordinates,
  repositories: readonly Repository[],
  client: MavenRepositories,
): Promise<Described> {
  const facts = await mavenRepositoryFacts(coordinates, repositories, client);
  if (facts.status !== 'found') return { ok: false, reason: facts.reason };
  const lastReleaseAt = facts.latestPublishedAt ?? facts.lastUpdated;
  return {
    ok: true,
    document: facts.document,
    ...(facts.relocation ? { relocation: facts.relocation } : {}),
    ...(lastReleaseAt !== undefined ? { lastReleaseAt } : {}),
  };
}

/**
 * An artifact only the local repository lists: its POM there (the client reads the local repository
 * first) says whether it is relocated. No release date: a file's time there is when it was installed.
 */
async function fromLocal(
  coordinates: Coordinates,
  repositories: readonly Repository[],
  client: MavenRepositories,
): Promise<Described> {
  const pom = await client.fetchPom(coordinates, repositories);
  if (!pom.ok) return { ok: false, reason: pom.reason };
  const parsed = parsePom(pom.content, pom.url);
  if (!parsed.ok) return { ok: false, reason: parsed.problem.message };
  const relocation = parsed.pom.relocation;
  return { ok: true, document: pom.url, ...(relocation ? { relocation } : {}) };
}

/** A relocation to other coordinates (one that only changes the version moves nothing). */
function relocationPurl(from: Coordinates, relocation: Relocation | undefined): string | undefined {
  if (!relocation) return undefined;
  const groupId = relocation.groupId?.trim() || from.groupId;
  const artifactId = relocation.artifactId?.trim() || from.artifactId;
  if (groupId === from.groupId && artifactId === from.artifactId) return undefined;
  return mavenPurl(groupId, artifactId, relocation.version?.trim() ?? '');
}
