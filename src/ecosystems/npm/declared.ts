import type { EdgeKind } from '../../core/graph.js';
import type { PackageJson } from './package-json.js';

export interface DeclaredDependency {
  name: string;
  spec: string;
  kind: EdgeKind;
}

/**
 * The dependencies a package.json declares, one per name, with npm's precedence when a name appears in
 * several sections: optionalDependencies override dependencies (npm moves them), then dependencies win
 * over peerDependencies, which win over devDependencies. Optional peers count as optional.
 */
export function declaredDependencies(pkg: PackageJson): DeclaredDependency[] {
  const out = new Map<string, DeclaredDependency>();
  const add = (deps: Record<string, string>, kind: EdgeKind, override: boolean) => {
    for (const [name, spec] of Object.entries(deps)) {
      if (override || !out.has(name)) out.set(name, { name, spec, kind });
    }
  };
  add(pkg.dependencies, 'runtime', false);
  add(pkg.optionalDependencies, 'optional', true);
  for (const [name, spec] of Object.entries(pkg.peerDependencies)) {
    if (!out.has(name))
      out.set(name, { name, spec, kind: pkg.optionalPeers.has(name) ? 'optional' : 'peer' });
  }
  add(pkg.devDependencies, 'dev', false);
  return [...out.values()];
}
