import { createRequire } from 'node:module';
import type { SpdxCatalogue } from '../core/license-text.js';

/** The full text of an SPDX license or exception, by id; undefined when the SPDX list has none. */
export interface LicenseTexts {
  license(id: string): string | undefined;
  exception(id: string): string | undefined;
}

/**
 * The SPDX list has no exception texts of its own: the deprecated `GPL-x-with-y-exception` licenses hold
 * them, after a placeholder line for the GPL text.
 */
const EXCEPTION_SOURCES: ReadonlyMap<string, string> = new Map([
  ['Autoconf-exception-2.0', 'GPL-2.0-with-autoconf-exception'],
  ['Autoconf-exception-3.0', 'GPL-3.0-with-autoconf-exception'],
  ['Bison-exception-2.2', 'GPL-2.0-with-bison-exception'],
  ['Classpath-exception-2.0', 'GPL-2.0-with-classpath-exception'],
  ['Font-exception-2.0', 'GPL-2.0-with-font-exception'],
  ['GCC-exception-2.0', 'GPL-2.0-with-GCC-exception'],
  ['GCC-exception-3.1', 'GPL-3.0-with-GCC-exception'],
]);

let loaded: LicenseTexts | undefined;

/**
 * The license texts of spdx-license-list/full (5 MB of JSON), read on first use only: only the notices
 * need them. Line endings are made `\n`.
 */
export function spdxLicenseTexts(): LicenseTexts {
  if (loaded) return loaded;
  const catalogue = createRequire(import.meta.url)('spdx-license-list/full') as SpdxCatalogue;
  const textOf = (id: string): string | undefined =>
    Object.hasOwn(catalogue, id) && typeof catalogue[id]?.licenseText === 'string'
      ? catalogue[id].licenseText.replace(/\r\n?/g, '\n')
      : undefined;
  loaded = {
    license: textOf,
    exception: (id) => {
      const source = EXCEPTION_SOURCES.get(id);
      return source === undefined
        ? undefined
        : textOf(source)?.replace(/^insert GPL v\d license text here\s*/i, '');
    },
  };
  return loaded;
}
