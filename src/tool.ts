import { createRequire } from 'node:module';

const pkg = createRequire(import.meta.url)('../package.json') as { name: string; version: string };

/** This tool's name and version, as written into every report. */
export const TOOL = { name: pkg.name, version: pkg.version } as const;
