import { describe, expect, it } from 'vitest';
import { clean, safeJson } from '../src/check/sanitize.js';
import { printable } from '../src/cli/log.js';
import { displayLicenseValue } from '../src/core/license.js';
import { escapeHtml } from '../src/reporters/html/escape.js';

// a tab, a line feed, a carriage return, an ANSI escape, DEL, a C1 control, a right-to-left override, a
// right-to-left mark, a non-character and a lone surrogate, between letters
const HOSTILE = 'a\tb\nc\rd\u001b[31me\u007ff\u0085g\u202eh\u200fi\uffffj\ud800k';

describe('one table of unsafe characters, each output keeping what it may hold', () => {
  it('one line of text (renderers): every one of them is ?', () => {
    expect(clean(HOSTILE)).toBe('a?b?c?d?[31me?f?g?h?i?j?k');
  });

  it('a log message and HTML text keep tabs and line feeds', () => {
    expect(printable(HOSTILE)).toBe('a\tb\nc?d?[31me?f?g?h?i\uffffj\ud800k');
    expect(escapeHtml(HOSTILE)).toBe('a\tb\nc?d?[31me?f?g?h?i\uffffj\ud800k');
  });

  it('JSON escapes what JSON.stringify leaves raw, unchanged for a parser', () => {
    const json = safeJson({ value: HOSTILE });
    expect(json).toContain('\\u202e');
    expect(json).toContain('\\u200f');
    expect(json).toContain('\\u0085');
    expect((JSON.parse(json) as { value: string }).value).toBe(HOSTILE);
  });

  it('a stored license value keeps its whitespace and loses the other controls', () => {
    expect(displayLicenseValue(HOSTILE)).toBe('a\tb\nc\rd[31mefghi\uffffj\ud800k');
  });
});
