import type { Problem } from '../../core/model.js';
import type { TargetRef } from '../../core/planb.js';
import type { NetworkContext, PackageDescription, PackagesDescribed, SubjectFiles } from '../types.js';
import type { NpmCredential, NpmRegistrySettings } from './registry/npmrc.js';
import { loadNpmrc, type LoadedNpmrc } from './registry/npmrc-load.js';
import { npmFactsKey, resolveNpmFacts, type NpmFactsResult } from './registry/resolver.js';

/** What describing npm targets needs of a ScanContext: without `subjects`, the user's settings only. */
export interface NpmDescribeContext {
  network: NetworkContext;
  now: Date;
  subjects?: readonly SubjectFiles[];
}

/**
 * Plan B's npm targets: one packument per name, through the registry the settings of the subjects naming
 * the target say (`--registry`, `npm_config_registry`, the subject's `.npmrc`, the user's), so that a
 * scope a project maps to its private registry is asked there and never of the public one. A target named
 * from subjects whose settings differ is asked with the first one's, in the order of the run's subjects;
 * one that names no subject of the run, with the user's settings. A target without a version is described
 * by its `latest` dist-tag.
 */
export async function describeNpmTargets(
  refs: readonly TargetRef[],
  { network, now, subjects = [] }: NpmDescribeContext,
): Promise<PackagesDescribed> {
  const loaded = new Map<SubjectFiles | undefined, LoadedNpmrc>();
  const settingsOf = async (subject: SubjectFiles | undefined): Promise<NpmRegistrySettings> => {
    let npmrc = loaded.get(subject);
    if (!npmrc) {
      npmrc = await loadNpmrc({
        ...(subject ? { project: subject.reader } : {}),
        env: network.env,
        homedir: network.homedir,
        registryFlag: network.registry,
      });
      loaded.set(subject, npmrc);
    }
    return npmrc.settings;
  };
  const groups: { settings: NpmRegistrySettings; refs: TargetRef[] }[] = [];
  for (const ref of refs) {
    const settings = await settingsOf(subjects.find((s) => ref.subjects.includes(s.name)));
    const group = groups.find((g) => sameSettings(g.settings, settings));
    if (group) group.refs.push(ref);
    else groups.push({ settings, refs: [ref] });
  }
  const descriptions = new Map<string, PackageDescription>();
  for (const group of groups) {
    const asked = group.refs.map((ref) => ({ ref, name: ref.name, version: ref.version ?? 'latest' }));
    const results = await resolveNpmFacts(asked, { client: network.client, npmrc: group.settings, now });
    for (const { ref, name, version } of asked) {
      descriptions.set(ref.key, describe(results.get(npmFactsKey(name, version))!));
    }
  }
  return { descriptions, problems: npmrcProblems(loaded) };
}

/**
 * Each file's problems once: the project `.npmrc`'s with the subject it belongs to, the user file's and
 * the flags' (read again for every subject) a single time.
 */
function npmrcProblems(loaded: ReadonlyMap<SubjectFiles | undefined, LoadedNpmrc>): Problem[] {
  const seen = new Set<string>();
  const problems: Problem[] = [];
  for (const [subject, npmrc] of loaded) {
    for (const problem of npmrc.problems) {
      const own = subject !== undefined && problem.file === '.npmrc';
      const placed = own && problem.subject === undefined ? { ...problem, subject: subject.name } : problem;
      const key = JSON.stringify([placed.subject, placed.code, placed.file, placed.line, placed.message]);
      if (seen.has(key)) continue;
      seen.add(key);
      problems.push(placed);
    }
  }
  return problems;
}

/** Whether two settings send every request to the same registry with the same credentials. */
function sameSettings(a: NpmRegistrySettings, b: NpmRegistrySettings): boolean {
  if (a === b) return true;
  if (a.registry !== b.registry || a.scopes.size !== b.scopes.size) return false;
  if (a.credentials.size !== b.credentials.size) return false;
  for (const [scope, url] of a.scopes) if (b.scopes.get(scope) !== url) return false;
  for (const [prefix, credential] of a.credentials) {
    const other = b.credentials.get(prefix);
    if (!other || !sameCredential(credential, other)) return false;
  }
  return true;
}

function sameCredential(a: NpmCredential, b: NpmCredential): boolean {
  return (
    a.token?.reveal() === b.token?.reveal() &&
    a.auth?.reveal() === b.auth?.reveal() &&
    a.username === b.username &&
    a.password?.reveal() === b.password?.reveal() &&
    a.alwaysAuth === b.alwaysAuth
  );
}

function describe(result: NpmFactsResult): PackageDescription {
  if (!result.ok) {
    const gone =
      result.code === 'not-found' || result.code === 'unpublished' || result.code === 'invalid-name';
    return { status: gone ? 'not-found' : 'unknown', reason: result.reason };
  }
  const f = result.facts;
  return {
    status: 'found',
    document: result.source.url,
    version: f.version,
    ...(f.deprecated !== undefined ? { deprecated: f.deprecated } : {}),
    declaredLicenses: f.license.status === 'declared' ? [f.license.value] : [],
    ...(f.lastReleaseAt ? { lastReleaseAt: f.lastReleaseAt } : {}),
    ...(f.repository ? { repository: f.repository.url } : {}),
  };
}
