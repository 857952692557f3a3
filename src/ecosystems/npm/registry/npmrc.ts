import type { Problem } from '../../../core/model.js';

/**
 * `.npmrc` as npm reads it (the `ini` package, then `@npmcli/config`'s `${VAR}` expansion), reduced to
 * what a registry lookup needs: the default registry, the registry of each scope, and credentials keyed
 * by "nerf dart" URL prefix (`//host[:port]/path/`). Pure: the content and the environment come in.
 *
 * Credentials are held in `Secret`s, which print as `[redacted]` (String(), JSON, util.inspect), so that a
 * config object logged or put in an error by mistake shows no token.
 */

export const DEFAULT_REGISTRY = 'https://registry.npmjs.org/';

export type Env = Readonly<Record<string, string | undefined>>;

const REDACTED = '[redacted]';

/** A credential value. Only `reveal()` gives it out. */
export class Secret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  reveal(): string {
    return this.#value;
  }
  toString(): string {
    return REDACTED;
  }
  toJSON(): string {
    return REDACTED;
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return REDACTED;
  }
}

/** The credential fields npm accepts under one `//host/path/:` prefix. */
export interface NpmCredential {
  /** `:_authToken`: sent as `Bearer`. */
  token?: Secret;
  /** `:_auth`: base64 of `user:password`, sent as `Basic`. */
  auth?: Secret;
  /** `:username`. */
  username?: string;
  /** `:_password`, already decoded from its base64. */
  password?: Secret;
  /** `:always-auth`: recorded; credentials are sent to every URL under their prefix either way. */
  alwaysAuth?: boolean;
}

/** What one `.npmrc` file says. */
export interface NpmrcConfig {
  /** `registry=`, with a trailing slash. */
  registry?: string;
  /** `@scope:registry=`, by scope with its `@`. */
  scopes: Map<string, string>;
  /** By nerf-dart prefix as written in the key (`//registry.example.com/npm/`). */
  credentials: Map<string, NpmCredential>;
  /** Top-level `always-auth`. */
  alwaysAuth?: boolean;
}

/** Several `.npmrc` layers and flags merged: what the resolver uses. */
export interface NpmRegistrySettings {
  registry: string;
  scopes: ReadonlyMap<string, string>;
  credentials: ReadonlyMap<string, NpmCredential>;
}

export interface NpmrcParse {
  config: NpmrcConfig;
  problems: Problem[];
}

const CREDENTIAL_KEY = /^(\/\/.+):(_authToken|_auth|username|_password|always-auth)$/;
const SCOPE_REGISTRY_KEY = /^(@[^/:\s]+):registry$/;
const UNSCOPED_AUTH = new Set(['_authToken', '_auth', 'username', '_password']);
const ENV_REFERENCE = /(\\*)\$\{([^${}?]+)(\?)?\}/g;

interface Line {
  number: number;
  key: string;
  value: string;
}

/** Parses one `.npmrc`. Never throws; problems never quote a credential. */
export function parseNpmrc(content: string, file: string, env: Env): NpmrcParse {
  const config: NpmrcConfig = { scopes: new Map(), credentials: new Map() };
  const problems: Problem[] = [];
  for (const line of iniLines(content, file, problems)) {
    const key = expandEnv(line.key, env, file, line.number, problems);
    const value = expandEnv(line.value, env, file, line.number, problems);
    applySetting(config, { number: line.number, key, value }, file, problems);
  }
  return { config, problems: problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0)) };
}

/** `key=value` lines as the `ini` package reads them; lines inside a `[section]` are reported and skipped. */
function iniLines(content: string, file: string, problems: Problem[]): Line[] {
  const lines: Line[] = [];
  const raw = content.charCodeAt(0) === 0xfeff ? content.slice(1) : content;
  let section: string | undefined;
  raw.split(/\r\n|\r|\n/).forEach((text, index) => {
    const number = index + 1;
    if (/^\s*([;#]|$)/.test(text)) return;
    const header = /^\s*\[([^\]]*)\]\s*$/.exec(text);
    if (header) {
      section = header[1]!.trim();
      problems.push(
        problem('warning', 'npm.npmrc.section', file, number, `section [${section}] is ignored by npm`, {
          hint: 'Move the settings above the first [section] line.',
        }),
      );
      return;
    }
    if (section !== undefined) return;
    const equals = text.indexOf('=');
    const key = unquote(equals < 0 ? text : text.slice(0, equals));
    if (key === '' || key === '__proto__') return;
    lines.push({ number, key, value: equals < 0 ? 'true' : unquote(text.slice(equals + 1)) });
  });
  return lines;
}

/** The `ini` package's value rules: quoted values are taken whole, others end at an unescaped `;` or `#`. */
function unquote(text: string): string {
  const value = text.trim();
  const quote = value.charAt(0);
  if (value.length >= 2 && (quote === '"' || quote === "'") && value.endsWith(quote)) {
    const inner = value.slice(1, -1);
    if (quote === "'") return inner;
    try {
      const parsed: unknown = JSON.parse(value);
      return typeof parsed === 'string' ? parsed : inner;
    } catch {
      return inner;
    }
  }
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value.charAt(i);
    if (c === '\\' && i + 1 < value.length) {
      const next = value.charAt(i + 1);
      out += '\\;#'.includes(next) ? next : `\\${next}`;
      i++;
    } else if (c === ';' || c === '#') break;
    else out += c;
  }
  return out.trim();
}

/**
 * npm's `${VAR}` expansion: `${VAR?}` gives '' when VAR is unset; an escaped `\${VAR}` stays literal. Unlike
 * npm, which leaves an unset `${VAR}` as is (and would send it as a token), an unset variable becomes '' with
 * a warning.
 */
function expandEnv(text: string, env: Env, file: string, line: number, problems: Problem[]): string {
  if (!text.includes('${')) return text;
  return text.replace(ENV_REFERENCE, (whole, escapes: string, name: string, optional?: string) => {
    if (escapes.length % 2 === 1) return whole.slice((escapes.length + 1) / 2);
    const value = Object.hasOwn(env, name) ? env[name] : undefined;
    if (value === undefined && !optional) {
      problems.push(
        problem('warning', 'npm.npmrc.unknown-env', file, line, `\${${name}} is not set: it expands to ''`, {
          hint: `Set the environment variable ${name}, or write \${${name}?} if it may be unset.`,
        }),
      );
    }
    return escapes.slice(escapes.length / 2) + (value ?? '');
  });
}

function applySetting(config: NpmrcConfig, line: Line, file: string, problems: Problem[]): void {
  const { key, value, number } = line;
  if (key === 'registry') {
    const url = registryUrl(value, file, number, problems);
    if (url) config.registry = url;
    return;
  }
  if (key === 'always-auth') {
    config.alwaysAuth = value === 'true';
    return;
  }
  const scope = SCOPE_REGISTRY_KEY.exec(key);
  if (scope) {
    const url = registryUrl(value, file, number, problems);
    if (url) config.scopes.set(scope[1]!, url);
    return;
  }
  const credential = CREDENTIAL_KEY.exec(key);
  if (credential) {
    setCredential(config, credential[1]!, credential[2]!, value, file, number, problems);
    return;
  }
  if (UNSCOPED_AUTH.has(key)) {
    problems.push(
      problem(
        'warning',
        'npm.npmrc.unscoped-auth',
        file,
        number,
        `${key} is not tied to a registry: ignored`,
        {
          hint: `npm 9 and later refuse it too; write it as //registry.host/:${key}=...`,
        },
      ),
    );
  }
}

function setCredential(
  config: NpmrcConfig,
  prefix: string,
  field: string,
  value: string,
  file: string,
  line: number,
  problems: Problem[],
): void {
  const entry = config.credentials.get(prefix) ?? {};
  config.credentials.set(prefix, entry);
  if (field === 'always-auth') {
    entry.alwaysAuth = value === 'true';
    return;
  }
  if (value === '') {
    problems.push(
      problem('warning', 'npm.npmrc.empty-credential', file, line, `${prefix}:${field} is empty: ignored`, {
        hint: 'Check the variable it is read from.',
      }),
    );
    return;
  }
  if (field === '_authToken') entry.token = new Secret(value);
  else if (field === 'username') entry.username = value;
  else if (field === '_password') entry.password = new Secret(Buffer.from(value, 'base64').toString('utf8'));
  else if (isBasicPair(value)) entry.auth = new Secret(value);
  else {
    problems.push(
      problem(
        'warning',
        'npm.npmrc.invalid-auth',
        file,
        line,
        `${prefix}:_auth is not base64 of user:password`,
        {
          hint: 'Set it to the base64 encoding of "user:password", or use :_authToken for a token.',
        },
      ),
    );
  }
}

function isBasicPair(base64: string): boolean {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) return false;
  return Buffer.from(base64, 'base64').toString('utf8').includes(':');
}

/** An absolute http(s) URL with a trailing slash; userinfo is dropped (npm wants credentials in their own keys). */
function registryUrl(value: string, file: string, line: number, problems: Problem[]): string | undefined {
  const url = URL.canParse(value) ? new URL(value) : undefined;
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    problems.push(
      problem(
        'warning',
        'npm.npmrc.invalid-registry',
        file,
        line,
        'registry is not an http(s) URL: ignored',
        {
          hint: 'Write it as https://host/path/.',
        },
      ),
    );
    return undefined;
  }
  if (url.username !== '' || url.password !== '') {
    url.username = '';
    url.password = '';
    problems.push(
      problem(
        'warning',
        'npm.npmrc.credentials-in-url',
        file,
        line,
        'credentials in a registry URL are ignored',
        {
          hint: `Put them in //${url.host}${url.pathname}:_authToken (or :_auth) instead.`,
        },
      ),
    );
  }
  url.search = '';
  url.hash = '';
  return url.href.endsWith('/') ? url.href : `${url.href}/`;
}

/** Merges layers, the first one winning: `--registry`, then the project file, then the user file. */
export function mergeNpmrc(layers: readonly NpmrcConfig[], registryOverride?: string): NpmRegistrySettings {
  const scopes = new Map<string, string>();
  const credentials = new Map<string, NpmCredential>();
  let registry = registryOverride;
  for (const layer of layers) {
    registry ??= layer.registry;
    for (const [scope, url] of layer.scopes) if (!scopes.has(scope)) scopes.set(scope, url);
    for (const [prefix, credential] of layer.credentials) {
      credentials.set(prefix, { ...credential, ...definedFields(credentials.get(prefix)) });
    }
  }
  return { registry: registry ?? DEFAULT_REGISTRY, scopes, credentials };
}

function definedFields(credential: NpmCredential | undefined): NpmCredential {
  if (!credential) return {};
  return Object.fromEntries(Object.entries(credential).filter(([, v]) => v !== undefined)) as NpmCredential;
}

/** Parses a `--registry` value; undefined and a problem when it is not an http(s) URL. */
export function parseRegistryFlag(value: string, label: string, problems: Problem[]): string | undefined {
  return registryUrl(value, label, 1, problems);
}

/** The registry of a package: its scope's, else the default one. */
export function registryFor(settings: NpmRegistrySettings, packageName: string): string {
  if (packageName.startsWith('@')) {
    const slash = packageName.indexOf('/');
    const scoped = slash > 0 ? settings.scopes.get(packageName.slice(0, slash)) : undefined;
    if (scoped) return scoped;
  }
  return settings.registry;
}

/**
 * The credential for a request URL, as npm-registry-fetch finds it: the nerf dart of the URL
 * (`//host[:port]/dir/`), then that string shortened one path segment (or trailing slash) at a time, the
 * first key that holds a usable credential winning: the longest matching prefix.
 */
export function credentialFor(settings: NpmRegistrySettings, url: string): NpmCredential | undefined {
  let key = nerfDart(url);
  while (key !== undefined && key.length > 2) {
    const credential = settings.credentials.get(key);
    if (credential && authorizationOf(credential)) return credential;
    key = key.replace(/([^/]+|\/)$/, '');
  }
  return undefined;
}

/** The Authorization header value for a request URL, or undefined when no credential matches. */
export function authorizationFor(settings: NpmRegistrySettings, url: string): string | undefined {
  const credential = credentialFor(settings, url);
  return credential ? authorizationOf(credential) : undefined;
}

function authorizationOf(credential: NpmCredential): string | undefined {
  if (credential.token) return `Bearer ${credential.token.reveal()}`;
  if (credential.auth) return `Basic ${credential.auth.reveal()}`;
  if (credential.username !== undefined && credential.password) {
    const pair = `${credential.username}:${credential.password.reveal()}`;
    return `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`;
  }
  return undefined;
}

/** `https://host:8443/a/b/c?x` → `//host:8443/a/b/` (the URL's folder, without scheme, userinfo or query). */
export function nerfDart(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    const folder = new URL('.', `${parsed.protocol}//${parsed.host}${parsed.pathname}`);
    return `//${folder.host}${folder.pathname}`;
  } catch {
    return undefined;
  }
}

/** Every secret the settings hold, to scrub from any text that leaves the resolver. */
export function secretsOf(settings: NpmRegistrySettings): string[] {
  const out: string[] = [];
  for (const credential of settings.credentials.values()) {
    for (const secret of [credential.token, credential.auth, credential.password]) {
      if (secret && secret.reveal() !== '') out.push(secret.reveal());
    }
    const header = authorizationOf(credential);
    if (header) out.push(header.slice(header.indexOf(' ') + 1));
  }
  return out;
}

function problem(
  severity: Problem['severity'],
  code: string,
  file: string,
  line: number,
  what: string,
  extra: { hint: string },
): Problem {
  return { severity, code, message: `${file}:${line}: ${what}`, file, line, column: 1, hint: extra.hint };
}
