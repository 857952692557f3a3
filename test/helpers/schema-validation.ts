import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Spec, Validation } from '@cyclonedx/cyclonedx-library';

/** Schemas shipped by @cyclonedx/cyclonedx-library (the XSD imports spdx.SNAPSHOT.xsd from the same folder). */
const SCHEMA_DIR = path.join(
  path.dirname(createRequire(import.meta.url).resolve('@cyclonedx/cyclonedx-library/package.json')),
  'res',
  'schema',
);
export const CYCLONEDX_16_XSD = path.join(SCHEMA_DIR, 'bom-1.6.SNAPSHOT.xsd');

const jsonValidator = new Validation.JsonStrictValidator(Spec.Version.v1dot6);

/**
 * Validates a CycloneDX 1.6 JSON document with the library's own validator (ajv, the strict 1.6 JSON
 * schema and the SPDX, JSF and crypto schemas it references). Returns the errors, or null when valid.
 */
export async function cycloneDxJsonErrors(json: string): Promise<unknown[] | null> {
  const errors: unknown = await jsonValidator.validate(json);
  if (errors === null) return null;
  return Array.isArray(errors) ? errors : [errors];
}

export interface XmlValidation {
  valid: boolean;
  /** What xmllint printed (its errors, with line numbers). */
  output: string;
}

/** True when `xmllint` (Debian's libxml2-utils) can be run. */
export function hasXmllint(): boolean {
  const run = spawnSync('xmllint', ['--version'], { encoding: 'utf8' });
  return run.error === undefined && run.status === 0;
}

/** Validates an XML string against the CycloneDX 1.6 XSD with `xmllint --noout --schema`, read from stdin. */
export function validateCycloneDxXml(xml: string): XmlValidation {
  const run = spawnSync('xmllint', ['--noout', '--nonet', '--schema', CYCLONEDX_16_XSD, '-'], {
    input: xml,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.error) return { valid: false, output: String(run.error) };
  return { valid: run.status === 0, output: `${run.stdout}${run.stderr}`.trim() };
}
