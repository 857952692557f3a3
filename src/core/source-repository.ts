import type { Component, Inventory, RegistryFacts, SourceRepository, Subject } from './model.js';

/**
 * The source repository of a component, from what its package declares: npm's `repository` (else its
 * `homepage` when that is a code host's page), a POM's `scm` and `url` through the parent chain, or, for
 * first-party code, the GitHub repository that was scanned. Pure: strings in, a normalised
 * `https://host/owner/name` out, with how sure we are that it is the component's own repository.
 */

/** A repository URL taken apart. `owner` and `name` only on the code hosts whose layout is known. */
export interface ParsedRepositoryUrl {
  url: string;
  host: string;
  owner?: string;
  name?: string;
  directory?: string;
  /** Read from a mirror's address (Apache's gitbox): the GitHub repository it mirrors. */
  mirrored?: true;
}

const MAX_URL_LENGTH = 2048;

const SHORTHAND_HOSTS: Record<string, string> = {
  github: 'github.com',
  gitlab: 'gitlab.com',
  bitbucket: 'bitbucket.org',
};

/** First path segments of github.com that are not an owner. */
const GITHUB_NOT_OWNERS = new Set([
  'about',
  'apps',
  'collections',
  'enterprise',
  'explore',
  'features',
  'login',
  'marketplace',
  'orgs',
  'settings',
  'sponsors',
  'topics',
  'users',
]);

/** Third path segments of github.com that are pages of the repository, not a folder Maven appended. */
const GITHUB_PAGES = new Set([
  'actions',
  'archive',
  'commits',
  'compare',
  'discussions',
  'issues',
  'packages',
  'pull',
  'pulls',
  'releases',
  'security',
  'tags',
  'wiki',
]);

const GITHUB_OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
const REPOSITORY_NAME = /^[A-Za-z0-9._-]{1,100}$/;
/** Apache's own git hosts; every Apache repository is mirrored at github.com/apache/NAME. */
const APACHE_GIT_HOSTS = new Set(['gitbox.apache.org', 'git-wip-us.apache.org', 'git.apache.org']);

/**
 * Takes apart what package metadata writes as a repository: `github:o/n`, `gitlab:o/n`, `bitbucket:o/n`,
 * `o/n`, `git+https://h/o/n.git`, `git://h/o/n`, `git+ssh://git@h/o/n.git`, `git@h:o/n.git`, Maven's
 * `scm:git:...` (and `scm:git|...`), with `#ref` and `?query` dropped. On GitHub a `tree/REF/PATH` or a
 * path Maven appended (`https://github.com/o/n/module`) becomes `directory`. Undefined for what is not a
 * repository address (an e-mail, `${unresolved}`, a CVS root, plain text).
 */
export function parseRepositoryUrl(value: string): ParsedRepositoryUrl | undefined {
  let text = value.trim();
  if (text === '' || text.length > MAX_URL_LENGTH || /\s|\$\{/.test(text)) return undefined;
  const scm = /^scm:([a-z0-9]+)[:|](.*)$/i.exec(text);
  if (scm) {
    const provider = scm[1]!.toLowerCase();
    if (provider !== 'git' && provider !== 'svn' && provider !== 'hg') return undefined;
    text = scm[2]!;
  }
  const shorthand = /^(github|gitlab|bitbucket):([^#?]+)/i.exec(text);
  if (shorthand) {
    return fromHostAndPath(SHORTHAND_HOSTS[shorthand[1]!.toLowerCase()]!, shorthand[2]!, '');
  }
  if (/^gist:/i.test(text)) return undefined;
  if (/^[\w.-]+\/[\w.-]+(?:#.*)?$/.test(text) && !text.includes('://')) {
    return fromHostAndPath('github.com', text.replace(/#.*$/, ''), '');
  }
  const scp = /^(?:[\w.-]+@)?([\w.-]+\.[a-z]{2,}):(?!\/\/)([^#?]+)/i.exec(text);
  if (scp && !/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return fromHostAndPath(scp[1]!, scp[2]!, '');
  const scheme = /^(?:git\+)?(https?|git|ssh|svn|svn\+ssh):\/\//i.exec(text);
  if (!scheme) return undefined;
  let url: URL;
  try {
    url = new URL(`https://${text.slice(scheme[0].length)}`);
  } catch {
    return undefined;
  }
  if (!url.hostname.includes('.')) return undefined;
  return fromHostAndPath(url.hostname, decodePath(url.pathname), url.search);
}

function decodePath(pathname: string): string {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return pathname;
  }
}

function fromHostAndPath(rawHost: string, rawPath: string, search: string): ParsedRepositoryUrl | undefined {
  const host = rawHost.toLowerCase().replace(/^www\./, '');
  const segments = rawPath
    .replace(/#.*$/, '')
    .split('/')
    .filter((s) => s !== '' && s !== '.');
  if (segments.some((s) => s === '..')) return undefined;
  if (host === 'github.com') return github(segments);
  if (host === 'gitlab.com') return gitlab(segments);
  if (host === 'bitbucket.org') return bitbucket(segments);
  if (APACHE_GIT_HOSTS.has(host)) return apacheMirror(segments, search) ?? other(host, segments);
  return other(host, segments);
}

function github(segments: string[]): ParsedRepositoryUrl | undefined {
  const [owner, rawName, page, , ...rest] = segments;
  if (!owner || !rawName || GITHUB_NOT_OWNERS.has(owner.toLowerCase()) || !GITHUB_OWNER.test(owner)) {
    return other('github.com', segments);
  }
  const name = stripGit(rawName);
  if (!REPOSITORY_NAME.test(name) || name === '.git') return other('github.com', segments);
  let directory: string | undefined;
  if (page === 'tree') directory = rest.join('/');
  else if (page === 'blob') directory = rest.slice(0, -1).join('/');
  else if (page !== undefined && !GITHUB_PAGES.has(page.toLowerCase()))
    directory = segments.slice(2).join('/');
  return repository('github.com', owner, name, directory);
}

/** GitLab: groups nest (`group/subgroup/project`); `/-/` starts the project's pages. */
function gitlab(segments: string[]): ParsedRepositoryUrl | undefined {
  const dash = segments.indexOf('-');
  const project = dash < 0 ? segments : segments.slice(0, dash);
  if (project.length < 2) return other('gitlab.com', segments);
  const name = stripGit(project.at(-1)!);
  const owner = project.slice(0, -1).join('/');
  if (!REPOSITORY_NAME.test(name)) return other('gitlab.com', segments);
  const pages = dash < 0 ? [] : segments.slice(dash + 1);
  const directory = pages[0] === 'tree' || pages[0] === 'blob' ? pages.slice(2).join('/') : undefined;
  return repository('gitlab.com', owner, name, directory);
}

function bitbucket(segments: string[]): ParsedRepositoryUrl | undefined {
  const [owner, rawName, page, , ...rest] = segments;
  if (!owner || !rawName) return other('bitbucket.org', segments);
  const name = stripGit(rawName);
  if (!REPOSITORY_NAME.test(name)) return other('bitbucket.org', segments);
  return repository('bitbucket.org', owner, name, page === 'src' ? rest.join('/') : undefined);
}

/** `gitbox.apache.org/repos/asf?p=NAME.git`, `.../repos/asf/NAME.git`, `git.apache.org/NAME.git`. */
function apacheMirror(segments: string[], search: string): ParsedRepositoryUrl | undefined {
  const fromQuery = /[?&;]p=([^&;]+)/.exec(search)?.[1];
  const candidate =
    fromQuery ?? (segments[0] === 'repos' && segments[1] === 'asf' ? segments[2] : segments.at(-1));
  if (!candidate) return undefined;
  const name = stripGit(candidate);
  if (!REPOSITORY_NAME.test(name) || name === 'asf' || name === 'repos') return undefined;
  return { ...repository('github.com', 'apache', name, undefined), mirrored: true };
}

function other(host: string, segments: string[]): ParsedRepositoryUrl {
  const path = segments.map((s, i) => (i === segments.length - 1 ? stripGit(s) : s)).join('/');
  return { url: path ? `https://${host}/${path}` : `https://${host}`, host };
}

function repository(host: string, owner: string, name: string, directory: string | undefined) {
  const parsed: ParsedRepositoryUrl = { url: `https://${host}/${owner}/${name}`, host, owner, name };
  const cleaned = directory?.replace(/^\/+|\/+$/g, '');
  if (cleaned) parsed.directory = cleaned;
  return parsed;
}

function stripGit(segment: string): string {
  return segment.replace(/\.git$/i, '');
}

function sourceOf(
  parsed: ParsedRepositoryUrl,
  confidence: SourceRepository['confidence'],
  from: string,
  directory?: string,
): SourceRepository {
  const lowered = parsed.mirrored && confidence === 'high' ? 'medium' : confidence;
  const result: SourceRepository = { url: parsed.url, host: parsed.host, confidence: lowered, from };
  if (parsed.owner !== undefined) result.owner = parsed.owner;
  if (parsed.name !== undefined) result.name = parsed.name;
  const folder = directory ?? parsed.directory;
  if (folder) result.directory = folder;
  return result;
}

/**
 * npm: the `repository` the registry gives for the version (its `directory` wins over a folder in the
 * URL). Without one, a `homepage` on a code host (`https://github.com/o/n#readme`) stands in, with less
 * confidence: a homepage may be a fork's or an organisation's. A repository on a host whose layout is not
 * known is kept, without owner and name.
 */
export function npmSourceRepository(registry: RegistryFacts): SourceRepository | undefined {
  const declared = registry.repository;
  const parsed = declared ? parseRepositoryUrl(declared.url) : undefined;
  if (parsed) {
    const confidence = parsed.owner ? 'high' : 'medium';
    const directory = declared?.directory?.replace(/^\.?\/+/, '').replace(/\/+$/, '') || undefined;
    return sourceOf(parsed, confidence, 'npm repository', directory);
  }
  const home = registry.homepage ? parseRepositoryUrl(registry.homepage) : undefined;
  if (home?.owner) return sourceOf(home, 'medium', 'homepage');
  return undefined;
}

/** A POM field that can name the repository, in the order they are tried. */
export type PomSourceField = 'scm.url' | 'scm.connection' | 'scm.developerConnection' | 'url';
const POM_FIELDS: readonly PomSourceField[] = ['scm.url', 'scm.connection', 'scm.developerConnection', 'url'];

export interface PomCoordinates {
  groupId: string;
  artifactId: string;
  version: string;
}

/** One of the artifact's effective `scm` / `url` values and the POM of its parent chain that wrote it. */
export interface PomSourceDeclaration {
  field: PomSourceField;
  /** The effective value: inherited (with Maven's appended path) and interpolated. */
  value: string;
  /** 0: the artifact's own POM; 1: its parent; ... */
  depth: number;
  /** The POM that wrote it. */
  declaredBy: PomCoordinates;
  /** The value as that POM wrote it, before interpolation. */
  raw: string;
}

/** `${project.artifactId}` and the like: a parent that writes one means a URL made for each child. */
const PER_CHILD = /\$\{(?:project\.|pom\.)?(?:artifactId|name)\}/;

/**
 * Maven: the artifact's `scm/url`, `scm/connection`, `scm/developerConnection`, then its project `url`
 * (only when that is a code host's repository page), what the nearest POM of the chain wrote first. Declared by the artifact's own POM:
 * high confidence. Inherited, the value is the parent's with the artifactId appended (Maven's rule), which
 * is right for a module of a multi-module build and wrong for a child of an organisation-wide parent
 * (`org.sonatype.oss:oss-parent`, `org.apache:apache`): medium when the parent shares the groupId or
 * builds the URL from `${project.artifactId}`, low otherwise.
 */
export function mavenSourceRepository(
  artifact: PomCoordinates,
  declarations: readonly PomSourceDeclaration[],
): SourceRepository | undefined {
  let fallback: SourceRepository | undefined;
  const nearestFirst = [...declarations].sort(
    (a, b) => a.depth - b.depth || POM_FIELDS.indexOf(a.field) - POM_FIELDS.indexOf(b.field),
  );
  for (const declaration of nearestFirst) {
    const field = declaration.field;
    const parsed = parseRepositoryUrl(declaration.value);
    if (!parsed) continue;
    const confidence = pomConfidence(artifact, declaration);
    const { groupId, artifactId, version } = declaration.declaredBy;
    const from = `pom ${field.replace('.', '/')} (${groupId}:${artifactId}:${version})`;
    // A parent's `.../${project.artifactId}` already names the child: what Maven appended is no folder.
    if (declaration.depth > 0 && PER_CHILD.test(declaration.raw)) delete parsed.directory;
    if (parsed.owner) return sourceOf(parsed, confidence, from);
    if (field !== 'url') fallback ??= sourceOf(parsed, confidence === 'high' ? 'medium' : 'low', from);
  }
  return fallback;
}

function pomConfidence(
  artifact: PomCoordinates,
  declaration: PomSourceDeclaration,
): SourceRepository['confidence'] {
  if (declaration.depth === 0) return declaration.field === 'url' ? 'medium' : 'high';
  const perChild = PER_CHILD.test(declaration.raw);
  return perChild || declaration.declaredBy.groupId === artifact.groupId ? 'medium' : 'low';
}

/**
 * First-party code: the GitHub repository the project was read from, with the project's folder. A local
 * folder says nothing of where it is hosted.
 */
export function firstPartySourceRepository(
  subject: Subject,
  projectPath: string,
): SourceRepository | undefined {
  if (subject.type !== 'github') return undefined;
  const parsed = parseRepositoryUrl(subject.location);
  if (!parsed?.owner) return undefined;
  return sourceOf(parsed, 'high', 'first-party', projectPath === '.' ? undefined : projectPath);
}

/** `host/owner/name` in lower case: GitHub matches names without regard to case. */
export function repositoryKey(
  repository: Pick<SourceRepository, 'host' | 'owner' | 'name'>,
): string | undefined {
  if (!repository.owner || !repository.name) return undefined;
  return `${repository.host}/${repository.owner}/${repository.name}`.toLowerCase();
}

/**
 * Each component's source repository: first-party code maps to the GitHub repository it was scanned from
 * (`builtBy`); otherwise what its resolver found (Maven's effective POM), what the npm registry declares,
 * or, for a git dependency, the repository it is fetched from. Components keep any other field as is.
 */
export function assignSourceRepositories(inventory: Inventory): Inventory {
  const subjects = new Map(inventory.subjects.map((s) => [s.name, s]));
  const projects = new Map(inventory.projects.map((p) => [p.id, p]));
  const components = inventory.components.map((component) => {
    const found = sourceRepositoryOf(component, (id) => {
      const project = projects.get(id);
      const subject = project ? subjects.get(project.subject) : undefined;
      return project && subject ? firstPartySourceRepository(subject, project.path) : undefined;
    });
    if (!found) return component;
    return { ...component, sourceRepository: found };
  });
  return { ...inventory, components };
}

function sourceRepositoryOf(
  component: Component,
  firstParty: (projectId: string) => SourceRepository | undefined,
): SourceRepository | undefined {
  for (const id of component.builtBy ?? []) {
    const own = firstParty(id);
    if (own) return own;
  }
  if (component.sourceRepository) return component.sourceRepository;
  if (component.registry?.status === 'found') {
    const declared = npmSourceRepository(component.registry);
    if (declared) return declared;
  }
  if (component.sourceKind === 'git' && component.resolved) {
    const parsed = parseRepositoryUrl(component.resolved);
    if (parsed?.owner) return sourceOf(parsed, 'high', 'git dependency');
  }
  return undefined;
}
