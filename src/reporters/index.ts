import type { OutputFormat } from '../config/types.js';
import type { Inventory } from '../core/model.js';

export interface Reporter {
  /** File name written in the output folder. */
  fileName: string;
  render(inventory: Inventory): Promise<string>;
}

/**
 * Every output format, by the id that `--format` and the config take. Reporters render; they never add
 * data. Each is loaded when first used, so a run pays only for the formats it writes.
 */
export const REPORTERS = {
  'inventory-json': {
    fileName: 'inventory.json',
    render: async (inventory) => (await import('./inventory-json.js')).renderInventoryJson(inventory),
  },
  'inventory-yaml': {
    fileName: 'inventory.yaml',
    render: async (inventory) => (await import('./inventory-yaml.js')).renderInventoryYaml(inventory),
  },
  'cyclonedx-json': {
    fileName: 'bom.cdx.json',
    render: async (inventory) => (await import('./cyclonedx.js')).renderCycloneDxJson(inventory),
  },
  'cyclonedx-xml': {
    fileName: 'bom.cdx.xml',
    render: async (inventory) => (await import('./cyclonedx.js')).renderCycloneDxXml(inventory),
  },
} as const satisfies Record<OutputFormat, Reporter>;

export { OUTPUT_FORMATS, type OutputFormat } from '../config/types.js';
