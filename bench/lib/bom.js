import { readFileSync } from 'node:fs';

/**
 * Components of a CycloneDX JSON BOM, nested ones included: cyclonedx-npm nests a package under the one
 * it is installed in (node_modules inside node_modules), so the top-level `components.length` undercounts.
 */
export function countBomComponents(bom) {
  let count = 0;
  const pending = [...(bom.components ?? [])];
  while (pending.length > 0) {
    const component = pending.pop();
    count++;
    if (Array.isArray(component.components)) pending.push(...component.components);
  }
  return count;
}

/** `{ components }` from a BOM file, or `{ error }` when it is absent or not JSON. */
export function readBomCount(file) {
  let bom;
  try {
    bom = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    return { error: `no readable BOM at ${file}: ${error.message}` };
  }
  if (!Array.isArray(bom?.components)) return { error: `the BOM at ${file} has no components array` };
  return { components: countBomComponents(bom), topLevel: bom.components.length };
}
