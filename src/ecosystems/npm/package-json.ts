import type { Problem } from '../../core/model.js';
import { locateDeclarations, type DeclarationLines } from './declaration-lines.js';
import { isRecord, parseJson, stringMap } from './json.js';

/** The parts of a package.json that the inventory needs. */
export interface PackageJson {
  name?: string;
  version?: string;
  /** Raw declared license: the `license` string, or the legacy `licenses` array joined with OR. */
  license?: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  optionalDependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  /** Peer dependencies marked optional in `peerDependenciesMeta`. */
  optionalPeers: Set<string>;
  /** Workspace globs (`workspaces` as an array or as `{packages: [...]}`). */
  workspaces: string[];
  /** yarn's `resolutions` overrides (pattern → range), which berry applies before resolving. */
  resolutions: Record<string, string>;
  /** The line of each dependency declaration, when read from a file. */
  lines?: DeclarationLines;
}

export type PackageJsonResult = { ok: true; value: PackageJson } | { ok: false; problem: Problem };

export function parsePackageJson(content: string, file: string): PackageJsonResult {
  const json = parseJson(content, file, 'npm.package-json.invalid-json');
  if (!json.ok) return json;
  const raw = json.value;
  if (!isRecord(raw)) {
    return {
      ok: false,
      problem: {
        severity: 'error',
        code: 'npm.package-json.not-an-object',
        message: `${file}: a package.json must hold a JSON object`,
        file,
        line: 1,
        column: 1,
      },
    };
  }
  const optionalPeers = new Set<string>();
  if (isRecord(raw.peerDependenciesMeta)) {
    for (const [name, meta] of Object.entries(raw.peerDependenciesMeta)) {
      if (isRecord(meta) && meta.optional === true) optionalPeers.add(name);
    }
  }
  return {
    ok: true,
    value: {
      name: typeof raw.name === 'string' ? raw.name : undefined,
      version: typeof raw.version === 'string' ? raw.version : undefined,
      license: declaredLicense(raw),
      dependencies: stringMap(raw.dependencies),
      devDependencies: stringMap(raw.devDependencies),
      optionalDependencies: stringMap(raw.optionalDependencies),
      peerDependencies: stringMap(raw.peerDependencies),
      optionalPeers,
      workspaces: workspaceGlobs(raw.workspaces),
      resolutions: stringMap(raw.resolutions),
      lines: locateDeclarations(content),
    },
  };
}

/** `license` (string or legacy `{type}`), else the legacy `licenses` array as a choice. */
export function declaredLicense(raw: Record<string, unknown>): string | undefined {
  const one = licenseValue(raw.license);
  if (one) return one;
  if (Array.isArray(raw.licenses)) {
    const all = raw.licenses.map(licenseValue).filter((v): v is string => Boolean(v));
    if (all.length === 1) return all[0];
    if (all.length > 1) return `(${all.join(' OR ')})`;
  }
  return undefined;
}

function licenseValue(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() || undefined;
  if (isRecord(value) && typeof value.type === 'string') return value.type.trim() || undefined;
  return undefined;
}

function workspaceGlobs(value: unknown): string[] {
  const list = isRecord(value) ? value.packages : value;
  return Array.isArray(list) ? list.filter((v): v is string => typeof v === 'string') : [];
}
