import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { Option, type Command } from 'commander';
import schema from '../../inventory.schema.json' with { type: 'json' };
import { mergeInventories } from '../core/merge.js';
import type { Inventory } from '../core/model.js';
import { OUTPUT_FORMATS, REPORTERS, type OutputFormat } from '../reporters/index.js';
import { CliError, EXIT } from './exit-codes.js';
import type { CliProcess } from './index.js';
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
const MAX_SHOWN_ERRORS = 5;

let validator: ReturnType<Ajv2020['compile']> | undefined;

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
      `output formats, repeatable or comma-separated: ${OUTPUT_FORMATS.join(', ')} (default: all)`,
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
  const formats = parseFormats(flags.format ?? OUTPUT_FORMATS);
  const parts: Inventory[] = [];
  for (const file of files) parts.push(await readInventory(path.resolve(proc.cwd(), file), file));
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

/** An inventory file, parsed and checked against inventory.schema.json; anything else is a usage error. */
async function readInventory(file: string, shown: string): Promise<Inventory> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new CliError(`${printable(shown)}: not a readable JSON file: ${printable(why)}`, EXIT.usage);
  }
  validator ??= compileSchema();
  if (!validator(data)) {
    const errors = (validator.errors ?? [])
      .slice(0, MAX_SHOWN_ERRORS)
      .map((e) => `${e.instancePath || '/'} ${e.message ?? `fails "${e.keyword}"`}`);
    throw new CliError(
      `${printable(shown)} is not an inventory (inventory.schema.json): ${printable(errors.join('; '))}`,
      EXIT.usage,
    );
  }
  return data as Inventory;
}

function compileSchema(): ReturnType<Ajv2020['compile']> {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats.default(ajv);
  return ajv.compile(schema);
}
