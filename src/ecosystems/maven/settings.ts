import type { Problem } from '../../core/model.js';
import { Secret, type Env } from '../npm/registry/npmrc.js';
import type { Repository } from './pom-model.js';
import { child, children, parseXml, type XmlElement } from './xml.js';

/**
 * Maven's `settings.xml`, reduced to what finding and fetching POMs needs: the local repository, mirrors,
 * servers (credentials by repository id), proxies, and the repositories and properties of the active
 * settings profiles. Pure: content and environment in, settings and problems out; never throws.
 *
 * Values are expanded as Maven does (`${env.NAME}`, `${user.home}`); an unknown reference stays as written.
 * Passwords and header values are held in `Secret`s, which print as `[redacted]`; a private key is never
 * read at all (only its presence is recorded).
 */

export interface MavenMirror {
  id: string;
  /** With a trailing slash. */
  url: string;
  /** As written: `*`, `external:*`, `external:http:*`, `id`, `!id`, comma lists. */
  mirrorOf: string;
  /** `<blocked>true</blocked>`: the mirror refuses every request (Maven 3.8's http blocker is one). */
  blocked: boolean;
  line: number;
}

export interface MavenServer {
  id: string;
  username?: string;
  password?: Secret;
  /** `<configuration><httpHeaders><property>`: header name as written → value. */
  headers: Map<string, Secret>;
  /** Whether a `<privateKey>` is configured (for SSH/SCP transports; never read, never used here). */
  hasPrivateKey: boolean;
  line: number;
}

export interface MavenProxy {
  id?: string;
  active: boolean;
  /** The protocol of the requests this proxy carries: `http` or `https`. */
  protocol: string;
  host: string;
  port: number;
  username?: string;
  password?: Secret;
  /** `nonProxyHosts` split on `|` (and `,`): `*.example.com`, `localhost`. */
  nonProxyHosts: string[];
  line: number;
}

export interface MavenSettings {
  /** As written (after expansion); the caller resolves a relative path and applies the default. */
  localRepository?: string;
  offline: boolean;
  mirrors: MavenMirror[];
  /** By server id. */
  servers: Map<string, MavenServer>;
  proxies: MavenProxy[];
  /** Ids of the settings profiles that are active. */
  activeProfiles: string[];
  /** Repositories of the active profiles, in order: Maven puts them before the POM's own. */
  repositories: Repository[];
  /** Properties of the active profiles (e.g. a `serverUrl` used in POM repository URLs). */
  properties: Map<string, string>;
}

export interface SettingsParse {
  settings: MavenSettings;
  problems: Problem[];
}

export interface SettingsContext {
  env: Env;
  /** For `${user.home}`. */
  userHome?: string;
}

export function emptySettings(): MavenSettings {
  return {
    offline: false,
    mirrors: [],
    servers: new Map(),
    proxies: [],
    activeProfiles: [],
    repositories: [],
    properties: new Map(),
  };
}

const CODE = 'maven.settings';

class Reader {
  readonly problems: Problem[] = [];
  constructor(
    readonly file: string,
    readonly context: SettingsContext,
  ) {}

  problem(severity: Problem['severity'], what: string, at: XmlElement, message: string, hint: string): void {
    this.problems.push({
      severity,
      code: `${CODE}.${what}`,
      message: `${this.file}:${at.line}:${at.column}: ${message}`,
      file: this.file,
      line: at.line,
      column: at.column,
      hint,
    });
  }

  /** The expanded text of a child element; undefined when absent or empty. */
  value(parent: XmlElement | undefined, name: string): string | undefined {
    const element = child(parent, name);
    if (!element || element.text === '') return undefined;
    return this.expand(element.text, element);
  }

  expand(text: string, at: XmlElement): string {
    if (!text.includes('${')) return text;
    return text.replace(/\$\{([^${}]+)\}/g, (whole, name: string) => {
      const resolved = this.lookup(name);
      if (resolved !== undefined) return resolved;
      if (name.startsWith('env.')) {
        this.problem(
          'warning',
          'unknown-env',
          at,
          `<${at.name}> refers to \${${name}}, which is not set: it stays as written`,
          `Set the environment variable ${name.slice(4)} before scanning.`,
        );
      }
      return whole;
    });
  }

  lookup(name: string): string | undefined {
    if (name.startsWith('env.')) {
      const variable = name.slice(4);
      return Object.hasOwn(this.context.env, variable) ? this.context.env[variable] : undefined;
    }
    if (name === 'user.home') return this.context.userHome;
    return undefined;
  }
}

/** Parses a settings.xml. Malformed XML gives empty settings and an error problem. */
export function parseSettings(content: string, file: string, context: SettingsContext): SettingsParse {
  const xml = parseXml(content, file, `${CODE}.invalid-xml`);
  if (!xml.ok) return { settings: emptySettings(), problems: [xml.problem] };
  const reader = new Reader(file, context);
  const root = xml.root;
  if (root.name !== 'settings') {
    reader.problem(
      'error',
      'wrong-root',
      root,
      `the root element is <${root.name}>, not <settings>: nothing read`,
      'Point the settings option at a Maven settings.xml file.',
    );
    return { settings: emptySettings(), problems: reader.problems };
  }
  const settings = emptySettings();
  settings.localRepository = reader.value(root, 'localRepository');
  settings.offline = reader.value(root, 'offline') === 'true';
  settings.mirrors = readMirrors(reader, root);
  settings.servers = readServers(reader, root);
  settings.proxies = readProxies(reader, root);
  readProfiles(reader, root, settings);
  return { settings, problems: reader.problems };
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

function readMirrors(reader: Reader, root: XmlElement): MavenMirror[] {
  const mirrors: MavenMirror[] = [];
  for (const element of children(child(root, 'mirrors'), 'mirror')) {
    const id = reader.value(element, 'id');
    const url = reader.value(element, 'url');
    const mirrorOf = reader.value(element, 'mirrorOf');
    if (id === undefined || url === undefined || mirrorOf === undefined) {
      const missing = (['<id>', '<url>', '<mirrorOf>'] as const).filter(
        (_, i) => [id, url, mirrorOf][i] === undefined,
      );
      reader.problem(
        'warning',
        'invalid-mirror',
        element,
        `a <mirror> without ${missing.join(', ')}: ignored`,
        'Give every mirror an <id>, a <url> and a <mirrorOf>.',
      );
      continue;
    }
    const blocked = reader.value(element, 'blocked') === 'true';
    mirrors.push({ id, url: withSlash(url), mirrorOf, blocked, line: element.line });
  }
  return mirrors;
}

function readServers(reader: Reader, root: XmlElement): Map<string, MavenServer> {
  const servers = new Map<string, MavenServer>();
  for (const element of children(child(root, 'servers'), 'server')) {
    const id = reader.value(element, 'id');
    if (id === undefined) {
      reader.problem(
        'warning',
        'invalid-server',
        element,
        'a <server> without <id>: ignored',
        'Give it the id of the repository or mirror it holds credentials for.',
      );
      continue;
    }
    const server: MavenServer = {
      id,
      username: reader.value(element, 'username'),
      password: readPassword(reader, element, `server ${id}`),
      headers: readHeaders(reader, element),
      hasPrivateKey: child(element, 'privateKey') !== undefined,
      line: element.line,
    };
    if (servers.has(id)) {
      reader.problem(
        'warning',
        'duplicate-server',
        element,
        `server id ${id} is declared more than once: this later one is used`,
        'Keep one <server> per id.',
      );
    }
    servers.set(id, server);
  }
  return servers;
}

/**
 * A usable password, or undefined with a warning: never the value itself in a message. A Maven-encrypted
 * password (`{...}`, decrypted with settings-security.xml) and a password still holding an unset
 * `${env.X}` cannot be used.
 */
function readPassword(reader: Reader, parent: XmlElement, owner: string): Secret | undefined {
  const element = child(parent, 'password');
  if (!element || element.text === '') return undefined;
  const value = reader.expand(element.text, element);
  if (/^\{[^{}]*\}$/.test(value)) {
    reader.problem(
      'warning',
      'encrypted-password',
      element,
      `the password of ${owner} is encrypted with settings-security.xml, which is not supported: not used`,
      'Give the password in clear through an environment variable: <password>${env.MY_PASSWORD}</password>.',
    );
    return undefined;
  }
  if (/\$\{env\.[^}]+\}/.test(value)) {
    reader.problem(
      'warning',
      'unresolved-password',
      element,
      `the password of ${owner} refers to an unset environment variable: not used`,
      'Set the variable before scanning.',
    );
    return undefined;
  }
  return new Secret(value);
}

function readHeaders(reader: Reader, server: XmlElement): Map<string, Secret> {
  const headers = new Map<string, Secret>();
  const properties = children(child(child(server, 'configuration'), 'httpHeaders'), 'property');
  for (const property of properties) {
    const name = reader.value(property, 'name');
    const value = reader.value(property, 'value');
    if (name === undefined || value === undefined || /[\r\n\0]/.test(name + value)) {
      reader.problem(
        'warning',
        'invalid-header',
        property,
        'an httpHeaders <property> without a <name> and a one-line <value>: ignored',
        'Write <property><name>Header-Name</name><value>...</value></property>.',
      );
      continue;
    }
    headers.set(name, new Secret(value));
  }
  return headers;
}

function readProxies(reader: Reader, root: XmlElement): MavenProxy[] {
  const proxies: MavenProxy[] = [];
  for (const element of children(child(root, 'proxies'), 'proxy')) {
    const host = reader.value(element, 'host');
    const portText = reader.value(element, 'port') ?? '8080';
    const port = /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
    if (host === undefined || !(port > 0 && port < 65536)) {
      reader.problem(
        'warning',
        'invalid-proxy',
        element,
        host === undefined
          ? 'a <proxy> without <host>: ignored'
          : `proxy port "${portText}" is not a port: ignored`,
        'Give the proxy a <host> and a numeric <port>.',
      );
      continue;
    }
    const id = reader.value(element, 'id');
    proxies.push({
      id,
      active: (reader.value(element, 'active') ?? 'true') !== 'false',
      protocol: (reader.value(element, 'protocol') ?? 'http').toLowerCase(),
      host,
      port,
      username: reader.value(element, 'username'),
      password: readPassword(reader, element, `proxy ${id ?? host}`),
      nonProxyHosts: (reader.value(element, 'nonProxyHosts') ?? '')
        .split(/[|,]/)
        .map((h) => h.trim())
        .filter((h) => h !== ''),
      line: element.line,
    });
  }
  return proxies;
}

/**
 * Settings profiles: those listed in <activeProfiles>, else (when none of them is activated that way) those
 * with activeByDefault, as Maven's profile selector does. Other activation conditions are not evaluated.
 */
function readProfiles(reader: Reader, root: XmlElement, settings: MavenSettings): void {
  const listed = new Set(
    children(child(root, 'activeProfiles'), 'activeProfile')
      .map((element) => reader.expand(element.text, element))
      .filter((id) => id !== ''),
  );
  const profiles = children(child(root, 'profiles'), 'profile');
  let active = profiles.filter((profile) => listed.has(reader.value(profile, 'id') ?? ''));
  if (active.length === 0) {
    active = profiles.filter(
      (profile) => reader.value(child(profile, 'activation'), 'activeByDefault') === 'true',
    );
  }
  for (const profile of profiles) {
    const activation = child(profile, 'activation');
    const conditions = activation?.children.filter((c) => c.name !== 'activeByDefault') ?? [];
    if (!active.includes(profile) && conditions.length > 0) {
      reader.problem(
        'info',
        'profile-activation',
        profile,
        `settings profile ${reader.value(profile, 'id') ?? '(no id)'} has <${conditions[0]!.name}> activation, which is not evaluated: the profile is not used`,
        'List the profile in <activeProfiles> to use it.',
      );
    }
  }
  for (const profile of active) {
    settings.activeProfiles.push(reader.value(profile, 'id') ?? '');
    for (const property of child(profile, 'properties')?.children ?? []) {
      if (!settings.properties.has(property.name)) {
        settings.properties.set(property.name, reader.expand(property.text, property));
      }
    }
    for (const element of children(child(profile, 'repositories'), 'repository')) {
      settings.repositories.push({
        id: reader.value(element, 'id'),
        url: reader.value(element, 'url'),
        releases: reader.value(child(element, 'releases'), 'enabled'),
        snapshots: reader.value(child(element, 'snapshots'), 'enabled'),
        line: element.line,
      });
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Mirrors

/** Maven's "external" repository: not on localhost, 127.0.0.1 or the file system. */
export function isExternalRepository(url: string): boolean {
  const parsed = URL.canParse(url) ? new URL(url) : undefined;
  if (!parsed) return true;
  if (parsed.protocol === 'file:') return false;
  return parsed.hostname !== 'localhost' && parsed.hostname !== '127.0.0.1';
}

function isExternalHttpRepository(url: string): boolean {
  return /^(http|dav|dav:http|dav\+http):/i.test(url) && isExternalRepository(url);
}

/**
 * Whether a mirror's `mirrorOf` covers a repository, exactly as Maven's DefaultMirrorSelector decides:
 * `*`, an exact id, comma lists, `external:*`, `external:http:*`, and `!id` exclusions (an exclusion wins
 * wherever it stands after a wildcard; a list stops at the first exact id).
 */
export function mirrorOfMatches(mirrorOf: string, repository: { id: string; url: string }): boolean {
  if (mirrorOf === '*' || mirrorOf === repository.id) return true;
  let result = false;
  for (const raw of mirrorOf.split(',')) {
    const entry = raw.trim();
    if (entry.length > 1 && entry.startsWith('!')) {
      if (entry.slice(1) === repository.id) return false;
    } else if (entry === repository.id) {
      return true;
    } else if (entry === 'external:*' && isExternalRepository(repository.url)) {
      result = true;
    } else if (entry === 'external:http:*' && isExternalHttpRepository(repository.url)) {
      result = true;
    } else if (entry === '*') {
      result = true;
    }
  }
  return result;
}

/** The mirror Maven uses for a repository: one naming its id exactly, else the first whose pattern matches. */
export function selectMirror(
  mirrors: readonly MavenMirror[],
  repository: { id: string; url: string },
): MavenMirror | undefined {
  return (
    mirrors.find((mirror) => mirror.mirrorOf === repository.id) ??
    mirrors.find((mirror) => mirrorOfMatches(mirror.mirrorOf, repository))
  );
}

// ---------------------------------------------------------------------------------------------------
// Proxies

export interface ProxyEnvironment {
  /**
   * `http_proxy`, `https_proxy` and `no_proxy` for the HttpClient's `env`, set only when settings define
   * them. The proxy URLs carry the proxy credentials: pass this object on, never print it.
   */
  env: Record<string, string>;
  problems: Problem[];
}

/**
 * The proxies settings.xml gives, in the form the HttpClient reads: the first active proxy for each
 * protocol (https falling back to the http one, as Maven's resolver does), and the union of their
 * nonProxyHosts (`*.example.com` becomes `.example.com`; a pattern with another wildcard cannot be
 * expressed and is reported).
 */
export function proxyEnvironment(settings: MavenSettings, file: string): ProxyEnvironment {
  const problems: Problem[] = [];
  const active = settings.proxies.filter((proxy) => proxy.active);
  const http = active.find((proxy) => proxy.protocol === 'http');
  const https = active.find((proxy) => proxy.protocol === 'https') ?? http;
  const env: Record<string, string> = {};
  if (http) env.http_proxy = proxyUrl(http);
  if (https) env.https_proxy = proxyUrl(https);
  const noProxy = new Set<string>();
  for (const proxy of new Set([http, https])) {
    for (const pattern of proxy?.nonProxyHosts ?? []) {
      const host = pattern.startsWith('*.') ? pattern.slice(1) : pattern;
      if (host.includes('*')) {
        problems.push({
          severity: 'warning',
          code: `${CODE}.non-proxy-host`,
          message: `${file}:${proxy!.line}: nonProxyHosts pattern "${pattern}" cannot be applied: requests to those hosts go through the proxy`,
          file,
          line: proxy!.line,
          hint: 'Write host names or *.domain patterns only.',
        });
        continue;
      }
      noProxy.add(host);
    }
  }
  if (noProxy.size > 0) env.no_proxy = [...noProxy].join(',');
  return { env, problems };
}

function proxyUrl(proxy: MavenProxy): string {
  const host = proxy.host.includes(':') && !proxy.host.startsWith('[') ? `[${proxy.host}]` : proxy.host;
  const credentials =
    proxy.username !== undefined
      ? `${encodeURIComponent(proxy.username)}:${encodeURIComponent(proxy.password?.reveal() ?? '')}@`
      : '';
  return `http://${credentials}${host}:${proxy.port}`;
}

/** Every secret value the settings hold, to scrub from any text that could leave the tool. */
export function settingsSecrets(settings: MavenSettings): string[] {
  const out: string[] = [];
  for (const server of settings.servers.values()) {
    if (server.password) out.push(server.password.reveal());
    for (const value of server.headers.values()) out.push(value.reveal());
  }
  for (const proxy of settings.proxies) if (proxy.password) out.push(proxy.password.reveal());
  return out.filter((secret) => secret !== '');
}
