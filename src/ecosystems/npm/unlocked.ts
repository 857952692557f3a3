import type { DependencyGraph, GraphNode } from '../../core/graph.js';
import { declaredDependencies } from './declared.js';
import type { PackageJson } from './package-json.js';
import { classifySource, npmPurlFor, parseAlias } from './spec.js';

/**
 * A package.json that no lockfile covers: its direct dependencies, each with its declared range as
 * version and a versionless purl, because what gets installed is not known. Transitive dependencies
 * cannot be known without a lockfile.
 */
export function unlockedGraph(pkg: PackageJson, file: string): DependencyGraph {
  const nodes = new Map<string, GraphNode>();
  const edges = declaredDependencies(pkg).map((dep) => {
    const alias = parseAlias(dep.spec);
    const name = alias?.name ?? dep.name;
    const range = alias?.range ?? dep.spec;
    const source = classifySource(range);
    const key = `${name}@${range}`;
    if (!nodes.has(key)) {
      const node: GraphNode = {
        key,
        name,
        version: range,
        purl: npmPurlFor(name, '', source),
        sourceKind: source.kind,
        edges: [],
      };
      nodes.set(key, node);
    }
    return { name: dep.name, spec: dep.spec, kind: dep.kind, to: { node: key } };
  });
  const problems =
    edges.length === 0
      ? []
      : [
          {
            severity: 'warning' as const,
            code: 'npm.unlocked',
            message: `${file}: no lockfile covers this package.json; its ${edges.length} direct dependencies are listed with their declared ranges and their transitive dependencies are unknown`,
            file,
            hint: 'Commit the lockfile of the package manager (package-lock.json, yarn.lock or pnpm-lock.yaml) next to it.',
          },
        ];
  return {
    manifest: file,
    format: 'package.json (no lockfile)',
    locked: false,
    importers: [{ path: '.', name: pkg.name, version: pkg.version, edges }],
    nodes,
    problems,
  };
}
