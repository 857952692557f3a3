import path from 'node:path';
import { Option, type Command } from 'commander';
import { diffInventories, isEmptyDiff, type DiffOptions } from '../core/diff.js';
import { loadLicenseKnowledge } from '../licenses/knowledge.js';
import type { DiffReport } from '../reporters/diff-common.js';
import { clockFrom } from './clock.js';
import { loadCliConfig } from './config.js';
import { EXIT } from './exit-codes.js';
import type { CliProcess } from './index.js';
import { readInventoryFile } from './inventory-file.js';
import { writeOutput } from './output-file.js';
import { resolvePolicyOption } from './policy-option.js';
import { createLog, printable, type Log } from './log.js';

export const DIFF_FORMATS = ['text', 'markdown', 'json'] as const;
type DiffFormat = (typeof DIFF_FORMATS)[number];

interface DiffFlags {
  format?: DiffFormat;
  output?: string;
  policy?: string;
  config?: string;
  exitCode?: boolean;
  quiet?: boolean;
}

const RENDERERS: Record<DiffFormat, (report: DiffReport) => Promise<string>> = {
  text: async (report) => (await import('../reporters/diff-text.js')).renderDiffText(report),
  markdown: async (report) => (await import('../reporters/diff-markdown.js')).renderDiffMarkdown(report),
  json: async (report) => (await import('../reporters/diff-json.js')).renderDiffJson(report),
};

/** Exit code of `--exit-code` when the inventories differ, as `git diff --exit-code` does. */
const DIFFERENT = 1;

export function registerDiff(program: Command, proc: CliProcess, setExitCode: (code: number) => void): void {
  program
    .command('diff')
    .description(
      'What changed between two inventories (e.g. last month and this month): projects and components ' +
        'added and removed, upgrades and downgrades, license changes, and with --policy new and resolved violations.',
    )
    .argument('<previous>', 'the older inventory.json')
    .argument('<current>', 'the newer inventory.json')
    .addOption(new Option('-f, --format <format>', 'how to report (default: text)').choices(DIFF_FORMATS))
    .option('-o, --output <file>', 'write the report to this file instead of stdout')
    .option(
      '-p, --policy <file>',
      'also report the violations of this license policy that appeared or went away',
    )
    .option(
      '-c, --config <file>',
      'configuration file, for its license mappings (default: .oss-inventory.yaml)',
    )
    .option('--exit-code', `exit ${DIFFERENT} when the inventories differ, 0 when they do not`)
    .option('-q, --quiet', 'print nothing on stderr but errors')
    .action(async (previous: string, current: string, flags: DiffFlags) =>
      setExitCode(await runDiff(previous, current, flags, proc)),
    );
}

async function runDiff(
  previousFile: string,
  currentFile: string,
  flags: DiffFlags,
  proc: CliProcess,
): Promise<number> {
  const log = createLog(proc.stderr, flags.quiet ? 'quiet' : 'normal');
  const cwd = proc.cwd();
  const previous = await readInventoryFile(path.resolve(cwd, previousFile), previousFile);
  const current = await readInventoryFile(path.resolve(cwd, currentFile), currentFile);
  const options: DiffOptions = flags.policy ? await policyOptions(flags, cwd, proc, log) : {};
  const diff = diffInventories(previous, current, options);

  const format = flags.format ?? 'text';
  const rendered = await RENDERERS[format]({ diff, previousFile, currentFile });
  await writeOutput(rendered, flags.output, proc);
  if (flags.output !== undefined) log.info(`wrote ${printable(flags.output)}`);
  return flags.exitCode && !isEmptyDiff(diff) ? DIFFERENT : EXIT.ok;
}

/**
 * The policy and what evaluating it needs: the clock (SOURCE_DATE_EPOCH or now) for waivers, and the
 * license categories with the configuration's mappings. Both inventories are judged as they were saved.
 */
async function policyOptions(
  flags: DiffFlags,
  cwd: string,
  proc: CliProcess,
  log: Log,
): Promise<DiffOptions> {
  const now = clockFrom(proc.env)();
  const loaded = await loadCliConfig(cwd, flags.config, log);
  return {
    policy: (await resolvePolicyOption(flags.policy, loaded, cwd, now, log))!,
    now,
    categories: loadLicenseKnowledge(loaded.config.licenses?.mappings ?? []).categories,
  };
}
