import { readFile, stat } from 'node:fs/promises';
import { STATUS_CODES } from 'node:http';
import path from 'node:path';
import { publicUrl } from '../../net/safe-url.js';
import { HttpError, type CachePolicy, type HttpClient, type HttpResponse } from '../../net/types.js';
import type { PomOrigin } from './pom-loader.js';
import type { Coordinates, Repository } from './pom-model.js';
import { emptySettings, isExternalRepository, selectMirror, type MavenSettings } from './settings.js';
import { compareVersions, isRange, isSnapshot, parseVersion, TIMESTAMPED_SNAPSHOT } from './version.js';
import { child, children, MAX_XML_CHARS, parseXml, text } from './xml.js';

/**
 * Maven repositories as Maven 3 reads them, on the one HTTP layer: the local repository first for
 * releases, then the repositories in Maven's order (active settings profiles, the POM's, Maven Central),
 * each through its settings mirror, with the credentials of its server id. Files are fetched by their
 * Maven layout path only: never a directory listing.
 *
 * A plain-http repository on another host is read over https (reported once); plain http is used only
 * when allowed, as Maven 3.8 blocks it. A repository that cannot be reached is not asked again in the
 * run; a 404 is remembered (the HttpClient keeps 404s per URL, and results are kept per artifact).
 */

export const MAVEN_CENTRAL = { id: 'central', url: 'https://repo.maven.apache.org/maven2/' } as const;

/** Maven's default update policy, "daily": how long metadata and SNAPSHOT POMs are served from cache. */
const DEFAULT_UPDATE_INTERVAL_MS = 24 * 60 * 60 * 1000;

export interface MavenRepositoriesOptions {
  client: HttpClient;
  settings: MavenSettings | null;
  /** Absolute path of the local repository (`~/.m2/repository`, or settings' localRepository), or null for none. */
  localRepository: string | null;
  /** Whether a plain-http repository may be read over http when https fails (Maven 3.8+ refuses). */
  allowHttp: boolean;
  /** Reads a file of the local repository; undefined when there is none. Default: node:fs. */
  readLocalFile?: (file: string) => Promise<string | undefined>;
  /** How long maven-metadata.xml and SNAPSHOT POMs are used from cache before revalidation. Default 24 h. */
  updateIntervalMs?: number;
}

/** A repository as requests go to it, after mirror substitution. */
export interface RemoteRepository {
  id: string;
  /** With a trailing slash. */
  url: string;
  releases: boolean;
  snapshots: boolean;
  /** The ids of the declared repositories a mirror stands in for. */
  mirrorOf?: string[];
}

export interface SkippedRepository {
  id: string;
  /** As messages show it: without credentials (shownUrl). */
  url: string;
  reason: string;
}

export interface RepositoryPlan {
  repositories: RemoteRepository[];
  skipped: SkippedRepository[];
}

export type PomFetch =
  | {
      ok: true;
      content: string;
      url: string;
      repositoryId: string;
      origin: PomOrigin;
      /** The repository's Last-Modified header for the POM (its deployment time on Maven Central), as sent. */
      lastModified?: string;
    }
  | { ok: false; tried: string[]; reason: string };

export interface MetadataVersion {
  version: string;
  /** Where it was listed: repository ids, `local` for the local repository. */
  repositoryIds: string[];
}

export interface MetadataSource {
  repositoryId: string;
  url: string;
  latest?: string;
  release?: string;
  lastUpdated?: string;
}

export interface MetadataFetch {
  /** Every version listed, in Maven order (lowest first). */
  versions: MetadataVersion[];
  sources: MetadataSource[];
  tried: string[];
  /** Repositories that gave no usable answer (a 404 is an answer: nothing listed there). */
  failures: SkippedRepository[];
}

/** Something worth telling once per run, e.g. an http repository read over https. */
export interface RepositoryNotice {
  repositoryId: string;
  url: string;
  message: string;
}

export interface MavenRepositories {
  /** The repositories asked for an artifact, in order, and those that cannot be used with why. */
  plan(repositories: readonly Repository[]): RepositoryPlan;
  /** The POM of a released or SNAPSHOT version (not a range: pick it first from fetchMetadata). */
  fetchPom(coordinates: Coordinates, repositories: readonly Repository[]): Promise<PomFetch>;
  /** The versions of an artifact listed by the local repository and every repository of the plan. */
  fetchMetadata(
    groupId: string,
    artifactId: string,
    repositories: readonly Repository[],
  ): Promise<MetadataFetch>;
  notices(): RepositoryNotice[];
}

export const LOCAL_REPOSITORY_ID = 'local';

export function createMavenRepositories(options: MavenRepositoriesOptions): MavenRepositories {
  return new Repositories(options);
}

type Outcome =
  | { kind: 'answer'; response: HttpResponse; url: string; tried: string[] }
  | { kind: 'failed'; reason: string; tried: string[] };

type SchemeDecision = { https: true } | { https: false; why: string };

const ID = /^[A-Za-z0-9_.-]+$/;
const BAD_VERSION_CHARACTER = /[\\/:"<>|?*\s\p{Cc}]/u;

class Repositories implements MavenRepositories {
  readonly #client: HttpClient;
  readonly #settings: MavenSettings;
  readonly #local: string | null;
  readonly #allowHttp: boolean;
  readonly #readLocal: (file: string) => Promise<string | undefined>;
  readonly #updateIntervalMs: number;
  readonly #poms = new Map<string, Promise<PomFetch>>();
  readonly #metadata = new Map<string, Promise<MetadataFetch>>();
  /** Per declared http:// repository URL: whether its https twin answers. */
  readonly #schemes = new Map<string, Promise<SchemeDecision>>();
  /** Per repository base URL: why it could not be reached (not asked again in the run). */
  readonly #down = new Map<string, string>();
  readonly #notices = new Map<string, RepositoryNotice>();

  constructor(options: MavenRepositoriesOptions) {
    this.#client = options.client;
    this.#settings = options.settings ?? emptySettings();
    this.#local = options.localRepository;
    this.#allowHttp = options.allowHttp;
    this.#readLocal = options.readLocalFile ?? readLocalFile;
    this.#updateIntervalMs = options.updateIntervalMs ?? DEFAULT_UPDATE_INTERVAL_MS;
  }

  notices(): RepositoryNotice[] {
    return [...this.#notices.values()];
  }

  plan(declared: readonly Repository[]): RepositoryPlan {
    const repositories: RemoteRepository[] = [];
    const skipped: SkippedRepository[] = [];
    const seen = new Set<string>();
    const central: Repository = { ...MAVEN_CENTRAL, snapshots: 'false', line: 0 };
    for (const repository of [...this.#settings.repositories, ...declared, central]) {
      const id = repository.id?.trim();
      const url = repository.url?.trim();
      if (!id || !url) {
        const reason = `a repository without ${id ? 'url' : 'id'}`;
        skipped.push({ id: id ?? '', url: url ? shownUrl(url) : '', reason });
        continue;
      }
      if (seen.has(id)) continue;
      seen.add(id);
      const releases = repository.releases?.trim() !== 'false';
      const snapshots = repository.snapshots?.trim() !== 'false';
      const mirror = selectMirror(this.#settings.mirrors, { id, url });
      if (mirror?.blocked) {
        const reason = `settings mirror ${mirror.id} (${shownUrl(mirror.url)}) blocks it`;
        skipped.push({ id, url: shownUrl(url), reason });
        continue;
      }
      const target = mirror ? { id: mirror.id, url: mirror.url } : { id, url: withSlash(url) };
      const unusable = unusableUrl(target.url);
      if (unusable) {
        skipped.push({ id, url: shownUrl(target.url), reason: unusable });
        continue;
      }
      const existing = mirror && repositories.find((r) => r.id === target.id && r.url === target.url);
      if (existing) {
        existing.releases ||= releases;
        existing.snapshots ||= snapshots;
        existing.mirrorOf?.push(id);
        continue;
      }
      repositories.push({ ...target, releases, snapshots, ...(mirror ? { mirrorOf: [id] } : {}) });
    }
    return { repositories, skipped };
  }

  fetchPom(coordinates: Coordinates, declared: readonly Repository[]): Promise<PomFetch> {
    const problem = invalidCoordinates(coordinates);
    if (problem) return Promise.resolve({ ok: false, tried: [], reason: problem });
    const plan = this.plan(declared);
    const key = `${coordinates.groupId}:${coordinates.artifactId}:${coordinates.version} ${planKey(plan)}`;
    let pending = this.#poms.get(key);
    if (!pending) {
      pending = this.#findPom(coordinates, plan);
      this.#poms.set(key, pending);
    }
    return pending;
  }

  fetchMetadata(
    groupId: string,
    artifactId: string,
    declared: readonly Repository[],
  ): Promise<MetadataFetch> {
    const problem = invalidCoordinates({ groupId, artifactId, version: '0' });
    if (problem) {
      return Promise.resolve({
        versions: [],
        sources: [],
        tried: [],
        failures: [{ id: '', url: '', reason: problem }],
      });
    }
    const plan = this.plan(declared);
    const key = `${groupId}:${artifactId} ${planKey(plan)}`;
    let pending = this.#metadata.get(key);
    if (!pending) {
      pending = this.#findMetadata(groupId, artifactId, plan);
      this.#metadata.set(key, pending);
    }
    return pending;
  }

  async #findPom(coordinates: Coordinates, plan: RepositoryPlan): Promise<PomFetch> {
    const snapshot = isSnapshot(coordinates.version);
    const label = `${coordinates.groupId}:${coordinates.artifactId}:${coordinates.version}`;
    const localPath = this.#localPath(
      artifactDirectory(coordinates),
      pomFileName(coordinates, coordinates.version),
    );
    if (!snapshot) {
      const local = await this.#fromLocal(localPath);
      if (local) return local;
    }
    const tried: string[] = [];
    const reasons: string[] = plan.skipped.map((s) => `${s.id} skipped: ${s.reason}`);
    let eligible = 0;
    for (const repository of plan.repositories) {
      if (!(snapshot ? repository.snapshots : repository.releases)) continue;
      eligible++;
      const result = await this.#pomFrom(repository, coordinates);
      tried.push(...result.tried);
      if (result.kind === 'found') {
        return {
          ok: true,
          content: result.content,
          url: result.url,
          repositoryId: repository.id,
          origin: { kind: 'repository', url: result.url, repositoryId: repository.id },
          ...(result.lastModified !== undefined ? { lastModified: result.lastModified } : {}),
        };
      }
      reasons.push(`${repository.id}: ${result.reason}`);
    }
    if (snapshot) {
      const local = await this.#fromLocal(localPath);
      if (local) return local;
    }
    if (eligible === 0) {
      reasons.push(`no repository accepts ${snapshot ? 'SNAPSHOT' : 'release'} versions`);
    }
    return { ok: false, tried, reason: `${label} was not found: ${reasons.join('; ')}` };
  }

  async #fromLocal(file: string | null): Promise<PomFetch | undefined> {
    if (file === null) return undefined;
    const content = await this.#readLocal(file);
    if (content === undefined || content.length > MAX_XML_CHARS) return undefined;
    return {
      ok: true,
      content,
      url: file,
      repositoryId: LOCAL_REPOSITORY_ID,
      origin: { kind: 'local-repository', path: file },
    };
  }

  #localPath(directory: string, file: string): string | null {
    return this.#local === null ? null : path.join(this.#local, ...directory.split('/'), file);
  }

  async #pomFrom(
    repository: RemoteRepository,
    coordinates: Coordinates,
  ): Promise<
    | { kind: 'found'; content: string; url: string; tried: string[]; lastModified?: string }
    | { kind: 'missing'; reason: string; tried: string[] }
  > {
    const directory = artifactDirectory(coordinates);
    const tried: string[] = [];
    let fileVersion = coordinates.version;
    let policy: CachePolicy = 'immutable';
    if (coordinates.version.endsWith('-SNAPSHOT')) {
      const metadata = await this.#get(repository, `${directory}/maven-metadata.xml`, 'revalidate');
      tried.push(...metadata.tried);
      if (metadata.kind === 'failed') return { kind: 'missing', reason: metadata.reason, tried };
      const timestamped =
        metadata.response.status === 200 ? snapshotPomVersion(decode(metadata.response.body)) : undefined;
      if (timestamped) fileVersion = timestamped;
      else policy = 'revalidate';
    }
    const pom = await this.#get(repository, `${directory}/${pomFileName(coordinates, fileVersion)}`, policy);
    tried.push(...pom.tried);
    if (pom.kind === 'failed') return { kind: 'missing', reason: pom.reason, tried };
    const { status, body } = pom.response;
    if (status === 200) {
      if (body.length > MAX_XML_CHARS) {
        return {
          kind: 'missing',
          reason: `${pom.url} is ${body.length} bytes, more than a POM may have`,
          tried,
        };
      }
      const lastModified = pom.response.headers['last-modified'];
      return {
        kind: 'found',
        content: decode(body),
        url: pom.url,
        tried,
        ...(lastModified !== undefined ? { lastModified } : {}),
      };
    }
    return { kind: 'missing', reason: describeStatus(status, repository, this.#settings), tried };
  }

  async #findMetadata(groupId: string, artifactId: string, plan: RepositoryPlan): Promise<MetadataFetch> {
    const directory = `${groupId.replaceAll('.', '/')}/${artifactId}`;
    const result: MetadataFetch = {
      versions: [],
      sources: [],
      tried: [],
      failures: [...plan.skipped],
    };
    const found = new Map<string, MetadataVersion>();
    const add = (
      repositoryId: string,
      url: string,
      metadata: MetadataContent,
      keep: (v: string) => boolean,
    ) => {
      result.sources.push({ repositoryId, url, ...metadata.summary });
      for (const version of metadata.versions) {
        if (!keep(version)) continue;
        const entry: MetadataVersion = found.get(version) ?? { version, repositoryIds: [] };
        if (!entry.repositoryIds.includes(repositoryId)) entry.repositoryIds.push(repositoryId);
        found.set(version, entry);
      }
    };

    const localFile = this.#localPath(directory, 'maven-metadata-local.xml');
    const localContent = localFile === null ? undefined : await this.#readLocal(localFile);
    if (localFile !== null && localContent !== undefined) {
      const parsed = parseMetadata(localContent, localFile);
      if (parsed.ok) add(LOCAL_REPOSITORY_ID, localFile, parsed, () => true);
      else result.failures.push({ id: LOCAL_REPOSITORY_ID, url: localFile, reason: parsed.reason });
    }

    const eligible = plan.repositories.filter((r) => r.releases || r.snapshots);
    const answers = await Promise.all(
      eligible.map((repository) => this.#get(repository, `${directory}/maven-metadata.xml`, 'revalidate')),
    );
    eligible.forEach((repository, i) => {
      const outcome = answers[i]!;
      result.tried.push(...outcome.tried);
      if (outcome.kind === 'failed') {
        result.failures.push({ id: repository.id, url: shownUrl(repository.url), reason: outcome.reason });
        return;
      }
      const { status, body } = outcome.response;
      if (status === 404 || status === 410) return;
      if (status !== 200) {
        const reason = describeStatus(status, repository, this.#settings);
        result.failures.push({ id: repository.id, url: outcome.url, reason });
        return;
      }
      const parsed = parseMetadata(decode(body), outcome.url);
      if (!parsed.ok) {
        result.failures.push({ id: repository.id, url: outcome.url, reason: parsed.reason });
        return;
      }
      add(repository.id, outcome.url, parsed, (v) =>
        isSnapshot(v) ? repository.snapshots : repository.releases,
      );
    });
    const parsedVersions = [...found.values()].map((entry) => ({
      entry,
      parsed: parseVersion(entry.version),
    }));
    parsedVersions.sort((a, b) => compareVersions(a.parsed, b.parsed));
    result.versions = parsedVersions.map((v) => v.entry);
    return result;
  }

  /**
   * GET a file of a repository: through https for a declared http:// repository on another host, with
   * the repository's credentials, not at all when the repository was unreachable earlier in the run.
   */
  async #get(repository: RemoteRepository, file: string, policy: CachePolicy): Promise<Outcome> {
    if (!repository.url.startsWith('http:') || !isExternalRepository(repository.url)) {
      return this.#request(repository, repository.url, file, policy);
    }
    const https = `https:${repository.url.slice('http:'.length)}`;
    let decision = this.#schemes.get(repository.url);
    let probed: Outcome | undefined;
    if (!decision) {
      let decide!: (decision: SchemeDecision) => void;
      decision = new Promise<SchemeDecision>((resolve) => (decide = resolve));
      this.#schemes.set(repository.url, decision);
      probed = await this.#request(repository, https, file, policy);
      if (probed.kind === 'answer') {
        this.#notice(
          repository,
          `declared with plain http (${shownUrl(repository.url)}): read over https instead`,
        );
        decide({ https: true });
        return probed;
      }
      decide({ https: false, why: probed.reason });
    }
    const decided = await decision;
    if (decided.https) return this.#request(repository, https, file, policy);
    const tried = probed?.tried ?? [];
    if (!this.#allowHttp) {
      return {
        kind: 'failed',
        reason:
          `${shownUrl(repository.url)} is plain http, which Maven 3.8+ blocks, and https failed (${decided.why}); ` +
          'allow plain http repositories to read it',
        tried,
      };
    }
    this.#notice(
      repository,
      `declared with plain http (${shownUrl(repository.url)}); https failed, read over plain http`,
    );
    const outcome = await this.#request(repository, repository.url, file, policy);
    return { ...outcome, tried: [...tried, ...outcome.tried] };
  }

  async #request(
    repository: RemoteRepository,
    base: string,
    file: string,
    policy: CachePolicy,
  ): Promise<Outcome> {
    const url = base + file;
    const down = this.#down.get(base);
    if (down !== undefined) return { kind: 'failed', reason: `not asked: ${down}`, tried: [] };
    const credentials = credentialsFor(this.#settings, repository.id);
    try {
      const response = await this.#client.get({
        url,
        cache: policy,
        ...(policy === 'revalidate' ? { freshForMs: this.#updateIntervalMs } : {}),
        ...credentials,
      });
      return { kind: 'answer', response, url: response.url, tried: [response.url] };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (!(error instanceof HttpError) || error.reason !== 'offline') {
        this.#down.set(base, `${shownUrl(base)} was unreachable earlier in this run (${reason})`);
      }
      return { kind: 'failed', reason, tried: [error instanceof HttpError ? error.url : url] };
    }
  }

  #notice(repository: RemoteRepository, message: string): void {
    if (!this.#notices.has(repository.url)) {
      const url = shownUrl(repository.url);
      this.#notices.set(repository.url, { repositoryId: repository.id, url, message });
    }
  }
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

/** Why a repository URL cannot be used, or undefined when it can; the URL is quoted without credentials. */
function unusableUrl(url: string): string | undefined {
  const placeholder = /\$\{[^}]*\}?/.exec(url);
  if (placeholder) {
    return `its URL ${shownUrl(url)} still holds ${placeholder[0]} after interpolation (define the property, e.g. in a settings profile)`;
  }
  if (!/^https?:\/\//i.test(url) || !URL.canParse(url)) {
    return `its URL ${shownUrl(url)} is not an http(s) URL; only http(s) repositories are read`;
  }
  return undefined;
}

/**
 * A repository URL as messages show it: without the user and password it may carry (`ftp://user:pass@host/`)
 * or a secret query value (publicUrl), else as written. A URL whose authority is not parsed as one
 * (`dav:https://user:pass@host/`, or one that does not parse at all) loses everything from its first `//`
 * to its last `@`, and its query.
 */
function shownUrl(url: string): string {
  const parsed = URL.canParse(url) ? new URL(url) : undefined;
  if (parsed && parsed.host !== '') {
    const shown = publicUrl(parsed);
    return shown === parsed.href ? url : shown;
  }
  return url.replace(/\/\/.*@/s, '//').replace(/\?.*$/s, '?…');
}

function planKey(plan: RepositoryPlan): string {
  return plan.repositories
    .map((r) => `${r.id}=${r.url}${r.releases ? 'R' : ''}${r.snapshots ? 'S' : ''}`)
    .join(' ');
}

/** Why coordinates cannot name a file in a repository (path tricks, ranges, placeholders), or undefined. */
export function invalidCoordinates({ groupId, artifactId, version }: Coordinates): string | undefined {
  const label = `${groupId}:${artifactId}:${version}`;
  if (!ID.test(groupId) || groupId.split('.').some((part) => part === '')) {
    return `${label}: groupId "${groupId}" is not a valid Maven id`;
  }
  if (!ID.test(artifactId) || artifactId === '.' || artifactId === '..') {
    return `${label}: artifactId "${artifactId}" is not a valid Maven id`;
  }
  if (version.includes('${')) return `${label}: the version still holds a \${...} expression`;
  if (isRange(version)) return `${label}: the version is a range; pick a version from the metadata first`;
  if (version === '' || version === '.' || version === '..' || BAD_VERSION_CHARACTER.test(version)) {
    return `${label}: version "${version}" cannot name a file`;
  }
  return undefined;
}

/** `org/example/lib/1.0-SNAPSHOT` (a timestamped SNAPSHOT lives in its -SNAPSHOT folder). */
function artifactDirectory({ groupId, artifactId, version }: Coordinates): string {
  const timestamped = TIMESTAMPED_SNAPSHOT.exec(version);
  const folder = timestamped ? `${timestamped[1]}-SNAPSHOT` : version;
  return `${groupId.replaceAll('.', '/')}/${artifactId}/${folder}`;
}

function pomFileName({ artifactId }: Coordinates, fileVersion: string): string {
  return `${artifactId}-${fileVersion}.pom`;
}

function credentialsFor(
  settings: MavenSettings,
  repositoryId: string,
): { authorization?: string; headers?: Record<string, string> } {
  const server = settings.servers.get(repositoryId);
  if (!server) return {};
  const out: { authorization?: string; headers?: Record<string, string> } = {};
  if (server.username !== undefined && server.password) {
    const pair = `${server.username}:${server.password.reveal()}`;
    out.authorization = `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`;
  }
  for (const [name, value] of server.headers) {
    if (name.toLowerCase() === 'authorization') out.authorization = value.reveal();
    else (out.headers ??= {})[name] = value.reveal();
  }
  return out;
}

function describeStatus(status: number, repository: RemoteRepository, settings: MavenSettings): string {
  const text = `HTTP ${status}${STATUS_CODES[status] ? ` ${STATUS_CODES[status]}` : ''}`;
  if (status === 404 || status === 410) return `not found (${text})`;
  if (status === 401 || status === 403) {
    const server = settings.servers.get(repository.id);
    return server
      ? `${text}: the credentials of settings server ${repository.id} were refused`
      : `${text}: add a <server> with id ${repository.id} and credentials to settings.xml`;
  }
  return text;
}

/**
 * Body bytes to text: a BOM or the XML declaration's encoding decides (old POMs are often ISO-8859-1),
 * UTF-8 otherwise.
 */
function decode(body: Buffer): string {
  if (body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) return body.subarray(3).toString('utf8');
  if (body[0] === 0xff && body[1] === 0xfe) return new TextDecoder('utf-16le').decode(body.subarray(2));
  if (body[0] === 0xfe && body[1] === 0xff) return new TextDecoder('utf-16be').decode(body.subarray(2));
  const declared = /^<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(
    body.subarray(0, 200).toString('latin1'),
  )?.[1];
  if (declared && !/^utf-?8$/i.test(declared)) {
    try {
      return new TextDecoder(declared).decode(body);
    } catch {
      // an encoding TextDecoder does not know: UTF-8 is the best guess
    }
  }
  return body.toString('utf8');
}

interface MetadataContent {
  ok: true;
  versions: string[];
  summary: { latest?: string; release?: string; lastUpdated?: string };
}

type ParsedMetadata = MetadataContent | { ok: false; reason: string };

function parseMetadata(content: string, source: string): ParsedMetadata {
  const xml = parseXml(content, source, 'maven.metadata.invalid-xml');
  if (!xml.ok) return { ok: false, reason: xml.problem.message };
  if (xml.root.name !== 'metadata') {
    return { ok: false, reason: `${source}: the root element is <${xml.root.name}>, not <metadata>` };
  }
  const versioning = child(xml.root, 'versioning');
  const versions = children(child(versioning, 'versions'), 'version')
    .map((v) => v.text)
    .filter(
      (v) => v !== '' && invalidCoordinates({ groupId: 'g', artifactId: 'a', version: v }) === undefined,
    );
  const summary: { latest?: string; release?: string; lastUpdated?: string } = {};
  for (const name of ['latest', 'release', 'lastUpdated'] as const) {
    const value = text(versioning, name);
    if (value !== undefined) summary[name] = value;
  }
  return { ok: true, versions, summary };
}

/**
 * The file version of a SNAPSHOT's POM from `<version>/maven-metadata.xml`: the `pom` entry of
 * snapshotVersions, else `timestamp-buildNumber`; undefined for a non-unique (`-SNAPSHOT.pom`) deployment.
 */
export function snapshotPomVersion(content: string): string | undefined {
  const parsed = parseXml(content, 'maven-metadata.xml', 'maven.metadata.invalid-xml');
  if (!parsed.ok) return undefined;
  const root = parsed.root;
  const versioning = child(root, 'versioning');
  const entry = children(child(versioning, 'snapshotVersions'), 'snapshotVersion').find(
    (v) => text(v, 'extension') === 'pom' && text(v, 'classifier') === undefined,
  );
  const value = text(entry, 'value');
  if (value !== undefined && !BAD_VERSION_CHARACTER.test(value)) return value;
  const snapshot = child(versioning, 'snapshot');
  if (text(snapshot, 'localCopy') === 'true') return undefined;
  const timestamp = text(snapshot, 'timestamp');
  const buildNumber = text(snapshot, 'buildNumber');
  const version = text(root, 'version');
  if (!timestamp || !buildNumber || !version?.endsWith('-SNAPSHOT')) return undefined;
  if (!/^\d{8}\.\d{6}$/.test(timestamp) || !/^\d+$/.test(buildNumber)) return undefined;
  return `${version.slice(0, -'-SNAPSHOT'.length)}-${timestamp}-${buildNumber}`;
}

/** The local repository reader: a file's text, or undefined when it is absent, unreadable or too large. */
async function readLocalFile(file: string): Promise<string | undefined> {
  try {
    const info = await stat(file);
    if (!info.isFile() || info.size > MAX_XML_CHARS) return undefined;
    return decode(await readFile(file));
  } catch {
    return undefined;
  }
}
