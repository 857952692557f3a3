/**
 * What `scan` and `check` share: the options that say what to scan and how (folders, excludes, GitHub,
 * network, Maven, scopes), and the run of the scan pipeline with them.
 */
import { loadLicenseKnowledge } from '../licenses/knowledge.js';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { SCOPES, type Inventory, type Problem, type Scope } from '../core/model.js';
import { keepScopes } from '../core/scope-filter.js';
import type { NetworkContext } from '../ecosystems/types.js';
import { createHttpClient, type ClosableHttpClient } from '../net/http-client.js';
import { formatLedger, mergeLedgers } from '../net/ledger.js';
import { parseDuration } from '../net/retry.js';
import { loadHealthOverrides, type HealthRequest } from '../pipeline/health.js';
import { loadPlanBKnowledge } from '../pipeline/planb.js';
import { describeSignalsStats } from '../pipeline/repository-signals.js';
import { scan, type GitHubRequest, type ScanRequest } from '../pipeline/scan.js';
import { GitHubSourceError, type GitHubProgress } from '../sources/github.js';
import { DEFAULT_EXCLUDES, SubjectNotFoundError } from '../sources/local.js';
import { TOOL } from '../tool.js';
import { resolveCacheDir } from './cache.js';
import { clockFrom } from './clock.js';
import type { LoadedConfig } from './config.js';
import { CliError, EXIT } from './exit-codes.js';
import { openGitHubProgress } from './github-progress.js';
import type { CliProcess } from './index.js';
import { printable, type Log } from './log.js';

export interface ScanInputFlags {
  exclude?: string[];
  defaultExcludes: boolean;
  config?: string;
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
  maxWait?: string;
  shard?: string;
  quiet?: boolean;
  /** False with `--no-health`. */
  health?: boolean;
}

/** Adds the options of what to scan and how; `shard` adds `--shard` (only `scan` offers it). */
export function addScanInputOptions(command: Command, options: { shard: boolean }): Command {
  command
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
      '--max-wait <duration>',
      "longest wait for GitHub's rate limit to reset, e.g. 15m, 1h (default: as long as GitHub says); " +
        'past it the crawl stops and writes what it has read',
    );
  if (options.shard) {
    command.option(
      '--shard <I/N>',
      'crawl only slice I of N of the selected GitHub repositories (by name order), to run N scans in ' +
        'parallel and combine them with `merge`; local folders are not sharded',
    );
  }
  return command
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
      '--no-health',
      'skip maintainer health and its lookups (Maven metadata, GitHub repository signals)',
    )
    .option(
      '--scope <scopes>',
      `keep only dependencies reached through these scopes, repeatable or comma-separated: ${SCOPES.join(', ')} (default: all)`,
      collectList,
    );
}

/**
 * Runs the scan pipeline over the folders of the command line (else `scan.paths` of the configuration,
 * else `.` unless GitHub is crawled) and the GitHub targets, then keeps the `--scope` scopes.
 * `extra` adds fields to the pipeline's request (the policy, for `check`).
 */
export async function scanInventory(
  paths: readonly string[],
  flags: ScanInputFlags,
  proc: CliProcess,
  log: Log,
  loaded: LoadedConfig,
  extra: Partial<ScanRequest> = {},
): Promise<Inventory> {
  const { config: fullConfig, baseDir } = loaded;
  const config = fullConfig.scan ?? {};
  const scopes = flags.scope ? parseScopes(flags.scope) : undefined;
  const useDefaults = flags.defaultExcludes && config.defaultExcludes !== false;
  const excludes = [
    ...(useDefaults ? DEFAULT_EXCLUDES : []),
    ...(config.exclude ?? []),
    ...(flags.exclude ?? []),
  ];
  const progress = openGitHubProgress({
    stream: proc.stderr,
    log,
    tty: isTerminal(proc.stderr) && !flags.quiet,
    columns: () => (proc.stderr as { columns?: number }).columns,
  });
  const github = githubRequest(flags, proc.env, progress.onProgress);
  const targets =
    paths.length > 0 ? paths : (config.paths?.map((p) => path.resolve(baseDir, p)) ?? (github ? [] : ['.']));

  const health = await healthRequest(flags, proc, loaded, github);
  if (health?.repositories) {
    health.repositories.onRead = (stats) => progress.log.verbose(describeSignalsStats(stats));
  }
  const network = openNetwork(flags, proc, progress.log);
  let inventory: Inventory;
  try {
    inventory = await scan({
      paths: targets,
      cwd: proc.cwd(),
      excludes,
      generatedAt: clockFrom(proc.env)().toISOString(),
      onSubject: (location) => progress.log.verbose(`scanning ${printable(location)}`),
      network,
      github,
      maven: {
        settingsFile: flags.mavenSettings ? path.resolve(proc.cwd(), flags.mavenSettings) : undefined,
        javaVersion: flags.javaVersion,
        allowHttp: flags.mavenAllowHttp,
      },
      licenses: loadLicenseKnowledge(fullConfig.licenses?.mappings ?? []),
      curations: fullConfig.policy?.curations,
      ...(health ? { health } : {}),
      ...extra,
    });
  } catch (error) {
    if (error instanceof SubjectNotFoundError) throw new CliError(printable(error.message), EXIT.usage);
    if (error instanceof GitHubSourceError) throw new CliError(printable(error.message), EXIT.failure);
    throw error;
  } finally {
    progress.close();
    await network.close();
  }
  for (const line of formatLedger(inventory.run.network)) log.verbose(`network: ${line}`);
  return scopes ? keepScopes(inventory, scopes) : inventory;
}

/**
 * What health needs, unless `--no-health` or `health.enabled: false`: the thresholds and overrides of the
 * configuration, and how repository signals are read (the GitHub token of the GitHub source, the cache).
 */
async function healthRequest(
  flags: ScanInputFlags,
  proc: CliProcess,
  loaded: LoadedConfig,
  github: GitHubRequest | undefined,
): Promise<HealthRequest | undefined> {
  const config = loaded.config.health ?? {};
  if (flags.health === false || config.enabled === false) return undefined;
  const { overrides, problems } = await loadHealthOverrides({
    entries: config.overrides,
    file: config.overridesFile ? path.resolve(loaded.baseDir, config.overridesFile) : undefined,
  });
  const planB = loadPlanBKnowledge({ decisions: loaded.config.planB?.decisions ?? [] });
  const token =
    github?.token ??
    (flags.githubTokenEnv ? proc.env[flags.githubTokenEnv] : (proc.env.GITHUB_TOKEN ?? proc.env.GH_TOKEN));
  const ttlMs = config.repositoryTtl === undefined ? undefined : parseDuration(config.repositoryTtl);
  return {
    overrides,
    problems: [...problems, ...planB.problems],
    planB: planB.knowledge,
    ...(config.thresholds ? { thresholds: config.thresholds } : {}),
    repositories: {
      cacheDir: resolveCacheDir(flags, proc),
      ...(flags.githubUrl ? { baseUrl: flags.githubUrl } : {}),
      ...(token ? { token } : {}),
      ...(ttlMs !== undefined ? { ttlMs } : {}),
      ...(github?.maxRateLimitWaitMs !== undefined ? { maxRateLimitWaitMs: github.maxRateLimitWaitMs } : {}),
    },
  };
}

/** The run's HTTP clients: one for everything, plus one per distinct proxy setting that settings.xml asks for. */
function openNetwork(
  flags: ScanInputFlags,
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

/** `N projects, N components from N manifests`, then the problems counted (and listed with -v). */
export function summarise(inventory: Inventory, log: Log): void {
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
function githubRequest(
  flags: ScanInputFlags,
  env: NodeJS.ProcessEnv,
  onProgress: (event: GitHubProgress) => void,
): GitHubRequest | undefined {
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
    ...(flags.maxWait !== undefined ? { maxRateLimitWaitMs: parseMaxWait(flags.maxWait) } : {}),
    ...(flags.shard !== undefined ? { shard: parseShard(flags.shard) } : {}),
    onProgress,
  };
}

function parseMaxWait(value: string): number {
  const ms = parseDuration(value);
  if (ms === undefined) {
    throw new CliError(
      `--max-wait ${printable(value)} is not a duration: write e.g. 90s, 15m, 1h or 1h30m (0: never wait)`,
      EXIT.usage,
    );
  }
  return ms;
}

function isTerminal(stream: NodeJS.WritableStream): boolean {
  return (stream as { isTTY?: boolean }).isTTY === true;
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
