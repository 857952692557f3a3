// @ts-check
/**
 * REST response bodies of the GitHub emulator, each typed with GitHub's own OpenAPI description
 * (`@octokit/openapi-types`) so that `tsc --checkJs` rejects a shape GitHub does not send
 * (test/github-emulator-types.test.ts runs that check).
 */
import { Buffer } from 'node:buffer';
import { parentOf } from './github-corpus.js';

/**
 * @typedef {import('@octokit/openapi-types').components['schemas']} Schemas
 * @typedef {import('./github-corpus.js').Repo} Repo
 * @typedef {import('./github-corpus.js').TreeEntry} TreeEntry
 */

const MODES = { blob: '100644', tree: '040000', commit: '160000' };
const WEB = 'https://github.com';

/** @param {string} api base URL without trailing slash @param {string} login @returns {Schemas['simple-user']} */
export function simpleUser(api, login) {
  const url = `${api}/users/${login}`;
  return {
    login,
    id: idOf(login),
    node_id: nodeId('O_', login),
    avatar_url: `https://avatars.githubusercontent.com/u/${idOf(login)}?v=4`,
    gravatar_id: '',
    url,
    html_url: `${WEB}/${login}`,
    followers_url: `${url}/followers`,
    following_url: `${url}/following{/other_user}`,
    gists_url: `${url}/gists{/gist_id}`,
    starred_url: `${url}/starred{/owner}{/repo}`,
    subscriptions_url: `${url}/subscriptions`,
    organizations_url: `${url}/orgs`,
    repos_url: `${url}/repos`,
    events_url: `${url}/events{/privacy}`,
    received_events_url: `${url}/received_events`,
    type: 'Organization',
    site_admin: false,
  };
}

/** @param {string} api @param {Repo} repo @returns {Schemas['minimal-repository']} */
export function minimalRepository(api, repo) {
  return { ...repositoryUrls(api, repo), ...repositoryFacts(repo), owner: simpleUser(api, repo.owner) };
}

/** @param {string} api @param {Repo} repo @returns {Schemas['full-repository']} */
export function fullRepository(api, repo) {
  const facts = repositoryFacts(repo);
  return {
    ...repositoryUrls(api, repo),
    ...facts,
    owner: simpleUser(api, repo.owner),
    organization: simpleUser(api, repo.owner),
    pushed_at: facts.pushed_at ?? facts.created_at,
    subscribers_count: 3,
    network_count: 0,
    license: repo.license && {
      key: repo.license.key,
      name: repo.license.name,
      spdx_id: repo.license.spdx,
      url: repo.license.key === 'other' ? null : `${api}/licenses/${repo.license.key}`,
      node_id: nodeId('MDc6TGljZW5zZ', repo.license.key),
    },
  };
}

/** @param {Repo} repo */
function repositoryFacts(repo) {
  return {
    id: repo.id,
    node_id: nodeId('R_', repo.fullName),
    name: repo.name,
    full_name: repo.fullName,
    private: repo.visibility !== 'public',
    description: repo.description,
    fork: repo.fork,
    homepage: null,
    language: null,
    forks_count: 0,
    stargazers_count: 0,
    watchers_count: 0,
    size: repo.size,
    default_branch: repo.defaultBranch,
    open_issues_count: 0,
    is_template: false,
    topics: repo.topics,
    has_issues: true,
    has_projects: true,
    has_wiki: false,
    has_pages: false,
    has_downloads: true,
    has_discussions: false,
    archived: repo.archived,
    disabled: false,
    visibility: repo.visibility,
    pushed_at: repo.pushedAt,
    created_at: repo.createdAt,
    updated_at: repo.pushedAt ?? repo.createdAt,
    permissions: { admin: false, maintain: false, push: false, triage: false, pull: true },
    allow_forking: true,
    web_commit_signoff_required: false,
    forks: 0,
    open_issues: 0,
    watchers: 0,
    license: repo.license && {
      key: repo.license.key,
      name: repo.license.name,
      spdx_id: repo.license.spdx,
      url: null,
      node_id: nodeId('MDc6TGljZW5zZ', repo.license.key),
    },
  };
}

/** @param {string} api @param {Repo} repo */
function repositoryUrls(api, repo) {
  const url = `${api}/repos/${repo.fullName}`;
  return {
    html_url: `${WEB}/${repo.fullName}`,
    url,
    archive_url: `${url}/{archive_format}{/ref}`,
    assignees_url: `${url}/assignees{/user}`,
    blobs_url: `${url}/git/blobs{/sha}`,
    branches_url: `${url}/branches{/branch}`,
    collaborators_url: `${url}/collaborators{/collaborator}`,
    comments_url: `${url}/comments{/number}`,
    commits_url: `${url}/commits{/sha}`,
    compare_url: `${url}/compare/{base}...{head}`,
    contents_url: `${url}/contents/{+path}`,
    contributors_url: `${url}/contributors`,
    deployments_url: `${url}/deployments`,
    downloads_url: `${url}/downloads`,
    events_url: `${url}/events`,
    forks_url: `${url}/forks`,
    git_commits_url: `${url}/git/commits{/sha}`,
    git_refs_url: `${url}/git/refs{/sha}`,
    git_tags_url: `${url}/git/tags{/sha}`,
    git_url: `git://github.com/${repo.fullName}.git`,
    issue_comment_url: `${url}/issues/comments{/number}`,
    issue_events_url: `${url}/issues/events{/number}`,
    issues_url: `${url}/issues{/number}`,
    keys_url: `${url}/keys{/key_id}`,
    labels_url: `${url}/labels{/name}`,
    languages_url: `${url}/languages`,
    merges_url: `${url}/merges`,
    milestones_url: `${url}/milestones{/number}`,
    notifications_url: `${url}/notifications{?since,all,participating}`,
    pulls_url: `${url}/pulls{/number}`,
    releases_url: `${url}/releases{/id}`,
    ssh_url: `git@github.com:${repo.fullName}.git`,
    stargazers_url: `${url}/stargazers`,
    statuses_url: `${url}/statuses/{sha}`,
    subscribers_url: `${url}/subscribers`,
    subscription_url: `${url}/subscription`,
    tags_url: `${url}/tags`,
    teams_url: `${url}/teams`,
    trees_url: `${url}/git/trees{/sha}`,
    clone_url: `${WEB}/${repo.fullName}.git`,
    mirror_url: null,
    hooks_url: `${url}/hooks`,
    svn_url: `${WEB}/${repo.fullName}`,
  };
}

/**
 * A git tree: the direct children of `folder`; or, when recursive, all its descendants cut at `limit`
 * entries with `truncated: true` as GitHub does past its own limits.
 * @param {string} api @param {Repo} repo @param {string} folder @param {string} sha
 * @param {boolean} recursive @param {number} limit
 * @returns {Schemas['git-tree']}
 */
export function gitTree(api, repo, folder, sha, recursive, limit) {
  const base = `${api}/repos/${repo.fullName}/git`;
  /** @type {Schemas['git-tree']['tree']} */
  const tree = [];
  let truncated = false;
  const queue = [...(repo.children.get(folder) ?? [])];
  const prefix = folder === '' ? 0 : folder.length + 1;
  if (recursive) {
    // Entries come in the corpus's `git ls-tree -r -t` order: parents before children, sorted by path.
    queue.length = 0;
    for (const entry of repo.entries)
      if (folder === '' || entry.path.startsWith(`${folder}/`)) queue.push(entry);
  }
  for (const entry of queue) {
    if (recursive && tree.length >= limit) {
      truncated = true;
      break;
    }
    /** @type {Schemas['git-tree']['tree'][number]} */
    const item = {
      path: entry.path.slice(prefix),
      mode: MODES[entry.type],
      type: entry.type,
      sha: entry.sha,
    };
    if (entry.type === 'blob') {
      if (entry.size !== null) item.size = entry.size;
      item.url = `${base}/blobs/${entry.sha}`;
    } else if (entry.type === 'tree') {
      item.url = `${base}/trees/${entry.sha}`;
    }
    tree.push(item);
  }
  return { sha, url: `${base}/trees/${sha}`, tree, truncated };
}

/**
 * A commit as `GET /repos/{o}/{r}/commits/{ref}` sends it. The corpus records only the HEAD sha: the
 * message, the author and the date are stand-ins (the repository's last push), the parents are unknown
 * and the root tree sha is the emulator's own.
 * @param {string} api @param {Repo} repo @param {string} sha @param {string} treeSha
 * @returns {Schemas['commit']}
 */
export function commitObject(api, repo, sha, treeSha) {
  const url = `${api}/repos/${repo.fullName}/commits/${sha}`;
  const person = {
    name: repo.owner,
    email: `${repo.owner}@users.noreply.github.com`,
    date: repo.pushedAt ?? repo.createdAt,
  };
  return {
    url,
    sha,
    node_id: nodeId('C_', `${repo.fullName}:${sha}`),
    html_url: `${WEB}/${repo.fullName}/commit/${sha}`,
    comments_url: `${url}/comments`,
    commit: {
      url: `${api}/repos/${repo.fullName}/git/commits/${sha}`,
      author: person,
      committer: person,
      message: `Snapshot of ${repo.fullName} at ${sha.slice(0, 7)}`,
      comment_count: 0,
      tree: { sha: treeSha, url: `${api}/repos/${repo.fullName}/git/trees/${treeSha}` },
      verification: {
        verified: false,
        reason: 'unsigned',
        payload: null,
        signature: null,
        verified_at: null,
      },
    },
    author: simpleUser(api, repo.owner),
    committer: simpleUser(api, repo.owner),
    parents: [],
    stats: { additions: 0, deletions: 0, total: 0 },
    files: [],
  };
}

/** @param {string} api @param {Repo} repo @param {TreeEntry} entry @param {Buffer} bytes @returns {Schemas['blob']} */
export function gitBlob(api, repo, entry, bytes) {
  return {
    sha: entry.sha,
    node_id: nodeId('B_', `${repo.fullName}:${entry.sha}`),
    size: bytes.length,
    url: `${api}/repos/${repo.fullName}/git/blobs/${entry.sha}`,
    content: base64Lines(bytes),
    encoding: 'base64',
  };
}

/**
 * @param {string} api @param {Repo} repo @param {string} ref @param {TreeEntry} entry @param {Buffer} bytes
 * @returns {Schemas['content-file']}
 */
export function contentFile(api, repo, ref, entry, bytes) {
  return {
    ...contentItem(api, repo, ref, entry),
    type: 'file',
    encoding: 'base64',
    content: base64Lines(bytes),
  };
}

/** @param {string} api @param {Repo} repo @param {string} ref @param {TreeEntry[]} entries @returns {Schemas['content-directory']} */
export function contentDirectory(api, repo, ref, entries) {
  return entries.map((entry) => contentItem(api, repo, ref, entry));
}

/** @param {string} api @param {Repo} repo @param {string} ref @param {TreeEntry} entry */
function contentItem(api, repo, ref, entry) {
  /** @type {'dir' | 'submodule' | 'file'} */
  const type = entry.type === 'tree' ? 'dir' : entry.type === 'commit' ? 'submodule' : 'file';
  const self = `${api}/repos/${repo.fullName}/contents/${entry.path}?ref=${ref}`;
  const git = `${api}/repos/${repo.fullName}/git/${entry.type === 'tree' ? 'trees' : 'blobs'}/${entry.sha}`;
  const html = `${WEB}/${repo.fullName}/${entry.type === 'tree' ? 'tree' : 'blob'}/${ref}/${entry.path}`;
  return {
    type,
    size: entry.size ?? 0,
    name: entry.path.slice(parentOf(entry.path).length).replace(/^\//, ''),
    path: entry.path,
    sha: entry.sha,
    url: self,
    git_url: git,
    html_url: html,
    download_url:
      type === 'file' ? `https://raw.githubusercontent.com/${repo.fullName}/${ref}/${entry.path}` : null,
    _links: { self, git, html },
  };
}

/**
 * @param {Record<'core' | 'graphql', Schemas['rate-limit']>} buckets
 * @returns {Schemas['rate-limit-overview']}
 */
export function rateLimitOverview(buckets) {
  const idle = { limit: 30, remaining: 30, reset: buckets.core.reset, used: 0 };
  return { resources: { core: buckets.core, graphql: buckets.graphql, search: idle }, rate: buckets.core };
}

/**
 * GitHub's error body.
 * @param {string} message @param {number} status @param {string} [doc]
 * @returns {Schemas['basic-error']}
 */
export function basicError(message, status, doc = 'https://docs.github.com/rest') {
  return { message, documentation_url: doc, status: String(status) };
}

/** Base64 in lines of 60 characters, each ended by a newline, as GitHub sends blob and file contents. @param {Buffer} bytes */
function base64Lines(bytes) {
  const flat = bytes.toString('base64');
  let out = '';
  for (let i = 0; i < flat.length; i += 60) out += `${flat.slice(i, i + 60)}\n`;
  return out;
}

/** @param {string} prefix @param {string} seed */
function nodeId(prefix, seed) {
  return prefix + Buffer.from(seed).toString('base64url').slice(0, 16);
}

/** @param {string} login */
function idOf(login) {
  let hash = 7;
  for (const char of login.toLowerCase()) hash = (hash * 31 + char.charCodeAt(0)) % 90_000_000;
  return hash + 1_000_000;
}
