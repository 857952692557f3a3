/**
 * The package a manifest names: an npm package.json's `name`, a POM's groupId and artifactId. Pure: the
 * text in, a version-less purl out, or why the manifest names no usable package. The text comes from a
 * repository anyone can write to: it is parsed safely (JSON.parse; the POM without DOCTYPE, so without
 * external entities) and a name is kept only when it could be published under it.
 */
import { PackageURL } from 'packageurl-js';
import { parsePom } from '../ecosystems/maven/pom.js';
import { isRecord, parseJson } from '../ecosystems/npm/json.js';
import { npmPurl } from './purl.js';

export type PackageIdentity = { ok: true; purl: string } | { ok: false; reason: string };

const NPM_NAME_MAX = 214;
/** Maven's own rule for a groupId or artifactId (DefaultModelValidator's ID_REGEX). */
const MAVEN_ID = /^[A-Za-z0-9_.-]+$/;

/** `source` names the manifest in the reasons (a URL or a path). Never throws. */
export function packageIdentity(ecosystem: 'npm' | 'maven', text: string, source: string): PackageIdentity {
  return ecosystem === 'npm' ? npmIdentity(text, source) : mavenIdentity(text, source);
}

/** The version-less purl of a package: npm `@scope/name` (group `@scope`), Maven groupId and artifactId. */
export function packagePurl(
  ecosystem: 'npm' | 'maven',
  group: string | undefined,
  name: string,
): string | undefined {
  try {
    if (ecosystem === 'npm') return npmPurl(group ? `${group}/${name}` : name, '');
    if (!group) return undefined;
    return new PackageURL('maven', group, name, undefined, undefined, undefined).toString();
  } catch {
    return undefined;
  }
}

/**
 * Whether two version-less purls name the same package: npm names without regard to case (the registry
 * refuses a new name that differs from an existing one only by case), Maven coordinates exactly.
 */
export function samePackage(ecosystem: 'npm' | 'maven', a: string, b: string): boolean {
  return ecosystem === 'npm' ? a.toLowerCase() === b.toLowerCase() : a === b;
}

function npmIdentity(text: string, source: string): PackageIdentity {
  const json = parseJson(text, source, 'npm.package-json.invalid-json');
  if (!json.ok) return { ok: false, reason: json.problem.message };
  const raw = json.value;
  if (!isRecord(raw)) return { ok: false, reason: `${source}: a package.json must hold a JSON object` };
  const name = Object.hasOwn(raw, 'name') ? raw.name : undefined;
  if (typeof name !== 'string' || name === '') return { ok: false, reason: `${source} names no package` };
  const invalid = invalidNpmName(name);
  if (invalid) return { ok: false, reason: `${source}: ${quote(name)} ${invalid}` };
  if (Object.hasOwn(raw, 'private') && raw.private === true) {
    return { ok: false, reason: `${source}: ${name} is private (never published)` };
  }
  const purl = packagePurl('npm', undefined, name);
  return purl ? { ok: true, purl } : { ok: false, reason: `${source}: ${quote(name)} makes no package URL` };
}

/**
 * Why a name could not be on the npm registry, or undefined: the rules of validate-npm-package-name for
 * names already published (capitals allowed) and the registry's length limit, each part of a scoped name
 * checked alone, so that `..`, a second `/`, whitespace or a control character never reach a URL.
 */
function invalidNpmName(name: string): string | undefined {
  if (name.length > NPM_NAME_MAX) return `is longer than ${NPM_NAME_MAX} characters`;
  const scoped = /^@([^/]+)\/([^/]+)$/.exec(name);
  if (name.startsWith('@') && !scoped) return 'is not a valid scoped name (@scope/name)';
  const parts = scoped ? [scoped[1]!, scoped[2]!] : [name];
  for (const part of parts) {
    if (encodeURIComponent(part) !== part) return 'holds characters a package name may not have';
    if (part.startsWith('.') || part.startsWith('_')) return 'may not start with a dot or an underscore';
  }
  if (['node_modules', 'favicon.ico'].includes(name.toLowerCase())) return 'is a name npm refuses';
  return undefined;
}

function mavenIdentity(text: string, source: string): PackageIdentity {
  const parsed = parsePom(text, source);
  if (!parsed.ok) return { ok: false, reason: parsed.problem.message };
  const { pom } = parsed;
  const groupId = pom.groupId ?? pom.parent?.groupId;
  const artifactId = pom.artifactId;
  if (!groupId) return { ok: false, reason: `${source} has no groupId, and no parent to inherit one from` };
  if (!artifactId) return { ok: false, reason: `${source} has no artifactId` };
  // A multi-module repository's root POM is its parent or aggregator, not the library a module publishes.
  if (pom.packaging?.trim() === 'pom') {
    return { ok: false, reason: `${source} is a parent or aggregator POM (packaging pom), not a library` };
  }
  for (const [field, value] of [
    ['groupId', groupId],
    ['artifactId', artifactId],
  ] as const) {
    if (value.includes('${')) {
      return {
        ok: false,
        reason: `${source}: the ${field} ${quote(value)} uses a property, which needs the whole model to resolve`,
      };
    }
    if (!MAVEN_ID.test(value)) {
      return { ok: false, reason: `${source}: the ${field} ${quote(value)} is not a valid Maven id` };
    }
  }
  const purl = packagePurl('maven', groupId, artifactId);
  return purl
    ? { ok: true, purl }
    : { ok: false, reason: `${source}: ${groupId}:${artifactId} makes no package URL` };
}

/** A hostile value shown safely: control characters escaped, at most 80 characters. */
function quote(value: string): string {
  return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}...` : value);
}
