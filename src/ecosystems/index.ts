import { npmEcosystem } from './npm/index.js';
import type { EcosystemPlugin } from './types.js';

export const ECOSYSTEMS: readonly EcosystemPlugin[] = [npmEcosystem];

export const MANIFEST_NAMES: ReadonlySet<string> = new Set(ECOSYSTEMS.flatMap((e) => e.manifestNames));
