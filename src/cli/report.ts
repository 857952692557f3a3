import { diffInventories } from '../core/diff.js';
import path from 'node:path';
import { Option, type Command } from 'commander';
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
import { collectList } from './scan-options.js';

interface ReportFlags {
  out?: string;
  format?: string[];
  stdout?: string;
  perProject?: boolean;
  policy?: string;
  previous?: string;
  config?: string;
  quiet?: boolean;
  verbose?: boolean;
}

/** What `report` writes when `--format` does not say: the reports for people (the inventory exists already). */
export const DEFAULT_REPORT_FORMATS: readonly OutputFormat[] = ['html', 'markdown'];

export function registerReport(
  program: Command,
  proc: CliProcess,
  setExitCode: (code: number) => void,
): void {
  program
    .command('report')
    .description(
      'Render a saved inventory.json again, in any format, without scanning: the HTML and Markdown ' +
        'reports, SPDX, CSV, attribution notices, SBOMs per project.',
    )
    .argument('<inventory>', 'an inventory.json written by scan or merge')
    .option('-o, --out <dir>', "output folder (default: the inventory's folder)")
    .option(
      '-f, --format <formats>',
      `output formats, repeatable or comma-separated: ${OUTPUT_FORMATS.join(', ')} ` +
        `(default: ${DEFAULT_REPORT_FORMATS.join(', ')})`,
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
      'show the violations of this license policy in the html and markdown reports ' +
        '(default: the policy: section of the configuration, if any)',
    )
    .option(
      '--previous <inventory>',
      'an earlier inventory.json: the html and markdown reports show what changed since',
    )
    .option(
      '-c, --config <file>',
      'configuration file (default: .oss-inventory.yaml from the working folder upward)',
    )
    .option('-q, --quiet', 'print nothing but errors')
    .option('-v, --verbose', 'print the files written')
    .action(async (file: string, flags: ReportFlags) => setExitCode(await runReport(file, flags, proc)));
}

async function runReport(file: string, flags: ReportFlags, proc: CliProcess): Promise<number> {
  const log = createLog(proc.stderr, flags.quiet ? 'quiet' : flags.verbose ? 'verbose' : 'normal');
  const cwd = proc.cwd();
  if (flags.stdout && flags.perProject) {
    throw new CliError('--per-project writes files: it cannot be combined with --stdout', EXIT.usage);
  }
  const formats = flags.stdout
    ? [flags.stdout as OutputFormat]
    : parseFormats(flags.format ?? DEFAULT_REPORT_FORMATS);
  checkPerProject(formats, flags.perProject);
  const now = clockFrom(proc.env)();
  const loaded = await loadCliConfig(cwd, flags.config, log);
  const policy = await resolvePolicyOption(flags.policy, loaded, cwd, now, log);
  const inventoryFile = path.resolve(cwd, file);
  const inventory = await readInventoryFile(inventoryFile, file);
  const context: ReportContext = {};
  const previous = flags.previous
    ? await readInventoryFile(path.resolve(cwd, flags.previous), flags.previous)
    : undefined;
  if (policy && showsPolicy(formats)) context.check = checkForReports(inventory, policy, loaded, now);
  if (previous) context.changes = diffInventories(previous, inventory);

  if (flags.stdout) {
    await printReport(inventory, flags.stdout as OutputFormat, proc.stdout, context);
  } else {
    const out = path.resolve(cwd, flags.out ?? path.dirname(inventoryFile));
    await writeReports(inventory, formats, out, cwd, log, { context, perProject: flags.perProject });
  }
  return EXIT.ok;
}
