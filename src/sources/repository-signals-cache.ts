import { createHash } from 'node:crypto';
import type { RepositorySignals } from '../core/model.js';
import { DiskCache } from '../net/cache.js';

/**
 * Repository signals kept between runs, in the HTTP cache folder (so `cache info` counts them and
 * `cache clear` removes them), one entry per repository keyed by `host/owner/name`: a GraphQL answer holds
 * many repositories, so the HTTP layer's per-request cache cannot serve them one by one. An entry is used
 * while younger than the time-to-live; offline, whatever its age. It holds the signals and when they were
 * read, never a token or a person.
 */

export const DEFAULT_REPOSITORY_TTL_MS = 7 * 24 * 60 * 60 * 1000;
const FORMAT = 'oss-inventory repository signals 1';

export interface RepositorySignalsCacheOptions {
  /** The cache folder, or null when the run uses no cache (`--no-cache`). */
  dir: string | null;
  ttlMs: number;
  /** Epoch ms, for the entries' age. */
  now: () => number;
  onWriteError?: (message: string) => void;
}

/**
 * One JSON value per repository in the HTTP cache folder, under its own `format` (which keys and checks
 * the entries): repository signals, and the maintained forks plan B looks for (src/pipeline/maintained-forks.ts).
 */
export class RepositoryEntryCache<T> {
  readonly #disk: DiskCache | undefined;
  readonly #ttlMs: number;
  readonly #now: () => number;
  readonly #format: string;
  readonly #accepts: (value: unknown) => value is T;

  constructor(
    options: RepositorySignalsCacheOptions,
    format: string,
    accepts: (value: unknown) => value is T,
  ) {
    this.#ttlMs = Math.max(0, options.ttlMs);
    this.#now = options.now;
    this.#format = format;
    this.#accepts = accepts;
    let told = false;
    this.#disk =
      options.dir === null
        ? undefined
        : new DiskCache(options.dir, (error) => {
            if (told) return;
            told = true;
            options.onWriteError?.(
              `cannot write ${format} in the cache ${options.dir}: ${error instanceof Error ? error.message : String(error)}`,
            );
          });
  }

  /** The stored value of `host/owner/name`, when fresh enough (any age when `anyAge`). */
  async get(repository: string, anyAge = false): Promise<T | undefined> {
    const entry = await this.#disk?.read(this.#key(repository));
    if (!entry) return undefined;
    const value = this.#decode(entry.body);
    if (value === undefined) return undefined;
    if (anyAge) return value;
    const age = this.#now() - Date.parse(entry.meta.storedAt);
    return age >= 0 && age < this.#ttlMs ? value : undefined;
  }

  async put(repository: string, value: T): Promise<void> {
    if (!this.#disk || this.#ttlMs === 0) return;
    const body = { format: this.#format, value };
    await this.#disk.write(
      this.#key(repository),
      {
        url: `https://${repository}#${this.#format.replace(/\W+/g, '-')}`,
        status: 200,
        headers: { 'content-type': 'application/json' },
        storedAt: new Date(this.#now()).toISOString(),
        policy: 'revalidate',
      },
      Buffer.from(JSON.stringify(body)),
    );
  }

  #key(repository: string): string {
    return createHash('sha256').update(`${this.#format}\n${repository.toLowerCase()}`).digest('hex');
  }

  #decode(body: Buffer): T | undefined {
    try {
      const stored = JSON.parse(body.toString('utf8')) as { format?: unknown; value?: unknown } | null;
      return stored?.format === this.#format && this.#accepts(stored.value) ? stored.value : undefined;
    } catch {
      return undefined;
    }
  }
}

export class RepositorySignalsCache extends RepositoryEntryCache<RepositorySignals> {
  constructor(options: RepositorySignalsCacheOptions) {
    super(options, FORMAT, isSignals);
  }
}

function isSignals(value: unknown): value is RepositorySignals {
  if (!value || typeof value !== 'object') return false;
  const signals = value as Partial<RepositorySignals>;
  return (signals.status === 'found' || signals.status === 'missing') && typeof signals.readAt === 'string';
}
