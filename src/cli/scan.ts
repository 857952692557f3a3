import path from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_OUTPUT_FORMATS } from '../config/types.js';
import type { OutputFormat } from '../reporters/index.js';
import { clockFrom } from './clock.js';
import { loadCliConfig } from './config.js';
import { EXIT } from './exit-codes.js';
import type { CliProcess } from './index.js';
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
} from './report-output.js';
import { addScanInputOptions, scanInventory, summarise, type ScanInputFlags } from './scan-options.js';

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
    .option('-o, --out <dir>', `output folder (default: ${DEFAULT_OUT})`);
  addReportOptions(
    command,
    DEFAULT_OUTPUT_FORMATS,
    'license policy: its curations apply, and the html and markdown reports show its violations ' +
      '(default: the policy: section of the configuration, if any)',
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
  refuseStdoutPerProject(flags);
  const formats = parseFormats(flags.format ?? config.formats ?? DEFAULT_OUTPUT_FORMATS);
  const rendered = flags.stdout ? [flags.stdout as OutputFormat] : formats;
  checkPerProject(rendered, flags.perProject);
  const strict = flags.strict ?? config.strict ?? false;
  const now = clockFrom(proc.env)();
  const policy = await resolvePolicyOption(flags.policy, loaded, cwd, now, log);
  const previous = await readPrevious(flags, cwd);
  const inventory = await scanInventory(
    paths,
    flags,
    proc,
    log,
    loaded,
    policy ? { curations: policy.curations } : {},
  );
  const context = reportContext(inventory, rendered, { policy, previous, loaded, now });
  const out = flags.out
    ? path.resolve(cwd, flags.out)
    : path.resolve(config.out ? loaded.baseDir : cwd, config.out ?? DEFAULT_OUT);
  await emitReports(inventory, formats, flags, { out, cwd, stdout: proc.stdout, log }, context);
  summarise(inventory, log);
  const failing = inventory.problems.filter((p) => p.severity !== 'info');
  return strict && failing.length > 0 ? EXIT.failure : EXIT.ok;
}
