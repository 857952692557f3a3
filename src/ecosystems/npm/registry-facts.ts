import type { DependencyGraph } from '../../core/graph.js';
import type { ComponentFacts, ComponentLicense, Problem } from '../../core/model.js';
import type { NetworkContext, ResolvedFacts, ScanContext, SubjectFiles } from '../types.js';
import type { NpmFacts } from './registry/facts.js';
import { loadNpmrc } from './registry/npmrc-load.js';
import { npmFactsKey, resolveNpmFacts, type NpmFactsResult } from './registry/resolver.js';

/**
 * Registry facts for every locked registry package of the graphs: one packument per distinct name
 * (see registry/resolver.ts), turned into component facts by purl. Failures become a missing-facts
 * reason on each component and one problem per kind of failure, never a dropped component.
 */
export async function resolveRegistryFacts(
  graphs: readonly DependencyGraph[],
  subject: SubjectFiles,
  { network, now }: ScanContext & { network: NetworkContext },
): Promise<ResolvedFacts> {
  const packages = new Map<string, { name: string; version: string; purls: Set<string> }>();
  for (const graph of graphs) {
    if (!graph.locked) continue;
    for (const node of graph.nodes.values()) {
      if (node.sourceKind !== 'registry') continue;
      const key = npmFactsKey(node.name, node.version);
      const entry = packages.get(key) ?? { name: node.name, version: node.version, purls: new Set<string>() };
      entry.purls.add(node.purl);
      packages.set(key, entry);
    }
  }
  if (packages.size === 0) return { facts: new Map(), problems: [] };

  const npmrc = await loadNpmrc({
    project: subject.reader,
    env: network.env,
    homedir: network.homedir,
    registryFlag: network.registry,
  });
  const results = await resolveNpmFacts([...packages.values()], {
    client: network.client,
    npmrc: npmrc.settings,
    now,
  });
  const facts = new Map<string, ComponentFacts>();
  const failures = new Map<string, string[]>();
  for (const [key, { purls }] of packages) {
    const result = results.get(key)!;
    const componentFacts = toComponentFacts(result);
    for (const purl of purls) facts.set(purl, componentFacts);
    if (!result.ok) failures.set(result.code, [...(failures.get(result.code) ?? []), key]);
  }
  return { facts, problems: [...npmrc.problems, ...failureProblems(failures, results)] };
}

export function toComponentFacts(result: NpmFactsResult): ComponentFacts {
  if (!result.ok) {
    const unpublished = result.unpublished ? { unpublished: result.unpublished } : {};
    return { registry: { status: 'missing', reason: result.reason, ...unpublished } };
  }
  const f = result.facts;
  return {
    license: licenseFrom(f, result.source.url),
    registry: {
      status: 'found',
      document: result.source.url,
      ...(f.deprecated !== undefined ? { deprecated: f.deprecated } : {}),
      ...(f.repository ? { repository: f.repository } : {}),
      ...(f.homepage ? { homepage: f.homepage } : {}),
      funding: f.funding,
      ...(f.maintainers !== undefined ? { maintainers: f.maintainers } : {}),
      ...(f.publishedAt ? { publishedAt: f.publishedAt } : {}),
      ...(f.latest ? { latest: f.latest } : {}),
      ...(f.lastReleaseAt ? { lastReleaseAt: f.lastReleaseAt } : {}),
      ...(f.releasesLast12Months !== undefined ? { releasesLast12Months: f.releasesLast12Months } : {}),
    },
  };
}

function licenseFrom(facts: NpmFacts, url: string): ComponentLicense {
  const license = facts.license;
  if (license.status === 'declared') {
    return { status: 'known', declared: [license.value], source: 'registry', evidence: url };
  }
  return {
    status: 'unknown',
    declared: license.raw !== undefined ? [license.raw] : [],
    source: 'registry',
    evidence: url,
    reason: license.reason,
  };
}

/** One problem per kind of failure, with a count and a few examples; offline misses are only notes. */
function failureProblems(failures: Map<string, string[]>, results: Map<string, NpmFactsResult>): Problem[] {
  return [...failures].map(([code, keys]) => {
    const first = results.get(keys[0]!)!;
    const reason = first.ok ? '' : first.reason;
    return {
      severity: code === 'offline' ? 'info' : 'warning',
      code: `npm.registry.${code}`,
      message: `registry facts missing for ${keys.length} package version${keys.length === 1 ? '' : 's'} (${keys
        .slice(0, 3)
        .join(', ')}${keys.length > 3 ? ', ...' : ''}): ${reason}`,
      hint:
        code === 'offline'
          ? 'Run once without --offline to fill the cache.'
          : 'Check the registry URL, the network or proxy settings, and the credentials in .npmrc; each component records its own reason.',
    };
  });
}
