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

interface StoredSignals {
  format: typeof FORMAT;
  signals: RepositorySignals;
}

export class RepositorySignalsCache {
  readonly #disk: DiskCache | undefined;
  readonly #ttlMs: number;
  readonly #now: () => number;

  constructor(options: RepositorySignalsCacheOptions) {
    this.#ttlMs = Math.max(0, options.ttlMs);
    this.#now = options.now;
    let told = false;
    this.#disk =
      options.dir === null
        ? undefined
        : new DiskCache(options.dir, (error) => {
            if (told) return;
            told = true;
            options.onWriteError?.(
              `cannot write repository signals in the cache ${options.dir}: ${error instanceof Error ? error.message : String(error)}`,
            );
          });
  }

  /** The stored signals of `host/owner/name`, when fresh enough (any age when `anyAge`). */
  async get(repository: string, anyAge = false): Promise<RepositorySignals | undefined> {
    const entry = await this.#disk?.read(entryKey(repository));
    if (!entry) return undefined;
    const stored = decode(entry.body);
    if (!stored) return undefined;
    if (anyAge) return stored.signals;
    const age = this.#now() - Date.parse(entry.meta.storedAt);
    return age >= 0 && age < this.#ttlMs ? stored.signals : undefined;
  }

  async put(repository: string, signals: RepositorySignals): Promise<void> {
    if (!this.#disk || this.#ttlMs === 0) return;
    const body: StoredSignals = { format: FORMAT, signals };
    await this.#disk.write(
      entryKey(repository),
      {
        url: `https://${repository}#repository-signals`,
        status: 200,
        headers: { 'content-type': 'application/json' },
        storedAt: new Date(this.#now()).toISOString(),
        policy: 'revalidate',
      },
      Buffer.from(JSON.stringify(body)),
    );
  }
}

function entryKey(repository: string): string {
  return createHash('sha256').update(`${FORMAT}\n${repository.toLowerCase()}`).digest('hex');
}

function decode(body: Buffer): StoredSignals | undefined {
  try {
    const value = JSON.parse(body.toString('utf8')) as Partial<StoredSignals> | null;
    const signals = value?.signals;
    if (value?.format !== FORMAT || !signals || typeof signals !== 'object') return undefined;
    if (signals.status !== 'found' && signals.status !== 'missing') return undefined;
    if (typeof signals.readAt !== 'string') return undefined;
    return { format: FORMAT, signals };
  } catch {
    return undefined;
  }
}
