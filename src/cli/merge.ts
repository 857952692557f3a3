import path from 'node:path';
import { Option, type Command } from 'commander';
import { DEFAULT_OUTPUT_FORMATS } from '../config/types.js';
import { mergeInventories } from '../core/merge.js';
import type { Inventory } from '../core/model.js';
import { OUTPUT_FORMATS, REPORTERS, type OutputFormat } from '../reporters/index.js';
import { CliError, EXIT } from './exit-codes.js';
import type { CliProcess } from './index.js';
import { readInventoryFile } from './inventory-file.js';
import { createLog, printable } from './log.js';
import { collectList, parseFormats, writeReports } from './scan.js';

interface MergeFlags {
  out?: string;
  format?: string[];
  stdout?: string;
  quiet?: boolean;
  verbose?: boolean;
}

const DEFAULT_OUT = './oss-inventory-report';
export function registerMerge(program: Command, proc: CliProcess, setExitCode: (code: number) => void): void {
  program
    .command('merge')
    .description(
      'Combine the inventory.json files of `scan --shard I/N` runs into the inventory and SBOMs of a single run.',
    )
    .argument('<file...>', 'inventory.json files to merge')
    .option('-o, --out <dir>', `output folder (default: ${DEFAULT_OUT})`)
    .option(
      '-f, --format <formats>',
      `output formats, repeatable or comma-separated: ${OUTPUT_FORMATS.join(', ')} (default: ${DEFAULT_OUTPUT_FORMATS.join(', ')})`,
      collectList,
    )
    .addOption(
      new Option('--stdout <format>', 'print one format to stdout instead of writing files').choices(
        OUTPUT_FORMATS,
      ),
    )
    .option('-q, --quiet', 'print nothing but errors')
    .option('-v, --verbose', 'print the files written')
    .action(async (files: string[], flags: MergeFlags) => setExitCode(await runMerge(files, flags, proc)));
}

async function runMerge(files: string[], flags: MergeFlags, proc: CliProcess): Promise<number> {
  const log = createLog(proc.stderr, flags.quiet ? 'quiet' : flags.verbose ? 'verbose' : 'normal');
  const formats = parseFormats(flags.format ?? DEFAULT_OUTPUT_FORMATS);
  const parts: Inventory[] = [];
  for (const file of files) parts.push(await readInventoryFile(path.resolve(proc.cwd(), file), file));
  let inventory: Inventory;
  try {
    inventory = mergeInventories(parts);
  } catch (error) {
    throw new CliError(printable(error instanceof Error ? error.message : String(error)), EXIT.usage);
  }
  if (flags.stdout) {
    proc.stdout.write(await REPORTERS[flags.stdout as OutputFormat].render(inventory));
  } else {
    await writeReports(
      inventory,
      formats,
      path.resolve(proc.cwd(), flags.out ?? DEFAULT_OUT),
      proc.cwd(),
      log,
    );
  }
  log.info(
    `merged ${files.length} inventories: ${inventory.subjects.length} subjects, ` +
      `${inventory.projects.length} projects, ${inventory.components.length} components`,
  );
  return EXIT.ok;
}
