/**
 * YAML files checked against a JSON Schema, with every issue at its line and column: the machinery shared by
 * `.oss-inventory.yaml` (parse.ts) and the policy file (src/policy/parse.ts). Pure: content in, issues out.
 * Never throws: YAML syntax errors, duplicate keys, alias bombs, oversized content and schema violations are
 * issues; the yaml package's own quadratic checks are avoided and every walk is iterative.
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import {
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type Alias,
  type Document,
  type Node as YamlNode,
  type YAMLError,
} from 'yaml';
import { MAX_ALIAS_COUNT, MAX_CONFIG_BYTES, type ConfigIssue } from './types.js';

const MAX_REPORTED_ISSUES = 50;

/** An issue not yet placed: the path of the value (or with `atKey`, of its key) it is about. */
export interface PendingIssue {
  segments: readonly string[];
  message: string;
  atKey?: boolean;
}

/** Finds where a value is written. */
export interface Locator {
  file: string;
  position(segments: readonly string[], atKey?: boolean): { line: number; column: number };
  /** Places pending issues: at most 50 (a linear search each) plus one counting the rest, in file order. */
  place(pending: readonly PendingIssue[]): ConfigIssue[];
}

export type YamlRead =
  | { ok: false; errors: ConfigIssue[]; warnings: ConfigIssue[] }
  | { ok: true; value: unknown; locator: Locator; warnings: ConfigIssue[] };

/**
 * Reads YAML content: refuses more than `MAX_CONFIG_BYTES`, syntax errors, duplicate keys, several documents,
 * unresolved aliases and alias bombs; otherwise returns the plain value and a locator for later issues.
 * `kind` names the file in messages (`configuration`, `policy`).
 */
export function readYaml(content: string, file: string, kind: string): YamlRead {
  const bytes = utf8Length(content);
  if (bytes > MAX_CONFIG_BYTES)
    return { ok: false, errors: [oversizedIssue(file, bytes, kind)], warnings: [] };

  const lineCounter = new LineCounter();
  const issue = (offset: number, message: string): ConfigIssue => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col, message };
  };
  const issues = <T>(items: readonly T[], toIssue: (item: T) => ConfigIssue) => capped(items, toIssue, file);

  // The yaml package's own duplicate-key check compares every key with every other: quadratic on big maps.
  const doc = parseDocument(content, {
    lineCounter,
    prettyErrors: false,
    uniqueKeys: false,
    logLevel: 'error',
  });
  const warnings = issues(doc.warnings, (w) => issue(w.pos[0], `YAML warning: ${yamlMessage(w, kind)}`));
  const syntaxErrors = [
    ...withoutRepeatedExhaustion(doc.errors).map((e) => ({
      offset: e.pos[0],
      message: `invalid YAML: ${yamlMessage(e, kind)}`,
    })),
    ...duplicateKeys(doc).map((d) => ({
      offset: d.offset,
      message: `duplicate key ${JSON.stringify(d.name)} (first at line ${lineCounter.linePos(d.firstOffset).line}); keep only one`,
    })),
  ];
  if (syntaxErrors.length > 0) {
    return { ok: false, errors: issues(syntaxErrors, (e) => issue(e.offset, e.message)), warnings };
  }

  const converted = toPlainValue(doc);
  if ('failure' in converted) {
    const { offset, message } = converted.failure;
    return { ok: false, errors: [issue(offset, message)], warnings };
  }
  const locator: Locator = {
    file,
    position(segments, atKey = false) {
      const { line, col } = lineCounter.linePos(offsetOf(doc, segments, atKey));
      return { line, column: col };
    },
    place(pending) {
      return issues(pending, (p) => issue(offsetOf(doc, p.segments, p.atKey ?? false), p.message));
    },
  };
  return { ok: true, value: converted.value, locator, warnings };
}

/** The schema's errors as pending issues: the offending value, or for an unknown key, the key itself. */
export function schemaIssues(validate: ValidateFunction, value: unknown, schemaName: string): PendingIssue[] {
  if (validate(value)) return [];
  const errors = relevantErrors(validate.errors ?? []);
  return errors.map((error) => {
    const segments = pointerSegments(error.instancePath);
    if (error.keyword === 'additionalProperties') {
      return {
        segments: [...segments, String(error.params.additionalProperty)],
        message: schemaMessage(error, schemaName),
        atKey: true,
      };
    }
    return { segments, message: schemaMessage(error, schemaName) };
  });
}

/**
 * Drops the errors that only restate others: `if` (its `then`/`else` branch says what is wrong), and the
 * `required` errors of an `anyOf` made of `required` branches (one message says which keys to give).
 */
function relevantErrors(errors: readonly ErrorObject[]): ErrorObject[] {
  const anyOfRequired = new Set(
    errors
      .filter((e) => e.keyword === 'anyOf' && isAnyOfRequired(e))
      .map((e) => `${e.instancePath}|${e.schemaPath}`),
  );
  return errors.filter((e) => {
    if (e.keyword === 'if') return false;
    if (e.keyword !== 'required') return true;
    const anyOfPath = e.schemaPath.replace(/\/\d+\/required$/, '');
    return !anyOfRequired.has(`${e.instancePath}|${anyOfPath}`);
  });
}

function isAnyOfRequired(error: ErrorObject): boolean {
  const branches = error.schema as unknown;
  return Array.isArray(branches) && branches.every((b) => isPlainObject(b) && Array.isArray(b.required));
}

export function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/**
 * Issues in file order, at most `MAX_REPORTED_ISSUES` of them plus one that counts the rest: past that many
 * the file is clearly not what it should be, and only the first ones get a position (a linear search each).
 */
function capped<T>(items: readonly T[], toIssue: (item: T) => ConfigIssue, file: string): ConfigIssue[] {
  const listed = sortByPosition(items.slice(0, MAX_REPORTED_ISSUES).map(toIssue));
  const last = listed[listed.length - 1];
  if (last && items.length > MAX_REPORTED_ISSUES) {
    const more = items.length - MAX_REPORTED_ISSUES;
    listed.push({ file, line: last.line, column: last.column, message: `and ${more} more of the same kind` });
  }
  return listed;
}

/** The one error for a file over `MAX_CONFIG_BYTES`; loaders use it too, before reading such a file. */
export function oversizedIssue(file: string, bytes: number, kind = 'configuration'): ConfigIssue {
  return {
    file,
    line: 1,
    column: 1,
    message:
      `the file is ${bytes} bytes, over the ${MAX_CONFIG_BYTES}-byte (1 MiB) limit for a ${kind} file; ` +
      'check that it is the right file',
  };
}

/** `file:line:column: message`, the form editors and terminals link to. */
export function formatConfigIssue(issue: ConfigIssue): string {
  return `${issue.file}:${issue.line}:${issue.column}: ${issue.message}`;
}

/** UTF-8 size without encoding: files are limited in bytes, strings count UTF-16 units. */
function utf8Length(content: string): number {
  let bytes = 0;
  for (let i = 0; i < content.length; i++) {
    const unit = content.charCodeAt(i);
    // A surrogate pair (4 bytes) is two units: 2 bytes each.
    bytes += unit < 0x80 ? 1 : unit < 0x800 || (unit >= 0xd800 && unit <= 0xdfff) ? 2 : 3;
  }
  return bytes;
}

function yamlMessage(error: YAMLError, kind: string): string {
  const text = error.message.replace(/\s+/g, ' ').trim();
  if (error.code === 'RESOURCE_EXHAUSTION') return `nesting too deep to read (${text}); flatten the file`;
  if (error.code === 'MULTIPLE_DOCS')
    return `a second document starts here (after ---); keep the ${kind} in one`;
  return text;
}

/** The parser can report one stack overflow several times as it unwinds; once is enough. */
function withoutRepeatedExhaustion(errors: readonly YAMLError[]): YAMLError[] {
  const first = errors.find((e) => e.code === 'RESOURCE_EXHAUSTION');
  return errors.filter((e) => e.code !== 'RESOURCE_EXHAUSTION' || e === first);
}

/** Every node of the document, aliases not followed; iterative, so deep documents cannot overflow the stack. */
function allNodes(doc: Document): unknown[] {
  const found: unknown[] = [];
  const stack: unknown[] = [doc.contents];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === null || node === undefined) continue;
    found.push(node);
    if (isMap(node) || isSeq(node))
      for (let i = node.items.length - 1; i >= 0; i--) stack.push(node.items[i]);
    else if (isPair(node)) stack.push(node.value, node.key);
  }
  return found;
}

function duplicateKeys(doc: Document): { name: string; offset: number; firstOffset: number }[] {
  const found: { name: string; offset: number; firstOffset: number }[] = [];
  for (const node of allNodes(doc)) {
    if (!isMap(node)) continue;
    const seen = new Map<string, number>();
    for (const pair of node.items) {
      if (!isScalar(pair.key)) continue;
      const name = String(pair.key.value);
      const offset = pair.key.range?.[0] ?? 0;
      const first = seen.get(name);
      if (first === undefined) seen.set(name, offset);
      else found.push({ name, offset, firstOffset: first });
    }
  }
  return found;
}

type Conversion = { value: unknown } | { failure: { offset: number; message: string } };

/** The document as plain JS; the yaml package throws on unresolved aliases and on alias bombs. */
function toPlainValue(doc: Document): Conversion {
  try {
    return { value: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) };
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    const aliases = aliasNodes(doc);
    const unresolved = aliases.find((a) => !a.resolve(doc));
    if (unresolved) {
      const name = JSON.stringify(`*${unresolved.source}`);
      return {
        failure: {
          offset: unresolved.range?.[0] ?? 0,
          message: `alias ${name} refers to no anchor defined before it; define the anchor first or write the value out`,
        },
      };
    }
    if (/excessive alias count/i.test(text)) {
      return {
        failure: {
          offset: aliases[0]?.range?.[0] ?? 0,
          message:
            `aliases expand to more than ${MAX_ALIAS_COUNT} copies, which is how alias bombs work; ` +
            'the file is refused: write the values out instead of aliasing',
        },
      };
    }
    return { failure: { offset: 0, message: `cannot read the YAML: ${text}` } };
  }
}

function aliasNodes(doc: Document): Alias[] {
  return allNodes(doc).filter((node): node is Alias => isAlias(node));
}

/**
 * Offset of the YAML text at a path: the value (or with `atKey`, the key of the last step; for a key without
 * a value, the key too). Aliases are followed, so the offset is where the offending text is written. When the
 * path leaves the document (a key that toJS stringified from a collection), the deepest node reached is used.
 */
function offsetOf(doc: Document, segments: readonly string[], atKey = false): number {
  let node: unknown = doc.contents;
  let offset = rangeStart(node) ?? 0;
  for (const [depth, segment] of segments.entries()) {
    const step = child(followAlias(doc, node), segment);
    const wantKey = atKey && depth === segments.length - 1;
    const start = (wantKey ? step.keyOffset : undefined) ?? rangeStart(step.node) ?? step.keyOffset;
    if (start === undefined) break;
    offset = start;
    node = step.node;
  }
  return offset;
}

function child(node: unknown, segment: string): { node: unknown; keyOffset?: number } {
  if (isMap(node)) {
    const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === segment);
    return { node: pair?.value, keyOffset: rangeStart(pair?.key) };
  }
  if (isSeq(node)) return { node: node.items[Number(segment)] };
  return { node: undefined };
}

function followAlias(doc: Document, node: unknown): unknown {
  // An anchor cannot be an alias itself, but a bound keeps a malformed document from looping.
  for (let i = 0; i < 8 && isAlias(node); i++) node = node.resolve(doc);
  return node;
}

function rangeStart(node: unknown): number | undefined {
  if (node === null || typeof node !== 'object' || !('range' in node)) return undefined;
  const range = (node as YamlNode).range;
  if (!range) return undefined;
  // A missing value (`key:` alone) has an empty range; its position says nothing useful.
  return range[0] === range[2] && isScalar(node) && node.value === null ? undefined : range[0];
}

function schemaMessage(error: ErrorObject, schemaName: string): string {
  const segments = pointerSegments(error.instancePath);
  const where = displayPath(segments);
  const data: unknown = error.data;
  const parent = error.parentSchema as Record<string, unknown> | undefined;
  const title = typeof parent?.title === 'string' ? parent.title : undefined;
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(error.params.additionalProperty);
      const allowed = Object.keys((parent?.properties as object | undefined) ?? {});
      const section = segments.length === 0 ? 'at the top level' : `in ${where}`;
      return (
        `${displayPath([...segments, key], true)}: unknown key ${JSON.stringify(key)}${didYouMean(key, allowed)}; ` +
        `keys allowed ${section}: ${allowed.join(', ')}`
      );
    }
    case 'enum': {
      const allowed = (error.schema as unknown[]).map(String);
      const noun = title ?? 'allowed value';
      const hint = typeof data === 'string' ? didYouMean(data, allowed) : '';
      return `${where}: ${showValue(data)} is not ${article(noun)} ${noun}${hint}; use one of ${allowed.join(', ')}`;
    }
    case 'const': {
      const allowed = String(error.params.allowedValue);
      const hint = typeof data === 'string' ? didYouMean(data, [allowed]) : '';
      return `${where}: ${showValue(data)} is not allowed here${hint}; write ${allowed} or a mapping of rules`;
    }
    case 'type': {
      const expected = expectedType(error.params.type as string | string[]);
      const listHint =
        expected === 'a list' && (typeof data === 'string' || typeof data === 'number')
          ? `; write [${String(data)}] for a list of one`
          : '';
      return `${where}: expected ${expected}, found ${describeValue(data)}${listHint}`;
    }
    case 'required': {
      const missing = String(error.params.missingProperty);
      const required = Array.isArray(parent?.required) ? parent.required.map(String) : [missing];
      const noun = title ?? 'entry';
      return `${where}: ${JSON.stringify(missing)} is missing; ${article(noun)} ${noun} needs ${listWords(required)}`;
    }
    case 'pattern':
      return `${where}: ${showValue(data)} does not have the expected form${title ? ` (${title})` : ''}`;
    case 'minItems':
      return `${where}: the list is empty; give at least ${String(error.params.limit)} value, or remove the key to use the default`;
    case 'minLength':
      return `${where}: the value is empty; give one${parent && 'default' in parent ? ', or remove the key to use the default' : ''}`;
    default:
      return `${where}: ${error.message ?? `fails the "${error.keyword}" rule of ${schemaName}`}`;
  }
}

function listWords(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

/** `scan.formats[1]`; JSON pointers do not tell indexes from keys, so `lastIsKey` says what the last one is. */
export function displayPath(segments: readonly string[], lastIsKey = false): string {
  if (segments.length === 0) return 'top level';
  let out = '';
  for (const [i, s] of segments.entries()) {
    const isKey = lastIsKey && i === segments.length - 1;
    if (!isKey && /^\d+$/.test(s)) out += `[${s}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(s)) out += out ? `.${s}` : s;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out;
}

const TYPE_WORDS: Record<string, string> = {
  object: 'a mapping (key: value lines)',
  array: 'a list',
  string: 'a string',
  boolean: 'true or false',
  number: 'a number',
  integer: 'a whole number',
};

function expectedType(types: string | string[]): string {
  const list = (Array.isArray(types) ? types : types.split(',')).filter((t) => t !== 'null');
  return list.map((t) => (Object.hasOwn(TYPE_WORDS, t) ? TYPE_WORDS[t] : t)).join(' or ');
}

export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'an empty value';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `the string ${showValue(value)}`;
  return `the ${typeof value} ${String(value)}`;
}

/** A value for a message: strings quoted and cut to 60 characters (control characters escaped by JSON). */
export function showValue(value: unknown): string {
  if (typeof value === 'string')
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return describeValue(value);
}

function article(noun: string): string {
  return /^[aeiou]/i.test(noun) ? 'an' : 'a';
}

/** The allowed name a typo most likely meant: same letters ignoring case, or at most 2 edits away. */
export function closest(given: string, allowed: readonly string[]): string | undefined {
  if (given.length > 64) return undefined;
  let best: string | undefined;
  let bestDistance = 3;
  const lower = given.toLowerCase();
  for (const candidate of allowed) {
    if (Math.abs(candidate.length - given.length) >= bestDistance) continue;
    const d = candidate.toLowerCase() === lower ? 0 : editDistance(given, candidate);
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best;
}

/** ` (did you mean "x"?)` for the closest allowed name, or nothing. */
export function didYouMean(given: string, allowed: readonly string[]): string {
  const best = closest(given, allowed);
  return best === undefined ? '' : ` (did you mean ${JSON.stringify(best)}?)`;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function sortByPosition(issues: ConfigIssue[]): ConfigIssue[] {
  return issues.sort((a, b) => a.line - b.line || a.column - b.column);
}
