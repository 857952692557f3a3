import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const schema = JSON.parse(readFileSync(new URL('../../inventory.schema.json', import.meta.url), 'utf8'));
const ajv = new Ajv2020({ allErrors: true, strict: true });
addFormats.default(ajv);
const validate = ajv.compile(schema);

/** The errors of an inventory against inventory.schema.json, as readable lines (empty when valid). */
export function inventorySchemaErrors(inventory: unknown): string[] {
  if (validate(inventory)) return [];
  return (validate.errors ?? [])
    .slice(0, 20)
    .map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
}
