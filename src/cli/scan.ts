import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Command, Option } from 'commander';
import { SCOPES, type Inventory, type Problem, type Scope } from '../core/model.js';
import { keepScopes } from '../core/scope-filter.js';
import { createHttpClient, type ClosableHttpClient } from '../net/http-client.js';
import { formatLedger, mergeLedgers } from '../net/ledger.js';
import type { NetworkContext } from '../ecosystems/types.js';
import { scan, type GitHubRequest } from '../pipeline/scan.js';
import { TOOL } from '../tool.js';
import { OUTPUT_FORMATS, REPORTERS, type OutputFormat } from '../reporters/index.js';
import { GitHubSourceError, type GitHubProgress } from '../sources/github.js';
import { DEFAULT_EXCLUDES, SubjectNotFoundError } from '../sources/local.js';
import { resolveCacheDir } from './cache.js';
import { clockFrom } from './clock.js';
import { loadCliConfig } from './config.js';
import { CliError, EXIT } from './exit-codes.js';
import type { CliProcess } from './index.js';
import { createLog, printable, type Log } from './log.js';

interface ScanFlags {
  out?: string;
  format?: string[];
  stdout?: string;
  exclude?: string[];
  defaultExcludes: boolean;
  config?: string;
  strict?: boolean;
  quiet?: boolean;
  verbose?: boolean;
  offline?: boolean;
  registry?: string;
  cacheDir?: string;
  cache: boolean;
  mavenSettings?: string;
  javaVersion?: string;
  mavenAllowHttp?: boolean;
  scope?: string[];
  githubOrg?: string[];
  githubUser?: string[];
  githubRepo?: string[];
  githubUrl?: string;
  githubTokenEnv?: string;
  githubInclude?: string[];
  githubExclude?: string[];
  topic?: string[];
  includeArchived?: boolean;
  includeForks?: boolean;
  ref?: string;
  shard?: string;
}

const DEFAULT_OUT = './oss-inventory-report';

export function registerScan(program: Command, proc: CliProcess, setExitCode: (code: number) => void): void {
  program
    .command('scan')
    .description(
      'Scan local folders and GitHub organisations for npm and Maven manifests and write the inventory and SBOMs.',
    )
    .argument('[path...]', 'folders to scan (default: scan.paths from the config, else .)')
    .option('-o, --out <dir>', `output folder (default: ${DEFAULT_OUT})`)
    .option(
      '-f, --format <formats>',
      `output formats, repeatable or comma-separated: ${OUTPUT_FORMATS.join(', ')} (default: all)`,
      collectList,
    )
    .addOption(
      new Option('--stdout <format>', 'print one format to stdout instead of writing files').choices(
        OUTPUT_FORMATS,
      ),
    )
    .option(
      '-x, --exclude <glob>',
      'skip paths matching this glob (repeatable), on top of the defaults',
      collectList,
    )
    .option('--no-default-excludes', `do not skip the default folders: ${DEFAULT_EXCLUDES.join(', ')}`)
    .option(
      '-c, --config <file>',
      'configuration file (default: .oss-inventory.yaml from the working folder upward)',
    )
    .option('--github-org <org>', 'crawl every repository of a GitHub organisation (repeatable)', collectList)
    .option('--github-user <user>', "crawl a GitHub user's repositories (repeatable)", collectList)
    .option('--github-repo <owner/name>', 'crawl one GitHub repository (repeatable)', collectList)
    .option(
      '--github-url <url>',
      'GitHub API root, for GitHub Enterprise Server (default: https://api.github.com)',
    )
    .option(
      '--github-token-env <name>',
      'environment variable holding the token (default: GITHUB_TOKEN, else GH_TOKEN)',
    )
    .option('--github-include <glob>', 'crawl only repositories whose name matches (repeatable)', collectList)
    .option('--github-exclude <glob>', 'skip repositories whose name matches (repeatable)', collectList)
    .option('--topic <topic>', 'crawl only repositories with this topic (repeatable)', collectList)
    .option('--include-archived', 'also crawl archived repositories')
    .option('--include-forks', 'also crawl forks')
    .option('--ref <ref>', 'branch, tag or commit to read in every repository (default: its default branch)')
    .option(
      '--shard <I/N>',
      'crawl only slice I of N of the selected GitHub repositories (by name order), to run N scans in ' +
        'parallel and combine them with `merge`; local folders are not sharded',
    )
    .option(
      '--offline',
      'no network: registry facts only from the cache, and say per component what is missing',
    )
    .option('--registry <url>', 'npm registry URL (default: from .npmrc, else https://registry.npmjs.org/)')
    .option(
      '--cache-dir <dir>',
      'HTTP cache folder (default: $XDG_CACHE_HOME/oss-inventory or ~/.cache/oss-inventory)',
    )
    .option('--no-cache', 'neither read nor write the HTTP cache')
    .option('--maven-settings <file>', 'Maven settings.xml: mirrors, servers (default: ~/.m2/settings.xml)')
    .option('--java-version <version>', 'Java version for JDK-activated Maven profiles (default: 17)')
    .option('--maven-allow-http', 'read plain-http Maven repositories over http when https fails')
    .option(
      '--scope <scopes>',
      `keep only dependencies reached through these scopes, repeatable or comma-separated: ${SCOPES.join(', ')} (default: all)`,
      collectList,
    )
    .option('--strict', 'exit 3 when the inventory records any error or warning problem')
    .option('-q, --quiet', 'print nothing but errors')
    .option('-v, --verbose', 'print every problem and the files written')
    .action(async (paths: string[], flags: ScanFlags) => setExitCode(await runScan(paths, flags, proc)));
}

async function runScan(paths: string[], flags: ScanFlags, proc: CliProcess): Promise<number> {
  const log = createLog(proc.stderr, flags.quiet ? 'quiet' : flags.verbose ? 'verbose' : 'normal');
  const { config: loaded, baseDir } = await loadCliConfig(proc.cwd(), flags.config, log);
  const config = loaded.scan ?? {};
  const formats = parseFormats(flags.format ?? config.formats ?? OUTPUT_FORMATS);
  const scopes = flags.scope ? parseScopes(flags.scope) : undefined;
  const useDefaults = flags.defaultExcludes && config.defaultExcludes !== false;
  const excludes = [
    ...(useDefaults ? DEFAULT_EXCLUDES : []),
    ...(config.exclude ?? []),
    ...(flags.exclude ?? []),
  ];
  const github = githubRequest(flags, proc.env, log);
  const targets =
    paths.length > 0 ? paths : (config.paths?.map((p) => path.resolve(baseDir, p)) ?? (github ? [] : ['.']));
  const strict = flags.strict ?? config.strict ?? false;

  const network = openNetwork(flags, proc, log);
  let inventory: Inventory;
  try {
    inventory = await scan({
      paths: targets,
      cwd: proc.cwd(),
      excludes,
      generatedAt: clockFrom(proc.env)().toISOString(),
      onSubject: (location) => log.verbose(`scanning ${printable(location)}`),
      network,
      github,
      maven: {
        settingsFile: flags.mavenSettings ? path.resolve(proc.cwd(), flags.mavenSettings) : undefined,
        javaVersion: flags.javaVersion,
        allowHttp: flags.mavenAllowHttp,
      },
    });
  } catch (error) {
    if (error instanceof SubjectNotFoundError) throw new CliError(printable(error.message), EXIT.usage);
    if (error instanceof GitHubSourceError) throw new CliError(printable(error.message), EXIT.failure);
    throw error;
  } finally {
    await network.close();
  }
  for (const line of formatLedger(inventory.run.network)) log.verbose(`network: ${line}`);
  if (scopes) inventory = keepScopes(inventory, scopes);

  if (flags.stdout) {
    proc.stdout.write(await REPORTERS[flags.stdout as OutputFormat].render(inventory));
  } else {
    const out = flags.out
      ? path.resolve(proc.cwd(), flags.out)
      : path.resolve(config.out ? baseDir : proc.cwd(), config.out ?? DEFAULT_OUT);
    await writeReports(inventory, formats, out, proc.cwd(), log);
  }
  summarise(inventory, log);
  const failing = inventory.problems.filter((p) => p.severity !== 'info');
  return strict && failing.length > 0 ? EXIT.failure : EXIT.ok;
}

/** Writes each format's file into `out` and says where. */
export async function writeReports(
  inventory: Inventory,
  formats: readonly OutputFormat[],
  out: string,
  cwd: string,
  log: Log,
): Promise<void> {
  await mkdir(out, { recursive: true });
  for (const format of formats) {
    const reporter = REPORTERS[format];
    const file = path.join(out, reporter.fileName);
    await writeFile(file, await reporter.render(inventory));
    log.verbose(`wrote ${file}`);
  }
  const shown = path.relative(cwd, out);
  const where = shown === '' ? '.' : shown.startsWith('..') ? out : shown;
  log.info(`wrote ${formats.map((f) => REPORTERS[f].fileName).join(', ')} to ${where}`);
}

/** The run's HTTP clients: one for everything, plus one per distinct proxy setting that settings.xml asks for. */
function openNetwork(
  flags: ScanFlags,
  proc: CliProcess,
  log: Log,
): NetworkContext & { close(): Promise<void> } {
  const homedir = proc.env.HOME || os.homedir();
  const clients: ClosableHttpClient[] = [];
  const open = (env: NodeJS.ProcessEnv) => {
    const client = createHttpClient({
      cacheDir: resolveCacheDir(flags, proc),
      offline: flags.offline ?? false,
      userAgent: `${TOOL.name}/${TOOL.version}`,
      env,
      onCacheWriteError: (message) => log.warn(printable(message)),
    });
    clients.push(client);
    return client;
  };
  return {
    client: open(proc.env),
    withProxies: (env) => open({ ...proc.env, ...env }),
    ledger: () => mergeLedgers(clients.map((c) => c.ledger())),
    close: async () => {
      await Promise.all(clients.map((c) => c.close()));
    },
    offline: flags.offline ?? false,
    env: proc.env,
    homedir,
    registry: flags.registry,
  };
}

function summarise(inventory: Inventory, log: Log): void {
  const count = (n: number, what: string) => `${n.toLocaleString('en')} ${what}${n === 1 ? '' : 's'}`;
  const excluded = inventory.stats.excluded.reduce((n, e) => n + e.manifests, 0);
  log.info(
    `${count(inventory.projects.length, 'project')}, ${count(inventory.components.length, 'component')}` +
      ` from ${count(inventory.stats.manifestsRead, 'manifest')}` +
      (excluded ? ` (${count(excluded, 'manifest')} excluded)` : ''),
  );
  const bySeverity = (s: Problem['severity']) => inventory.problems.filter((p) => p.severity === s).length;
  if (inventory.problems.length > 0) {
    const parts = [
      count(bySeverity('error'), 'error'),
      count(bySeverity('warning'), 'warning'),
      count(bySeverity('info'), 'note'),
    ];
    log.info(
      `${count(inventory.problems.length, 'problem')} (${parts.join(', ')}), listed in the inventory's "problems"` +
        (log.isVerbose ? ':' : '; -v prints them'),
    );
  }
  for (const p of inventory.problems) log.verbose(`  ${p.severity}: ${printable(p.message)}`);
}

export function collectList(value: string, previous: string[] | undefined): string[] {
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return [...(previous ?? []), ...items];
}

/** The GitHub targets of the flags; the token is read from the environment and never printed. */
function githubRequest(flags: ScanFlags, env: NodeJS.ProcessEnv, log: Log): GitHubRequest | undefined {
  const targets = {
    orgs: flags.githubOrg ?? [],
    users: flags.githubUser ?? [],
    repos: flags.githubRepo ?? [],
  };
  if (targets.orgs.length + targets.users.length + targets.repos.length === 0) {
    if (flags.shard !== undefined) {
      throw new CliError(
        '--shard slices GitHub repositories: give --github-org, --github-user or --github-repo',
        EXIT.usage,
      );
    }
    return undefined;
  }
  const token = flags.githubTokenEnv ? env[flags.githubTokenEnv] : (env.GITHUB_TOKEN ?? env.GH_TOKEN);
  if (flags.githubTokenEnv && !token) {
    throw new CliError(
      `the environment variable ${printable(flags.githubTokenEnv)} named by --github-token-env is not set`,
      EXIT.usage,
    );
  }
  return {
    targets,
    ...(flags.githubUrl ? { baseUrl: flags.githubUrl } : {}),
    ...(token ? { token } : {}),
    include: flags.githubInclude,
    exclude: flags.githubExclude,
    topics: flags.topic,
    includeArchived: flags.includeArchived,
    includeForks: flags.includeForks,
    ref: flags.ref,
    ...(flags.shard !== undefined ? { shard: parseShard(flags.shard) } : {}),
    onProgress: (event) => logProgress(event, log),
  };
}

/** One line per phase of the crawl (and per repository with -v), so that a CI log shows where a run is. */
function logProgress(event: GitHubProgress, log: Log): void {
  switch (event.kind) {
    case 'listed':
      return log.info(`github: ${printable(event.owner)}: ${event.repositories} repositories listed`);
    case 'selected':
      return log.info(
        `github: ${event.repositories} repositories to read (${event.skipped} skipped by the filters)`,
      );
    case 'repository':
      return log.verbose(
        `github: [${event.done}/${event.total}] ${printable(event.name)}: ${event.manifests} manifests`,
      );
    case 'rate-limit-wait':
      return log.warn(
        `github: ${event.limit} rate limit reached; waiting ${event.seconds} s before going on`,
      );
  }
}

/** `I/N` with 1 <= I <= N. */
function parseShard(value: string): { index: number; count: number } {
  const match = /^(\d+)\/(\d+)$/.exec(value.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count) {
    throw new CliError(
      `--shard ${printable(value)} is not a slice: write I/N with 1 <= I <= N, e.g. --shard 2/4`,
      EXIT.usage,
    );
  }
  return { index, count };
}

function parseScopes(values: readonly string[]): Scope[] {
  const unknown = values.filter((v) => !(SCOPES as readonly string[]).includes(v));
  if (unknown.length > 0) {
    throw new CliError(
      `unknown scope ${unknown.map((u) => `"${printable(u)}"`).join(', ')}; use one of ${SCOPES.join(', ')}`,
      EXIT.usage,
    );
  }
  return [...new Set(values)] as Scope[];
}

export function parseFormats(values: readonly string[]): OutputFormat[] {
  const unknown = values.filter((v) => !(v in REPORTERS));
  if (unknown.length > 0) {
    throw new CliError(
      `unknown format ${unknown.map((u) => `"${printable(u)}"`).join(', ')}; use one of ${OUTPUT_FORMATS.join(', ')}`,
      EXIT.usage,
    );
  }
  return [...new Set(values)] as OutputFormat[];
}
