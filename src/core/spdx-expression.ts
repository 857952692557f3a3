/**
 * SPDX license expressions (SPDX 2.3 annex D): parse, normalise and evaluate over a verdict function.
 *
 * Own parser rather than spdx-expression-parse: that one recurses once per operator (a long `A OR B OR ...`
 * chain overflows the stack), rescans the id list for every token and keeps deprecated ids as written. This
 * one reads in one pass, flattens `A AND B AND C` into one node, refuses nesting deeper than
 * `MAX_NESTING` parentheses (so evaluation recursion is bounded) and normalises deprecated ids
 * (`GPL-2.0` → `GPL-2.0-only`, `GPL-2.0+` → `GPL-2.0-or-later`,
 * `GPL-2.0-with-classpath-exception` → `GPL-2.0-only WITH Classpath-exception-2.0`). Ids and operators are
 * matched without regard to case, as the specification asks; the result uses the SPDX list's spelling.
 */
import exceptionList from 'spdx-exceptions/index.json' with { type: 'json' };
import deprecatedIds from 'spdx-license-ids/deprecated.json' with { type: 'json' };
import licenseIds from 'spdx-license-ids/index.json' with { type: 'json' };
import { LICENSE_CATEGORIES, type LicenseCategory } from './model.js';

/** One license of an expression: an SPDX id or `LicenseRef-`, maybe with `+` and a `WITH` exception. */
export interface SpdxLicense {
  kind: 'license';
  /** SPDX spelling (`GPL-2.0-only`), or `LicenseRef-...` / `DocumentRef-...:LicenseRef-...` as written. */
  id: string;
  /** `id+`: this version or any later one (kept only for ids that have no `-or-later` form). */
  plus: boolean;
  exception?: string;
}

export interface SpdxCompound {
  kind: 'and' | 'or';
  /** Two or more; never a compound of the same kind (those are flattened). */
  children: SpdxNode[];
}

export type SpdxNode = SpdxLicense | SpdxCompound;

export type SpdxParse =
  | {
      ok: true;
      node: SpdxNode;
      /** The normalised expression text. */
      expression: string;
      /** Deprecated ids as written, each with what replaced it (`GPL-2.0` → `GPL-2.0-only`). */
      deprecated: { written: string; replacement: string }[];
    }
  | {
      ok: false;
      /** What is wrong, without the expression itself (callers show it cut to size). */
      message: string;
      /** 0-based offset of the offending text in the expression. */
      offset: number;
      /** The word that is not a license id or exception, when that is the problem (for suggestions). */
      unknownWord?: string;
    };

export const MAX_EXPRESSION_LENGTH = 10_000;
export const MAX_NESTING = 32;

const LICENSES = canonicalMap([...licenseIds, ...deprecatedIds]);
const DEPRECATED = new Set(deprecatedIds.map((id) => id.toLowerCase()));
const EXCEPTIONS = canonicalMap(exceptionList);

/** The deprecated `GPL-x-with-y-exception` ids: a license and an exception in one id. */
const WITH_EXCEPTION_IDS = new Map<string, { id: string; exception: string }>([
  ['gpl-2.0-with-autoconf-exception', { id: 'GPL-2.0-only', exception: 'Autoconf-exception-2.0' }],
  ['gpl-2.0-with-bison-exception', { id: 'GPL-2.0-or-later', exception: 'Bison-exception-2.2' }],
  ['gpl-2.0-with-classpath-exception', { id: 'GPL-2.0-only', exception: 'Classpath-exception-2.0' }],
  ['gpl-2.0-with-font-exception', { id: 'GPL-2.0-only', exception: 'Font-exception-2.0' }],
  ['gpl-2.0-with-gcc-exception', { id: 'GPL-2.0-only', exception: 'GCC-exception-2.0' }],
  ['gpl-3.0-with-autoconf-exception', { id: 'GPL-3.0-only', exception: 'Autoconf-exception-3.0' }],
  ['gpl-3.0-with-gcc-exception', { id: 'GPL-3.0-only', exception: 'GCC-exception-3.1' }],
]);

function canonicalMap(ids: readonly string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const id of ids) if (!map.has(id.toLowerCase())) map.set(id.toLowerCase(), id);
  return map;
}

/** The SPDX spelling of a license id (current or deprecated), or undefined when it is none. */
export function canonicalLicenseId(id: string): string | undefined {
  return LICENSES.get(id.toLowerCase());
}

/** Current (not deprecated) SPDX license ids, for suggestions. */
export const SPDX_LICENSE_IDS: readonly string[] = licenseIds;

export function isLicenseRef(id: string): boolean {
  return /^(DocumentRef-[A-Za-z0-9.-]+:)?LicenseRef-[A-Za-z0-9.-]+$/.test(id);
}

// ---------------------------------------------------------------------------------------------------
// Tokens

type Token =
  | { kind: '(' | ')'; offset: number }
  | { kind: 'and' | 'or' | 'with'; offset: number }
  | { kind: 'word'; text: string; offset: number };

type Tokenised = { ok: true; tokens: Token[] } | { ok: false; message: string; offset: number };

const WORD_CHAR = /[A-Za-z0-9.\-:+]/;

function tokenise(text: string): Tokenised {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text.charAt(i);
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else if (c === '(' || c === ')') {
      tokens.push({ kind: c, offset: i });
      i++;
    } else if (WORD_CHAR.test(c)) {
      const start = i;
      while (i < text.length && WORD_CHAR.test(text.charAt(i))) i++;
      const word = text.slice(start, i);
      const upper = word.toUpperCase();
      if (upper === 'AND' || upper === 'OR' || upper === 'WITH') {
        tokens.push({ kind: upper === 'AND' ? 'and' : upper === 'OR' ? 'or' : 'with', offset: start });
      } else tokens.push({ kind: 'word', text: word, offset: start });
    } else {
      const shown =
        c.charCodeAt(0) < 0x20 ? `character U+${c.charCodeAt(0).toString(16).padStart(4, '0')}` : `"${c}"`;
      return { ok: false, message: `unexpected ${shown} at offset ${i}`, offset: i };
    }
  }
  return { ok: true, tokens };
}

// ---------------------------------------------------------------------------------------------------
// Parser (recursive descent; recursion only at parentheses, bounded by MAX_NESTING)

class ParseError extends Error {
  constructor(
    message: string,
    readonly offset: number,
    readonly unknownWord?: string,
  ) {
    super(message);
  }
}

class Parser {
  private index = 0;
  readonly deprecated: { written: string; replacement: string }[] = [];

  constructor(
    private readonly tokens: Token[],
    private readonly length: number,
  ) {}

  parse(): SpdxNode {
    if (this.tokens.length === 0) throw new ParseError('the expression is empty', 0);
    const node = this.expression(0);
    const extra = this.tokens[this.index];
    if (extra) throw new ParseError(`expected AND or OR ${describeAt(extra)}`, extra.offset);
    return node;
  }

  private peek(): Token | undefined {
    return this.tokens[this.index];
  }

  private expression(depth: number): SpdxNode {
    return this.chain('or', depth, () => this.chain('and', depth, () => this.atom(depth)));
  }

  private chain(kind: 'and' | 'or', depth: number, operand: () => SpdxNode): SpdxNode {
    const children = [operand()];
    while (this.peek()?.kind === kind) {
      this.index++;
      children.push(operand());
    }
    return children.length === 1 ? (children[0] as SpdxNode) : compound(kind, children);
  }

  private atom(depth: number): SpdxNode {
    const token = this.peek();
    if (!token) throw new ParseError('the expression ends where a license was expected', this.length);
    if (token.kind === '(') {
      if (depth >= MAX_NESTING)
        throw new ParseError(`parentheses nested deeper than ${MAX_NESTING} levels`, token.offset);
      this.index++;
      const inner = this.expression(depth + 1);
      const close = this.peek();
      if (close?.kind !== ')') {
        throw new ParseError(
          close ? `expected ")" ${describeAt(close)}` : 'a "(" is never closed',
          close?.offset ?? this.length,
        );
      }
      this.index++;
      return inner;
    }
    if (token.kind !== 'word') throw new ParseError(`expected a license ${describeAt(token)}`, token.offset);
    this.index++;
    const license = this.license(token.text, token.offset);
    if (this.peek()?.kind === 'with') {
      const withToken = this.peek() as Token;
      this.index++;
      const exception = this.peek();
      if (exception?.kind !== 'word') {
        throw new ParseError(
          'WITH must be followed by a license exception',
          exception?.offset ?? withToken.offset,
        );
      }
      this.index++;
      if (license.exception !== undefined) {
        throw new ParseError(
          `${license.id} already carries the exception ${license.exception}`,
          exception.offset,
        );
      }
      license.exception = this.exception(exception.text, exception.offset);
    }
    return license;
  }

  private license(word: string, offset: number): SpdxLicense {
    if (word.includes(':') && !/^DocumentRef-/i.test(word)) {
      throw new ParseError(`unexpected ":" in "${cut(word)}"`, offset + word.indexOf(':'));
    }
    const plus = word.endsWith('+');
    const bare = plus ? word.slice(0, -1) : word;
    if (bare.includes('+')) throw new ParseError(`"+" may only end a license id`, offset + bare.indexOf('+'));
    const ref = /^(?:DocumentRef-([A-Za-z0-9.-]+):)?LicenseRef-([A-Za-z0-9.-]+)$/i.exec(bare);
    if (ref) {
      const id = `${ref[1] === undefined ? '' : `DocumentRef-${ref[1]}:`}LicenseRef-${ref[2] ?? ''}`;
      return { kind: 'license', id, plus };
    }
    const lower = bare.toLowerCase();
    const combined = WITH_EXCEPTION_IDS.get(lower);
    if (combined) {
      this.note(word, `${combined.id} WITH ${combined.exception}`);
      return { kind: 'license', id: combined.id, plus: false, exception: combined.exception };
    }
    const id = LICENSES.get(lower);
    if (id === undefined) {
      if (EXCEPTIONS.has(lower)) {
        throw new ParseError(`${EXCEPTIONS.get(lower)} is a license exception: write it after WITH`, offset);
      }
      throw new ParseError(`"${cut(bare)}" is not an SPDX license id`, offset, bare);
    }
    return this.normalised(word, id, plus);
  }

  /** `GPL-2.0` → `GPL-2.0-only`, `GPL-2.0+` and `GPL-2.0-only+` → `GPL-2.0-or-later`. */
  private normalised(written: string, id: string, plus: boolean): SpdxLicense {
    const base = id.endsWith('-only') ? id.slice(0, -'-only'.length) : id;
    if (plus && LICENSES.has(`${base}-or-later`.toLowerCase())) {
      const replacement = LICENSES.get(`${base}-or-later`.toLowerCase()) as string;
      this.note(written, replacement);
      return { kind: 'license', id: replacement, plus: false };
    }
    if (plus && id.endsWith('-or-later')) return { kind: 'license', id, plus: false };
    if (DEPRECATED.has(id.toLowerCase()) && LICENSES.has(`${id}-only`.toLowerCase())) {
      const replacement = LICENSES.get(`${id}-only`.toLowerCase()) as string;
      this.note(written, `${replacement}${plus ? '+' : ''}`);
      return { kind: 'license', id: replacement, plus };
    }
    return { kind: 'license', id, plus };
  }

  private exception(word: string, offset: number): string {
    if (/^AdditionRef-[A-Za-z0-9.-]+$/i.test(word)) return `AdditionRef-${word.slice('AdditionRef-'.length)}`;
    const exception = EXCEPTIONS.get(word.toLowerCase());
    if (exception !== undefined) return exception;
    if (LICENSES.has(word.toLowerCase())) {
      throw new ParseError(
        `${LICENSES.get(word.toLowerCase())} is a license, not an exception: join them with AND or OR`,
        offset,
      );
    }
    throw new ParseError(`"${cut(word)}" is not an SPDX license exception`, offset, word);
  }

  private note(written: string, replacement: string): void {
    this.deprecated.push({ written, replacement });
  }
}

function describeAt(token: Token): string {
  const what =
    token.kind === 'word'
      ? `"${cut(token.text)}"`
      : token.kind === 'and' || token.kind === 'or' || token.kind === 'with'
        ? token.kind.toUpperCase()
        : `"${token.kind}"`;
  return `but found ${what} at offset ${token.offset}`;
}

function cut(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function compound(kind: 'and' | 'or', children: SpdxNode[]): SpdxCompound {
  const flat: SpdxNode[] = [];
  for (const child of children) {
    if (child.kind === kind) flat.push(...child.children);
    else flat.push(child);
  }
  return { kind, children: flat };
}

/** Parses an SPDX expression. Never throws: a bad expression is `{ ok: false, message, offset }`. */
export function parseSpdxExpression(text: string): SpdxParse {
  if (text.length > MAX_EXPRESSION_LENGTH) {
    return {
      ok: false,
      message: `the expression is ${text.length} characters long, over the ${MAX_EXPRESSION_LENGTH}-character limit`,
      offset: 0,
    };
  }
  const tokenised = tokenise(text);
  if (!tokenised.ok) return { ok: false, message: tokenised.message, offset: tokenised.offset };
  const parser = new Parser(tokenised.tokens, text.length);
  try {
    const node = parser.parse();
    return { ok: true, node, expression: formatSpdx(node), deprecated: parser.deprecated };
  } catch (error) {
    if (error instanceof ParseError) {
      return {
        ok: false,
        message: error.message,
        offset: error.offset,
        ...(error.unknownWord === undefined ? {} : { unknownWord: error.unknownWord }),
      };
    }
    throw error;
  }
}

/** `id`, `id+`, `id WITH exception`: how one license of an expression is written, and how rules name it. */
export function termKey(license: SpdxLicense): string {
  const id = license.plus ? `${license.id}+` : license.id;
  return license.exception === undefined ? id : `${id} WITH ${license.exception}`;
}

/** The expression as text; a compound inside another is put in parentheses. */
export function formatSpdx(node: SpdxNode): string {
  if (node.kind === 'license') return termKey(node);
  const parts = node.children.map((child) =>
    child.kind === 'license' ? termKey(child) : `(${formatSpdx(child)})`,
  );
  return parts.join(node.kind === 'and' ? ' AND ' : ' OR ');
}

/** Every license of the expression, left to right. */
export function spdxLicenses(node: SpdxNode): SpdxLicense[] {
  const found: SpdxLicense[] = [];
  const stack: SpdxNode[] = [node];
  while (stack.length > 0) {
    const current = stack.pop() as SpdxNode;
    if (current.kind === 'license') found.push(current);
    else for (let i = current.children.length - 1; i >= 0; i--) stack.push(current.children[i] as SpdxNode);
  }
  return found;
}

// ---------------------------------------------------------------------------------------------------
// Evaluation

/** What a verdict function says of one license: `rank` 0 passes, higher is worse. */
export interface Judgement<V> {
  rank: number;
  value: V;
}

export interface Evaluation<V> extends Judgement<V> {
  /** `termKey`s of the licenses at fault: empty when the expression passes. */
  offending: string[];
}

/**
 * Evaluates an expression: `A OR B` is as good as its best branch (when every branch fails, each is at fault),
 * `A AND B` as bad as its worst (every failing part is at fault). Ties keep the leftmost branch.
 */
export function evaluateSpdx<V>(
  node: SpdxNode,
  judge: (license: SpdxLicense) => Judgement<V>,
): Evaluation<V> {
  if (node.kind === 'license') {
    const judgement = judge(node);
    return { ...judgement, offending: judgement.rank > 0 ? [termKey(node)] : [] };
  }
  const results = node.children.map((child) => evaluateSpdx(child, judge));
  let chosen = results[0] as Evaluation<V>;
  for (const result of results) {
    if (node.kind === 'or' ? result.rank < chosen.rank : result.rank > chosen.rank) chosen = result;
  }
  if (chosen.rank === 0) return { rank: 0, value: chosen.value, offending: [] };
  const offending = new Set<string>();
  for (const result of results) for (const id of result.offending) offending.add(id);
  return { rank: chosen.rank, value: chosen.value, offending: [...offending] };
}

/**
 * The category of an expression from the category of each license: a choice (OR) is as demanding as its least
 * demanding branch, a combination (AND) as its most demanding part (LICENSE_CATEGORIES order).
 */
export function expressionCategory(
  node: SpdxNode,
  categoryOf: (license: SpdxLicense) => LicenseCategory,
): LicenseCategory {
  const rank = evaluateSpdx(node, (license) => {
    const category = categoryOf(license);
    return { rank: LICENSE_CATEGORIES.indexOf(category), value: category };
  });
  return rank.value;
}

/**
 * The category of one license: from the table (keyed by SPDX id); `LicenseRef-UNLICENSED` (npm's "not
 * licensed for use") is proprietary unless the table says otherwise; anything else the table lacks
 * (`LicenseRef-unmapped-...` among them) is unknown.
 */
export function categoryOfLicense(
  license: SpdxLicense,
  categories: ReadonlyMap<string, LicenseCategory>,
): LicenseCategory {
  const known = categories.get(license.id);
  if (known !== undefined) return known;
  if (license.id === 'LicenseRef-UNLICENSED') return 'proprietary';
  return 'unknown';
}
