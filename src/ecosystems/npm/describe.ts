import type { TargetRef } from '../../core/planb.js';
import type { NetworkContext, PackageDescription } from '../types.js';
import { loadNpmrc } from './registry/npmrc-load.js';
import { npmFactsKey, resolveNpmFacts, type NpmFactsResult } from './registry/resolver.js';

/**
 * Plan B's npm targets: one packument per name, through the registry the user's `.npmrc` (and
 * `--registry`) names; a target without a version is described by its `latest` dist-tag.
 */
export async function describeNpmPackages(
  refs: readonly TargetRef[],
  { network, now }: { network: NetworkContext; now: Date },
): Promise<Map<string, PackageDescription>> {
  const npmrc = await loadNpmrc({
    env: network.env,
    homedir: network.homedir,
    registryFlag: network.registry,
  });
  const asked = refs.map((ref) => ({ ref, name: ref.name, version: ref.version ?? 'latest' }));
  const results = await resolveNpmFacts(asked, { client: network.client, npmrc: npmrc.settings, now });
  return new Map(
    asked.map(({ ref, name, version }) => [ref.key, describe(results.get(npmFactsKey(name, version))!)]),
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
