import { parseSyml } from '@yarnpkg/parsers';
import type { Problem } from '../../core/model.js';
import { positionAt } from '../../core/text-position.js';

const CLASSIC_HEADER = /^(#.*\r?\n)*?#\s+yarn\s+lockfile\s+v1\r?\n/i;
const BERRY_METADATA = /^"?__metadata"?:/m;
/** Real lockfiles nest three levels deep; yarn's classic reader recurses once per level. */
const MAX_CLASSIC_INDENT = 32;
const REGENERATE_HINT = 'Regenerate the lockfile with `yarn install` and scan again.';

export type YarnFlavour = 'classic' | 'berry';

export interface SymlRead {
  flavour: YarnFlavour;
  /** The parsed document, or its longest readable prefix when the file is broken; undefined when nothing was read. */
  doc?: Record<string, unknown>;
  problems: Problem[];
}

/**
 * Classic when the file says so or has no berry `__metadata`; a classic file whose comment header was
 * stripped is still read as classic, because yaml would misread its `key "value"` lines.
 */
export function detectFlavour(content: string): YarnFlavour {
  if (CLASSIC_HEADER.test(content)) return 'classic';
  return BERRY_METADATA.test(content) ? 'berry' : 'classic';
}

/**
 * Reads a yarn.lock with yarn's own reader. On a syntax error the problem names the line and column,
 * and the entries before the broken one (entries are separated by blank lines) are still returned.
 */
export function readSyml(rawContent: string, file: string): SymlRead {
  const bom = rawContent.charCodeAt(0) === 0xfeff;
  const content = bom ? rawContent.slice(1) : rawContent;
  const flavour = detectFlavour(content);
  const header = flavour === 'classic' && !CLASSIC_HEADER.test(content) ? '# yarn lockfile v1\n' : '';
  // Positions are reported in the file as written: without the header we add, with its byte order mark.
  const inFile = (at: Located): Located => ({ ...at, column: at.column + (bom && at.line === 1 ? 1 : 0) });
  const broken = (at: Located, reason: string): SymlRead => ({
    flavour,
    doc: readPrefix(content, at.offset, header),
    problems: [syntaxProblem(file, inFile(at), reason)],
  });

  const early = earlyFailure(content, flavour);
  if (early) return broken(early.at, early.reason);
  try {
    return { flavour, doc: asDocument(parseSyml(header + content)), problems: [] };
  } catch (error) {
    const failure = describeFailure(error, header + content);
    if (!failure.at) return { flavour, problems: [shapeProblem(file, failure.reason)] };
    const offset = Math.max(0, failure.at.offset - header.length);
    return broken({ ...positionAt(content, offset), offset }, failure.reason);
  }
}

/** Failures found before handing the file to yarn's reader: merge conflicts, and nesting that would overflow it. */
function earlyFailure(content: string, flavour: YarnFlavour): { at: Located; reason: string } | undefined {
  const conflict = /^<{7}(?: |$)/m.exec(content);
  if (conflict)
    return {
      at: positionFromOffset(content, conflict.index),
      reason: 'unresolved git merge conflict markers',
    };
  return flavour === 'classic' ? firstTooDeepLine(content) : undefined;
}

interface Located {
  line: number;
  column: number;
  offset: number;
}

function positionFromOffset(content: string, offset: number): Located {
  return { ...positionAt(content, offset), offset };
}

/** The first line nested deeper than any lockfile, which would exhaust the stack of yarn's classic reader. */
function firstTooDeepLine(content: string): { at: Located; reason: string } | undefined {
  const deep = new RegExp(`^ {${MAX_CLASSIC_INDENT * 2 + 1},}\\S`, 'm').exec(content);
  if (!deep) return undefined;
  return {
    at: positionFromOffset(content, deep.index + deep[0].length - 1),
    reason: `nesting deeper than ${MAX_CLASSIC_INDENT} levels`,
  };
}

/** Parses the whole entries before `offset` (up to the last blank line), or returns undefined. */
function readPrefix(content: string, offset: number, header: string): Record<string, unknown> | undefined {
  const cut = lastBlankLine(content, offset);
  if (cut <= 0) return undefined;
  try {
    return asDocument(parseSyml(header + content.slice(0, cut + 1)));
  } catch {
    return undefined;
  }
}

/** Offset of the newline that ends the last entry before `offset` (the one before a blank line), or -1. */
function lastBlankLine(content: string, offset: number): number {
  for (let i = content.lastIndexOf('\n', offset); i > 0; i = content.lastIndexOf('\n', i - 1)) {
    const before = content.lastIndexOf('\n', i - 1);
    if (content.slice(before + 1, i).trim() === '') return before;
  }
  return -1;
}

function asDocument(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error('the lockfile does not hold a mapping of entries');
  }
  return value as Record<string, unknown>;
}

/** Position and reason of a reader failure: pegjs (classic) and js-yaml (berry) errors both carry one. */
function describeFailure(error: unknown, source: string): { at?: Located; reason: string } {
  if (typeof error !== 'object' || error === null) return { reason: String(error) };
  const e = error as {
    message?: unknown;
    reason?: unknown;
    location?: { start?: { offset?: unknown; line?: unknown; column?: unknown } };
    mark?: { position?: unknown; line?: unknown; column?: unknown };
  };
  const message = typeof e.message === 'string' ? e.message : String(error);
  const start = e.location?.start;
  if (start && typeof start.line === 'number' && typeof start.column === 'number') {
    const offset = typeof start.offset === 'number' ? start.offset : 0;
    return { at: { line: start.line, column: start.column, offset }, reason: message };
  }
  const mark = e.mark;
  if (mark && typeof mark.line === 'number' && typeof mark.column === 'number') {
    const offset = typeof mark.position === 'number' ? mark.position : 0;
    const reason = typeof e.reason === 'string' ? e.reason : message.split('\n')[0]!;
    return { at: { line: mark.line + 1, column: mark.column + 1, offset }, reason };
  }
  if (error instanceof RangeError) {
    return {
      at: positionFromOffset(source, 0),
      reason: `the file is too large or too deeply nested (${message})`,
    };
  }
  return { reason: message };
}

function syntaxProblem(file: string, at: { line: number; column: number }, reason: string): Problem {
  return {
    severity: 'error',
    code: 'npm.yarn-lock.invalid-syntax',
    message: `${file}:${at.line}:${at.column}: invalid yarn.lock syntax: ${reason}`,
    file,
    line: at.line,
    column: at.column,
    hint: `${REGENERATE_HINT} Packages after this point are missing from the inventory.`,
  };
}

function shapeProblem(file: string, reason: string): Problem {
  return {
    severity: 'error',
    code: 'npm.yarn-lock.wrong-shape',
    message: `${file}:1:1: not a yarn.lock: ${reason}`,
    file,
    line: 1,
    column: 1,
    hint: REGENERATE_HINT,
  };
}
