import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Command, Option } from 'commander';
import type { Inventory } from '../core/model.js';
import { OUTPUT_FORMATS, REPORTERS, type OutputFormat } from '../reporters/index.js';
import { loadCliConfig } from './config.js';
import { CliError, EXIT } from './exit-codes.js';
import type { CliProcess } from './index.js';
import { createLog, printable, type Log } from './log.js';
import {
  addScanInputOptions,
  collectList,
  scanInventory,
  summarise,
  type ScanInputFlags,
} from './scan-options.js';

export { collectList } from './scan-options.js';

interface ScanFlags extends ScanInputFlags {
  out?: string;
  format?: string[];
  stdout?: string;
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
      `output formats, repeatable or comma-separated: ${OUTPUT_FORMATS.join(', ')} (default: all)`,
      collectList,
    )
    .addOption(
      new Option('--stdout <format>', 'print one format to stdout instead of writing files').choices(
        OUTPUT_FORMATS,
      ),
    );
  addScanInputOptions(command, { shard: true })
    .option('--strict', 'exit 3 when the inventory records any error or warning problem')
    .option('-q, --quiet', 'print nothing but errors')
    .option('-v, --verbose', 'print every problem and the files written')
    .action(async (paths: string[], flags: ScanFlags) => setExitCode(await runScan(paths, flags, proc)));
}

async function runScan(paths: string[], flags: ScanFlags, proc: CliProcess): Promise<number> {
  const log = createLog(proc.stderr, flags.quiet ? 'quiet' : flags.verbose ? 'verbose' : 'normal');
  const loaded = await loadCliConfig(proc.cwd(), flags.config, log);
  const config = loaded.config.scan ?? {};
  const formats = parseFormats(flags.format ?? config.formats ?? OUTPUT_FORMATS);
  const strict = flags.strict ?? config.strict ?? false;
  const inventory = await scanInventory(paths, flags, proc, log, loaded);

  if (flags.stdout) {
    proc.stdout.write(await REPORTERS[flags.stdout as OutputFormat].render(inventory));
  } else {
    const out = flags.out
      ? path.resolve(proc.cwd(), flags.out)
      : path.resolve(config.out ? loaded.baseDir : proc.cwd(), config.out ?? DEFAULT_OUT);
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
