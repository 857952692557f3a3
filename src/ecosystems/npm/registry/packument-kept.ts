import type { BodyShape } from '../../../net/types.js';

/**
 * What is kept of a full packument: only the fields facts.ts reads. The registry's document also holds every
 * version's readme, dependencies, scripts and dist; react's is over 6 MB, and a warm scan of a large lockfile
 * spent most of its time parsing such documents back from the cache. Kept this way, it is cached (and
 * revalidated with its ETag) at a small part of that size. A body that is not a JSON object is kept whole,
 * for the resolver to report.
 */
const PACKUMENT_FIELDS = ['name', 'dist-tags', 'time', 'maintainers', 'versions'];
const VERSION_FIELDS = [
  'name',
  'version',
  'license',
  'licenses',
  'deprecated',
  'repository',
  'funding',
  'homepage',
  'maintainers',
];

export const PACKUMENT_KEPT: BodyShape = { id: 'npm packument facts 1', reduce: keepFacts };

function keepFacts(body: Buffer): Buffer {
  try {
    const document: unknown = JSON.parse(body.toString('utf8'));
    if (!isRecord(document)) return body;
    const kept = pick(document, PACKUMENT_FIELDS);
    if (isRecord(kept.versions)) {
      kept.versions = Object.fromEntries(
        Object.entries(kept.versions).map(([version, doc]) => [
          version,
          isRecord(doc) ? pick(doc, VERSION_FIELDS) : doc,
        ]),
      );
    }
    return Buffer.from(JSON.stringify(kept), 'utf8');
  } catch {
    // not JSON, or nested too deeply to write again (a hostile `funding`): kept whole
    return body;
  }
}

/** The own fields named, as own properties (a `__proto__` key stays a plain key). */
function pick(value: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(fields.filter((f) => Object.hasOwn(value, f)).map((f) => [f, value[f]]));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
