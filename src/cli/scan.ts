import { diffInventories } from '../core/diff.js';
import path from 'node:path';
import { Command, Option } from 'commander';
import { DEFAULT_OUTPUT_FORMATS } from '../config/types.js';
import { OUTPUT_FORMATS, type OutputFormat, type ReportContext } from '../reporters/index.js';
import { clockFrom } from './clock.js';
import { loadCliConfig } from './config.js';
import { CliError, EXIT } from './exit-codes.js';
import type { CliProcess } from './index.js';
import { readInventoryFile } from './inventory-file.js';
import { createLog } from './log.js';
import { resolvePolicyOption } from './policy-option.js';
import {
  PER_PROJECT_FORMATS,
  checkForReports,
  checkPerProject,
  parseFormats,
  printReport,
  showsPolicy,
  writeReports,
} from './report-output.js';
import {
  addScanInputOptions,
  collectList,
  scanInventory,
  summarise,
  type ScanInputFlags,
} from './scan-options.js';

export { collectList } from './scan-options.js';
export { parseFormats, writeReports } from './report-output.js';

interface ScanFlags extends ScanInputFlags {
  out?: string;
  format?: string[];
  stdout?: string;
  perProject?: boolean;
  policy?: string;
  previous?: string;
  strict?: boolean;
  quiet?: boolean;
  verbose?: boolean;
}

const DEFAULT_OUT = './oss-inventory-report';

export function registerScan(program: Command, proc: CliProcess, setExitCode: (code: number) => void): void {
  const command = program
    .command('scan')
    .description(
      'Scan local folders and GitHub organisations for npm and Maven manifests and write the inventory and SBOMs.',
    )
    .argument('[path...]', 'folders to scan (default: scan.paths from the config, else .)')
    .option('-o, --out <dir>', `output folder (default: ${DEFAULT_OUT})`)
    .option(
      '-f, --format <formats>',
      `output formats, repeatable or comma-separated: ${OUTPUT_FORMATS.join(', ')} ` +
        `(default: ${DEFAULT_OUTPUT_FORMATS.join(', ')})`,
      collectList,
    )
    .addOption(
      new Option('--stdout <format>', 'print one format to stdout instead of writing files').choices(
        OUTPUT_FORMATS,
      ),
    )
    .option(
      '--per-project',
      `also write ${PER_PROJECT_FORMATS.join(', ')} once per project, in projects/ of the output folder`,
    )
    .option(
      '-p, --policy <file>',
      'license policy: its curations apply, and the html and markdown reports show its violations ' +
        '(default: the policy: section of the configuration, if any)',
    )
    .option(
      '--previous <inventory>',
      'an earlier inventory.json: the html and markdown reports show what changed since',
    );
  addScanInputOptions(command, { shard: true })
    .option('--strict', 'exit 3 when the inventory records any error or warning problem')
    .option('-q, --quiet', 'print nothing but errors')
    .option('-v, --verbose', 'print every problem and the files written')
    .action(async (paths: string[], flags: ScanFlags) => setExitCode(await runScan(paths, flags, proc)));
}

async function runScan(paths: string[], flags: ScanFlags, proc: CliProcess): Promise<number> {
  const log = createLog(proc.stderr, flags.quiet ? 'quiet' : flags.verbose ? 'verbose' : 'normal');
  const cwd = proc.cwd();
  const loaded = await loadCliConfig(cwd, flags.config, log);
  const config = loaded.config.scan ?? {};
  if (flags.stdout && flags.perProject) {
    throw new CliError('--per-project writes files: it cannot be combined with --stdout', EXIT.usage);
  }
  const formats = parseFormats(flags.format ?? config.formats ?? DEFAULT_OUTPUT_FORMATS);
  const rendered = flags.stdout ? [flags.stdout as OutputFormat] : formats;
  checkPerProject(rendered, flags.perProject);
  const strict = flags.strict ?? config.strict ?? false;
  const now = clockFrom(proc.env)();
  const policy = await resolvePolicyOption(flags.policy, loaded, cwd, now, log);
  const context: ReportContext = {};
  const previous = flags.previous
    ? await readInventoryFile(path.resolve(cwd, flags.previous), flags.previous)
    : undefined;
  const inventory = await scanInventory(
    paths,
    flags,
    proc,
    log,
    loaded,
    policy ? { curations: policy.curations } : {},
  );
  if (policy && showsPolicy(rendered)) context.check = checkForReports(inventory, policy, loaded, now);
  if (previous) context.changes = diffInventories(previous, inventory);

  if (flags.stdout) {
    await printReport(inventory, flags.stdout as OutputFormat, proc.stdout, context);
  } else {
    const out = flags.out
      ? path.resolve(cwd, flags.out)
      : path.resolve(config.out ? loaded.baseDir : cwd, config.out ?? DEFAULT_OUT);
    await writeReports(inventory, formats, out, cwd, log, { context, perProject: flags.perProject });
  }
  summarise(inventory, log);
  const failing = inventory.problems.filter((p) => p.severity !== 'info');
  return strict && failing.length > 0 ? EXIT.failure : EXIT.ok;
}
