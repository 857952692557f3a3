/**
 * The dependency paths pnpm writes as `packages`/`snapshots` keys and as dependency references, in the
 * three grammars its lockfiles have used:
 * - v5 (lockfile 5.x): `/name/1.2.3`, `/@scope/name/1.2.3_peer@1.0.0` (peers after `_`, scoped peers
 *   written with `+`, or a hash when long); references are `1.2.3_peer@1.0.0` or a whole path.
 * - v6 (lockfile 6.x): `/name@1.2.3(peer@1.0.0)`; references are `1.2.3(peer@1.0.0)` or a whole path.
 * - v9 (lockfile 9.x): `name@1.2.3(peer@1.0.0(nested@2.0.0))`, `name@https://host/x.tgz`,
 *   `name@file:../dir`; references are `1.2.3(...)`, `real-name@1.2.3` (alias) or a non-semver version.
 * In v5 and v6, paths of non-registry packages (`github.com/user/repo/sha`, `@host/x.tgz`, `file:dir`)
 * do not start with `/` and their name and version are fields of the entry.
 */

export type PnpmGrammar = 'v5' | 'v6' | 'v9';

/** Where a dependency reference points: a lockfile key, or a folder linked with `link:`. */
export type DepTarget = { kind: 'key'; key: string } | { kind: 'link'; path: string };

/**
 * Start of the run of parenthesised groups that ends a dependency path (peers, patch hash), or -1.
 * Groups nest in v9: `a@1.0.0(b@2.0.0(c@3.0.0))(d@1.0.0)` → index of the first `(`.
 */
export function suffixIndex(depPath: string): number {
  if (!depPath.endsWith(')')) return -1;
  let depth = 0;
  for (let i = depPath.length - 1; i > 0; i--) {
    const c = depPath.charCodeAt(i);
    if (c === 41) depth++;
    else if (c === 40) {
      depth--;
      if (depth < 0) return -1;
      if (depth === 0 && depPath.charCodeAt(i - 1) !== 41) return i;
    }
  }
  return -1;
}

/** The dependency path without its trailing parenthesised groups. */
export function withoutSuffix(depPath: string): string {
  const at = suffixIndex(depPath);
  return at < 0 ? depPath : depPath.slice(0, at);
}

/** The lockfile key a dependency reference `ref` of the dependency named `alias` points to. */
export function refToTarget(grammar: PnpmGrammar, alias: string, ref: string): DepTarget {
  if (ref.startsWith('link:')) return { kind: 'link', path: ref.slice(5) };
  return { kind: 'key', key: refToKey(grammar, alias, ref) };
}

function refToKey(grammar: PnpmGrammar, alias: string, ref: string): string {
  if (grammar === 'v9') return v9RefToKey(alias, ref);
  if (ref.startsWith('file:')) return ref;
  if (grammar === 'v5') return ref.includes('/') ? ref : `/${alias}/${ref}`;
  return withoutSuffix(ref).includes('/') ? ref : `/${alias}@${ref}`;
}

/** A v9 reference holds the real name when its first `@` comes before any `:` or `(`: an alias. */
function v9RefToKey(alias: string, ref: string): string {
  if (ref.startsWith('@')) return ref;
  const at = ref.indexOf('@');
  if (at < 0) return `${alias}@${ref}`;
  const colon = ref.indexOf(':');
  const paren = ref.indexOf('(');
  const aliased = (colon < 0 || at < colon) && (paren < 0 || at < paren);
  return aliased ? ref : `${alias}@${ref}`;
}

/** Name and version (suffixes removed) written in a key, or undefined when the key does not hold them. */
export function parseKey(grammar: PnpmGrammar, key: string): { name: string; version: string } | undefined {
  let parsed: { name: string; version: string } | undefined;
  if (grammar === 'v5') parsed = parseV5Key(key);
  else if (grammar === 'v6') parsed = key.startsWith('/') ? parseAtKey(key.slice(1)) : undefined;
  else parsed = parseAtKey(key);
  return parsed && parsed.name && parsed.version ? parsed : undefined;
}

function parseV5Key(key: string): { name: string; version: string } | undefined {
  if (!key.startsWith('/')) return undefined;
  const parts = key.slice(1).split('/');
  const nameParts = parts[0]?.startsWith('@') ? 2 : 1;
  const name = parts.slice(0, nameParts).join('/');
  const rest = withoutSuffix(parts.slice(nameParts).join('/'));
  const underscore = rest.indexOf('_');
  return { name, version: underscore < 0 ? rest : rest.slice(0, underscore) };
}

function parseAtKey(body: string): { name: string; version: string } | undefined {
  const at = body.indexOf('@', 1);
  if (at <= 0) return undefined;
  return { name: body.slice(0, at), version: withoutSuffix(body.slice(at + 1)) };
}
