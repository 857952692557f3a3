import { readFileSync } from 'node:fs';

/** The components of inventory.json files, each purl once (the first file that has it wins). */
export function distinctComponents(files) {
  const byPurl = new Map();
  for (const file of files) {
    const inventory = JSON.parse(readFileSync(file, 'utf8'));
    for (const component of inventory.components ?? []) {
      if (!byPurl.has(component.purl)) byPurl.set(component.purl, component);
    }
  }
  return [...byPurl.values()];
}
