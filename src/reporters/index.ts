import type { OutputFormat } from '../config/types.js';
import type { Inventory } from '../core/model.js';
import { renderCycloneDxJson, renderCycloneDxXml } from './cyclonedx.js';
import { renderInventoryJson } from './inventory-json.js';
import { renderInventoryYaml } from './inventory-yaml.js';

export interface Reporter {
  /** File name written in the output folder. */
  fileName: string;
  render(inventory: Inventory): string;
}

/** Every output format, by the id that `--format` and the config take. Reporters render; they never add data. */
export const REPORTERS = {
  'inventory-json': { fileName: 'inventory.json', render: renderInventoryJson },
  'inventory-yaml': { fileName: 'inventory.yaml', render: renderInventoryYaml },
  'cyclonedx-json': { fileName: 'bom.cdx.json', render: renderCycloneDxJson },
  'cyclonedx-xml': { fileName: 'bom.cdx.xml', render: renderCycloneDxXml },
} as const satisfies Record<OutputFormat, Reporter>;

export { OUTPUT_FORMATS, type OutputFormat } from '../config/types.js';
