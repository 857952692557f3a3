/**
 * What a Maven repository says of an artifact, for maintainer health: its `maven-metadata.xml` (latest,
 * release, lastUpdated, the versions) from every repository the artifact may come from, and the POMs of
 * the used version and of the latest release (their `distributionManagement/relocation`, their dates).
 *
 * Release dates: the `Last-Modified` header a remote repository sends for a POM (on Maven Central, the
 * time the file was deployed) is the publication date of that version (`publishedAt`,
 * `latestPublishedAt`). A POM read from the local repository (~/.m2) has no such date (a file's time
 * there is when it was downloaded), nor has one from a server that sends no Last-Modified: then only
 * `lastUpdated` is known, the time the metadata was last rewritten, which a deployment does, so on a
 * release repository it is the time of the last deployment. Health uses `latestPublishedAt` when there is
 * one, else `lastUpdated`, and says which. Releases in the last 12 months would need a date per version
 * (one request each): not gathered.
 *
 * Requests: one `maven-metadata.xml` per repository of the plan (revalidated daily, like Maven), the
 * latest release's POM (immutable, cached forever); the used version's POM was already read for its
 * license (the repositories client shares the answer).
 */
import type { MavenRepositoryFacts, RegistryMissing } from '../../core/model.js';
import { parsePom } from './pom.js';
import type { Coordinates, Relocation, Repository } from './pom-model.js';
import { LOCAL_REPOSITORY_ID, type MavenRepositories, type PomFetch } from './repository.js';
import { compareVersions, isSnapshot } from './version.js';

/** Repository facts of one artifact version; never rejects (a failure is a `missing` reason). */
export async function mavenRepositoryFacts(
  coordinates: Coordinates,
  repositories: readonly Repository[],
  client: MavenRepositories,
): Promise<MavenRepositoryFacts | RegistryMissing> {
  try {
    return await gather(coordinates, repositories, client);
  } catch (error) {
    return { status: 'missing', reason: `reading the repository metadata failed: ${messageOf(error)}` };
  }
}

async function gather(
  coordinates: Coordinates,
  repositories: readonly Repository[],
  client: MavenRepositories,
): Promise<MavenRepositoryFacts | RegistryMissing> {
  const { groupId, artifactId, version } = coordinates;
  const label = `${groupId}:${artifactId}`;
  const metadata = await client.fetchMetadata(groupId, artifactId, repositories);
  const remote = metadata.sources.filter((s) => s.repositoryId !== LOCAL_REPOSITORY_ID);
  if (remote.length === 0) {
    const failures = metadata.failures.map((f) => `${f.id || f.url}: ${f.reason}`);
    const tried = metadata.tried.length > 0 ? `; tried ${metadata.tried.join(', ')}` : '';
    const why = failures.length > 0 ? failures.join('; ') : `no repository lists ${label}`;
    return { status: 'missing', reason: `no maven-metadata.xml for ${label}: ${why}${tried}` };
  }
  const newest = [...remote].sort((a, b) => compareStamps(b.lastUpdated, a.lastUpdated))[0]!;
  const release =
    highest(remote.map((s) => s.release)) ??
    highest(metadata.versions.map((v) => v.version).filter((v) => !isSnapshot(v)));
  const latest = highest(remote.map((s) => s.latest)) ?? highest(metadata.versions.map((v) => v.version));
  const lastUpdated = remote
    .map((s) => stampToIso(s.lastUpdated))
    .filter((s): s is string => s !== undefined)
    .sort()
    .at(-1);

  const used = await client.fetchPom(coordinates, repositories);
  const usedFacts = pomFacts(used);
  const latestFacts =
    release === undefined || release === version
      ? usedFacts
      : pomFacts(await client.fetchPom({ groupId, artifactId, version: release }, repositories));
  const relocation = usedFacts.relocation ?? latestFacts.relocation;
  return {
    status: 'found',
    document: newest.url,
    ...(latest !== undefined ? { latest } : {}),
    ...(release !== undefined ? { release } : {}),
    ...(lastUpdated !== undefined ? { lastUpdated } : {}),
    versions: metadata.versions.length,
    ...(usedFacts.publishedAt !== undefined ? { publishedAt: usedFacts.publishedAt } : {}),
    ...(latestFacts.publishedAt !== undefined ? { latestPublishedAt: latestFacts.publishedAt } : {}),
    ...(relocation ? { relocation } : {}),
  };
}

/** The date and relocation a fetched POM gives; nothing for one that could not be read. */
function pomFacts(fetched: PomFetch): { publishedAt?: string; relocation?: Relocation } {
  if (!fetched.ok) return {};
  const out: { publishedAt?: string; relocation?: Relocation } = {};
  if (fetched.origin.kind === 'repository' && fetched.lastModified !== undefined) {
    const at = Date.parse(fetched.lastModified);
    if (!Number.isNaN(at)) out.publishedAt = new Date(at).toISOString();
  }
  const parsed = parsePom(fetched.content, fetched.url);
  const relocation = parsed.ok ? parsed.pom.relocation : undefined;
  if (relocation && Object.values(relocation).some((v) => v !== undefined && v !== '')) {
    out.relocation = Object.fromEntries(
      Object.entries(relocation).filter(([, v]) => typeof v === 'string' && v.trim() !== ''),
    ) as Relocation;
  }
  return out;
}

/** The highest of some versions in Maven's order. */
function highest(versions: readonly (string | undefined)[]): string | undefined {
  let best: string | undefined;
  for (const v of versions) {
    if (v === undefined || v === '') continue;
    if (best === undefined || compareVersions(v, best) > 0) best = v;
  }
  return best;
}

/** `lastUpdated` is `yyyyMMddHHmmss` in UTC. */
export function stampToIso(stamp: string | undefined): string | undefined {
  const match = stamp ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(stamp.trim()) : null;
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s] = match.map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const date = new Date(ms);
  // refuses 20241345... which Date.UTC would roll over into another date
  if (date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d || h > 23 || mi > 59 || s > 59)
    return undefined;
  return date.toISOString();
}

function compareStamps(a: string | undefined, b: string | undefined): number {
  return (stampToIso(a) ?? '').localeCompare(stampToIso(b) ?? '');
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
