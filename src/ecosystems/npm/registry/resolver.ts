/**
 * The npm registry resolver: for each distinct name@version, the facts of `facts.ts`.
 *
 * Which document to ask for (the lead's decision, DESIGN.md section 7):
 * - the version document `GET /NAME/VERSION` has license, deprecated, repository, maintainers, funding and
 *   homepage, but no publication date;
 * - the abbreviated packument (`Accept: application/vnd.npm.install-v1+json`) has `deprecated` and the
 *   version list, but no license, repository or `time`;
 * - only the full packument `GET /NAME` (`Accept: application/json`) has `time`.
 * So we send ONE request per distinct package name, for the full packument: it gives every fact of every
 * version of that name we use, plus the release dates. That is at most 1.0x the distinct name@version
 * count cold. It is cached with policy 'revalidate' and a freshness window (`packumentFreshForMs`, 24 h by
 * default): 0 requests warm within the window, an ETag 304 after it. A packument served from the cache
 * that lacks a version we need is revalidated once (the version may be newer than the cached copy).
 * When the packument answers 404 (unpublished, or a private registry that serves only version documents)
 * we fall back to `GET /NAME/VERSION` (policy 'immutable': a published version never changes) for each
 * version used; a 404 there too makes the version unknown, "not in the registry (404)".
 *
 * Each packument is parsed once, its facts extracted for every version used, then dropped: some are tens
 * of megabytes. Credentials go only in `HttpRequest.authorization`, chosen per URL by `.npmrc` prefix, and
 * are scrubbed from every reason this module returns.
 */
import pLimit from 'p-limit';
import type { HttpClient, HttpFailureReason, HttpResponse } from '../../../net/types.js';
import { HttpError } from '../../../net/types.js';
import { factsFromPackument, factsFromVersionDocument, type FactsResult, type NpmFacts } from './facts.js';
import { authorizationFor, registryFor, secretsOf, type NpmRegistrySettings } from './npmrc.js';
import { PACKUMENT_KEPT } from './packument-kept.js';

export const DEFAULT_PACKUMENT_FRESH_FOR_MS = 24 * 60 * 60 * 1000;
/**
 * Names in progress at once. The client bounds requests per host, but not answers served from its disk
 * cache: without this bound a warm run would hold every cached packument in memory at the same time.
 */
export const DEFAULT_NAMES_IN_FLIGHT = 32;

export interface NpmPackageRef {
  name: string;
  version: string;
}

export interface ResolveNpmFactsOptions {
  client: HttpClient;
  npmrc: NpmRegistrySettings;
  /** The clock of the run, for "releases in the last 12 months". */
  now: Date;
  packumentFreshForMs?: number;
  /** Names resolved at once (default DEFAULT_NAMES_IN_FLIGHT). */
  namesInFlight?: number;
}

/** Why a version has no facts: an HttpFailureReason of the client, or what went wrong with the answer. */
export type NpmFactsFailure =
  | HttpFailureReason
  | 'not-found'
  | 'unauthorized'
  | 'http-status'
  | 'invalid-json'
  | 'invalid-document'
  | 'invalid-name'
  | 'invalid-version'
  | 'unpublished'
  | 'error';

export type NpmFactsResult =
  | { ok: true; facts: NpmFacts; source: { url: string; document: 'packument' | 'version' } }
  | { ok: false; code: NpmFactsFailure; reason: string; unpublished?: { at?: string } };

/** The key of the result map. */
export function npmFactsKey(name: string, version: string): string {
  return `${name}@${version}`;
}

interface Context {
  client: HttpClient;
  npmrc: NpmRegistrySettings;
  now: Date;
  freshForMs: number;
  scrub: (text: string) => string;
}

/** Facts for every distinct name@version of `packages`, keyed `name@version`. Never rejects. */
export async function resolveNpmFacts(
  packages: readonly NpmPackageRef[],
  options: ResolveNpmFactsOptions,
): Promise<Map<string, NpmFactsResult>> {
  const context: Context = {
    client: options.client,
    npmrc: options.npmrc,
    now: options.now,
    freshForMs: options.packumentFreshForMs ?? DEFAULT_PACKUMENT_FRESH_FOR_MS,
    scrub: scrubber(secretsOf(options.npmrc)),
  };
  const byName = new Map<string, Set<string>>();
  for (const { name, version } of packages) {
    const versions = byName.get(name) ?? new Set<string>();
    versions.add(version);
    byName.set(name, versions);
  }
  const limit = pLimit(Math.max(1, options.namesInFlight ?? DEFAULT_NAMES_IN_FLIGHT));
  const perName = await Promise.all(
    [...byName].map(([name, versions]) => limit(() => resolveNameSafely(name, [...versions], context))),
  );
  const results = new Map<string, NpmFactsResult>();
  for (const found of perName) for (const [key, result] of found) results.set(key, result);
  const ordered = new Map<string, NpmFactsResult>();
  for (const { name, version } of packages) {
    const key = npmFactsKey(name, version);
    if (!ordered.has(key)) ordered.set(key, results.get(key)!);
  }
  return ordered;
}

async function resolveNameSafely(
  name: string,
  versions: string[],
  context: Context,
): Promise<Map<string, NpmFactsResult>> {
  try {
    return await resolveName(name, versions, context);
  } catch (error) {
    const failure = failed('error', `resolving ${name} failed: ${context.scrub(messageOf(error))}`);
    return new Map(versions.map((version) => [npmFactsKey(name, version), failure]));
  }
}

async function resolveName(
  name: string,
  versions: string[],
  context: Context,
): Promise<Map<string, NpmFactsResult>> {
  const results = new Map<string, NpmFactsResult>();
  const nameProblem = invalidName(name);
  if (nameProblem) {
    for (const version of versions)
      results.set(npmFactsKey(name, version), failed('invalid-name', nameProblem));
    return results;
  }
  const registry = registryFor(context.npmrc, name);
  const url = (registry.endsWith('/') ? registry : `${registry}/`) + escapeName(name);
  let answer = await fetchJson(url, 'packument', context, context.freshForMs);
  if (answer.kind === 'not-found') return versionDocuments(name, url, versions, context);
  if (answer.kind === 'failed') {
    for (const version of versions) results.set(npmFactsKey(name, version), answer.failure);
    return results;
  }
  let facts = factsFromPackument(answer.document, name, versions, context.now);
  if (answer.origin === 'cache' && [...facts.values()].some((result) => !result.ok && result.missing)) {
    const fresh = await fetchJson(url, 'packument', context, 0);
    if (fresh.kind === 'json') {
      answer = fresh;
      facts = factsFromPackument(fresh.document, name, versions, context.now);
    }
  }
  const source = { url: answer.url, document: 'packument' as const };
  for (const version of versions) {
    results.set(npmFactsKey(name, version), fromFacts(facts.get(version)!, source, context));
  }
  return results;
}

async function versionDocuments(
  name: string,
  packumentUrl: string,
  versions: string[],
  context: Context,
): Promise<Map<string, NpmFactsResult>> {
  const answers = await Promise.all(
    versions.map(async (version): Promise<[string, NpmFactsResult]> => {
      const key = npmFactsKey(name, version);
      const versionProblem = invalidVersion(version);
      if (versionProblem) return [key, failed('invalid-version', versionProblem)];
      const url = `${packumentUrl}/${encodeURIComponent(version)}`;
      const answer = await fetchJson(url, 'version', context);
      if (answer.kind === 'not-found')
        return [key, failed('not-found', `${key} is not in the registry (404)`)];
      if (answer.kind === 'failed') return [key, answer.failure];
      const facts = factsFromVersionDocument(answer.document, name, version);
      return [key, fromFacts(facts, { url: answer.url, document: 'version' }, context)];
    }),
  );
  return new Map(answers);
}

function fromFacts(
  facts: FactsResult,
  source: { url: string; document: 'packument' | 'version' },
  context: Context,
): NpmFactsResult {
  if (facts.ok) return { ok: true, facts: facts.facts, source };
  const code: NpmFactsFailure = facts.missing
    ? 'not-found'
    : facts.unpublished
      ? 'unpublished'
      : 'invalid-document';
  const failure = failed(code, context.scrub(`${facts.reason} (${source.url})`));
  return facts.unpublished ? { ...failure, unpublished: facts.unpublished } : failure;
}

type JsonAnswer =
  | { kind: 'json'; document: unknown; url: string; origin: HttpResponse['origin'] }
  | { kind: 'not-found' }
  | { kind: 'failed'; failure: NpmFactsResult & { ok: false } };

async function fetchJson(
  url: string,
  document: 'packument' | 'version',
  context: Context,
  freshForMs?: number,
): Promise<JsonAnswer> {
  const shown = withoutCredentials(url);
  let response: HttpResponse;
  try {
    response = await context.client.get({
      url,
      headers: { accept: 'application/json' },
      authorization: authorizationFor(context.npmrc, url),
      ...(document === 'packument'
        ? { cache: 'revalidate', freshForMs, keep: PACKUMENT_KEPT }
        : { cache: 'immutable' }),
    });
  } catch (error) {
    const code = error instanceof HttpError ? error.reason : 'error';
    const why = `the registry could not answer (${code}): ${context.scrub(messageOf(error))}`;
    return { kind: 'failed', failure: failed(code, why) };
  }
  const { status } = response;
  if (status === 404 || status === 410) return { kind: 'not-found' };
  if (status === 401 || status === 403) {
    const why = `the registry refused access (${status}) to ${shown}: check the credentials for this registry in .npmrc`;
    return { kind: 'failed', failure: failed('unauthorized', why) };
  }
  if (status < 200 || status > 299) {
    return { kind: 'failed', failure: failed('http-status', `the registry answered ${status} for ${shown}`) };
  }
  try {
    return {
      kind: 'json',
      document: JSON.parse(response.body.toString('utf8')),
      url: shown,
      origin: response.origin,
    };
  } catch (error) {
    const why = `the registry answered invalid JSON for ${shown} (${messageOf(error)}): truncated or not a ${document} document`;
    return { kind: 'failed', failure: failed('invalid-json', context.scrub(why)) };
  }
}

function failed(code: NpmFactsFailure, reason: string): NpmFactsResult & { ok: false } {
  return { ok: false, code, reason };
}

/** `@scope/name` → `@scope%2fname`, the path the registry serves a scoped packument at. */
export function escapeName(name: string): string {
  if (!name.startsWith('@')) return encodeURIComponent(name);
  const slash = name.indexOf('/');
  return `@${encodeURIComponent(name.slice(1, slash))}%2f${encodeURIComponent(name.slice(slash + 1))}`;
}

/**
 * Names come from lockfiles, which anyone can write: refuse those that could not be published and could
 * make a different URL (`..`, a second `/`, whitespace), with the reason.
 */
function invalidName(name: string): string | undefined {
  const valid =
    name.length > 0 &&
    name.length <= 214 &&
    /^(?:@[^\s/@]+\/)?[^\s/@._][^\s/]*$/.test(name) &&
    !/\p{Cc}/u.test(name);
  return valid ? undefined : `"${name.slice(0, 80)}" is not a valid npm package name`;
}

function invalidVersion(version: string): string | undefined {
  const valid =
    version.length > 0 && version.length <= 256 && /^[^\s/]+$/.test(version) && !/^\.+$/.test(version);
  return valid ? undefined : `"${version.slice(0, 80)}" is not a valid version`;
}

function withoutCredentials(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.href;
  } catch {
    return url;
  }
}

function scrubber(secrets: readonly string[]): (text: string) => string {
  const distinct = [...new Set(secrets)].filter((s) => s.length > 0).sort((a, b) => b.length - a.length);
  return (text) => distinct.reduce((out, secret) => out.split(secret).join('[redacted]'), text);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
