import { dump } from 'js-yaml';
import type { Inventory } from '../core/model.js';

export function renderInventoryYaml(inventory: Inventory): string {
  return dump(inventory, { noRefs: true, lineWidth: -1, noCompatMode: true });
}
