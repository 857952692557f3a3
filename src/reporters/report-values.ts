/** Values the human-readable reports (Markdown, CSV, HTML, notices) share. Pure functions of the model. */
import {
  HEALTH_SEVERITY,
  NEEDS_PLAN_B,
  type Component,
  type Ecosystem,
  type HealthClass,
  type Inventory,
  type PlanB,
  type PlanBOption,
} from '../core/model.js';
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

/** Whether the component's health class says it needs a plan B. */
export function needsPlanB(component: Pick<Component, 'health'>): boolean {
  return component.health !== undefined && NEEDS_PLAN_B.has(component.health.class);
}

/** The first way out: the best option that is not a survival plan. */
export function firstWayOut(planB: PlanB | undefined): PlanBOption | undefined {
  return planB?.options.find((o) => o.kind !== 'survive');
}

/** What an option points at: its target purl, else its label (a platform feature, a fork's URL, a plan). */
export function optionTarget(option: PlanBOption): string {
  return option.target ?? option.label ?? '';
}

/** Whether a plan B holds an option of confidence curated or better (authoritative or curated). */
export function hasCuratedOption(planB: PlanB | undefined): boolean {
  return (planB?.options ?? []).some((o) => o.confidence === 'authoritative' || o.confidence === 'curated');
}

/** Components per health class, in HEALTH_SEVERITY order, classes with none left out; unassessed ones apart. */
export function healthCounts(components: readonly Component[]): {
  classes: [HealthClass, number][];
  unassessed: number;
} {
  const counts = new Map<HealthClass, number>();
  let unassessed = 0;
  for (const c of components) {
    if (c.health) counts.set(c.health.class, (counts.get(c.health.class) ?? 0) + 1);
    else unassessed++;
  }
  return {
    classes: HEALTH_SEVERITY.filter((h) => counts.has(h)).map((h): [HealthClass, number] => [
      h,
      counts.get(h)!,
    ]),
    unassessed,
  };
}

/**
 * The components that need a plan B, highest plan-B priority first, then the worst class, then in purl
 * order; and how many of them have an option of confidence curated or better.
 */
export function planBQueue(components: readonly Component[]): { queue: Component[]; curated: number } {
  const queue = components
    .filter(needsPlanB)
    .sort(
      (a, b) =>
        b.health!.priority - a.health!.priority ||
        HEALTH_SEVERITY.indexOf(a.health!.class) - HEALTH_SEVERITY.indexOf(b.health!.class) ||
        compareCodeUnits(a.purl, b.purl),
    );
  return { queue, curated: queue.filter((c) => hasCuratedOption(c.planB)).length };
}
