import { describe, expect, it } from 'vitest';
import { child, parseXml, text } from '../src/ecosystems/maven/xml.js';

describe('parseXml', () => {
  it('reads elements, text, CDATA and positions, dropping namespace prefixes', () => {
    const result = parseXml(
      '<?xml version="1.0"?>\n<project xmlns="http://maven.apache.org/POM/4.0.0">\n  <name><![CDATA[A & B]]></name>\n  <x:id xmlns:x="urn:x"> 7 </x:id>\n</project>\n',
      'pom.xml',
      'maven.pom.invalid-xml',
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.root.name).toBe('project');
    expect(text(result.root, 'name')).toBe('A & B');
    expect(text(result.root, 'id')).toBe('7');
    expect(child(result.root, 'name')).toMatchObject({ line: 3 });
  });

  it('refuses a DOCTYPE, so no entity can be defined or expanded (billion laughs)', () => {
    const laughs =
      '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n]>\n<project>&lol2;</project>';
    const result = parseXml(laughs, 'pom.xml', 'maven.pom.invalid-xml');
    expect(result).toMatchObject({ ok: false, problem: { code: 'maven.pom.invalid-xml', line: 5 } });
    if (!result.ok) expect(result.problem.message).toMatch(/DOCTYPE is not allowed/);
  });

  it('refuses an external entity reference without reading anything', () => {
    const xxe =
      '<?xml version="1.0"?>\n<!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<project>&x;</project>';
    const result = parseXml(xxe, 'pom.xml', 'maven.pom.invalid-xml');
    expect(result.ok).toBe(false);
  });

  it('reports malformed XML with its line and column', () => {
    const result = parseXml('<project>\n  <name>x</nam>\n</project>', 'a/pom.xml', 'maven.pom.invalid-xml');
    expect(result).toMatchObject({ ok: false, problem: { file: 'a/pom.xml', line: 2 } });
    if (!result.ok) expect(result.problem.message).toMatch(/^a\/pom\.xml:2:\d+: /);
  });

  it('accepts the XHTML named entities that Maven accepts, and names a syntax error once', () => {
    const result = parseXml(
      '<project><name>Ville de Paris &eacute;&nbsp;&copy;</name></project>',
      'pom.xml',
      'c',
    );
    expect(result.ok && text(result.root, 'name')).toBe('Ville de Paris \u00e9\u00a0\u00a9');
    const broken = parseXml('<project>\n<a></b>\n</project>', 'pom.xml', 'c');
    expect(broken.ok).toBe(false);
    if (!broken.ok) expect(broken.problem.message).toMatch(/^pom\.xml:2:\d+: [^\d]/);
  });

  it('refuses an unknown entity and truncated input', () => {
    expect(parseXml('<project>&nope;</project>', 'pom.xml', 'c').ok).toBe(false);
    expect(parseXml('<project><dependencies><dependency>', 'pom.xml', 'c').ok).toBe(false);
    expect(parseXml('', 'pom.xml', 'c').ok).toBe(false);
  });

  it('bounds nesting and size', () => {
    const deep = `${'<a>'.repeat(300)}${'</a>'.repeat(300)}`;
    const result = parseXml(deep, 'pom.xml', 'c');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problem.message).toMatch(/nested more than 256 deep/);
    const huge = `<project>${' '.repeat(17 * 1024 * 1024)}</project>`;
    const big = parseXml(huge, 'pom.xml', 'c');
    expect(big.ok).toBe(false);
    if (!big.ok) expect(big.problem.message).toMatch(/more than the \d+ an XML manifest may have/);
  });
});
