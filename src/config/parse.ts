import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
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
import schema from '../../config.schema.json' with { type: 'json' };
import {
  MAX_ALIAS_COUNT,
  MAX_CONFIG_BYTES,
  type Config,
  type ConfigIssue,
  type ConfigResult,
} from './types.js';

const MAX_REPORTED_ISSUES = 50;

const validate = new Ajv2020({ allErrors: true, verbose: true, allowUnionTypes: true }).compile(schema);

/**
 * Parses and validates the content of `.oss-inventory.yaml` against `config.schema.json`. `file` only names the
 * file in the issues. Never throws: YAML syntax errors, schema violations, alias bombs and oversized content
 * are issues with the line and column of the offending text.
 */
export function parseConfig(content: string, file: string): ConfigResult {
  const bytes = utf8Length(content);
  if (bytes > MAX_CONFIG_BYTES) return { config: {}, errors: [oversizedIssue(file, bytes)], warnings: [] };

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
  const warnings = issues(doc.warnings, (w) => issue(w.pos[0], `YAML warning: ${yamlMessage(w)}`));
  const syntaxErrors = [
    ...withoutRepeatedExhaustion(doc.errors).map((e) => ({
      offset: e.pos[0],
      message: `invalid YAML: ${yamlMessage(e)}`,
    })),
    ...duplicateKeys(doc).map((d) => ({
      offset: d.offset,
      message: `duplicate key ${JSON.stringify(d.name)} (first at line ${lineCounter.linePos(d.firstOffset).line}); keep only one`,
    })),
  ];
  if (syntaxErrors.length > 0) {
    return { config: {}, errors: issues(syntaxErrors, (e) => issue(e.offset, e.message)), warnings };
  }

  const converted = toPlainValue(doc);
  if ('failure' in converted) {
    const { offset, message } = converted.failure;
    return { config: {}, errors: [issue(offset, message)], warnings };
  }
  const value = converted.value;
  if (value === null || value === undefined) return { config: {}, errors: [], warnings };

  const schemaErrors = validate(value) ? [] : (validate.errors ?? []);
  const errors = issues(schemaErrors, (e) => issue(errorOffset(doc, e), schemaMessage(e)));
  const sections = validSections(value, schemaErrors);
  const listWarnings = [...repeatedEntries(sections), ...absoluteExcludes(sections)];
  warnings.push(...issues(listWarnings, (w) => issue(offsetOf(doc, w.segments), w.message)));
  return { config: withoutRepeats(sections), errors, warnings: sortByPosition(warnings) };
}

/**
 * Issues in file order, at most `MAX_REPORTED_ISSUES` of them plus one that counts the rest: past that many
 * the file is clearly not a configuration, and only the first ones get a position (a linear search each).
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

/** The one error for a file over `MAX_CONFIG_BYTES`; the loader uses it too, before reading such a file. */
export function oversizedIssue(file: string, bytes: number): ConfigIssue {
  return {
    file,
    line: 1,
    column: 1,
    message:
      `the file is ${bytes} bytes, over the ${MAX_CONFIG_BYTES}-byte (1 MiB) limit for a configuration file; ` +
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

function yamlMessage(error: YAMLError): string {
  const text = error.message.replace(/\s+/g, ' ').trim();
  if (error.code === 'RESOURCE_EXHAUSTION') return `nesting too deep to read (${text}); flatten the file`;
  if (error.code === 'MULTIPLE_DOCS')
    return 'a second document starts here (after ---); keep the configuration in one';
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

/** Where an error is written: the offending value, or for an unknown key, the key itself. */
function errorOffset(doc: Document, error: ErrorObject): number {
  const segments = pointerSegments(error.instancePath);
  if (error.keyword === 'additionalProperties') {
    return offsetOf(doc, [...segments, String(error.params.additionalProperty)], true);
  }
  return offsetOf(doc, segments);
}

function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/**
 * Offset of the YAML text at a JSON-pointer path: the value (or with `atKey`, the key of the last step; for a
 * key without a value, the key too). Aliases are followed, so the offset is where the offending text is
 * written. When the path leaves the document (a key that toJS stringified from a collection), the deepest
 * node reached is used.
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

function schemaMessage(error: ErrorObject): string {
  const segments = pointerSegments(error.instancePath);
  const where = displayPath(segments);
  const data: unknown = error.data;
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(error.params.additionalProperty);
      const allowed = Object.keys((error.parentSchema?.properties as object | undefined) ?? {});
      const section = segments.length === 0 ? 'at the top level' : `in ${where}`;
      return (
        `${displayPath([...segments, key], true)}: unknown key ${JSON.stringify(key)}${didYouMean(key, allowed)}; ` +
        `keys allowed ${section}: ${allowed.join(', ')}`
      );
    }
    case 'enum': {
      const allowed = (error.schema as unknown[]).map(String);
      const noun = typeof error.parentSchema?.title === 'string' ? error.parentSchema.title : 'allowed value';
      const hint = typeof data === 'string' ? didYouMean(data, allowed) : '';
      return `${where}: ${showValue(data)} is not ${article(noun)} ${noun}${hint}; use one of ${allowed.join(', ')}`;
    }
    case 'type': {
      const expected = expectedType(error.params.type as string | string[]);
      const listHint =
        expected === 'a list' && (typeof data === 'string' || typeof data === 'number')
          ? `; write [${String(data)}] for a list of one`
          : '';
      return `${where}: expected ${expected}, found ${describeValue(data)}${listHint}`;
    }
    case 'minItems':
      return `${where}: the list is empty; give at least ${String(error.params.limit)} value, or remove the key to use the default`;
    case 'minLength':
      return `${where}: the value is empty; give one, or remove the key to use the default`;
    default:
      return `${where}: ${error.message ?? `fails the "${error.keyword}" rule of config.schema.json`}`;
  }
}

/** `scan.formats[1]`; JSON pointers do not tell indexes from keys, so `lastIsKey` says what the last one is. */
function displayPath(segments: readonly string[], lastIsKey = false): string {
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
  return list.map((t) => TYPE_WORDS[t] ?? t).join(' or ');
}

function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'an empty value';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `the string ${showValue(value)}`;
  return `the ${typeof value} ${String(value)}`;
}

function showValue(value: unknown): string {
  if (typeof value === 'string')
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return describeValue(value);
}

function article(noun: string): string {
  return /^[aeiou]/i.test(noun) ? 'an' : 'a';
}

/** Suggests the allowed name a typo most likely meant: same letters ignoring case, or at most 2 edits away. */
function didYouMean(given: string, allowed: readonly string[]): string {
  if (given.length > 64) return '';
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of allowed) {
    const d = candidate.toLowerCase() === given.toLowerCase() ? 0 : editDistance(given, candidate);
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
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

type Sections = Record<string, Record<string, unknown>>;

interface ListWarning {
  segments: string[];
  message: string;
}

/**
 * The sections of a validated value that have no schema error; a root that is not a mapping has none.
 * Sections are copied by name from the schema, so unknown keys never reach the config.
 */
function validSections(value: unknown, errors: readonly ErrorObject[]): Sections {
  const sections: Sections = {};
  if (!isPlainObject(value)) return sections;
  const broken = new Set(
    errors.map((e) => pointerSegments(e.instancePath)[0]).filter((s) => s !== undefined),
  );
  for (const name of Object.keys(schema.properties)) {
    if (broken.has(name) || !Object.hasOwn(value, name)) continue;
    const section: unknown = value[name];
    if (isPlainObject(section)) sections[name] = section;
  }
  return sections;
}

function* lists(sections: Sections): Generator<{ segments: string[]; list: unknown[] }> {
  for (const [name, section] of Object.entries(sections)) {
    for (const [key, list] of Object.entries(section)) {
      if (Array.isArray(list)) yield { segments: [name, key], list };
    }
  }
}

function repeatedEntries(sections: Sections): ListWarning[] {
  const found: ListWarning[] = [];
  for (const { segments, list } of lists(sections)) {
    const firstIndex = new Map<unknown, number>();
    list.forEach((item: unknown, index) => {
      const first = firstIndex.get(item);
      if (first === undefined) {
        firstIndex.set(item, index);
        return;
      }
      const at = [...segments, String(index)];
      found.push({
        segments: at,
        message:
          `${displayPath(at)}: ${showValue(item)} is listed twice (first at ` +
          `${displayPath([...segments, String(first)])}); the repeat is ignored`,
      });
    });
  }
  return found;
}

/** The config: valid sections, with repeated list entries (see `repeatedEntries`) dropped. */
function withoutRepeats(sections: Sections): Config {
  const config: Sections = {};
  for (const [name, section] of Object.entries(sections)) config[name] = { ...section };
  for (const { segments, list } of lists(sections)) {
    const [name = '', key = ''] = segments;
    const target = config[name];
    if (target) target[key] = [...new Set(list)];
  }
  return config as Config;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Exclude patterns are matched against paths relative to each scanned root, so an absolute one never matches. */
function absoluteExcludes(sections: Sections): ListWarning[] {
  const patterns = sections.scan?.exclude;
  if (!Array.isArray(patterns)) return [];
  const found: ListWarning[] = [];
  patterns.forEach((pattern: unknown, index) => {
    if (typeof pattern !== 'string' || !/^(\/|[A-Za-z]:[\\/])/.test(pattern)) return;
    const at = ['scan', 'exclude', String(index)];
    found.push({
      segments: at,
      message:
        `${displayPath(at)}: ${JSON.stringify(pattern)} is absolute, but exclude patterns are matched against ` +
        'paths relative to each scanned root, so it never matches; write it relative, like "**/examples/**"',
    });
  });
  return found;
}

function sortByPosition(issues: ConfigIssue[]): ConfigIssue[] {
  return issues.sort((a, b) => a.line - b.line || a.column - b.column);
}
