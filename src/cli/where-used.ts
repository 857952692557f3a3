import { stat } from 'node:fs/promises';
import path from 'node:path';
import { Option, type Command } from 'commander';
import { parseWhereUsedQuery, whereUsed } from '../core/where-used.js';
import type { WhereUsedReport } from '../reporters/where-used-text.js';
import { CliError, EXIT } from './exit-codes.js';
import type { CliProcess } from './index.js';
import { readInventoryFile } from './inventory-file.js';
import { writeOutput } from './output-file.js';
import { createLog, printable } from './log.js';

export const WHERE_USED_FORMATS = ['text', 'markdown', 'json'] as const;
type WhereUsedFormat = (typeof WHERE_USED_FORMATS)[number];

interface WhereUsedFlags {
  inventory?: string;
  format?: WhereUsedFormat;
  output?: string;
  quiet?: boolean;
}

/** Where `scan` writes the inventory by default. */
const DEFAULT_INVENTORY = 'oss-inventory-report/inventory.json';

/** Exit code when no component matches, as grep does. */
const NOT_FOUND = 1;

const RENDERERS: Record<WhereUsedFormat, (report: WhereUsedReport) => Promise<string>> = {
  text: async (r) => (await import('../reporters/where-used-text.js')).renderWhereUsedText(r),
  markdown: async (r) => (await import('../reporters/where-used-markdown.js')).renderWhereUsedMarkdown(r),
  json: async (r) => (await import('../reporters/where-used-json.js')).renderWhereUsedJson(r),
};

export function registerWhereUsed(
  program: Command,
  proc: CliProcess,
  setExitCode: (code: number) => void,
): void {
  program
    .command('where-used')
    .description(
      'Which projects of a saved inventory use a package, in which versions, directly or through which ' +
        'dependency path, and which manifest line declares it; exit 1 when none does.',
    )
    .argument(
      '<package>',
      'an npm name (lodash, @babel/core), a Maven groupId:artifactId or bare artifactId, or a purl; ' +
        'name@version, groupId:artifactId:version or a purl with a version for one version',
    )
    .option('-i, --inventory <file>', `the inventory.json to search (default: ./${DEFAULT_INVENTORY})`)
    .addOption(
      new Option('-f, --format <format>', 'how to report (default: text)').choices(WHERE_USED_FORMATS),
    )
    .option('-o, --output <file>', 'write the report to this file instead of stdout')
    .option('-q, --quiet', 'print nothing on stderr but errors')
    .action(async (name: string, flags: WhereUsedFlags) =>
      setExitCode(await runWhereUsed(name, flags, proc)),
    );
}

async function runWhereUsed(name: string, flags: WhereUsedFlags, proc: CliProcess): Promise<number> {
  const log = createLog(proc.stderr, flags.quiet ? 'quiet' : 'normal');
  const cwd = proc.cwd();
  const parsed = parseWhereUsedQuery(name);
  if (!parsed.ok) throw new CliError(`"${printable(name)}": ${printable(parsed.reason)}`, EXIT.usage);
  const shown = flags.inventory ?? DEFAULT_INVENTORY;
  const file = path.resolve(cwd, shown);
  if (flags.inventory === undefined && !(await exists(file))) {
    throw new CliError(
      `no inventory at ./${DEFAULT_INVENTORY}: run oss-inventory scan first, or give --inventory FILE`,
      EXIT.usage,
    );
  }
  const inventory = await readInventoryFile(file, shown);
  const result = whereUsed(inventory, parsed.query);
  const report: WhereUsedReport = { result, inventoryFile: shown, components: inventory.components.length };
  const rendered = await RENDERERS[flags.format ?? 'text'](report);
  await writeOutput(rendered, flags.output, proc);
  if (flags.output !== undefined) log.info(`wrote ${printable(flags.output)}`);
  return result.packages.length > 0 ? EXIT.ok : NOT_FOUND;
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}
