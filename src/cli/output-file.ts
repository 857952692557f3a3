import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CliError, EXIT } from './exit-codes.js';
import type { CliProcess } from './index.js';
import { printable } from './log.js';

/**
 * One rendered report, to stdout or to the `--output` file (relative to the working folder). A file that
 * cannot be written is a runtime failure naming it as the user wrote it.
 */
export async function writeOutput(
  rendered: string,
  output: string | undefined,
  proc: CliProcess,
): Promise<void> {
  if (output === undefined) {
    proc.stdout.write(rendered);
    return;
  }
  try {
    await writeFile(path.resolve(proc.cwd(), output), rendered);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new CliError(`cannot write ${printable(output)}: ${printable(why)}`, EXIT.failure);
  }
}
