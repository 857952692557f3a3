import type { Component, HealthExposure, Scope, Usage } from './model.js';

/**
 * The organisation's exposure to a component, from its usages: how many distinct projects use it, how many
 * declare it directly, how many reach it through a scope that ships or runs it (anything but `dev`: runtime,
 * optional, peer, provided), and whether every usage is only to build and test. Pure.
 */
export function exposureOf(usedBy: readonly Usage[]): HealthExposure {
  const projects = new Set<string>();
  const direct = new Set<string>();
  const runtime = new Set<string>();
  for (const usage of usedBy) {
    projects.add(usage.project);
    if (usage.direct) direct.add(usage.project);
    if (usage.scopes.some(isRuntimeScope)) runtime.add(usage.project);
  }
  return {
    projects: projects.size,
    directProjects: direct.size,
    runtimeProjects: runtime.size,
    devOnly: projects.size > 0 && runtime.size === 0,
  };
}

/** The exposure of several components together (a project's published artifacts), each project counted once. */
export function combinedExposure(components: readonly Component[]): HealthExposure {
  return exposureOf(components.flatMap((c) => c.usedBy));
}

function isRuntimeScope(scope: Scope): boolean {
  return scope !== 'dev';
}
