import { readFile } from 'node:fs/promises';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import schema from '../../inventory.schema.json' with { type: 'json' };
import type { Inventory } from '../core/model.js';
import { CliError, EXIT } from './exit-codes.js';
import { printable } from './log.js';

const MAX_SHOWN_ERRORS = 5;

let validator: ReturnType<Ajv2020['compile']> | undefined;

/**
 * An inventory.json written earlier, parsed and checked against inventory.schema.json; anything else (no such
 * file, not JSON, not an inventory) is a usage error naming the file as the user wrote it (`shown`).
 */
export async function readInventoryFile(file: string, shown: string): Promise<Inventory> {
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
