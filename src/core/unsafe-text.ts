/**
 * The characters a hostile string (a name, a license value, a message from a repository or a registry) may
 * carry to drive a terminal, break a line-based format or make a reader see other text than the one stored
 * ("Trojan Source"), as regular-expression class ranges. Each sanitiser builds its rule from these, keeping
 * what its output may hold:
 *   src/check/sanitize.ts clean     one line of text: every control, bidirectional control, non-character
 *                                   and lone surrogate becomes `?`
 *   src/cli/log.ts printable        log messages keep tabs and line feeds
 *   src/reporters/html/escape.ts    HTML text keeps tabs and line feeds (so does the page's script)
 *   src/core/license.ts             stored license values keep tabs, line feeds and carriage returns (a POM's
 *                                   whitespace), and lose the rest
 *   src/check/sanitize.ts safeJson  JSON text escapes what JSON.stringify leaves raw (C1 and bidirectional
 *                                   controls, line and paragraph separators)
 */

/** Tab, line feed and carriage return: the C0 controls that are whitespace. */
const WHITESPACE_CONTROLS = '\\u0009\\u000a\\u000d';
/** The other C0 controls, DEL and the C1 controls. */
const OTHER_CONTROLS = '\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f';
/** Left-to-right and right-to-left marks, embeddings, overrides and isolates. */
const BIDI_CONTROLS = '\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069';
/** The two non-characters XML refuses. */
const NON_CHARACTERS = '\\ufffe\\uffff';
const LONE_SURROGATE = '[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]';

/** Everything unsafe, whitespace controls included: the rule for one line of text. */
export const UNSAFE_IN_LINE = new RegExp(
  `[${WHITESPACE_CONTROLS}${OTHER_CONTROLS}${BIDI_CONTROLS}${NON_CHARACTERS}]|${LONE_SURROGATE}`,
  'g',
);

/** What is unsafe in multi-line text: tabs and line feeds are kept (a carriage return can overwrite a line). */
export const UNSAFE_IN_TEXT = new RegExp(`[\\u000d${OTHER_CONTROLS}${BIDI_CONTROLS}]`, 'g');

/** What a stored value loses: any whitespace is kept. */
export const UNSAFE_IN_VALUE_SOURCE = `[${OTHER_CONTROLS}${BIDI_CONTROLS}]`;

/** What JSON.stringify leaves raw but a terminal or a viewer may act on (it escapes C0 and lone surrogates). */
export const UNSAFE_IN_JSON = new RegExp(`[\\u007f-\\u009f\\u2028\\u2029${BIDI_CONTROLS}]`, 'g');
