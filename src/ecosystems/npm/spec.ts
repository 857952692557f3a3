import type { SourceKind } from '../../core/model.js';
import type { PurlQualifiers } from '../../core/purl.js';
import { npmPurl } from '../../core/purl.js';

const DEFAULT_REGISTRY_HOSTS = new Set(['registry.npmjs.org', 'registry.yarnpkg.com', 'registry.npmjs.com']);

export interface NpmSource {
  kind: SourceKind;
  qualifiers: PurlQualifiers;
}

/** Alias `npm:real-name@range` → real name and range. */
export function parseAlias(spec: string): { name: string; range: string } | undefined {
  if (!spec.startsWith('npm:')) return undefined;
  const body = spec.slice(4);
  const at = body.indexOf('@', body.startsWith('@') ? 1 : 0);
  return at < 0 ? { name: body, range: '*' } : { name: body.slice(0, at), range: body.slice(at + 1) };
}

const GIT_PREFIX = /^(git\+|git:|github:|gitlab:|bitbucket:|gist:)/;
const HOSTED_SHORTHAND = /^[\w.-]+\/[\w.-]+(#.*)?$/;

/**
 * Where a package comes from, from its `resolved` URL (lockfiles) or its declared specifier
 * (package.json), with the purl qualifiers the purl specification gives for it:
 * `vcs_url` for git, `download_url` for tarballs and local files, `repository_url` for a non-default registry.
 */
export function classifySource(resolvedOrSpec: string | undefined): NpmSource {
  if (!resolvedOrSpec) return { kind: 'registry', qualifiers: {} };
  const value = resolvedOrSpec.trim();
  if (GIT_PREFIX.test(value) || HOSTED_SHORTHAND.test(value) || /\.git(#|$)/.test(value)) {
    return { kind: 'git', qualifiers: { vcs_url: toVcsUrl(value) } };
  }
  if (value.startsWith('file:')) {
    const kind: SourceKind = /\.(tgz|tar\.gz|tar)$/.test(value) ? 'tarball' : 'file';
    return { kind, qualifiers: { download_url: value } };
  }
  if (value.startsWith('link:') || value.startsWith('portal:')) return { kind: 'link', qualifiers: {} };
  if (/^https?:\/\//.test(value)) {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return { kind: 'unknown', qualifiers: {} };
    }
    // Registry tarballs look like https://host/path/-/name-1.2.3.tgz; anything else is a plain tarball URL.
    if (url.pathname.includes('/-/')) {
      if (DEFAULT_REGISTRY_HOSTS.has(url.hostname)) return { kind: 'registry', qualifiers: {} };
      const base = url.pathname.slice(0, url.pathname.indexOf('/-/'));
      const registry = `${url.protocol}//${url.host}${registryRoot(base)}`;
      return { kind: 'registry', qualifiers: { repository_url: registry } };
    }
    return { kind: 'tarball', qualifiers: { download_url: stripCredentials(url) } };
  }
  return { kind: 'registry', qualifiers: {} };
}

/** The registry root of a tarball path `/root/@scope/name` or `/root/name`. */
function registryRoot(packagePath: string): string {
  const parts = packagePath.split('/').filter(Boolean);
  const scoped = parts.length >= 2 && parts[parts.length - 2]!.startsWith('@');
  const keep = parts.slice(0, parts.length - (scoped ? 2 : 1));
  return keep.length ? `/${keep.join('/')}` : '';
}

function stripCredentials(url: URL): string {
  url.username = '';
  url.password = '';
  return url.toString();
}

/** A git specifier as a purl `vcs_url`: `git+https://host/path@commit`. */
function toVcsUrl(value: string): string {
  let v = value;
  const hosted = /^(github|gitlab|bitbucket):/.exec(v);
  if (hosted)
    v = `git+https://${hosted[1]}.${hosted[1] === 'bitbucket' ? 'org' : 'com'}/${v.slice(hosted[0].length)}`;
  else if (HOSTED_SHORTHAND.test(v)) v = `git+https://github.com/${v}`;
  else if (v.startsWith('git:')) v = `git+${v}`;
  v = v.replace(/^git\+ssh:\/\/git@/, 'git+https://');
  try {
    const url = new URL(v.replace(/^git\+/, ''));
    url.username = '';
    url.password = '';
    v = `git+${url.toString()}`;
  } catch {
    // keep as written: some git specifiers (scp-like) are not URLs
  }
  return v.replace('#', '@');
}

export function npmPurlFor(name: string, version: string, source: NpmSource): string {
  return npmPurl(name, version, source.qualifiers);
}
