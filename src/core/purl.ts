import { PackageURL } from 'packageurl-js';

export type PurlQualifiers = Record<string, string>;

/** Splits an npm package name into its scope (with `@`) and bare name. */
export function splitNpmName(name: string): { scope?: string; bare: string } {
  if (name.startsWith('@')) {
    const slash = name.indexOf('/');
    if (slash > 0) return { scope: name.slice(0, slash), bare: name.slice(slash + 1) };
  }
  return { bare: name };
}

export function npmPurl(name: string, version: string, qualifiers?: PurlQualifiers): string {
  const { scope, bare } = splitNpmName(name);
  const q = qualifiers && Object.keys(qualifiers).length > 0 ? qualifiers : undefined;
  return new PackageURL('npm', scope, bare, version || undefined, q, undefined).toString();
}

export function mavenPurl(
  groupId: string,
  artifactId: string,
  version: string,
  qualifiers?: Record<string, string>,
): string {
  const q = qualifiers && Object.keys(qualifiers).length > 0 ? qualifiers : undefined;
  return new PackageURL('maven', groupId, artifactId, version || undefined, q, undefined).toString();
}
