import { describe, expect, it } from 'vitest';
import { packageIdentity, samePackage, packagePurl } from '../src/core/manifest-identity.js';

const SOURCE = 'https://github.com/acme/lib/blob/HEAD/package.json';
const POM = 'https://github.com/acme/lib/blob/HEAD/pom.xml';

const npm = (value: unknown) => packageIdentity('npm', JSON.stringify(value), SOURCE);
const pom = (body: string, prolog = '') =>
  packageIdentity(
    'maven',
    `<?xml version="1.0" encoding="UTF-8"?>\n${prolog}<project xmlns="http://maven.apache.org/POM/4.0.0">\n` +
      `<modelVersion>4.0.0</modelVersion>\n${body}\n</project>\n`,
    POM,
  );
const reason = (identity: ReturnType<typeof packageIdentity>) => (identity.ok ? undefined : identity.reason);

describe('the package an npm package.json names', () => {
  it('gives the version-less purl, a scope encoded as %40', () => {
    expect(npm({ name: 'uuid', version: '11.0.0' })).toEqual({ ok: true, purl: 'pkg:npm/uuid' });
    expect(npm({ name: '@babel/core', version: '7.27.4' })).toEqual({
      ok: true,
      purl: 'pkg:npm/%40babel/core',
    });
    expect(packageIdentity('npm', '\ufeff{"name":"left-pad"}', SOURCE)).toEqual({
      ok: true,
      purl: 'pkg:npm/left-pad',
    });
  });

  it('takes a name published before capitals were refused, in the purl spec lower case', () => {
    expect(npm({ name: 'JSONStream' })).toEqual({ ok: true, purl: 'pkg:npm/jsonstream' });
  });

  it('says where malformed JSON breaks', () => {
    const identity = packageIdentity('npm', '{\n  "name": "x",\n  oops\n}', SOURCE);
    expect(identity.ok).toBe(false);
    expect(reason(identity)).toMatch(
      /^https:\/\/github\.com\/acme\/lib\/blob\/HEAD\/package\.json:3:\d+: invalid JSON/,
    );
  });

  it('refuses what is not an object, a missing or non-string name, and a private package', () => {
    expect(reason(npm(['not', 'an', 'object']))).toContain('must hold a JSON object');
    expect(reason(npm(null))).toContain('must hold a JSON object');
    expect(reason(npm({ version: '1.0.0' }))).toBe(`${SOURCE} names no package`);
    expect(reason(npm({ name: 42 }))).toBe(`${SOURCE} names no package`);
    expect(reason(npm({ name: '' }))).toBe(`${SOURCE} names no package`);
    expect(reason(npm({ name: 'babel', private: true }))).toContain('babel is private');
  });

  it('does not take a name from the prototype', () => {
    expect(reason(packageIdentity('npm', '{"__proto__": {"name": "evil"}}', SOURCE))).toBe(
      `${SOURCE} names no package`,
    );
  });

  it('refuses names the registry could not hold, quoting them safely', () => {
    const refused = [
      '../evil',
      '..',
      '@scope/a/b',
      '@/x',
      '@scope/',
      'has space',
      ' padded',
      '.hidden',
      '_under',
      '@scope/.hidden',
      'node_modules',
      'favicon.ico',
      'a\u0000b',
      'new\nline',
      'a'.repeat(215),
      'é',
      'a%2fb',
    ];
    for (const name of refused) {
      const identity = npm({ name });
      expect(identity.ok, name).toBe(false);
      expect(reason(identity)).not.toMatch(/\p{Cc}/u);
    }
    expect(reason(npm({ name: 'a\u0000b' }))).toContain('"a\\u0000b"');
    expect(npm({ name: 'a'.repeat(214) }).ok).toBe(true);
  });
});

describe('the package a POM names', () => {
  it('gives groupId and artifactId as a version-less purl', () => {
    expect(
      pom('<groupId>fr.paris.lutece</groupId><artifactId>lutece-core</artifactId><version>7.0.0</version>'),
    ).toEqual({ ok: true, purl: 'pkg:maven/fr.paris.lutece/lutece-core' });
  });

  it("refuses a multi-module repository's root POM: a parent or aggregator is not the library", () => {
    const root = pom(
      '<groupId>org.apache.httpcomponents.core5</groupId><artifactId>httpcore5-parent</artifactId>' +
        '<packaging>pom</packaging><modules><module>httpcore5</module></modules>',
    );
    expect(root).toMatchObject({ ok: false, reason: expect.stringContaining('packaging pom') });
    expect(pom('<groupId>g</groupId><artifactId>a</artifactId><packaging>jar</packaging>').ok).toBe(true);
  });

  it('takes the groupId from the parent when the POM does not set its own', () => {
    expect(
      pom(
        '<parent><groupId>org.acme.widgets</groupId><artifactId>widget-parent</artifactId>' +
          '<version>3.0.0</version></parent><artifactId>widget-parser</artifactId>',
      ),
    ).toEqual({ ok: true, purl: 'pkg:maven/org.acme.widgets/widget-parser' });
    expect(
      pom(
        '<parent><groupId>org.acme</groupId><artifactId>p</artifactId><version>1</version></parent>' +
          '<groupId>org.acme.own</groupId><artifactId>child</artifactId>',
      ),
    ).toEqual({ ok: true, purl: 'pkg:maven/org.acme.own/child' });
  });

  it('refuses a property in groupId or artifactId: only the whole model could resolve it', () => {
    const group = reason(pom('<groupId>${vendor.prefix}.tools</groupId><artifactId>templated</artifactId>'));
    expect(group).toContain('groupId "${vendor.prefix}.tools" uses a property');
    const artifact = reason(pom('<groupId>org.acme</groupId><artifactId>${project.name}-core</artifactId>'));
    expect(artifact).toContain('artifactId "${project.name}-core" uses a property');
    const inherited = reason(
      pom(
        '<parent><groupId>${parent.group}</groupId><artifactId>p</artifactId><version>1</version></parent>' +
          '<artifactId>child</artifactId>',
      ),
    );
    expect(inherited).toContain('groupId "${parent.group}" uses a property');
  });

  it('refuses a POM without coordinates, or with ids Maven would refuse', () => {
    expect(reason(pom('<artifactId>alone</artifactId>'))).toBe(
      `${POM} has no groupId, and no parent to inherit one from`,
    );
    expect(reason(pom('<groupId>org.acme</groupId>'))).toBe(`${POM} has no artifactId`);
    expect(reason(pom('<groupId>org.acme/../evil</groupId><artifactId>x</artifactId>'))).toContain(
      'is not a valid Maven id',
    );
    expect(reason(pom('<groupId>org.acme</groupId><artifactId>a b</artifactId>'))).toContain(
      'is not a valid Maven id',
    );
  });

  it('refuses a POM with an external entity without reading it', () => {
    const identity = pom(
      '<groupId>&xxe;</groupId><artifactId>x</artifactId>',
      '<!DOCTYPE project [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>\n',
    );
    expect(identity.ok).toBe(false);
    expect(reason(identity)).toContain(`${POM}:2:`);
    expect(reason(identity)).toContain('a DOCTYPE is not allowed');
  });

  it('refuses malformed XML and what is not a POM', () => {
    expect(reason(packageIdentity('maven', '<project><groupId>a</project>', POM))).toContain(POM);
    expect(reason(packageIdentity('maven', '<settings/>', POM))).toContain('not <project>');
    expect(packageIdentity('maven', '', POM).ok).toBe(false);
  });
});

describe('comparing packages', () => {
  it('npm names without regard to case, Maven coordinates exactly', () => {
    expect(samePackage('npm', 'pkg:npm/jsonstream', 'pkg:npm/JSONStream')).toBe(true);
    expect(samePackage('npm', 'pkg:npm/%40babel/core', 'pkg:npm/babel-core')).toBe(false);
    expect(samePackage('maven', 'pkg:maven/org.acme/x', 'pkg:maven/org.acme/x')).toBe(true);
    expect(samePackage('maven', 'pkg:maven/org.acme/x', 'pkg:maven/org.Acme/x')).toBe(false);
  });

  it('builds the purl of a component from its group and name', () => {
    expect(packagePurl('npm', '@babel', 'core')).toBe('pkg:npm/%40babel/core');
    expect(packagePurl('npm', undefined, 'babel-core')).toBe('pkg:npm/babel-core');
    expect(packagePurl('maven', 'com.oldacme', 'widget-parser')).toBe('pkg:maven/com.oldacme/widget-parser');
    expect(packagePurl('maven', undefined, 'orphan')).toBeUndefined();
  });
});
