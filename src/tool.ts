import { createRequire } from 'node:module';

const pkg = createRequire(import.meta.url)('../package.json') as {
  name: string;
  version: string;
  homepage: string;
};

/** This tool's name and version, as written into every report. */
export const TOOL = { name: pkg.name, version: pkg.version } as const;

/** Where users read about it (SARIF's tool.driver.informationUri). */
export const TOOL_HOMEPAGE = pkg.homepage;
