import type { Inventory } from '../core/model.js';

export function renderInventoryJson(inventory: Inventory): string {
  return `${JSON.stringify(inventory, null, 2)}\n`;
}
