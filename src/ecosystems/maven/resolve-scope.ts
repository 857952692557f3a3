/**
 * Maven's scope rules (maven-resolver's JavaScopeDeriver and JavaScopeSelector), written out so that each
 * cell of the table can be tested.
 */

/** Scopes of a dependency's own dependencies that are not inherited (ScopeDependencySelector). */
export const NON_TRANSITIVE_SCOPES: ReadonlySet<string> = new Set(['test', 'provided']);

/**
 * The scope of a transitive dependency declared with `child` by a dependency reached with `parent`:
 * system and test stay as they are; under compile the child keeps its scope; under test or runtime it
 * takes the parent's; under provided or system it is provided; under anything else, runtime.
 */
export function deriveScope(parent: string, child: string): string {
  if (child === 'system' || child === 'test') return child;
  if (parent === '' || parent === 'compile') return child;
  if (parent === 'test' || parent === 'runtime') return parent;
  if (parent === 'system' || parent === 'provided') return 'provided';
  return 'runtime';
}

/**
 * The scope an artifact ends with when it is reached through several paths (transitively only): the
 * widest of them, compile > runtime > provided > test; system only when it is the only one. '' when
 * none of those applies (scopes Maven does not know), as Maven leaves it.
 */
export function widestScope(scopes: ReadonlySet<string>): string {
  const candidates = new Set(scopes);
  if (candidates.size > 1) candidates.delete('system');
  if (candidates.size === 1) return [...candidates][0]!;
  for (const scope of ['compile', 'runtime', 'provided', 'test']) if (candidates.has(scope)) return scope;
  return '';
}
