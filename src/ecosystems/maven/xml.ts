import { characterEntities } from 'character-entities';
import { SaxesParser } from 'saxes';
import type { Problem } from '../../core/model.js';

/** An XML element with what a POM or settings.xml reader needs: local name, text, children, position. */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** The element's own text, trimmed (CDATA included). */
  text: string;
  line: number;
  column: number;
}

export type XmlResult = { ok: true; root: XmlElement } | { ok: false; problem: Problem };

/**
 * Maven's POM reader accepts the XHTML named entities (&eacute; in a French description): each is one
 * fixed character, so accepting them opens no expansion risk. Built once: copying 2,000 entries into
 * every parser cost more than parsing the POM.
 */
const ENTITIES: Record<string, string> = Object.freeze({
  ...characterEntities,
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
});

/** No POM or settings.xml comes near this; a larger file is refused unparsed. */
export const MAX_XML_CHARS = 16 * 1024 * 1024;
const MAX_DEPTH = 256;

/**
 * Parses XML safely: a DOCTYPE is refused outright (no POM needs one, and refusing it rules out external
 * entities and entity-expansion bombs), only predefined and XHTML named entities and character references
 * are understood (saxes does not read DTDs), nesting is bounded, and size is capped. Never throws.
 */
export function parseXml(content: string, file: string, code: string): XmlResult {
  const fail = (message: string, line: number, column: number, hint?: string): XmlResult => ({
    ok: false,
    problem: {
      severity: 'error',
      code,
      message: `${file}:${line}:${column}: ${message}`,
      file,
      line,
      column,
      hint: hint ?? 'Fix the XML (it must be well-formed) and scan again.',
    },
  });
  if (content.length > MAX_XML_CHARS) {
    return fail(
      `${content.length} characters is more than the ${MAX_XML_CHARS} an XML manifest may have`,
      1,
      1,
    );
  }
  const parser = new SaxesParser({ position: true });
  parser.ENTITIES = ENTITIES;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let failure: XmlResult | undefined;
  const stop = (result: XmlResult) => {
    failure ??= result;
  };
  parser.on('doctype', () =>
    stop(
      fail(
        'a DOCTYPE is not allowed: it could define entities, which are never expanded here',
        parser.line,
        parser.column,
        'Remove the <!DOCTYPE ...> declaration; a POM or settings.xml does not need one.',
      ),
    ),
  );
  parser.on('opentag', (tag) => {
    if (stack.length >= MAX_DEPTH) {
      stop(fail(`elements are nested more than ${MAX_DEPTH} deep`, parser.line, parser.column));
      return;
    }
    const attributes: Record<string, string> = Object.create(null) as Record<string, string>;
    for (const [key, value] of Object.entries(tag.attributes)) attributes[key] = String(value);
    const element: XmlElement = {
      name: localName(tag.name),
      attributes,
      children: [],
      text: '',
      line: parser.line,
      column: parser.column,
    };
    if (stack.length === 0) root ??= element;
    else stack[stack.length - 1]!.children.push(element);
    stack.push(element);
  });
  const addText = (text: string) => {
    const top = stack[stack.length - 1];
    if (top) top.text += text;
  };
  parser.on('text', addText);
  parser.on('cdata', addText);
  parser.on('closetag', () => {
    const element = stack.pop();
    if (element) element.text = element.text.trim();
  });
  parser.on('error', (error) => {
    stop(fail(error.message.replace(/^(?:[^:]*:)?\d+:\d+: /, ''), parser.line, parser.column));
  });
  try {
    parser.write(content).close();
  } catch (error) {
    stop(fail(error instanceof Error ? error.message : String(error), parser.line, parser.column));
  }
  if (failure) return failure;
  if (!root) return fail('no root element', 1, 1);
  return { ok: true, root };
}

function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}

/** The first child element with that name. */
export function child(element: XmlElement | undefined, name: string): XmlElement | undefined {
  return element?.children.find((c) => c.name === name);
}

/** All child elements with that name. */
export function children(element: XmlElement | undefined, name: string): XmlElement[] {
  return element ? element.children.filter((c) => c.name === name) : [];
}

/** The trimmed text of the first child with that name, or undefined when absent or empty. */
export function text(element: XmlElement | undefined, name: string): string | undefined {
  const value = child(element, name)?.text;
  return value === undefined || value === '' ? undefined : value;
}
