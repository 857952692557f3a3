import { stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { cacheUsage, clearCache, type CacheUsage } from '../net/cache.js';
import { defaultCacheDir } from '../net/cache-dir.js';
import { formatBytes } from '../net/ledger.js';
import { EXIT } from './exit-codes.js';
import type { CliProcess } from './index.js';
import { printable } from './log.js';

interface CacheFlags {
  cacheDir?: string;
  /** False with `--no-cache`, for the commands that offer it. */
  cache?: boolean;
}

const CACHE_DIR_HELP =
  'the cache folder (default: $XDG_CACHE_HOME/oss-inventory, else ~/.cache/oss-inventory)';

export function registerCache(program: Command, proc: CliProcess, setExitCode: (code: number) => void): void {
  const cache = program
    .command('cache')
    .description('Show or clear the on-disk HTTP cache of registry and repository answers.');
  cache
    .command('info')
    .description('Print where the cache is, how many entries it holds and their size.')
    .option('--cache-dir <dir>', CACHE_DIR_HELP)
    .action(async (flags: CacheFlags) => setExitCode(await runInfo(flags, proc)));
  cache
    .command('clear')
    .description('Remove every cached entry.')
    .option('--cache-dir <dir>', CACHE_DIR_HELP)
    .action(async (flags: CacheFlags) => setExitCode(await runClear(flags, proc)));
}

/**
 * The cache folder a command uses: `--cache-dir` (relative to the working folder), null with `--no-cache`,
 * else the default under XDG_CACHE_HOME or the home folder of `proc.env`.
 */
export function resolveCacheDir(flags: CacheFlags, proc: CliProcess): string | null {
  return flags.cache === false ? null : cacheFolder(flags, proc);
}

function cacheFolder(flags: CacheFlags, proc: CliProcess): string {
  if (flags.cacheDir !== undefined) return path.resolve(proc.cwd(), flags.cacheDir);
  return defaultCacheDir(proc.env, proc.env.HOME || proc.env.USERPROFILE || os.homedir());
}

async function runInfo(flags: CacheFlags, proc: CliProcess): Promise<number> {
  const dir = cacheFolder(flags, proc);
  const exists = await stat(dir).then(
    (s) => s.isDirectory(),
    () => false,
  );
  const usage: CacheUsage = exists ? await cacheUsage(dir) : { entries: 0, bytes: 0 };
  proc.stdout.write(
    `location: ${printable(dir)}${exists ? '' : ' (does not exist yet)'}\n` +
      `entries:  ${usage.entries.toLocaleString('en')}\n` +
      `size:     ${formatBytes(usage.bytes)}\n`,
  );
  return EXIT.ok;
}

async function runClear(flags: CacheFlags, proc: CliProcess): Promise<number> {
  const dir = cacheFolder(flags, proc);
  const removed = await clearCache(dir);
  proc.stdout.write(
    removed.entries === 0
      ? `nothing to clear in ${printable(dir)}\n`
      : `removed ${removed.entries.toLocaleString('en')} entr${removed.entries === 1 ? 'y' : 'ies'} ` +
          `(${formatBytes(removed.bytes)}) from ${printable(dir)}\n`,
  );
  return EXIT.ok;
}
