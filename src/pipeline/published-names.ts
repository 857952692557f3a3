import { Buffer } from 'node:buffer';
import type { Component, Inventory, Problem } from '../core/model.js';
import { packageIdentity, samePackage, packagePurl } from '../core/manifest-identity.js';
import {
  publishedNameKey,
  publishedNameManifest,
  wantsPublishedName,
  type PublishedName,
} from '../core/planb.js';
import {
  headManifestKey,
  readHeadManifests,
  type HeadManifestOutcome,
  type HeadManifestRequest,
} from '../sources/github-head-manifests.js';
import { DEFAULT_REPOSITORY_TTL_MS, RepositoryEntryCache } from '../sources/repository-signals-cache.js';
import { notReadBecause, servedHosts, type RepositorySignalsRequest } from './repository-signals.js';
import { githubLookup, someRepositories } from './github-lookups.js';

/**
 * The plan-B step that reads the manifest at the HEAD of each component's source folder (package.json or
 * pom.xml under the source repository's `directory`, src/sources/github-head-manifests.ts) for the package
 * it publishes now: babel-core's folder now publishes @babel/core. Only with a token and a network:
 * otherwise only the cache answers. The cache keeps what each manifest names (or that it names nothing
 * usable) with the repository signals' time-to-live; a failed read is not kept and is one warning.
 */

const FORMAT = 'oss-inventory published name 2';

/** What a manifest at HEAD names, whatever component asked: null when absent or unusable. */
interface StoredName {
  named: PublishedName | null;
}

export interface PublishedNamesResult {
  /** By publishedNameKey; absent: nothing was read. */
  publishedNames?: Map<string, PublishedName | null>;
  problems: Problem[];
  queries: number;
}

interface Wanted {
  /** publishedNameKey. */
  key: string;
  host: string;
  request: HeadManifestRequest;
  ecosystem: 'npm' | 'maven';
  /** The version-less purls of the components this source folder is said to publish. */
  own: Set<string>;
}

export async function findPublishedNames(
  inventory: Inventory,
  request: RepositorySignalsRequest,
): Promise<PublishedNamesResult> {
  const wanted = wantedManifests(inventory.components, servedHosts(request.baseUrl));
  if (wanted.size === 0) return { problems: [], queries: 0 };

  const clock = request.clock ?? Date.now;
  const cache = new RepositoryEntryCache<StoredName>(
    { dir: request.cacheDir, ttlMs: request.ttlMs ?? DEFAULT_REPOSITORY_TTL_MS, now: clock },
    FORMAT,
    isStoredName,
  );
  const named = new Map<string, PublishedName | null>();
  const toRead = new Map<string, Wanted>();
  for (const [key, manifest] of wanted) {
    const cached = await cache.get(cacheKey(manifest), request.offline);
    if (cached) named.set(key, cached.named);
    else toRead.set(key, manifest);
  }
  // Without a token (GraphQL needs one) or offline, only the cache answers; the signals say why.
  if (toRead.size > 0 && !request.offline && request.token) {
    const { outcomes, queries } = await readManifests([...toRead.values()], request);
    const failed: { manifest: Wanted; reason: string }[] = [];
    const unusable: { manifest: Wanted; reason: string }[] = [];
    for (const [key, manifest] of toRead) {
      const outcome = outcomes.get(key);
      if (!outcome || outcome.kind === 'failed') {
        failed.push({ manifest, reason: outcome?.reason ?? 'GitHub gave no answer' });
        continue;
      }
      if (outcome.kind === 'unusable') unusable.push({ manifest, reason: outcome.reason });
      // absent or unusable (a hostile path, a binary file): nothing to offer, and kept so
      const value = outcome.kind === 'found' ? identityOf(manifest, outcome) : null;
      named.set(key, value);
      await cache.put(cacheKey(manifest), { named: value });
    }
    return {
      publishedNames: withoutOwn(named, wanted),
      problems: [
        ...(failed.length > 0 ? [failedProblem(failed)] : []),
        ...(unusable.length > 0 ? [unusableProblem(unusable)] : []),
      ],
      queries,
    };
  }
  return {
    ...(named.size > 0 ? { publishedNames: withoutOwn(named, wanted) } : {}),
    problems: [],
    queries: 0,
  };
}

/** The manifests to read, by publishedNameKey, with the packages that name each. */
function wantedManifests(components: readonly Component[], served: ReadonlySet<string>): Map<string, Wanted> {
  const wanted = new Map<string, Wanted>();
  for (const component of components) {
    const repository = component.sourceRepository;
    if (!repository || !wantsPublishedName(component) || notReadBecause(repository, served)) continue;
    if (component.ecosystem !== 'npm' && component.ecosystem !== 'maven') continue;
    const key = publishedNameKey(component)!;
    const own = packagePurl(component.ecosystem, component.group, component.name);
    const known = wanted.get(key);
    if (known) {
      if (own) known.own.add(own);
      continue;
    }
    wanted.set(key, {
      key,
      host: repository.host,
      ecosystem: component.ecosystem,
      request: { owner: repository.owner!, name: repository.name!, path: publishedNameManifest(component) },
      own: new Set(own ? [own] : []),
    });
  }
  return wanted;
}

async function readManifests(
  manifests: readonly Wanted[],
  request: RepositorySignalsRequest,
): Promise<{ outcomes: Map<string, HeadManifestOutcome>; queries: number }> {
  const { api, onRateLimited } = githubLookup(request);
  // By host, so that each manifest's URL names the host its repository is on.
  const byHost = new Map<string, Wanted[]>();
  for (const manifest of manifests)
    byHost.set(manifest.host, [...(byHost.get(manifest.host) ?? []), manifest]);
  const outcomes = new Map<string, HeadManifestOutcome>();
  let queries = 0;
  for (const [host, list] of byHost) {
    const result = await readHeadManifests(
      list.map((m) => m.request),
      { api, onRateLimited, host },
    );
    queries += result.queries;
    for (const manifest of list) {
      const outcome = result.outcomes.get(headManifestKey(manifest.request));
      if (outcome) outcomes.set(manifest.key, outcome);
    }
  }
  return { outcomes, queries };
}

/** What the manifest names, and where GitHub says the repository is now when it moved since declared. */
function identityOf(
  manifest: Wanted,
  found: Extract<HeadManifestOutcome, { kind: 'found' }>,
): PublishedName | null {
  const identity = packageIdentity(manifest.ecosystem, found.text, found.url);
  if (!identity.ok) return null;
  const asked = `${manifest.request.owner}/${manifest.request.name}`.toLowerCase();
  const moved = found.repository !== undefined && found.repository.toLowerCase() !== asked;
  return {
    purl: identity.purl,
    manifest: found.url,
    ...(moved ? { repository: `${manifest.host}/${found.repository}` } : {}),
  };
}

/**
 * Each source folder's new name, or null when it names the package of every component said to come from
 * there. Two packages can name the same folder (node-uuid and uuid both name uuidjs/uuid's root): the new
 * name is kept for the one it does not name.
 */
function withoutOwn(
  named: ReadonlyMap<string, PublishedName | null>,
  wanted: ReadonlyMap<string, Wanted>,
): Map<string, PublishedName | null> {
  const out = new Map<string, PublishedName | null>();
  for (const [key, value] of named) {
    const manifest = wanted.get(key)!;
    const ownOnly =
      value !== null &&
      manifest.own.size > 0 &&
      [...manifest.own].every((own) => samePackage(manifest.ecosystem, own, value.purl));
    out.set(key, ownOnly ? null : value);
  }
  return out;
}

/**
 * The cache lower-cases its keys; the path is written in hex so that two folders whose names differ only
 * by case (`Lib` and `lib`) keep their own entries.
 */
function cacheKey(manifest: Wanted): string {
  const { host, request } = manifest;
  return `${host}/${request.owner}/${request.name}:${Buffer.from(request.path, 'utf8').toString('hex')}`;
}

/** Manifests that asking again cannot read (a hostile path, a binary file): told once, when first met. */
function unusableProblem(unusable: readonly { manifest: Wanted; reason: string }[]): Problem {
  const names = someRepositories([
    ...new Set(unusable.map(({ manifest }) => `${manifest.request.owner}/${manifest.request.name}`)),
  ]);
  const n = unusable.length;
  return {
    severity: 'info',
    code: 'planb.published-names.unusable',
    message: `${n.toLocaleString('en')} manifest${n === 1 ? '' : 's'} at HEAD not read (${names}): ${unusable[0]!.reason}`,
    hint: 'The package metadata names a folder or file no manifest can be read from; no new name is offered for it.',
  };
}

function failedProblem(failed: readonly { manifest: Wanted; reason: string }[]): Problem {
  const repositories = [
    ...new Set(failed.map(({ manifest }) => `${manifest.request.owner}/${manifest.request.name}`)),
  ];
  const names = someRepositories(repositories);
  const n = failed.length;
  const r = repositories.length;
  return {
    severity: 'warning',
    code: 'planb.published-names.failed',
    message:
      `new package names not read for ${n.toLocaleString('en')} manifest${n === 1 ? '' : 's'} in ` +
      `${r.toLocaleString('en')} repositor${r === 1 ? 'y' : 'ies'} (${names}): ${failed[0]!.reason}`,
    hint: 'Run again later; the manifests already read are cached.',
  };
}

function isStoredName(value: unknown): value is StoredName {
  if (!value || typeof value !== 'object' || !Object.hasOwn(value, 'named')) return false;
  const named = (value as { named: unknown }).named;
  if (named === null) return true;
  if (!named || typeof named !== 'object') return false;
  const n = named as Partial<PublishedName>;
  return (
    typeof n.purl === 'string' &&
    n.purl.startsWith('pkg:') &&
    typeof n.manifest === 'string' &&
    (n.repository === undefined || typeof n.repository === 'string')
  );
}
