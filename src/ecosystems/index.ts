import { mavenEcosystem } from './maven/index.js';
import { npmEcosystem } from './npm/index.js';
import type { EcosystemPlugin } from './types.js';

export const ECOSYSTEMS: readonly EcosystemPlugin[] = [npmEcosystem, mavenEcosystem];

export const MANIFEST_NAMES: ReadonlySet<string> = new Set(ECOSYSTEMS.flatMap((e) => e.manifestNames));
