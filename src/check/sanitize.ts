/**
 * Every string of an inventory or a policy is hostile: a license value can be a megabyte long or carry
 * escape sequences that drive a terminal, and a name can hold bidirectional overrides that reorder what
 * a reviewer reads. The renderers pass every such string through these before writing it.
 */
import { UNSAFE_IN_JSON, UNSAFE_IN_LINE } from '../core/unsafe-text.js';

/** Longest value printed whole; a longer one is cut and says how long it was. */
export const MAX_VALUE_LENGTH = 200;

/**
 * One line of safe text: unsafe characters become `?`, and a value longer than `max` is cut with
 * ` ... (N characters)` appended. Only the first `max` characters are scanned, so a 1 MB value costs
 * no more than a short one.
 */
export function clean(value: string, max: number = MAX_VALUE_LENGTH): string {
  if (value.length <= max) return value.replace(UNSAFE_IN_LINE, '?');
  return `${value.slice(0, max).replace(UNSAFE_IN_LINE, '?')} ... (${value.length.toLocaleString('en')} characters)`;
}

/** Longest string written whole into a JSON document (a waiver snippet is a few hundred characters). */
export const MAX_JSON_STRING = 2000;

/**
 * JSON text with every string longer than MAX_JSON_STRING cut (` ... (N characters)` appended), and with the
 * characters that JSON.stringify leaves raw but a terminal or a viewer may act on (C1 controls, bidirectional
 * controls, line and paragraph separators) written as `\uXXXX` escapes: unchanged for a parser, inert on a
 * terminal. JSON.stringify already escapes C0 controls and lone surrogates.
 */
export function safeJson(value: unknown): string {
  const text = JSON.stringify(value, cutLongStrings, 2).replace(
    UNSAFE_IN_JSON,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return `${text}\n`;
}

function cutLongStrings(_key: string, value: unknown): unknown {
  if (typeof value !== 'string' || value.length <= MAX_JSON_STRING) return value;
  return `${value.slice(0, MAX_JSON_STRING)} ... (${value.length.toLocaleString('en')} characters)`;
}
