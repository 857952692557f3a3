import { readFile, stat } from 'node:fs/promises';
import { parseConfig, type ParseConfigOptions } from './parse.js';
import { MAX_CONFIG_BYTES, type ConfigIssue, type ConfigResult } from './types.js';
import { oversizedIssue } from './yaml-document.js';

/**
 * Reads and parses a configuration file. Never throws: a file that cannot be read is one error. `options.now`
 * is the clock the policy section's waiver dates are checked against.
 */
export async function loadConfig(file: string, options: ParseConfigOptions = {}): Promise<ConfigResult> {
  const failed = (message: string): ConfigResult => ({
    config: {},
    errors: [wholeFile(file, message)],
    warnings: [],
  });
  try {
    const info = await stat(file);
    if (!info.isFile()) return failed('cannot read the configuration file: it is not a regular file');
    // Checked before reading, so that a huge file (or a wrong path to one) is never loaded into memory.
    if (info.size > MAX_CONFIG_BYTES)
      return { config: {}, errors: [oversizedIssue(file, info.size)], warnings: [] };
    return parseConfig(await readFile(file, 'utf8'), file, options);
  } catch (error) {
    return failed(`cannot read the configuration file: ${describeFsError(error)}`);
  }
}

function wholeFile(file: string, message: string): ConfigIssue {
  return { file, line: 1, column: 1, message };
}

const FS_ERRORS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'it is a folder',
  ENOTDIR: 'a part of the path is not a folder',
  ELOOP: 'too many symbolic links',
};

/** An fs error in words, with its code. */
export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code && Object.hasOwn(FS_ERRORS, code)) return `${FS_ERRORS[code]} (${code})`;
  return error instanceof Error ? error.message : String(error);
}
