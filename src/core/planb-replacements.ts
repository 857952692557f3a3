/**
 * The e18e `module-replacements` manifests as plan-B entries: for each npm module they map, the modules
 * or platform features they suggest instead. Pure: the manifests are passed in (src/pipeline/planb.ts loads
 * the package), each entry cites the manifest's documentation page.
 */
import type { PlanBEntry, PlanBEntryOption } from './planb.js';
import { npmPurl } from './purl.js';

/** The shapes of module-replacements 3.x (its `ManifestModule`), as far as they are used here. */
export interface ReplacementManifest {
  mappings: Record<string, { moduleName: string; replacements: string[]; url?: unknown }>;
  replacements: Record<string, ReplacementDescription>;
}

export interface ReplacementDescription {
  type: 'native' | 'simple' | 'removal' | 'documented';
  id: string;
  description?: string;
  replacementModule?: string;
  url?: unknown;
}

/** Where the manifest documents a module: its own resolver (`resolveDocUrl`). */
export type ResolveDocUrl = (url: unknown) => string | null;

const PROJECT_PAGE = 'https://github.com/e18e/module-replacements';
const MAX_LABEL = 160;

export function replacementEntries(
  manifest: ReplacementManifest,
  resolveDocUrl: ResolveDocUrl,
): PlanBEntry[] {
  const entries: PlanBEntry[] = [];
  for (const mapping of Object.values(manifest.mappings)) {
    const options = mapping.replacements.map((id) => optionFor(id, manifest.replacements));
    if (options.length === 0) continue;
    entries.push({
      purl: npmPurl(mapping.moduleName, ''),
      reason: `the e18e module-replacements manifests suggest ${mapping.replacements.join(', ')} instead`,
      citation: citationOf(mapping, manifest.replacements, resolveDocUrl),
      options,
    });
  }
  return entries;
}

/** The mapping's documentation page, else its first replacement's (MDN, Node.js), else the project's. */
function citationOf(
  mapping: ReplacementManifest['mappings'][string],
  described: ReplacementManifest['replacements'],
  resolveDocUrl: ResolveDocUrl,
): string {
  const pages = [
    mapping.url,
    ...mapping.replacements.map((id) => (Object.hasOwn(described, id) ? described[id]!.url : undefined)),
  ];
  for (const page of pages) {
    const url = page === undefined ? null : resolveDocUrl(page);
    if (url) return url;
  }
  return PROJECT_PAGE;
}

/** A replacement id names a described replacement (a platform feature, a snippet, a removal) or a module. */
function optionFor(id: string, described: ReplacementManifest['replacements']): PlanBEntryOption {
  const replacement = Object.hasOwn(described, id) ? described[id] : undefined;
  if (!replacement) return moduleOption(id);
  switch (replacement.type) {
    case 'documented':
      return replacement.replacementModule
        ? moduleOption(replacement.replacementModule)
        : { kind: 'native', label: replacement.id };
    case 'removal':
      return { kind: 'remove', label: shortLabel(replacement.description ?? replacement.id) };
    case 'simple':
      return { kind: 'native', label: shortLabel(replacement.description ?? replacement.id) };
    default:
      return { kind: 'native', label: replacement.id };
  }
}

/** A module to use instead: a Node.js built-in (`node:fs`) is a platform feature, anything else a package. */
function moduleOption(name: string): PlanBEntryOption {
  return name.startsWith('node:')
    ? { kind: 'native', label: name }
    : { kind: 'alternative', target: npmPurl(name, '') };
}

function shortLabel(text: string): string {
  const sentence = text.split(/(?<=\.)\s/, 1)[0]!;
  return sentence.length <= MAX_LABEL ? sentence : `${sentence.slice(0, MAX_LABEL - 3)}...`;
}
