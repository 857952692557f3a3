import { Command, CommanderError } from 'commander';
import { TOOL } from '../tool.js';
import { CliError, EXIT } from './exit-codes.js';
import { registerCache } from './cache.js';
import { registerCheck } from './check.js';
import { registerDiff } from './diff.js';
import { registerMerge } from './merge.js';
import { registerReport } from './report.js';
import { registerScan } from './scan.js';
import { registerWhereUsed } from './where-used.js';

/** What the CLI needs of the process; `bin/oss-inventory.js` passes the real one. */
export interface CliProcess {
  argv: string[];
  env: NodeJS.ProcessEnv;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  cwd(): string;
}

/** Runs one command line and returns its exit code (README, "Exit codes"). Never calls process.exit. */
export async function run(proc: CliProcess): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = new Command()
    .name('oss-inventory')
    .description(
      'Inventory the open source components of local trees: licenses, registry facts, dependency graph, SBOMs.',
    )
    .version(TOOL.version)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => proc.stdout.write(s),
      writeErr: (s) => proc.stderr.write(s),
    })
    .showHelpAfterError('(run with --help for usage)');

  registerScan(program, proc, (code) => (exitCode = code));
  registerCache(program, proc, (code) => (exitCode = code));
  registerMerge(program, proc, (code) => (exitCode = code));
  registerCheck(program, proc, (code) => (exitCode = code));
  registerDiff(program, proc, (code) => (exitCode = code));
  registerWhereUsed(program, proc, (code) => (exitCode = code));
  registerReport(program, proc, (code) => (exitCode = code));

  try {
    await program.parseAsync(proc.argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof CliError) {
      proc.stderr.write(`error: ${error.message}\n`);
      return error.exitCode;
    }
    proc.stderr.write(
      `error: unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return EXIT.failure;
  }
  return exitCode;
}
