import type { Problem } from '../../core/model.js';
import { positionAt } from '../../core/text-position.js';

export type JsonResult = { ok: true; value: unknown } | { ok: false; problem: Problem };

/** JSON.parse with a problem that names the file, line and column of the syntax error. */
export function parseJson(content: string, file: string, code: string): JsonResult {
  try {
    return { ok: true, value: JSON.parse(stripBom(content)) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const at = /position (\d+)/.exec(message);
    const offset = at ? Number(at[1]) : content.length;
    const { line, column } = positionAt(content, offset);
    return {
      ok: false,
      problem: {
        severity: 'error',
        code,
        message: `${file}:${line}:${column}: invalid JSON: ${message.replace(/ in JSON at position \d+.*$/, '')}`,
        file,
        line,
        column,
        hint: 'Fix the file (for a lockfile, regenerate it with the package manager) and scan again.',
      },
    };
  }
}

function stripBom(content: string): string {
  return content.charCodeAt(0) === 0xfeff ? content.slice(1) : content;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A `{name: spec}` map with every non-string entry dropped. */
export function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isRecord(value)) return out;
  for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v;
  return out;
}
