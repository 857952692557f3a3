/** Escaping and value formatting for the HTML report: pure functions of strings. */

import { UNSAFE_IN_TEXT } from '../../core/unsafe-text.js';

const HTML_SPECIAL = /[&<>"']/g;
const HTML_ENTITY: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text or attribute value as HTML: special characters escaped, unprintable ones shown as `?`. */
export function escapeHtml(value: string): string {
  return value.replace(UNSAFE_IN_TEXT, '?').replace(HTML_SPECIAL, (c) => HTML_ENTITY[c] ?? c);
}

/**
 * JSON that can sit inside `<script type="application/json">`: every `<` escaped (so neither `</script`
 * nor `<!--` can end or confuse the element), and U+2028/U+2029, which some parsers take for line ends.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(SCRIPT_UNSAFE, (c) => SCRIPT_ESCAPE[c] ?? c);
}

const SCRIPT_UNSAFE = /[<\u2028\u2029]/g;
const SCRIPT_ESCAPE: Record<string, string> = { '<': '\\u003c', '\u2028': '\\u2028', '\u2029': '\\u2029' };

/**
 * A link target that is safe to put in an `href`: an absolute http(s) URL, without credentials. Anything
 * else (`javascript:`, `data:`, relative paths, a git or ssh URL, garbage) gives undefined.
 */
export function safeHref(value: string | undefined): string | undefined {
  if (!value) return undefined;
  if (isPlainUrl(value)) return value;
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  if (url.username || url.password) {
    url.username = '';
    url.password = '';
  }
  return url.href;
}

/**
 * An http(s) URL that the URL parser would give back unchanged: a lower-case host name whose last label
 * starts with a letter (so not an IPv4 address), no credentials, port, query or fragment, a path of
 * characters it keeps as they are and no dot segment. Most registry and repository URLs are; checking this
 * is much cheaper than parsing 30,000 of them.
 */
const PLAIN_URL = /^https?:\/\/(?:[a-z0-9-]+\.)*[a-z][a-z0-9-]*\/[A-Za-z0-9\-._~!$&'()*+,;=:@%/]*$/;
const DOT_SEGMENT = /\/\.\.?(?:\/|$)|%2e/i;

function isPlainUrl(value: string): boolean {
  return PLAIN_URL.test(value) && !DOT_SEGMENT.test(value);
}

/** A count with thousands separators, the same on every machine (toLocaleString depends on the locale). */
export function formatCount(value: number): string {
  return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** `part` of `whole` as a percentage with one decimal, `0%` when there is nothing. */
export function formatShare(part: number, whole: number): string {
  if (whole === 0 || part === 0) return '0%';
  const tenths = Math.round((part * 1000) / whole);
  return tenths === 0 ? '<0.1%' : `${Math.floor(tenths / 10)}.${tenths % 10}%`;
}

/** `2024-05-01T08:30:00.000Z` as `2024-05-01 08:30 UTC`; anything else as it is. */
export function formatTime(iso: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
  return match ? `${match[1]} ${match[2]} UTC` : iso;
}

/** `1 project`, `2 projects`. */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${formatCount(count)} ${count === 1 ? singular : pluralForm}`;
}

/** Locale-independent string order. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Cuts a label to `max` characters with an ellipsis. */
export function shorten(value: string, max: number): string {
  return value.length <= max ? value : `${value.slice(0, max - 1)}…`;
}
