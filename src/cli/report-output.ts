/**
 * Writing reports, for every command that renders an inventory (`scan`, `merge`, `report`): the formats
 * asked for, each format's file (or files), the SBOMs once per project with `--per-project`, and the
 * policy check and previous inventory the human-readable reports show.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Option, type Command } from 'commander';
import { diffInventories } from '../core/diff.js';
import type { Inventory } from '../core/model.js';
import { evaluatePolicy } from '../core/policy.js';
import type { Policy } from '../core/policy-model.js';
import { loadLicenseKnowledge } from '../licenses/knowledge.js';
import { projectFileStems, projectInventories } from '../reporters/per-project.js';
import { plural } from '../reporters/report-values.js';
import {
  OUTPUT_FORMATS,
  REPORTERS,
  type OutputFormat,
  type ReportContext,
  type ReportFile,
  type Reporter,
} from '../reporters/index.js';
import type { LoadedConfig } from './config.js';
import { CliError, EXIT } from './exit-codes.js';
import { readInventoryFile } from './inventory-file.js';
import { printable, type Log } from './log.js';
import { collectList } from './scan-options.js';

/** The folder per-project SBOMs are written to, inside the output folder. */
export const PER_PROJECT_FOLDER = 'projects';

export interface WriteOptions {
  context?: ReportContext;
  /** Also write each per-project format once per project (`--per-project`). */
  perProject?: boolean;
}

/** The formats of `--format` (repeatable, comma lists already split), each once; an unknown one is exit 2. */
export function parseFormats(values: readonly string[]): OutputFormat[] {
  const unknown = values.filter((v) => !Object.hasOwn(REPORTERS, v));
  if (unknown.length > 0) {
    throw new CliError(
      `unknown format ${unknown.map((u) => `"${printable(u)}"`).join(', ')}; use one of ${OUTPUT_FORMATS.join(', ')}`,
      EXIT.usage,
    );
  }
  return [...new Set(values)] as OutputFormat[];
}

/** The formats `--per-project` splits, for its help and its errors. */
export const PER_PROJECT_FORMATS: readonly OutputFormat[] = OUTPUT_FORMATS.filter(
  (f) => reporterOf(f).perProjectExtension !== undefined,
);

function reporterOf(format: OutputFormat): Reporter {
  return REPORTERS[format];
}

/** Refuses `--per-project` when none of the formats is one it splits, rather than silently doing nothing. */
export function checkPerProject(formats: readonly OutputFormat[], perProject: boolean | undefined): void {
  if (perProject && !formats.some((f) => PER_PROJECT_FORMATS.includes(f))) {
    throw new CliError(
      `--per-project writes one SBOM per project: ask for one of ${PER_PROJECT_FORMATS.join(', ')} with --format`,
      EXIT.usage,
    );
  }
}

/** Writes each format's file (or files) into `out` and says where. */
export async function writeReports(
  inventory: Inventory,
  formats: readonly OutputFormat[],
  out: string,
  cwd: string,
  log: Log,
  options: WriteOptions = {},
): Promise<void> {
  await mkdir(out, { recursive: true });
  const written: string[] = [];
  for (const format of formats) {
    const reporter = reporterOf(format);
    if (reporter.files) {
      const files = await reporter.files(inventory);
      await writeFiles(out, files, log);
      written.push(`${path.posix.dirname(reporter.fileName)}/ (${plural(files.length, 'file')})`);
    } else {
      const file = path.join(out, reporter.fileName);
      await writeFile(file, await reporter.render(inventory, options.context));
      log.verbose(`wrote ${file}`);
      written.push(reporter.fileName);
    }
  }
  if (options.perProject) {
    const count = await writePerProject(inventory, formats, out, log);
    if (count > 0) written.push(`${PER_PROJECT_FOLDER}/ (${plural(count, 'file')})`);
  }
  const shown = path.relative(cwd, out);
  const where = shown === '' ? '.' : shown.startsWith('..') ? out : shown;
  log.info(`wrote ${written.join(', ')} to ${printable(where)}`);
}

/** `projects/<project><extension>` for each project and each format that has a per-project form. */
async function writePerProject(
  inventory: Inventory,
  formats: readonly OutputFormat[],
  out: string,
  log: Log,
): Promise<number> {
  const split = formats.filter((f) => PER_PROJECT_FORMATS.includes(f));
  if (split.length === 0) return 0;
  const stems = projectFileStems(inventory.projects);
  let count = 0;
  for (const { project, inventory: part } of projectInventories(inventory)) {
    const files: ReportFile[] = [];
    for (const format of split) {
      const reporter = reporterOf(format);
      const name = `${stems.get(project.id)!}${reporter.perProjectExtension!}`;
      files.push({ path: `${PER_PROJECT_FOLDER}/${name}`, content: await reporter.render(part) });
    }
    await writeFiles(out, files, log);
    count += files.length;
  }
  return count;
}

async function writeFiles(out: string, files: readonly ReportFile[], log: Log): Promise<void> {
  const folders = new Set(files.map((f) => path.dirname(path.join(out, f.path))));
  for (const folder of folders) await mkdir(folder, { recursive: true });
  for (const file of files) {
    const target = path.join(out, file.path);
    await writeFile(target, file.content);
    log.verbose(`wrote ${printable(target)}`);
  }
}

/** Prints one format on stdout: a format written as several files prints them one after the other. */
export async function printReport(
  inventory: Inventory,
  format: OutputFormat,
  stdout: NodeJS.WritableStream,
  context: ReportContext = {},
): Promise<void> {
  stdout.write(await REPORTERS[format].render(inventory, context));
}

/** True when one of the formats shows the policy check, so that the policy is worth evaluating. */
export function showsPolicy(formats: readonly OutputFormat[]): boolean {
  return formats.some((f) => reporterOf(f).showsPolicy === true);
}

/** The policy check the reports show, against the categories of the configuration's license knowledge. */
export function checkForReports(inventory: Inventory, policy: Policy, loaded: LoadedConfig, now: Date) {
  const { categories } = loadLicenseKnowledge(loaded.config.licenses?.mappings ?? []);
  return evaluatePolicy(inventory, policy, { now, categories });
}

/** The report options `scan` and `report` share; `policy` says what `--policy` does in that command. */
export function addReportOptions(
  command: Command,
  defaults: readonly OutputFormat[],
  policy: string,
): Command {
  return command
    .option(
      '-f, --format <formats>',
      `output formats, repeatable or comma-separated: ${OUTPUT_FORMATS.join(', ')} ` +
        `(default: ${defaults.join(', ')})`,
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
    .option('-p, --policy <file>', policy)
    .option(
      '--previous <inventory>',
      'an earlier inventory.json: the html and markdown reports show what changed since',
    );
}

export interface ReportFlags {
  stdout?: string;
  perProject?: boolean;
  previous?: string;
}

/** `--per-project` writes files: refused with `--stdout`. */
export function refuseStdoutPerProject(flags: ReportFlags): void {
  if (flags.stdout && flags.perProject) {
    throw new CliError('--per-project writes files: it cannot be combined with --stdout', EXIT.usage);
  }
}

/** The `--previous` inventory, when given. */
export async function readPrevious(flags: ReportFlags, cwd: string): Promise<Inventory | undefined> {
  return flags.previous ? readInventoryFile(path.resolve(cwd, flags.previous), flags.previous) : undefined;
}

/** What the reports show beside the inventory, computed once for every format. */
export function reportContext(
  inventory: Inventory,
  formats: readonly OutputFormat[],
  extra: { policy?: Policy; previous?: Inventory; loaded: LoadedConfig; now: Date },
): ReportContext {
  const context: ReportContext = {};
  if (extra.policy && showsPolicy(formats)) {
    context.check = checkForReports(inventory, extra.policy, extra.loaded, extra.now);
  }
  if (extra.previous) context.changes = diffInventories(extra.previous, inventory);
  return context;
}

/** The `--stdout` format on stdout, else every format written into `out`. */
export async function emitReports(
  inventory: Inventory,
  formats: readonly OutputFormat[],
  flags: ReportFlags,
  where: { out: string; cwd: string; stdout: NodeJS.WritableStream; log: Log },
  context: ReportContext,
): Promise<void> {
  if (flags.stdout) {
    await printReport(inventory, flags.stdout as OutputFormat, where.stdout, context);
  } else {
    await writeReports(inventory, formats, where.out, where.cwd, where.log, {
      context,
      perProject: flags.perProject,
    });
  }
}
