// @ts-check
/**
 * The repositories a GitHub emulator serves, read from a folder laid out like ../shared/corpus/github/:
 * `ORG/REPO/repo.json` (metadata and the full recursive tree) and `ORG/REPO/files/PATH` (the bytes of the
 * captured files). Everything is indexed once at start so that each request is a few map lookups.
 *
 * Optional repo.json fields beyond the corpus ones (the hand-written fixtures use them): `topics`,
 * `visibility` ('public' | 'private' | 'internal'), `license_spdx` (else guessed from the LICENSE file's
 * first line). A repository whose tree is empty and whose `head_sha` is null is an empty repository.
 *
 * The default branch's history, for `Commit.history`: `history` ([{ date, author }], any order) when
 * given, else made up from the corpus counts: `commit_count_last_365d` commits spread evenly over the 365
 * days up to `pushed_at`, by `distinct_authors_last_365d` authors in turn (a synthetic e-mail each, half
 * of them with a GitHub account), plus the first commit at `created_at`. Also optional: `releases`
 * ([{ tag, published_at, prerelease?, draft? }]), `security_policy` (else: a SECURITY.md at the root,
 * in .github/ or docs/), `funding_links` ([{ platform, url }]), `disabled`, `stargazers_count`, and
 * `forks`: the repository's forks, each { owner, name?, pushed_at, archived?, history? or
 * commit_count_last_365d?, releases?, stargazers_count? }, served by `Repository.forks` with the parent's
 * tree (a fork is not served on its own as `repository(owner, name)`).
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * @typedef {{ path: string, type: 'blob' | 'tree' | 'commit', size: number | null, sha: string }} TreeEntry
 * @typedef {{ spdx: string, key: string, name: string }} License
 * @typedef {{ oid: string, date: string, name: string, email: string, userId: string | null }} CommitRecord
 * @typedef {{ tag: string, publishedAt: string, prerelease: boolean, draft: boolean }} ReleaseRecord
 * @typedef {{
 *   owner: string, name: string, fullName: string, id: number, defaultBranch: string,
 *   headSha: string | null, rootTreeSha: string | null, pushedAt: string | null, createdAt: string,
 *   description: string | null, archived: boolean, fork: boolean, topics: string[],
 *   visibility: 'public' | 'private' | 'internal', license: License | null, filesDir: string,
 *   entries: TreeEntry[], children: Map<string, TreeEntry[]>, trees: Map<string, string>,
 *   blobs: Map<string, TreeEntry>, byPath: Map<string, TreeEntry>, size: number,
 *   commits: CommitRecord[], releases: ReleaseRecord[], securityPolicy: boolean,
 *   fundingLinks: { platform: string, url: string }[], disabled: boolean, stars: number, forks: Repo[]
 * }} Repo
 */

/** First lines of LICENSE files and the SPDX identifiers GitHub's licensee would report for them. */
const LICENSES = [
  { pattern: /^\s*MIT License/i, spdx: 'MIT', key: 'mit', name: 'MIT License' },
  {
    pattern: /^\s*BSD 3-Clause/i,
    spdx: 'BSD-3-Clause',
    key: 'bsd-3-clause',
    name: 'BSD 3-Clause "New" or "Revised" License',
  },
  {
    pattern: /^\s*BSD 2-Clause/i,
    spdx: 'BSD-2-Clause',
    key: 'bsd-2-clause',
    name: 'BSD 2-Clause "Simplified" License',
  },
  { pattern: /^\s*Apache License/i, spdx: 'Apache-2.0', key: 'apache-2.0', name: 'Apache License 2.0' },
  {
    pattern: /^\s*GNU AFFERO GENERAL PUBLIC LICENSE/i,
    spdx: 'AGPL-3.0',
    key: 'agpl-3.0',
    name: 'GNU Affero General Public License v3.0',
  },
  {
    pattern: /^\s*GNU GENERAL PUBLIC LICENSE/i,
    spdx: 'GPL-3.0',
    key: 'gpl-3.0',
    name: 'GNU General Public License v3.0',
  },
  {
    pattern: /^\s*Mozilla Public License/i,
    spdx: 'MPL-2.0',
    key: 'mpl-2.0',
    name: 'Mozilla Public License 2.0',
  },
];
const OTHER_LICENSE = { spdx: 'NOASSERTION', key: 'other', name: 'Other' };

export class GithubCorpus {
  /** @param {Repo[]} repos */
  constructor(repos) {
    /** @type {Map<string, Repo>} keyed by lower-cased `owner/name`, as GitHub matches names */
    this.repos = new Map(repos.map((r) => [r.fullName.toLowerCase(), r]));
  }

  /** @param {string} owner @param {string} name */
  repo(owner, name) {
    return this.repos.get(`${owner}/${name}`.toLowerCase());
  }

  /** @param {string} owner @returns {Repo[] | undefined} undefined when no repository has this owner */
  reposOf(owner) {
    const wanted = owner.toLowerCase();
    const found = [...this.repos.values()].filter((r) => r.owner.toLowerCase() === wanted);
    return found.length > 0 ? found : undefined;
  }

  /** @param {string} owner the owner's login as stored (its case), or undefined */
  ownerLogin(owner) {
    return this.reposOf(owner)?.[0]?.owner;
  }

  /**
   * Moves a repository's HEAD to a new commit (as a push would): its root tree sha changes with it.
   * @param {string} fullName @param {string} sha
   */
  moveHead(fullName, sha) {
    const repo = this.repos.get(fullName.toLowerCase());
    if (!repo) throw new Error(`no repository ${fullName}`);
    repo.headSha = sha;
    if (repo.rootTreeSha !== null) repo.trees.delete(repo.rootTreeSha);
    repo.rootTreeSha = syntheticSha(`tree:${sha}`);
    repo.trees.set(repo.rootTreeSha, '');
  }

  /**
   * The folder a tree-ish names: a tree sha, the HEAD commit sha, the default branch, `HEAD`.
   * @param {Repo} repo @param {string} treeish @returns {string | undefined}
   */
  resolveTree(repo, treeish) {
    if (repo.headSha === null) return undefined;
    const ref = treeish.replace(/^refs\/heads\//, '');
    if (ref === 'HEAD' || ref === repo.defaultBranch || ref === repo.headSha) return '';
    return repo.trees.get(treeish);
  }

  /**
   * The commit a ref names, as `GET /repos/{o}/{r}/commits/{ref}` resolves it: the default branch (also as
   * `refs/heads/...`), `HEAD`, or the HEAD sha in full or abbreviated to 7 characters or more. The corpus
   * records one commit per repository, so any other ref names no commit.
   * @param {Repo} repo @param {string} ref @returns {string | undefined}
   */
  resolveCommit(repo, ref) {
    const head = repo.headSha;
    if (head === null) return undefined;
    const branch = ref.replace(/^refs\/heads\//, '');
    if (branch === 'HEAD' || branch === repo.defaultBranch) return head;
    if (/^[0-9a-f]{7,40}$/i.test(ref) && head.startsWith(ref.toLowerCase())) return head;
    return undefined;
  }

  /** @param {Repo} repo @param {string} filePath @returns {Promise<Buffer | undefined>} */
  async fileBytes(repo, filePath) {
    const file = path.resolve(repo.filesDir, filePath);
    if (!file.startsWith(repo.filesDir + path.sep)) return undefined;
    try {
      return await readFile(file);
    } catch {
      return undefined;
    }
  }
}

/**
 * Reads every `ORG/REPO/repo.json` under `dir`.
 * @param {string} dir @returns {Promise<GithubCorpus>}
 */
export async function loadCorpus(dir) {
  const root = path.resolve(dir);
  /** @type {Repo[]} */
  const repos = [];
  for (const org of await subfolders(root)) {
    for (const name of await subfolders(path.join(root, org))) {
      const folder = path.join(root, org, name);
      if (!existsSync(path.join(folder, 'repo.json'))) continue;
      const raw = JSON.parse(await readFile(path.join(folder, 'repo.json'), 'utf8'));
      repos.push(await indexRepo(raw, folder));
    }
  }
  return new GithubCorpus(repos);
}

/** @param {string} dir */
async function subfolders(dir) {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

/**
 * @param {Record<string, any>} raw
 * @param {string} folder
 * @returns {Promise<Repo>}
 */
async function indexRepo(raw, folder) {
  /** @type {TreeEntry[]} */
  const entries = Array.isArray(raw.tree) ? raw.tree : [];
  const filesDir = path.join(folder, 'files');
  const fullName = String(raw.full_name ?? `${raw.owner}/${raw.name}`);
  const headSha = typeof raw.head_sha === 'string' && entries.length > 0 ? raw.head_sha : null;
  const rootTreeSha = headSha === null ? null : syntheticSha(`tree:${headSha}`);
  /** @type {Map<string, TreeEntry[]>} */
  const children = new Map([['', []]]);
  /** @type {Map<string, string>} tree sha -> folder ('' for the root) */
  const trees = new Map();
  if (rootTreeSha !== null) trees.set(rootTreeSha, '');
  /** @type {Map<string, TreeEntry>} */
  const blobs = new Map();
  /** @type {Map<string, TreeEntry>} */
  const byPath = new Map();
  let size = 0;
  for (const entry of entries) {
    byPath.set(entry.path, entry);
    const parent = parentOf(entry.path);
    let siblings = children.get(parent);
    if (!siblings) children.set(parent, (siblings = []));
    siblings.push(entry);
    if (entry.type === 'tree') {
      if (!children.has(entry.path)) children.set(entry.path, []);
      if (!trees.has(entry.sha)) trees.set(entry.sha, entry.path);
    } else if (entry.type === 'blob') {
      size += entry.size ?? 0;
      const known = blobs.get(entry.sha);
      if (
        !known ||
        (!existsSync(path.join(filesDir, known.path)) && existsSync(path.join(filesDir, entry.path)))
      ) {
        blobs.set(entry.sha, entry);
      }
    }
  }
  return {
    owner: String(raw.owner),
    name: String(raw.name),
    fullName,
    id: numericId(fullName),
    defaultBranch: String(raw.default_branch ?? 'main'),
    headSha,
    rootTreeSha,
    pushedAt: raw.pushed_at ?? null,
    createdAt: raw.created_at ?? raw.pushed_at ?? '2008-04-10T00:00:00Z',
    description: raw.description ?? null,
    archived: raw.archived === true,
    fork: raw.fork === true,
    topics: Array.isArray(raw.topics) ? raw.topics.map(String) : [],
    visibility: raw.visibility === 'private' || raw.visibility === 'internal' ? raw.visibility : 'public',
    license: await licenseOf(raw, filesDir),
    filesDir,
    entries,
    children,
    trees,
    blobs,
    byPath,
    size: Math.ceil(size / 1024),
    commits: historyOf(raw, fullName),
    releases: releasesOf(raw),
    securityPolicy:
      typeof raw.security_policy === 'boolean'
        ? raw.security_policy
        : ['SECURITY.md', '.github/SECURITY.md', 'docs/SECURITY.md'].some((p) => byPath.has(p)),
    fundingLinks: Array.isArray(raw.funding_links)
      ? raw.funding_links.map((/** @type {any} */ l) => ({
          platform: String(l?.platform ?? 'CUSTOM'),
          url: String(l?.url ?? ''),
        }))
      : [],
    disabled: raw.disabled === true,
    stars: Math.max(0, Number(raw.stargazers_count) || 0),
    forks: await forksOf(raw, folder),
  };
}

/**
 * A repository's forks: each a repository with the parent's tree and its own dates, history and releases.
 * @param {Record<string, any>} raw @param {string} folder @returns {Promise<Repo[]>}
 */
async function forksOf(raw, folder) {
  if (!Array.isArray(raw.forks)) return [];
  /** @type {Repo[]} */
  const forks = [];
  for (const fork of raw.forks) {
    const owner = String(fork?.owner ?? '');
    const name = String(fork?.name ?? raw.name);
    forks.push(
      await indexRepo(
        {
          ...raw,
          ...fork,
          owner,
          name,
          full_name: `${owner}/${name}`,
          fork: true,
          archived: fork?.archived === true,
          history: fork?.history,
          releases: fork?.releases,
          stargazers_count: fork?.stargazers_count ?? 0,
          forks: undefined,
        },
        folder,
      ),
    );
  }
  return forks;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The default branch's commits, newest first (see the header comment).
 * @param {Record<string, any>} raw @param {string} fullName @returns {CommitRecord[]}
 */
function historyOf(raw, fullName) {
  /** @type {{ date: string, author: string }[]} */
  let made = [];
  if (Array.isArray(raw.history)) {
    made = raw.history.map((/** @type {any} */ c) => ({ date: String(c.date), author: String(c.author) }));
  } else if (typeof raw.pushed_at === 'string') {
    const end = Date.parse(raw.pushed_at);
    const count = Math.max(0, Number(raw.commit_count_last_365d) || 0);
    const authors = Math.max(1, Number(raw.distinct_authors_last_365d) || 1);
    for (let i = 0; i < count; i++) {
      made.push({
        date: new Date(end - Math.floor((i * 365 * DAY_MS) / count)).toISOString(),
        author: `a${i % authors}`,
      });
    }
    const created = Date.parse(raw.created_at ?? '');
    if (Number.isFinite(created) && created < end - 365 * DAY_MS) {
      made.push({ date: new Date(created).toISOString(), author: 'a0' });
    }
  }
  return made
    .filter((c) => Number.isFinite(Date.parse(c.date)))
    .sort((a, b) => Date.parse(b.date) - Date.parse(a.date))
    .map((c, i) => {
      const n = Number(/\d+$/.exec(c.author)?.[0] ?? 0);
      return {
        oid: syntheticSha(`commit:${fullName}:${i}:${c.date}`),
        date: new Date(Date.parse(c.date)).toISOString(),
        name: `Author ${c.author}`,
        email: `${c.author}@users.noreply.example`,
        userId: n % 2 === 0 ? `U_${syntheticSha(`user:${c.author}`).slice(0, 12)}` : null,
      };
    });
}

/** @param {Record<string, any>} raw @returns {ReleaseRecord[]} newest first */
function releasesOf(raw) {
  if (!Array.isArray(raw.releases)) return [];
  return raw.releases
    .map((/** @type {any} */ r) => ({
      tag: String(r.tag),
      publishedAt: new Date(Date.parse(r.published_at)).toISOString(),
      prerelease: r.prerelease === true,
      draft: r.draft === true,
    }))
    .sort(
      (/** @type {ReleaseRecord} */ a, /** @type {ReleaseRecord} */ b) =>
        Date.parse(b.publishedAt) - Date.parse(a.publishedAt),
    );
}

/** @param {Record<string, any>} raw @param {string} filesDir @returns {Promise<License | null>} */
async function licenseOf(raw, filesDir) {
  if (typeof raw.license_spdx === 'string') {
    const known = LICENSES.find((l) => l.spdx === raw.license_spdx);
    return known ? { spdx: known.spdx, key: known.key, name: known.name } : OTHER_LICENSE;
  }
  if (typeof raw.license_file !== 'string') return null;
  let text;
  try {
    text = await readFile(path.join(filesDir, raw.license_file), 'utf8');
  } catch {
    return OTHER_LICENSE;
  }
  const known = LICENSES.find((l) => l.pattern.test(text));
  return known ? { spdx: known.spdx, key: known.key, name: known.name } : OTHER_LICENSE;
}

/** @param {string} p */
export function parentOf(p) {
  const slash = p.lastIndexOf('/');
  return slash < 0 ? '' : p.slice(0, slash);
}

/** A stable sha-like id for objects the corpus does not record (the root tree). @param {string} seed */
export function syntheticSha(seed) {
  return createHash('sha1').update(seed).digest('hex');
}

/** A stable positive repository id derived from its name. @param {string} fullName */
function numericId(fullName) {
  return (
    (createHash('sha1').update(fullName.toLowerCase()).digest().readUInt32BE(0) % 900_000_000) + 1_000_000
  );
}
