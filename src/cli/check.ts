import { stat } from 'node:fs/promises';
import path from 'node:path';
import { Option, type Command } from 'commander';
import {
  CHECK_FORMATS,
  CHECK_RENDERERS,
  type CheckFormat,
  type CheckReport,
  type FailOn,
} from '../check/index.js';
import { summaryText, countViolations } from '../check/describe.js';
import type { Inventory } from '../core/model.js';
import { evaluatePolicy, separatePreexisting } from '../core/policy.js';
import type { CheckResult, Policy } from '../core/policy-model.js';
import { concludeLicenses } from '../core/license-conclusion.js';
import { loadLicenseKnowledge } from '../licenses/knowledge.js';
import { TOOL, TOOL_HOMEPAGE } from '../tool.js';
import { clockFrom } from './clock.js';
import { loadCliConfig, type LoadedConfig } from './config.js';
import { CliError, EXIT } from './exit-codes.js';
import type { CliProcess } from './index.js';
import { readInventoryFile } from './inventory-file.js';
import { writeOutput } from './output-file.js';
import { resolvePolicyOption } from './policy-option.js';
import { createLog, type Log } from './log.js';
import { addScanInputOptions, scanInventory, summarise, type ScanInputFlags } from './scan-options.js';

interface CheckFlags extends ScanInputFlags {
  policy?: string;
  inventory?: string;
  format?: CheckFormat;
  output?: string;
  base?: string;
  failOn: FailOn;
  quiet?: boolean;
  verbose?: boolean;
}

/** The policy file looked for in the working folder when neither --policy nor the configuration gives one. */
const DEFAULT_POLICY_FILE = 'policy.yaml';

const NO_POLICY_HELP = [
  'no license policy to check against: give --policy FILE, add a policy: section to .oss-inventory.yaml,',
  `or write ${DEFAULT_POLICY_FILE} in the working folder. A strict one to start from, every rule explained, is`,
  "examples/policy.yaml in oss-inventory's repository; the smallest useful one:",
  '  licenses:',
  '    allow: [permissive, public-domain]',
  '    review: [weak-copyleft]',
  '    deny: [strong-copyleft, network-copyleft, proprietary]',
  '    unknown: deny',
].join('\n');

export function registerCheck(program: Command, proc: CliProcess, setExitCode: (code: number) => void): void {
  const command = program
    .command('check')
    .description(
      'Check the licenses of every dependency against a license policy: scan the folders (or read a saved ' +
        'inventory), say what breaks the policy and what to do, and exit 1 on violations.',
    )
    .argument('[path...]', 'folders to scan (default: scan.paths from the config, else .)')
    .option(
      '-p, --policy <file>',
      `the policy (default: the policy: section of the configuration, else ./${DEFAULT_POLICY_FILE})`,
    )
    .option('-i, --inventory <file>', 'check this inventory.json instead of scanning: no network at all')
    .addOption(new Option('-f, --format <format>', 'how to report (default: text)').choices(CHECK_FORMATS))
    .option('-o, --output <file>', 'write the report to this file instead of stdout')
    .option(
      '--base <inventory>',
      'an inventory.json made earlier (the target branch): only violations it does not have fail',
    )
    .addOption(
      new Option('--fail-on <severity>', 'what fails the check: errors, or warnings too')
        .choices(['error', 'warning'])
        .default('error'),
    );
  addScanInputOptions(command, { shard: false })
    .option('-q, --quiet', 'print nothing on stderr but errors')
    .option('-v, --verbose', 'print what was scanned and every problem met')
    .action(async (paths: string[], flags: CheckFlags) => setExitCode(await runCheck(paths, flags, proc)));
}

async function runCheck(paths: string[], flags: CheckFlags, proc: CliProcess): Promise<number> {
  const log = createLog(proc.stderr, flags.quiet ? 'quiet' : flags.verbose ? 'verbose' : 'normal');
  const cwd = proc.cwd();
  if (flags.inventory && (paths.length > 0 || scansGitHub(flags))) {
    throw new CliError(
      '--inventory checks a saved inventory: give no folder and no --github-* option with it',
      EXIT.usage,
    );
  }
  const now = clockFrom(proc.env)();
  const loaded = await loadCliConfig(cwd, flags.config, log);
  const policy = await resolvePolicy(flags, loaded, cwd, now, log);
  const knowledge = loadLicenseKnowledge(loaded.config.licenses?.mappings ?? []);
  const categories = knowledge.categories;
  // A saved inventory is concluded again with today's tables and mappings: it may predate either.
  const readSaved = async (file: string) =>
    concludeLicenses(await readInventoryFile(path.resolve(cwd, file), file), knowledge);
  const base = flags.base ? await readSaved(flags.base) : undefined;

  const inventory = flags.inventory
    ? await readSaved(flags.inventory)
    : await scanInventory(paths, flags, proc, log, loaded, { curations: policy.curations });
  if (log.isVerbose) summarise(inventory, log);
  warnAboutProblems(inventory, log);

  let result: CheckResult = evaluatePolicy(inventory, policy, { now, categories });
  if (base) result = separatePreexisting(result, evaluatePolicy(base, policy, { now, categories }));

  const format = flags.format ?? 'text';
  const toStdout = flags.output === undefined;
  const report: CheckReport = {
    result,
    inventory,
    policy,
    failOn: flags.failOn,
    subjectRoots: subjectRoots(inventory, cwd),
    tool: { ...TOOL, informationUri: TOOL_HOMEPAGE },
    ...(flags.base ? { base: flags.base } : {}),
    color: toStdout && format === 'text' && wantsColour(proc),
  };
  const rendered = await CHECK_RENDERERS[format](report);
  await writeOutput(rendered, flags.output, proc);
  if (!toStdout) log.verbose(`wrote ${path.resolve(cwd, flags.output!)}`);
  // The text and github formats end with the summary; the others are for machines: it goes to stderr.
  if (!toStdout || format === 'json' || format === 'sarif' || format === 'junit') {
    log.info(summaryText(result, flags.failOn));
  }
  return countViolations(result, flags.failOn).failing > 0 ? EXIT.violations : EXIT.ok;
}

function scansGitHub(flags: CheckFlags): boolean {
  return Boolean(flags.githubOrg?.length || flags.githubUser?.length || flags.githubRepo?.length);
}

/** `--policy FILE`, else the configuration's `policy:` section, else policy.yaml in the working folder. */
async function resolvePolicy(
  flags: CheckFlags,
  loaded: LoadedConfig,
  cwd: string,
  now: Date,
  log: Log,
): Promise<Policy> {
  const file = flags.policy ?? (loaded.config.policy ? undefined : DEFAULT_POLICY_FILE);
  if (file === DEFAULT_POLICY_FILE && !(await isFile(path.resolve(cwd, file)))) {
    throw new CliError(NO_POLICY_HELP, EXIT.usage);
  }
  return (await resolvePolicyOption(file, loaded, cwd, now, log))!;
}

/**
 * Where each scanned folder is relative to the working folder, so that reports name files as the
 * repository does (`apps/web/package.json` when `apps/web` was scanned from the repository's root).
 */
function subjectRoots(inventory: Inventory, cwd: string): Map<string, string> {
  const roots = new Map<string, string>();
  for (const subject of inventory.subjects) {
    if (subject.type !== 'directory') continue;
    const relative = path.relative(cwd, path.resolve(cwd, subject.location));
    if (relative.startsWith('..') || path.isAbsolute(relative)) continue;
    roots.set(subject.name, relative.split(path.sep).join('/'));
  }
  return roots;
}

/** A scan that could not read everything checks only what it read: say so. */
function warnAboutProblems(inventory: Inventory, log: Log): void {
  const errors = inventory.problems.filter((p) => p.severity === 'error').length;
  if (errors === 0) return;
  log.warn(
    `${errors} error${errors === 1 ? '' : 's'} while reading the manifests: what could not be read is not ` +
      `checked${log.isVerbose ? '' : ' (-v lists them)'}`,
  );
}

/** Colour on a terminal, unless NO_COLOR is set (https://no-color.org) or the terminal is dumb. */
function wantsColour(proc: CliProcess): boolean {
  const stdout = proc.stdout as NodeJS.WritableStream & { isTTY?: boolean };
  return stdout.isTTY === true && !proc.env.NO_COLOR && proc.env.TERM !== 'dumb';
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}
