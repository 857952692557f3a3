import type { Inventory, Scope } from './model.js';

/**
 * The inventory restricted to dependencies reached through the given scopes (`--scope runtime,provided`
 * for what ships): each usage keeps only those scopes, a component no usage reaches that way is left out,
 * and dependency lists only name what remains. Pure: returns a new inventory.
 */
export function keepScopes(inventory: Inventory, scopes: readonly Scope[]): Inventory {
  const wanted = new Set(scopes);
  const components = inventory.components
    .map((component) => {
      const usedBy = component.usedBy
        .map((usage) => ({ ...usage, scopes: usage.scopes.filter((s) => wanted.has(s)) }))
        .filter((usage) => usage.scopes.length > 0);
      return {
        ...component,
        usedBy,
        scopes: component.scopes.filter((s) => wanted.has(s)),
        direct: usedBy.some((u) => u.direct),
      };
    })
    .filter((component) => component.usedBy.length > 0);
  const kept = new Set(components.map((c) => c.purl));
  return {
    ...inventory,
    run: { ...inventory.run, scopes: [...scopes] },
    projects: inventory.projects.map((p) => ({ ...p, dependsOn: p.dependsOn.filter((d) => kept.has(d)) })),
    components: components.map((c) => ({ ...c, dependsOn: c.dependsOn.filter((d) => kept.has(d)) })),
  };
}
