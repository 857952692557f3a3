import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm, rmdir, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * The on-disk HTTP cache. One file per entry, `http/ab/cdef...` (the SHA-256 key fanned out on its first
 * two hex digits): a one-line JSON meta, a newline, then the body. One file, so that one atomic rename
 * publishes meta and body together: two runs sharing the folder never see a half-written entry, and an
 * entry that fails its checks (truncated, corrupt, another format) is a miss, never a crash.
 */

export const HTTP_FOLDER = 'http';
const FORMAT_VERSION = 1;
const MAX_META_BYTES = 64 * 1024;
/** Request headers that select a different representation of the same URL, so part of the key. */
const KEY_HEADERS = ['accept'] as const;
/** Response headers never written to disk, or meaningless once the body is stored decoded. */
const UNSTORED_HEADERS = new Set([
  'set-cookie',
  'authorization',
  'proxy-authorization',
  'cookie',
  'content-encoding',
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
]);
// https://bford.info/cachedir/: backup tools skip folders holding this file.
const CACHEDIR_TAG =
  'Signature: 8a477f597d28d172789f06886806bc55\n' +
  '# This file is a cache directory tag created by oss-inventory.\n' +
  '# For information about cache directory tags, see https://bford.info/cachedir/\n';

export type StoredPolicy = 'immutable' | 'revalidate';

export interface CacheMeta {
  v: typeof FORMAT_VERSION;
  /** The URL without credentials (for people browsing the folder; the key is the file name). */
  url: string;
  status: number;
  headers: Record<string, string>;
  etag?: string;
  lastModified?: string;
  /** ISO 8601: when the body was fetched or last confirmed by a 304. */
  storedAt: string;
  policy: StoredPolicy;
  bodyBytes: number;
  bodySha256: string;
}

export interface CacheEntry {
  meta: CacheMeta;
  body: Buffer;
}

export type NewCacheMeta = Omit<CacheMeta, 'v' | 'bodyBytes' | 'bodySha256'>;

/**
 * The cache key: SHA-256 of the URL (without credentials or fragment), the headers that change the
 * representation, and the shape the caller keeps of it (HttpRequest.keep). Never of the Authorization value:
 * the same document fetched with another token is the same document.
 */
export function cacheKey(url: URL, headers: ReadonlyMap<string, string>, shape?: string): string {
  const keyed = new URL(url.href);
  keyed.username = '';
  keyed.password = '';
  keyed.hash = '';
  const lines = [`GET ${keyed.href}`, ...KEY_HEADERS.map((name) => `${name}: ${headers.get(name) ?? ''}`)];
  if (shape !== undefined) lines.push(`kept: ${shape}`);
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}

/** The response headers worth keeping with an entry. */
export function storableHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !UNSTORED_HEADERS.has(name)));
}

export class DiskCache {
  readonly #root: string;
  readonly #onWriteError: (error: unknown) => void;
  #tagged = false;

  constructor(dir: string, onWriteError: (error: unknown) => void) {
    this.#root = dir;
    this.#onWriteError = onWriteError;
  }

  /** The entry stored under `key`, or undefined when there is none or it does not pass its checks. */
  async read(key: string): Promise<CacheEntry | undefined> {
    let data: Buffer;
    try {
      data = await readFile(this.#entryPath(key));
    } catch {
      return undefined;
    }
    return decodeEntry(data);
  }

  /** Stores an entry atomically; a failure (read-only folder, full disk) is reported, never thrown. */
  async write(key: string, meta: NewCacheMeta, body: Buffer): Promise<void> {
    const file = this.#entryPath(key);
    const temp = `${file}.${randomBytes(8).toString('hex')}.tmp`;
    try {
      await mkdir(path.dirname(file), { recursive: true });
      await this.#tagOnce();
      await writeFile(temp, encodeEntry(meta, body));
      await rename(temp, file);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      this.#onWriteError(error);
    }
  }

  #entryPath(key: string): string {
    return path.join(this.#root, HTTP_FOLDER, key.slice(0, 2), key.slice(2));
  }

  async #tagOnce(): Promise<void> {
    if (this.#tagged) return;
    this.#tagged = true;
    await writeFile(path.join(this.#root, 'CACHEDIR.TAG'), CACHEDIR_TAG, { flag: 'wx' }).catch(
      () => undefined,
    );
  }
}

function encodeEntry(meta: NewCacheMeta, body: Buffer): Buffer {
  const full: CacheMeta = {
    v: FORMAT_VERSION,
    ...meta,
    bodyBytes: body.length,
    bodySha256: sha256(body),
  };
  return Buffer.concat([Buffer.from(`${JSON.stringify(full)}\n`), body]);
}

function decodeEntry(data: Buffer): CacheEntry | undefined {
  const newline = data.indexOf(0x0a);
  if (newline < 0 || newline > MAX_META_BYTES) return undefined;
  let meta: unknown;
  try {
    meta = JSON.parse(data.subarray(0, newline).toString('utf8'));
  } catch {
    return undefined;
  }
  if (!isCacheMeta(meta)) return undefined;
  const body = data.subarray(newline + 1);
  if (body.length !== meta.bodyBytes || sha256(body) !== meta.bodySha256) return undefined;
  return { meta, body };
}

function isCacheMeta(value: unknown): value is CacheMeta {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const m = value as Record<string, unknown>;
  return (
    m.v === FORMAT_VERSION &&
    typeof m.url === 'string' &&
    typeof m.status === 'number' &&
    isStringRecord(m.headers) &&
    (m.etag === undefined || typeof m.etag === 'string') &&
    (m.lastModified === undefined || typeof m.lastModified === 'string') &&
    typeof m.storedAt === 'string' &&
    !Number.isNaN(Date.parse(m.storedAt)) &&
    (m.policy === 'immutable' || m.policy === 'revalidate') &&
    typeof m.bodyBytes === 'number' &&
    typeof m.bodySha256 === 'string'
  );
}

function isStringRecord(value: unknown): value is Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  return Object.values(value).every((v) => typeof v === 'string');
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export interface CacheUsage {
  /** Entry files, interrupted writes left behind included (`clear` removes them too). */
  entries: number;
  bytes: number;
}

/** How many entries the cache folder holds and their size on disk. */
export async function cacheUsage(dir: string): Promise<CacheUsage> {
  const usage: CacheUsage = { entries: 0, bytes: 0 };
  for (const file of await entryFiles(dir)) {
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) continue;
    usage.entries++;
    usage.bytes += info.size;
  }
  return usage;
}

/**
 * Removes every entry, and only files named like entries: the folder may be one the user pointed at by
 * mistake. Folders left empty go too; one that another run is writing into stays.
 */
export async function clearCache(dir: string): Promise<CacheUsage> {
  const usage = await cacheUsage(dir);
  const files = await entryFiles(dir);
  await Promise.all(files.map((file) => rm(file, { force: true })));
  const fans = new Set(files.map((file) => path.dirname(file)));
  for (const fan of fans) await rmdir(fan).catch(() => undefined);
  await rmdir(path.join(dir, HTTP_FOLDER)).catch(() => undefined);
  return usage;
}

const FAN_NAME = /^[0-9a-f]{2}$/;
/** An entry, or one being written: `<62 hex>` or `<62 hex>.<16 hex>.tmp`. */
const ENTRY_NAME = /^[0-9a-f]{62}(?:\.[0-9a-f]{16}\.tmp)?$/;

/** Every entry file of the two-level `http/ab/cdef...` layout; nothing deeper is ever written. */
async function entryFiles(dir: string): Promise<string[]> {
  const root = path.join(dir, HTTP_FOLDER);
  const fans = await readdir(root, { withFileTypes: true }).catch(() => []);
  const files: string[] = [];
  for (const fan of fans) {
    if (!fan.isDirectory() || !FAN_NAME.test(fan.name)) continue;
    const names = await readdir(path.join(root, fan.name)).catch(() => [] as string[]);
    for (const name of names) if (ENTRY_NAME.test(name)) files.push(path.join(root, fan.name, name));
  }
  return files;
}
