import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { SubjectReader } from '../src/ecosystems/types.js';
import { loadNpmrc } from '../src/ecosystems/npm/registry/npmrc-load.js';
import {
  authorizationFor,
  credentialFor,
  DEFAULT_REGISTRY,
  mergeNpmrc,
  nerfDart,
  parseNpmrc,
  registryFor,
  secretsOf,
} from '../src/ecosystems/npm/registry/npmrc.js';

const TOKEN = 'npm_S3cr3tT0kenValue0123456789';

function parse(content: string, env: Record<string, string> = {}) {
  return parseNpmrc(content, '.npmrc', env);
}

describe('.npmrc parsing', () => {
  it('reads every key form', () => {
    const { config, problems } = parse(
      [
        '; a comment',
        '# another comment',
        'registry = https://registry.example.com/npm',
        '@acme:registry=https://npm.acme.example/',
        '@other:registry="https://npm.other.example/r/"',
        '//npm.acme.example/:_authToken=${ACME_TOKEN}',
        '//registry.example.com/npm/:_auth=dXNlcjpwYXNz',
        '//registry.example.com/:username=alice',
        '//registry.example.com/:_password=c2VjcmV0',
        '//registry.example.com/:always-auth=true',
        'always-auth=true',
        'save-exact=true',
        'strict-ssl',
        '',
      ].join('\n'),
      { ACME_TOKEN: TOKEN },
    );
    expect(problems).toEqual([]);
    expect(config.registry).toBe('https://registry.example.com/npm/');
    expect([...config.scopes]).toEqual([
      ['@acme', 'https://npm.acme.example/'],
      ['@other', 'https://npm.other.example/r/'],
    ]);
    expect(config.alwaysAuth).toBe(true);
    expect([...config.credentials.keys()]).toEqual([
      '//npm.acme.example/',
      '//registry.example.com/npm/',
      '//registry.example.com/',
    ]);
    expect(config.credentials.get('//npm.acme.example/')!.token!.reveal()).toBe(TOKEN);
    expect(config.credentials.get('//registry.example.com/npm/')!.auth!.reveal()).toBe('dXNlcjpwYXNz');
    const basic = config.credentials.get('//registry.example.com/')!;
    expect(basic.username).toBe('alice');
    expect(basic.password!.reveal()).toBe('secret');
    expect(basic.alwaysAuth).toBe(true);
  });

  it('takes CRLF line ends, a BOM, quoted values and inline comments as the ini package does', () => {
    const { config } = parse(
      '\ufeffregistry=https://a.example/ ; the mirror\r\n@q:registry="https://q.example/#frag;x"\r\n@e:registry=https://e.example/\\;x\r\n',
    );
    expect(config.registry).toBe('https://a.example/');
    expect(config.scopes.get('@q')).toBe('https://q.example/');
    expect(config.scopes.get('@e')).toBe('https://e.example/;x/');
  });

  it('expands ${VAR} from the given environment, in keys and values', () => {
    const { config, problems } = parse(
      [
        '//${HOST}/:_authToken=${TOKEN}',
        'registry=https://${HOST}/${MISSING}',
        '@opt:registry=https://opt.example/${OPTIONAL?}',
        '@lit:registry=https://lit.example/\\${LITERAL}',
      ].join('\n'),
      { HOST: 'npm.example:8443', TOKEN },
    );
    expect(config.credentials.get('//npm.example:8443/')!.token!.reveal()).toBe(TOKEN);
    expect(config.registry).toBe('https://npm.example:8443/');
    expect(config.scopes.get('@opt')).toBe('https://opt.example/');
    expect(config.scopes.get('@lit')).toBe('https://lit.example/$%7BLITERAL%7D/');
    expect(problems).toEqual([
      {
        severity: 'warning',
        code: 'npm.npmrc.unknown-env',
        message: ".npmrc:2: ${MISSING} is not set: it expands to ''",
        file: '.npmrc',
        line: 2,
        column: 1,
        hint: 'Set the environment variable MISSING, or write ${MISSING?} if it may be unset.',
      },
    ]);
  });

  it('reports what it ignores, with the line, and never quotes a credential', () => {
    const { config, problems } = parse(
      [
        `_authToken=${TOKEN}`,
        `//bad.example/:_auth=${TOKEN}`,
        `registry=https://user:${TOKEN}@mirror.example/npm/`,
        `@x:registry=ftp://x.example/`,
        '//empty.example/:_authToken=${UNSET}',
        '[section]',
        `registry=https://never.example/`,
      ].join('\n'),
    );
    expect(problems.map((p) => `${p.line} ${p.severity} ${p.code}`)).toEqual([
      '1 warning npm.npmrc.unscoped-auth',
      '2 warning npm.npmrc.invalid-auth',
      '3 warning npm.npmrc.credentials-in-url',
      '4 warning npm.npmrc.invalid-registry',
      '5 warning npm.npmrc.unknown-env',
      '5 warning npm.npmrc.empty-credential',
      '6 warning npm.npmrc.section',
    ]);
    expect(config.registry).toBe('https://mirror.example/npm/');
    expect(config.scopes.size).toBe(0);
    expect(JSON.stringify(problems)).not.toContain(TOKEN);
    expect(JSON.stringify(problems)).not.toContain('S3cr3t');
  });

  it('prints credentials as [redacted] however the config is shown', () => {
    const { config } = parse(`//npm.example/:_authToken=${TOKEN}\n//npm.example/:_password=c2VjcmV0`);
    const credential = config.credentials.get('//npm.example/')!;
    expect(JSON.stringify(credential)).toBe('{"token":"[redacted]","password":"[redacted]"}');
    expect(String(credential.token)).toBe('[redacted]');
    expect(`${credential.token}`).toBe('[redacted]');
    expect(inspect(config, { depth: 5 })).not.toContain(TOKEN);
    expect(inspect(config, { depth: 5 })).not.toContain('secret');
  });

  it('ignores a __proto__ key and keeps every map free of prototype keys', () => {
    const { config } = parse('__proto__=polluted\n@constructor:registry=https://c.example/\n');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(config.scopes.get('@constructor')).toBe('https://c.example/');
    expect(config.credentials.size).toBe(0);
  });
});

describe('credentials and registries', () => {
  const settings = mergeNpmrc([
    parse(
      [
        '@team:registry=https://npm.example/team/',
        '//npm.example/:_authToken=root-token',
        '//npm.example/team/:_authToken=team-token',
        '//npm.example/team/private/:username=only-a-name',
        '//npm.example:8443/:_auth=dXNlcjpwYXNz',
        '//basic.example/:username=alice',
        '//basic.example/:_password=c2VjcmV0',
      ].join('\n'),
    ).config,
  ]);

  it('picks the registry of the package scope, else the default', () => {
    expect(registryFor(settings, '@team/ui')).toBe('https://npm.example/team/');
    expect(registryFor(settings, '@elsewhere/ui')).toBe(DEFAULT_REGISTRY);
    expect(registryFor(settings, 'left-pad')).toBe(DEFAULT_REGISTRY);
  });

  it('matches the longest usable prefix of the request URL', () => {
    expect(authorizationFor(settings, 'https://npm.example/team/@team%2fui')).toBe('Bearer team-token');
    // The //npm.example/team/private/ entry has no usable credential, so the next shorter prefix wins.
    expect(authorizationFor(settings, 'https://npm.example/team/private/pkg')).toBe('Bearer team-token');
    expect(authorizationFor(settings, 'https://npm.example/other/pkg')).toBe('Bearer root-token');
    expect(authorizationFor(settings, 'https://npm.example/pkg')).toBe('Bearer root-token');
    expect(authorizationFor(settings, 'http://npm.example/pkg')).toBe('Bearer root-token');
    expect(authorizationFor(settings, 'https://npm.example:8443/pkg')).toBe('Basic dXNlcjpwYXNz');
    expect(authorizationFor(settings, 'https://npm.example.evil/pkg')).toBeUndefined();
    expect(authorizationFor(settings, 'https://registry.npmjs.org/left-pad')).toBeUndefined();
    expect(authorizationFor(settings, 'not a url')).toBeUndefined();
    expect(credentialFor(settings, 'https://npm.example/team/x')!.token!.reveal()).toBe('team-token');
  });

  it('builds Basic from username and the base64 _password', () => {
    expect(authorizationFor(settings, 'https://basic.example/pkg')).toBe(
      `Basic ${Buffer.from('alice:secret').toString('base64')}`,
    );
  });

  it('computes nerf darts the way npm does', () => {
    expect(nerfDart('https://Registry.Example.com:443/a/b/c?x=1#y')).toBe('//registry.example.com/a/b/');
    expect(nerfDart('http://user:pw@localhost:4873/@s%2fn')).toBe('//localhost:4873/');
    expect(nerfDart('::')).toBeUndefined();
  });

  it('lists the secrets to scrub, headers included', () => {
    const secrets = secretsOf(settings);
    expect(secrets).toContain('root-token');
    expect(secrets).toContain('secret');
    expect(secrets).toContain(Buffer.from('alice:secret').toString('base64'));
  });

  it('merges layers key by key, the first winning', () => {
    const project = parse('registry=https://project.example/\n//npm.example/:username=project-user\n').config;
    const user = parse(
      'registry=https://user.example/\n@u:registry=https://u.example/\n//npm.example/:username=u\n//npm.example/:_password=c2VjcmV0\n',
    ).config;
    const merged = mergeNpmrc([project, user]);
    expect(merged.registry).toBe('https://project.example/');
    expect(merged.scopes.get('@u')).toBe('https://u.example/');
    expect(authorizationFor(merged, 'https://npm.example/x')).toBe(
      `Basic ${Buffer.from('project-user:secret').toString('base64')}`,
    );
    expect(mergeNpmrc([project, user], 'https://flag.example/').registry).toBe('https://flag.example/');
    expect(mergeNpmrc([]).registry).toBe(DEFAULT_REGISTRY);
  });
});

describe('loading .npmrc files', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'npmrc-load-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  function folder(name: string, files: Record<string, string>): string {
    const dir = path.join(root, name);
    mkdirSync(dir, { recursive: true });
    for (const [file, content] of Object.entries(files)) writeFileSync(path.join(dir, file), content);
    return dir;
  }

  function reader(dir: string): SubjectReader {
    return {
      read: async (p) => readFileSync(path.join(dir, p), 'utf8'),
      exists: async (p) => existsSync(path.join(dir, p)),
    };
  }

  const home = folder('home', {
    '.npmrc': `registry=https://user.example/\n@acme:registry=https://user-acme.example/\n//npm.acme.example/:_authToken=\${NPM_TOKEN}\n`,
  });
  const project = folder('project', { '.npmrc': 'registry=https://project.example/\n' });
  const bare = folder('bare', {});

  it('applies --registry > npm_config_registry > project > user > default', async () => {
    const env = { NPM_TOKEN: TOKEN };
    const all = await loadNpmrc({
      project: reader(project),
      env,
      homedir: home,
      registryFlag: 'https://flag.example',
    });
    expect(all.settings.registry).toBe('https://flag.example/');
    expect(all.files).toEqual(['.npmrc', '~/.npmrc']);
    expect(all.problems).toEqual([]);
    const fromEnv = await loadNpmrc({
      project: reader(project),
      env: { ...env, NPM_CONFIG_REGISTRY: 'https://env.example/' },
      homedir: home,
    });
    expect(fromEnv.settings.registry).toBe('https://env.example/');
    const projectWins = await loadNpmrc({ project: reader(project), env, homedir: home });
    expect(projectWins.settings.registry).toBe('https://project.example/');
    expect(projectWins.settings.scopes.get('@acme')).toBe('https://user-acme.example/');
    expect(authorizationFor(projectWins.settings, 'https://npm.acme.example/@acme%2fx')).toBe(
      `Bearer ${TOKEN}`,
    );
    const userOnly = await loadNpmrc({ project: reader(bare), env, homedir: home });
    expect(userOnly.settings.registry).toBe('https://user.example/');
    expect(userOnly.files).toEqual(['~/.npmrc']);
    const nothing = await loadNpmrc({ env: {}, homedir: bare });
    expect(nothing).toEqual({
      settings: { registry: DEFAULT_REGISTRY, scopes: new Map(), credentials: new Map() },
      problems: [],
      files: [],
    });
  });

  it('finds the user file through npm_config_userconfig', async () => {
    const other = folder('other', { 'custom-npmrc': 'registry=https://custom.example/\n' });
    const loaded = await loadNpmrc({
      env: { npm_config_userconfig: path.join(other, 'custom-npmrc') },
      homedir: bare,
    });
    expect(loaded.settings.registry).toBe('https://custom.example/');
    expect(loaded.files).toEqual([path.join(other, 'custom-npmrc')]);
  });

  it('reports a bad --registry and an unreadable file as problems, never throws', async () => {
    const weird = folder('weird', {});
    mkdirSync(path.join(weird, '.npmrc'));
    const loaded = await loadNpmrc({ env: {}, homedir: weird, registryFlag: 'not a url' });
    expect(loaded.settings.registry).toBe(DEFAULT_REGISTRY);
    expect(loaded.problems.map((p) => `${p.file} ${p.code}`)).toEqual([
      '~/.npmrc npm.npmrc.unreadable',
      '--registry npm.npmrc.invalid-registry',
    ]);
    const failing: SubjectReader = {
      exists: async () => true,
      read: async () => {
        throw new Error('EACCES: permission denied');
      },
    };
    const unreadable = await loadNpmrc({ project: failing, env: {}, homedir: bare });
    expect(unreadable.problems.map((p) => p.message)).toEqual([
      '.npmrc: cannot read it (EACCES: permission denied): its registries and credentials are not used',
    ]);
  });
});
