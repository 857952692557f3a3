import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { Command, CommanderError } from 'commander';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registerCache, resolveCacheDir } from '../src/cli/cache.js';
import { EXIT } from '../src/cli/exit-codes.js';
import type { CliProcess } from '../src/cli/index.js';
import { createHttpClient } from '../src/net/http-client.js';
import { startFaultServer, type FaultServer } from './servers/fault-server.js';

let work: string;
let server: FaultServer;

beforeEach(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'oss-inventory-cli-cache-'));
  server = await startFaultServer();
});
afterEach(async () => {
  await server.close();
  await rm(work, { recursive: true, force: true });
});

function proc(
  args: string[],
  env: NodeJS.ProcessEnv,
  stdout = new PassThrough(),
  stderr = new PassThrough(),
) {
  return {
    argv: ['node', 'oss-inventory', ...args],
    env,
    stdout,
    stderr,
    cwd: () => work,
  } satisfies CliProcess;
}

/** The CLI's run() with only the cache command registered, as src/cli/index.ts will register it. */
async function runCache(args: string[], env: NodeJS.ProcessEnv = {}) {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const p = proc(args, env);
  p.stdout.on('data', (c: Buffer) => out.push(c));
  p.stderr.on('data', (c: Buffer) => err.push(c));
  let code: number = EXIT.ok;
  const program = new Command()
    .name('oss-inventory')
    .exitOverride()
    .configureOutput({ writeOut: (s) => p.stdout.write(s), writeErr: (s) => p.stderr.write(s) });
  registerCache(program, p, (c) => (code = c));
  try {
    await program.parseAsync(p.argv);
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    code = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  return { code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() };
}

async function fill(cacheDir: string, count: number): Promise<void> {
  const http = createHttpClient({ cacheDir, userAgent: 't', env: {} });
  for (let i = 0; i < count; i++) {
    server.route(`/doc/${i}`, { body: 'x'.repeat(1000) });
    await http.get({ url: server.url(`/doc/${i}`), cache: 'immutable' });
  }
  await http.close();
}

describe('oss-inventory cache', () => {
  it('info prints the location, the entries and their size', async () => {
    const cacheDir = path.join(work, 'cache');
    await fill(cacheDir, 3);
    const result = await runCache(['cache', 'info', '--cache-dir', 'cache']);
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`location: ${cacheDir}`);
    expect(lines[1]).toBe('entries:  3');
    expect(lines[2]).toMatch(/^size: {5}3\.\d kB$/);
    expect(result.stderr).toBe('');
  });

  it('info defaults to $XDG_CACHE_HOME/oss-inventory, and says when it does not exist yet', async () => {
    const result = await runCache(['cache', 'info'], { XDG_CACHE_HOME: path.join(work, 'xdg') });
    expect(result.stdout).toBe(
      `location: ${path.join(work, 'xdg', 'oss-inventory')} (does not exist yet)\nentries:  0\nsize:     0 B\n`,
    );
  });

  it('info falls back to $HOME/.cache/oss-inventory', async () => {
    const result = await runCache(['cache', 'info'], { HOME: path.join(work, 'home') });
    expect(result.stdout.split('\n')[0]).toBe(
      `location: ${path.join(work, 'home', '.cache', 'oss-inventory')} (does not exist yet)`,
    );
  });

  it('clear removes the entries and nothing else, then info says 0', async () => {
    const cacheDir = path.join(work, 'xdg', 'oss-inventory');
    await fill(cacheDir, 2);
    await mkdir(path.join(cacheDir, 'mine'), { recursive: true });
    await writeFile(path.join(cacheDir, 'mine', 'keep.txt'), 'not a cache entry');
    const env = { XDG_CACHE_HOME: path.join(work, 'xdg') };

    const cleared = await runCache(['cache', 'clear'], env);
    expect(cleared.code).toBe(0);
    expect(cleared.stdout).toMatch(new RegExp(`^removed 2 entries \\(2\\.\\d kB\\) from ${cacheDir}\\n$`));
    expect(await readFile(path.join(cacheDir, 'mine', 'keep.txt'), 'utf8')).toBe('not a cache entry');
    expect(existsSync(path.join(cacheDir, 'http'))).toBe(false);

    const info = await runCache(['cache', 'info'], env);
    expect(info.stdout).toBe(`location: ${cacheDir}\nentries:  0\nsize:     0 B\n`);
    expect((await runCache(['cache', 'clear'], env)).stdout).toBe(`nothing to clear in ${cacheDir}\n`);
  });

  it('a second run after clear fetches again', async () => {
    const cacheDir = path.join(work, 'c');
    await fill(cacheDir, 1);
    await runCache(['cache', 'clear', '--cache-dir', cacheDir]);
    await fill(cacheDir, 1);
    expect(server.count('/doc/0')).toBe(2);
    expect((await stat(cacheDir)).isDirectory()).toBe(true);
  });

  it('without a subcommand, prints the help and exits 2', async () => {
    const result = await runCache(['cache']);
    expect(result.code).toBe(EXIT.usage);
    expect(result.stderr).toMatch(/info.*\n.*clear/s);
  });
});

describe('resolveCacheDir', () => {
  it('is null with --no-cache, resolves --cache-dir against the working folder, else the default', () => {
    const p = proc([], { XDG_CACHE_HOME: '/x' });
    expect(resolveCacheDir({ cache: false, cacheDir: 'ignored' }, p)).toBeNull();
    expect(resolveCacheDir({ cacheDir: 'rel' }, p)).toBe(path.join(work, 'rel'));
    expect(resolveCacheDir({ cacheDir: '/abs' }, p)).toBe('/abs');
    expect(resolveCacheDir({}, p)).toBe('/x/oss-inventory');
  });
});
