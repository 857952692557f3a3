import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { run } from '../../src/cli/index.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the CLI in-process, as bin/oss-inventory.js would, with its own streams and environment. The
 * environment is hermetic: an empty HOME (no user .npmrc), a cache folder of its own, and a registry on
 * a closed local port, so that a test that forgets `--offline` or `--registry` fails instead of reaching
 * the public registry.
 */
export async function runCli(
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv },
): Promise<CliResult> {
  const home = await mkdtemp(path.join(tmpdir(), 'oss-inventory-home-'));
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const chunks = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
  stdout.on('data', (c: Buffer) => chunks.stdout.push(c));
  stderr.on('data', (c: Buffer) => chunks.stderr.push(c));
  const code = await run({
    argv: ['node', 'oss-inventory', ...args],
    env: {
      HOME: home,
      XDG_CACHE_HOME: path.join(home, '.cache'),
      npm_config_registry: 'http://127.0.0.1:9/',
      ...options.env,
    },
    stdout,
    stderr,
    cwd: () => options.cwd,
  });
  await rm(home, { recursive: true, force: true });
  return {
    code,
    stdout: Buffer.concat(chunks.stdout).toString(),
    stderr: Buffer.concat(chunks.stderr).toString(),
  };
}
