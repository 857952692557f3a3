import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';

/** Value conversions for the CycloneDX reporter: pure functions of strings, no CycloneDX models. */

export type SriAlgorithm = 'SHA-512' | 'SHA-384' | 'SHA-256' | 'SHA-1';

const SRI_ALGORITHMS = new Map<string, { alg: SriAlgorithm; bytes: number }>([
  ['sha512', { alg: 'SHA-512', bytes: 64 }],
  ['sha384', { alg: 'SHA-384', bytes: 48 }],
  ['sha256', { alg: 'SHA-256', bytes: 32 }],
  ['sha1', { alg: 'SHA-1', bytes: 20 }],
]);
const STRENGTH: readonly SriAlgorithm[] = ['SHA-512', 'SHA-384', 'SHA-256', 'SHA-1'];
const SRI_TOKEN = /^([a-z0-9]+)-([A-Za-z0-9+/]+={0,2})(?:\?.*)?$/;

/**
 * Hex digests from a Subresource Integrity string (`sha512-<base64> sha1-<base64>`), strongest first,
 * one per algorithm. Tokens of other algorithms, bad base64 or the wrong length are ignored: anything
 * that is not SRI (e.g. yarn berry's `10c0/<hex>` cache checksum, which hashes yarn's own zip and not the
 * published tarball) yields nothing rather than a hash that would not match the artifact.
 */
export function sriToHexDigests(integrity: string | undefined): [SriAlgorithm, string][] {
  if (!integrity) return [];
  const found = new Map<SriAlgorithm, string>();
  for (const token of integrity.split(/\s+/)) {
    const match = SRI_TOKEN.exec(token);
    const known = match ? SRI_ALGORITHMS.get(match[1]!) : undefined;
    if (!match || !known || found.has(known.alg)) continue;
    const bytes = Buffer.from(match[2]!, 'base64');
    if (bytes.length === known.bytes) found.set(known.alg, bytes.toString('hex'));
  }
  return STRENGTH.filter((alg) => found.has(alg)).map((alg) => [alg, found.get(alg)!]);
}

/** RFC 4122 name-based UUID, version 5 (SHA-1). */
export function uuidV5(namespace: string, name: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const bytes = createHash('sha1').update(ns).update(name, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const RFC4122_URL_NAMESPACE = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';
/** Our own namespace, itself derived by name so that no magic constant has to be trusted. */
const SERIAL_NAMESPACE = uuidV5(RFC4122_URL_NAMESPACE, 'urn:oss-inventory:cyclonedx-serial-number');

/**
 * A `urn:uuid:` serial number that depends only on the given content: UUID v5 (SHA-1) of the canonical
 * JSON of `content` in the oss-inventory namespace. The same content gives the same serial number, so a
 * rerun on an unchanged tree produces a byte-identical SBOM.
 */
export function deterministicSerialNumber(content: unknown): string {
  return `urn:uuid:${uuidV5(SERIAL_NAMESPACE, canonicalJson(content))}`;
}

/** JSON with the keys of every object sorted by code unit, so that key insertion order does not matter. */
export function canonicalJson(value: unknown): string {
  // JSON.stringify walks the value itself; the inventory model is a few levels deep, never deep input.
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => compareCodeUnits(a, b)))
      : v,
  );
}

/** Locale-independent string order (the CycloneDX library sorts with `localeCompare`, which is not). */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// Everything outside the XML 1.0 `Char` production, lone surrogates included.
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Replaces what XML 1.0 cannot carry at all (control characters, lone surrogates) by U+FFFD. */
export function xmlSafeText(value: string): string {
  return value.replace(NOT_XML_CHAR, '\uFFFD');
}

/**
 * The URL to publish for a `resolved` location, or undefined for local paths (`file:`, `link:`,
 * `portal:`) and what is not a URL. Credentials are removed: a lockfile's resolved URL can embed a
 * registry token. The `git` user of an ssh URL is not a secret and stays.
 */
export function publishableUrl(resolved: string | undefined): string | undefined {
  if (!resolved) return undefined;
  let url: URL;
  try {
    url = new URL(resolved);
  } catch {
    return undefined;
  }
  if (['file:', 'link:', 'portal:'].includes(url.protocol)) return undefined;
  const sshUser = url.protocol.includes('ssh') && url.password === '';
  if (!sshUser) {
    url.username = '';
    url.password = '';
  }
  return url.toString();
}
