import { createRequire } from 'node:module';
import {
  prepareTemplates,
  spdxTemplates,
  type PreparedTemplates,
  type SpdxCatalogue,
} from '../core/license-text.js';

const require = createRequire(import.meta.url);
let prepared: Promise<PreparedTemplates> | undefined;

/**
 * The SPDX license texts (spdx-license-list/full, 5 MB) as prepared templates. Read and prepared on the
 * first call only, so that a run that meets no license file never pays for it (about 40 ms to read and
 * 150 ms to prepare); later calls share the same promise.
 */
export function spdxLicenseTemplates(): Promise<PreparedTemplates> {
  prepared ??= Promise.resolve().then(() => {
    const catalogue = require('spdx-license-list/full') as SpdxCatalogue;
    const current = new Set(require('spdx-license-ids/index.json') as string[]);
    return prepareTemplates(spdxTemplates(catalogue, current));
  });
  return prepared;
}
