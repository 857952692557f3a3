import path from 'node:path';
import type { Command } from 'commander';
import type { OutputFormat } from '../reporters/index.js';
import { clockFrom } from './clock.js';
import { loadCliConfig } from './config.js';
import { EXIT } from './exit-codes.js';
import type { CliProcess } from './index.js';
import { readInventoryFile } from './inventory-file.js';
import { createLog } from './log.js';
import { resolvePolicyOption } from './policy-option.js';
import {
  addReportOptions,
  checkPerProject,
  emitReports,
  parseFormats,
  readPrevious,
  refuseStdoutPerProject,
  reportContext,
  type ReportFlags as ReportOutputFlags,
} from './report-output.js';

interface ReportFlags extends ReportOutputFlags {
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
  const command = program
    .command('report')
    .description(
      'Render a saved inventory.json again, in any format, without scanning: the HTML and Markdown ' +
        'reports, SPDX, CSV, attribution notices, SBOMs per project.',
    )
    .argument('<inventory>', 'an inventory.json written by scan or merge')
    .option('-o, --out <dir>', "output folder (default: the inventory's folder)");
  addReportOptions(
    command,
    DEFAULT_REPORT_FORMATS,
    'show the violations of this license policy in the html and markdown reports ' +
      '(default: the policy: section of the configuration, if any)',
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
  refuseStdoutPerProject(flags);
  const formats = flags.stdout
    ? [flags.stdout as OutputFormat]
    : parseFormats(flags.format ?? DEFAULT_REPORT_FORMATS);
  checkPerProject(formats, flags.perProject);
  const now = clockFrom(proc.env)();
  const loaded = await loadCliConfig(cwd, flags.config, log);
  const policy = await resolvePolicyOption(flags.policy, loaded, cwd, now, log);
  const inventoryFile = path.resolve(cwd, file);
  const inventory = await readInventoryFile(inventoryFile, file);
  const previous = await readPrevious(flags, cwd);
  const context = reportContext(inventory, formats, { policy, previous, loaded, now });
  const out = path.resolve(cwd, flags.out ?? path.dirname(inventoryFile));
  await emitReports(inventory, formats, flags, { out, cwd, stdout: proc.stdout, log }, context);
  return EXIT.ok;
}
