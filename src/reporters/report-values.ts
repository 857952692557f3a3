/** Values the human-readable reports (Markdown, CSV, notices) share. Pure functions of the model. */
import type { Component, Ecosystem, Inventory } from '../core/model.js';
import { compareCodeUnits } from './cyclonedx-values.js';

/** The name people know a package by: `@babel/runtime` (npm), `org.slf4j:slf4j-api` (Maven), `lodash`. */
export function packageName(component: Pick<Component, 'ecosystem' | 'group' | 'name'>): string {
  if (component.group === undefined || component.group === '') return component.name;
  return component.ecosystem === 'maven'
    ? `${component.group}:${component.name}`
    : `${component.group}/${component.name}`;
}

/** `name@version` as dependency paths write it. */
export function packageNameAndVersion(component: Component): string {
  return `${packageName(component)}@${component.version}`;
}

/** A package across its versions: what "used by N projects" counts. */
export function packageKey(component: Pick<Component, 'ecosystem' | 'group' | 'name'>): string {
  return `${component.ecosystem}\u0000${component.group ?? ''}\u0000${component.name}`;
}

/** `1,234 things`, or `1 thing`. */
export function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${n.toLocaleString('en')} ${n === 1 ? singular : pluralForm}`;
}

/** Counts by key, most frequent first, ties in code-unit order of the key. */
export function countBy<T>(items: Iterable<T>, key: (item: T) => string): [string, number][] {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || compareCodeUnits(a[0], b[0]));
}

/** Components per ecosystem, in a fixed order. */
export function ecosystemCounts(inventory: Inventory): [Ecosystem, number][] {
  const order: Ecosystem[] = ['npm', 'maven'];
  return order
    .map((e): [Ecosystem, number] => [e, inventory.components.filter((c) => c.ecosystem === e).length])
    .filter(([, n]) => n > 0);
}
