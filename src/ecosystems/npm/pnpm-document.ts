import { FAILSAFE_SCHEMA, loadAll, YAMLException } from 'js-yaml';
import type { Problem } from '../../core/model.js';
import { positionAt } from '../../core/text-position.js';

const HINT =
  'Regenerate the lockfile with `pnpm install` (resolving any merge conflict first) and scan again.';

export type YamlResult = { ok: true; value: unknown } | { ok: false; problem: Problem };

/**
 * Loads a pnpm lockfile. FAILSAFE_SCHEMA keeps every scalar a string, so `lockfileVersion: 5.10` or a
 * version `1.10` never turns into a number, and it resolves no tags. pnpm 10+ may put a first document
 * for its own installation before the lockfile (`---` separated): the lockfile is the last document.
 */
export function loadLockfileYaml(content: string, file: string): YamlResult {
  try {
    const documents = loadAll(content, null, { schema: FAILSAFE_SCHEMA });
    return { ok: true, value: documents[documents.length - 1] };
  } catch (error) {
    return { ok: false, problem: yamlProblem(error, file) };
  }
}

function yamlProblem(error: unknown, file: string): Problem {
  const mark = error instanceof YAMLException ? error.mark : undefined;
  const line = mark ? mark.line + 1 : 1;
  const column = mark ? mark.column + 1 : 1;
  const reason =
    error instanceof YAMLException ? error.reason : error instanceof Error ? error.message : 'unreadable';
  return {
    severity: 'error',
    code: 'npm.pnpm-lock.invalid-yaml',
    message: `${file}:${line}:${column}: invalid YAML: ${reason}`,
    file,
    line,
    column,
    hint: HINT,
  };
}

/** An error at the position of `needle` (first found after the top-level `section`, if given). */
export function problemAt(
  content: string,
  file: string,
  code: string,
  what: string,
  at: { section?: string; needle?: string },
): Problem {
  const { line, column } = positionAt(content, locate(content, at.section, at.needle));
  return {
    severity: 'error',
    code,
    message: `${file}:${line}:${column}: ${what}`,
    file,
    line,
    column,
    hint: HINT,
  };
}

function locate(content: string, section: string | undefined, needle: string | undefined): number {
  const from = section === undefined ? 0 : sectionStart(content, section);
  if (needle === undefined) return from;
  const found = content.indexOf(needle, from);
  return found < 0 ? from : found;
}

function sectionStart(content: string, section: string): number {
  if (content.startsWith(`${section}:`)) return 0;
  const at = content.indexOf(`\n${section}:`);
  return at < 0 ? 0 : at + 1;
}

const ISSUES = {
  'invalid-section': 'top-level sections that are not mappings',
  'missing-section': 'top-level sections missing (truncated file?)',
  'invalid-entry': 'entries that cannot be read',
  'invalid-dependency': 'dependencies whose reference is not a string',
  'missing-metadata': 'snapshots without a matching `packages` entry',
} as const;

export type IssueCode = keyof typeof ISSUES;

interface Issue {
  count: number;
  examples: string[];
  section: string;
  needle: string;
}

const EXAMPLES = 3;

/** Wrong-shape findings, one error Problem per kind, located at the first occurrence. */
export class ShapeIssues {
  private readonly found = new Map<IssueCode, Issue>();

  constructor(
    private readonly content: string,
    private readonly file: string,
  ) {}

  add(code: IssueCode, section: string, needle: string, detail: string): void {
    let issue = this.found.get(code);
    if (!issue) {
      issue = { count: 0, examples: [], section, needle };
      this.found.set(code, issue);
    }
    issue.count++;
    if (issue.examples.length < EXAMPLES) issue.examples.push(detail);
  }

  problems(): Problem[] {
    return [...this.found].map(([code, issue]) => {
      const more =
        issue.count > issue.examples.length ? `, and ${issue.count - issue.examples.length} more` : '';
      const what = `${ISSUES[code]} (${issue.count}): ${issue.examples.join('; ')}${more}`;
      return problemAt(this.content, this.file, `npm.pnpm-lock.${code}`, what, issue);
    });
  }
}
