import { clean } from '../check/sanitize.js';
import type { ComponentRef, FieldChange, InventoryDiff, ProjectRef } from '../core/diff.js';

/** A diff to render, with the two files as the user named them. */
export interface DiffReport {
  diff: InventoryDiff;
  previousFile: string;
  currentFile: string;
}

/** Projects named per component in the text and Markdown renderers; the JSON lists them all. */
export const MAX_PROJECTS_SHOWN = 5;

/** `1 component added, 2 upgraded, 1 new violation`: the non-zero counts, or `no differences`. */
export function summaryOf(diff: InventoryDiff): string {
  const { projects, components, violations } = diff;
  const versions = (direction: string) =>
    components.versionChanges.filter((v) => v.direction === direction).length;
  const parts = [
    count(projects.added.length, 'project added', 'projects added'),
    count(projects.removed.length, 'project removed', 'projects removed'),
    count(projects.changed.length, 'project changed', 'projects changed'),
    count(components.added.length, 'component added', 'components added'),
    count(components.removed.length, 'component removed', 'components removed'),
    count(versions('upgrade'), 'upgraded', 'upgraded'),
    count(versions('downgrade'), 'downgraded', 'downgraded'),
    count(versions('change'), 'other version', 'other versions'),
    count(components.changed.length, 'component changed', 'components changed'),
    count(violations?.added.length ?? 0, 'new violation', 'new violations'),
    count(violations?.resolved.length ?? 0, 'violation resolved', 'violations resolved'),
  ].filter((part) => part !== '');
  return parts.length === 0 ? 'no differences' : parts.join(', ');
}

function count(n: number, one: string, many: string): string {
  return n === 0 ? '' : `${n} ${n === 1 ? one : many}`;
}

/** The purl without its version (qualifiers kept): the package whose version changed. */
export function unversionedPurl(purl: string): string {
  const end = purl.search(/[?#]/);
  const head = end < 0 ? purl : purl.slice(0, end);
  const at = head.lastIndexOf('@');
  return at < 0 ? purl : head.slice(0, at) + purl.slice(head.length);
}

/** `MIT (permissive)`, `no license (unknown)`. */
export function licenseOf(component: ComponentRef): string {
  const expression = component.license ?? 'no license';
  return component.category ? `${expression} (${component.category})` : expression;
}

/** `runtime, direct` / `dev`. */
export function usageOf(component: ComponentRef): string {
  const scopes = component.scopes.length > 0 ? component.scopes.join(', ') : 'no scope';
  return component.direct ? `${scopes}, direct` : scopes;
}

/** The first projects and how many more. */
export function shownProjects(projects: readonly string[]): { shown: string[]; more: number } {
  return {
    shown: projects.slice(0, MAX_PROJECTS_SHOWN),
    more: Math.max(0, projects.length - MAX_PROJECTS_SHOWN),
  };
}

/** `MIT -> MPL-2.0`; a side with no value is `(none)`. */
export function changeText(change: FieldChange, arrow: string): string {
  return `${change.before ?? '(none)'} ${arrow} ${change.after ?? '(none)'}`;
}

/** `town-hall 1.4.0 (npm)`, or just the ecosystem when the project has no name. */
export function projectDetails(project: ProjectRef): string {
  const name = [project.name, project.version].filter((v) => v !== undefined).join(' ');
  return name === '' ? project.ecosystem : `${name} (${project.ecosystem})`;
}

// Markdown, for the diff and where-used renderers.

/**
 * A code span holding the cleaned value, fenced with more backticks than it contains. In a table cell
 * (`inTable`, the default) `|` is escaped: GFM splits the cells before it reads code spans.
 */
export function code(value: string, inTable = true): string {
  const cleaned = clean(value);
  const safe = inTable ? cleaned.replace(/\|/g, '\\|') : cleaned;
  if (safe === '') return '';
  const longest = Math.max(0, ...(safe.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = safe.startsWith('`') || safe.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${safe}${pad}${fence}`;
}

/**
 * Free text with the characters that mean something inside a line escaped: emphasis, code, links, inline
 * HTML, entities, strikethrough and table pipes. Never at the start of a line, so `#`, `-` and `+` are safe.
 */
export function text(value: string): string {
  return clean(value).replace(/[\\`*_[\]<>|~&]/g, '\\$&');
}
