/**
 * One project's share of an inventory, and the file names that per-project reports are written under.
 * Pure: inventory in, inventory (or names) out.
 */
import type { Component, Inventory, Project, Scope } from '../core/model.js';
import { SCOPES } from '../core/model.js';
import { compareCodeUnits } from './cyclonedx-values.js';

/** Longest file name stem, well under the 255 bytes file systems allow once an extension is added. */
const MAX_STEM_LENGTH = 100;
/** Names Windows refuses for a file whatever its extension. */
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i;

/**
 * A file name stem for each project, by project id: the subject and the folder (`lutece-platform/lutece-core:.`
 * gives `lutece-platform_lutece-core`, `acme:packages/web` gives `acme_packages_web`), accents dropped, every
 * character but ASCII letters, digits, `.`, `_` and `-` replaced by `_`. Names that would be equal (also when
 * case is ignored, as on macOS and Windows) are told apart by `-2`, `-3`... in project id order, so the same
 * inventory always gives the same names.
 */
export function projectFileStems(projects: readonly Project[]): Map<string, string> {
  const stems = new Map<string, string>();
  const taken = new Set<string>();
  for (const project of [...projects].sort((a, b) => compareCodeUnits(a.id, b.id))) {
    if (stems.has(project.id)) continue;
    const wanted = stemOf(project);
    let stem = wanted;
    for (let n = 2; taken.has(stem.toLowerCase()); n++) stem = `${wanted}-${n}`;
    taken.add(stem.toLowerCase());
    stems.set(project.id, stem);
  }
  return stems;
}

function stemOf(project: Project): string {
  const readable = project.path === '.' ? project.subject : `${project.subject}/${project.path}`;
  let stem = readable
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[._-]+/, '')
    .slice(0, MAX_STEM_LENGTH)
    .replace(/[._-]+$/, '');
  if (stem === '') stem = 'project';
  return WINDOWS_RESERVED.test(stem) ? `${stem}_` : stem;
}

/**
 * Each project's inventory, one at a time: the project alone, its subject, and the components it reaches
 * (those whose `usedBy` names it), each with only that project's usages and the scopes and `direct` flag
 * those give. Dependencies on components the project does not reach are dropped; problems are those of its
 * subject (and those of no subject). Generated in project id order; built lazily so that a 10,000-component
 * inventory with hundreds of projects never holds more than one split in memory.
 */
export function* projectInventories(
  inventory: Inventory,
): Generator<{ project: Project; inventory: Inventory }> {
  const usagesByProject = new Map<string, Map<Component, Component['usedBy']>>();
  for (const component of inventory.components) {
    for (const usage of component.usedBy) {
      let components = usagesByProject.get(usage.project);
      if (!components) usagesByProject.set(usage.project, (components = new Map()));
      let usages = components.get(component);
      if (!usages) components.set(component, (usages = []));
      usages.push(usage);
    }
  }
  const projects = [...inventory.projects].sort((a, b) => compareCodeUnits(a.id, b.id));
  for (const project of projects) {
    const reached = usagesByProject.get(project.id) ?? new Map<Component, Component['usedBy']>();
    yield { project, inventory: splitFor(inventory, project, reached) };
  }
}

function splitFor(
  inventory: Inventory,
  project: Project,
  reached: Map<Component, Component['usedBy']>,
): Inventory {
  const purls = new Set([...reached.keys()].map((c) => c.purl));
  const components = [...reached].map(([component, usedBy]) => {
    const scopes = new Set<Scope>(usedBy.flatMap((u) => u.scopes));
    return {
      ...component,
      scopes: SCOPES.filter((s) => scopes.has(s)),
      direct: usedBy.some((u) => u.direct),
      dependsOn: component.dependsOn.filter((purl) => purls.has(purl)),
      usedBy,
    };
  });
  return {
    ...inventory,
    subjects: inventory.subjects.filter((s) => s.name === project.subject),
    stats: {
      ...inventory.stats,
      excluded: inventory.stats.excluded.filter((e) => e.subject === project.subject),
    },
    projects: [{ ...project, dependsOn: project.dependsOn.filter((purl) => purls.has(purl)) }],
    components: components.sort((a, b) => compareCodeUnits(a.purl, b.purl)),
    problems: inventory.problems.filter((p) => p.subject === undefined || p.subject === project.subject),
  };
}
