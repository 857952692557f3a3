import { parseResolution } from '@yarnpkg/parsers';
import type { PackageJson } from './package-json.js';

const PROTOCOL = /^[a-z][a-z0-9+.-]*:/i;

interface Override {
  /** `parent/child` patterns: only dependencies of `parent` (at `parentReference` when given). */
  parentName?: string;
  parentReference?: string;
  name: string;
  /** `name@range` patterns: only dependencies declared with this range. */
  range?: string;
  replacement: string;
}

/** A range as yarn berry compares it: a range without protocol means `npm:`. */
export function withDefaultProtocol(range: string): string {
  return PROTOCOL.test(range) ? range : `npm:${range}`;
}

/**
 * The root package.json `resolutions` of a yarn berry project. Yarn rewrites a dependency that matches
 * one before resolving it, and the lockfile keys the rewritten descriptor while the dependent's entry
 * keeps the range it declared: without them those edges would lead nowhere. First matching pattern wins.
 */
export class Resolutions {
  /** Patterns by the dependency name they rewrite, in declaration order. */
  private readonly byName = new Map<string, Override[]>();

  constructor(root: PackageJson | undefined) {
    for (const [pattern, replacement] of Object.entries(root?.resolutions ?? {})) {
      const override = parsePattern(pattern, replacement);
      if (!override) continue;
      const list = this.byName.get(override.name);
      if (list) list.push(override);
      else this.byName.set(override.name, [override]);
    }
  }

  /** The range a dependency is rewritten to, or undefined when no pattern applies. */
  rewrite(
    name: string,
    range: string,
    parent: { name: string; reference: string } | undefined,
  ): string | undefined {
    for (const o of this.byName.get(name) ?? []) {
      if (o.range !== undefined && withDefaultProtocol(o.range) !== withDefaultProtocol(range)) continue;
      if (o.parentName !== undefined) {
        if (!parent || parent.name !== o.parentName) continue;
        if (o.parentReference !== undefined && withDefaultProtocol(o.parentReference) !== parent.reference)
          continue;
      }
      return o.replacement;
    }
    return undefined;
  }
}

function parsePattern(pattern: string, replacement: string): Override | undefined {
  try {
    const { from, descriptor } = parseResolution(pattern);
    return {
      parentName: from?.fullName,
      parentReference: from?.description,
      name: descriptor.fullName,
      range: descriptor.description,
      replacement,
    };
  } catch {
    // yarn refuses to install with such a pattern, so nothing in the lockfile can depend on it
    return undefined;
  }
}
