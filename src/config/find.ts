import { stat } from 'node:fs/promises';
import path from 'node:path';
import { CONFIG_FILE_NAMES } from './types.js';

/**
 * The configuration file of `startDir`: `.oss-inventory.yaml` (else `.oss-inventory.yml`) in it or in its
 * nearest ancestor, up to the filesystem root. Only regular files count; folders that cannot be read are
 * passed over.
 */
export async function findConfigFile(startDir: string): Promise<string | undefined> {
  let dir = path.resolve(startDir);
  for (;;) {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = path.join(dir, name);
      if (await isFile(candidate)) return candidate;
    }
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}
