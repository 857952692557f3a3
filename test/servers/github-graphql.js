// @ts-check
/**
 * GraphQL for the GitHub emulator: every query is parsed, validated against GitHub's published schema
 * with @octokit/graphql-schema's own `validate(query)`, then executed by graphql-js against that schema
 * with resolvers over the corpus. Served fields:
 *   organization(login) / user(login) / repositoryOwner(login) { login name repositories(first last after
 *     before isArchived isFork privacy visibility orderBy) { nodes edges pageInfo totalCount } }
 *   repository(owner, name) { id databaseId name nameWithOwner owner description isArchived isFork isPrivate
 *     isEmpty visibility pushedAt createdAt updatedAt url diskUsage stargazerCount licenseInfo { spdxId key name }
 *     forks(first last after before orderBy) (the forks a fixture's repo.json declares)
 *     isDisabled isSecurityPolicyEnabled fundingLinks { platform url }
 *     latestRelease { tagName name publishedAt createdAt isPrerelease isDraft isLatest } releases(first last)
 *     repositoryTopics(first) { nodes { topic { name } } totalCount } defaultBranchRef { name prefix
 *     target { ... on Commit { oid committedDate tree { oid } history(first last since until) {
 *       totalCount nodes { oid committedDate author { name email date user { id login } } } } } } }
 *     object(expression: "REF:path" | oid) }
 *   Blob { oid byteSize isBinary isTruncated text }, Tree { oid entries { name path type mode oid object } }
 *   rateLimit { cost limit remaining used resetAt nodeCount }
 * Other schema fields resolve to null (an error where the schema says non-null). The cost follows GitHub's
 * rule: the number of connection pages the query may need, divided by 100, at least 1; and like GitHub it
 * refuses (MAX_NODE_LIMIT_EXCEEDED) a query whose connections could return more than 500,000 nodes.
 */
import { Buffer } from 'node:buffer';
import { schema as githubSchema, validate } from '@octokit/graphql-schema';
import { buildClientSchema, execute, GraphQLError, Kind, parse, validate as validateDocument } from 'graphql';

/**
 * @typedef {import('./github-corpus.js').GithubCorpus} Corpus
 * @typedef {import('./github-corpus.js').Repo} Repo
 * @typedef {import('./github-corpus.js').TreeEntry} TreeEntry
 * @typedef {{ limit: number, remaining: number, reset: number, used: number }} Bucket
 * @typedef {{ status: number, headers?: Record<string, string>, body: Buffer }} Answer
 * @typedef {Record<string, unknown>} Obj
 */

/** GitHub refuses a query that could return more nodes than this (MAX_NODE_LIMIT_EXCEEDED). */
export const NODE_LIMIT = 500_000;
/** GitHub's Blob.text stops at this many bytes and says so with isTruncated. */
const BLOB_TEXT_LIMIT = 512_000;
const MAX_PAGE = 100;
const DOC = 'https://docs.github.com/graphql';
const MODES = { blob: 0o100644, tree: 0o040000, commit: 0o160000 };

/** @type {import('graphql').GraphQLSchema | undefined} */
let executable;

/**
 * @param {Buffer | undefined} body @param {Corpus} corpus @param {Bucket} bucket
 * @returns {Promise<Answer>}
 */
export async function answerGraphql(body, corpus, bucket) {
  /** @type {any} */
  let request;
  try {
    request = JSON.parse(body?.toString('utf8') ?? '');
  } catch {
    return { status: 400, body: json({ message: 'Problems parsing JSON', documentation_url: DOC }) };
  }
  if (typeof request?.query !== 'string') {
    return {
      status: 400,
      body: json({
        message: 'A query attribute must be specified and must be a string.',
        documentation_url: DOC,
      }),
    };
  }
  /** @type {import('graphql').DocumentNode} */
  let document;
  try {
    document = parse(request.query);
  } catch (error) {
    return { status: 200, body: json({ errors: [githubError(/** @type {GraphQLError} */ (error))] }) };
  }
  const invalid = validate(request.query);
  executable ??= buildClientSchema(/** @type {import('graphql').IntrospectionQuery} */ (githubSchema.json));
  if (invalid.length > 0) {
    // graphql-tag drops locations: the same validation on the parsed document reports them.
    const located = validateDocument(executable, document);
    return { status: 200, body: json({ errors: (located.length > 0 ? located : invalid).map(githubError) }) };
  }
  const variables = request.variables && typeof request.variables === 'object' ? request.variables : {};
  const cost = queryCost(document, variables);
  const nodes = queryNodeCount(document, variables);
  const accounting = { 'x-emulator-cost': String(cost), 'x-emulator-nodes': String(nodes) };
  if (nodes > NODE_LIMIT) {
    const message =
      `This query requests up to ${nodes.toLocaleString('en')} possible nodes which exceeds the maximum ` +
      `limit of ${NODE_LIMIT.toLocaleString('en')}.`;
    return {
      status: 200,
      headers: { ...accounting, 'x-emulator-cost': '1' },
      body: json({ errors: [{ type: 'MAX_NODE_LIMIT_EXCEEDED', message }] }),
    };
  }
  const result = await execute({
    schema: executable,
    document,
    rootValue: rootValue(corpus, bucket, cost, nodes),
    variableValues: variables,
    operationName: typeof request.operationName === 'string' ? request.operationName : undefined,
  });
  /** @type {Obj} */
  const out = { data: result.data ?? null };
  if (result.errors?.length) out.errors = result.errors.map(githubError);
  return { status: 200, headers: accounting, body: json(out) };
}

/** @param {Corpus} corpus @param {Bucket} bucket @param {number} cost @param {number} nodes */
function rootValue(corpus, bucket, cost, nodes) {
  /** @param {{ login: string }} args */
  const owner = ({ login }) => {
    const repos = corpus.reposOf(login);
    if (!repos) throw notFound(`Could not resolve to an Organization with the login of '${login}'.`);
    return ownerObject(corpus, /** @type {string} */ (corpus.ownerLogin(login)));
  };
  return {
    organization: owner,
    user: /** @param {{ login: string }} args */ ({ login }) => {
      if (!corpus.reposOf(login)) throw notFound(`Could not resolve to a User with the login of '${login}'.`);
      return { ...ownerObject(corpus, /** @type {string} */ (corpus.ownerLogin(login))), __typename: 'User' };
    },
    repositoryOwner: /** @param {{ login: string }} args */ ({ login }) =>
      corpus.reposOf(login) ? ownerObject(corpus, /** @type {string} */ (corpus.ownerLogin(login))) : null,
    repository: /** @param {{ owner: string, name: string }} args */ ({ owner: login, name }) => {
      const repo = corpus.repo(login, name);
      if (!repo) throw notFound(`Could not resolve to a Repository with the name '${login}/${name}'.`);
      return repositoryObject(corpus, repo);
    },
    rateLimit: () => ({
      cost,
      limit: bucket.limit,
      remaining: Math.max(0, bucket.remaining - cost),
      used: bucket.used + cost,
      resetAt: new Date(bucket.reset * 1000).toISOString(),
      nodeCount: nodes,
    }),
  };
}

/** @param {Corpus} corpus @param {string} login @returns {Obj} */
function ownerObject(corpus, login) {
  return {
    __typename: 'Organization',
    id: nodeId('O_', login),
    login,
    name: login,
    url: `https://github.com/${login}`,
    repositories: /** @param {Obj} args */ (args) =>
      connection('repositories', filterRepos(corpus.reposOf(login) ?? [], args), args, (repo) =>
        repositoryObject(corpus, repo),
      ),
  };
}

/** @param {Repo[]} repos @param {Obj} args */
function filterRepos(repos, args) {
  const order = /** @type {{ field?: string, direction?: string } | undefined} */ (args.orderBy);
  const field = order?.field ?? 'CREATED_AT';
  const sign = order?.direction === 'DESC' ? -1 : 1;
  /** @param {Repo} r */
  const key = (r) =>
    field === 'NAME'
      ? r.name.toLowerCase()
      : field === 'PUSHED_AT'
        ? (r.pushedAt ?? '')
        : field === 'UPDATED_AT'
          ? (r.pushedAt ?? r.createdAt)
          : r.createdAt;
  const privacy = args.privacy ?? args.visibility;
  return repos
    .filter((r) => args.isArchived == null || r.archived === args.isArchived)
    .filter((r) => args.isFork == null || r.fork === args.isFork)
    .filter((r) => privacy == null || r.visibility.toUpperCase() === privacy)
    .sort((a, b) => {
      const ka = key(a);
      const kb = key(b);
      if (ka !== kb) return ka < kb ? -sign : sign;
      return a.fullName < b.fullName ? -1 : 1;
    });
}

/**
 * A Relay connection over a list, with GitHub's page-size rules and opaque cursors.
 * @template T
 * @param {string} name @param {T[]} items @param {Obj} args @param {(item: T) => unknown} toNode
 */
function connection(name, items, args, toNode) {
  const first = typeof args.first === 'number' ? args.first : undefined;
  const last = typeof args.last === 'number' ? args.last : undefined;
  if (first === undefined && last === undefined) {
    throw new GraphQLError(
      `You must provide a \`first\` or \`last\` value to properly paginate the \`${name}\` connection.`,
    );
  }
  for (const [arg, value] of [
    ['first', first],
    ['last', last],
  ]) {
    if (typeof value === 'number' && (value > MAX_PAGE || value < 0)) {
      throw new GraphQLError(
        `Requesting ${value} records on the \`${name}\` connection exceeds the \`${arg}\` limit of ${MAX_PAGE} records.`,
      );
    }
  }
  let start = typeof args.after === 'string' ? decodeCursor(args.after) + 1 : 0;
  let end = typeof args.before === 'string' ? decodeCursor(args.before) : items.length;
  if (first !== undefined) end = Math.min(end, start + first);
  if (last !== undefined) start = Math.max(start, end - last);
  const slice = items.slice(start, end);
  const edges = slice.map((item, i) => ({ cursor: encodeCursor(start + i), node: toNode(item) }));
  return {
    totalCount: items.length,
    nodes: edges.map((e) => e.node),
    edges,
    pageInfo: {
      hasNextPage: end < items.length,
      hasPreviousPage: start > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

/** @param {Corpus} corpus @param {Repo} repo @returns {Obj} */
function repositoryObject(corpus, repo) {
  const head = repo.headSha;
  return {
    __typename: 'Repository',
    id: nodeId('R_', repo.fullName),
    databaseId: repo.id,
    name: repo.name,
    nameWithOwner: repo.fullName,
    owner: ownerObject(corpus, repo.owner),
    description: repo.description,
    isArchived: repo.archived,
    isFork: repo.fork,
    stargazerCount: repo.stars,
    forks: /** @param {Obj} args */ (args) =>
      connection('forks', filterRepos(repo.forks, args), args, (fork) => repositoryObject(corpus, fork)),
    isPrivate: repo.visibility !== 'public',
    isEmpty: head === null,
    isTemplate: false,
    isDisabled: repo.disabled,
    isSecurityPolicyEnabled: repo.securityPolicy,
    fundingLinks: repo.fundingLinks.map((l) => ({ __typename: 'FundingLink', ...l })),
    latestRelease: () => {
      const latest = repo.releases.find((r) => !r.prerelease && !r.draft);
      return latest ? releaseObject(repo, latest, true) : null;
    },
    releases: /** @param {Obj} args */ (args) => {
      const latest = repo.releases.find((r) => !r.prerelease && !r.draft);
      const oldestFirst = [...repo.releases].reverse();
      return connection('releases', oldestFirst, args, (r) => releaseObject(repo, r, r === latest));
    },
    isLocked: false,
    isMirror: false,
    visibility: repo.visibility.toUpperCase(),
    pushedAt: repo.pushedAt,
    createdAt: repo.createdAt,
    updatedAt: repo.pushedAt ?? repo.createdAt,
    url: `https://github.com/${repo.fullName}`,
    diskUsage: repo.size,
    licenseInfo: repo.license && {
      __typename: 'License',
      id: nodeId('L_', repo.license.key),
      key: repo.license.key,
      name: repo.license.name,
      spdxId: repo.license.spdx,
      nickname: null,
      url: repo.license.key === 'other' ? null : `http://choosealicense.com/licenses/${repo.license.key}/`,
    },
    repositoryTopics: /** @param {Obj} args */ (args) =>
      connection('repositoryTopics', repo.topics, args, (topic) => ({
        __typename: 'RepositoryTopic',
        id: nodeId('RT_', `${repo.fullName}:${topic}`),
        url: `https://github.com/topics/${topic}`,
        topic: { __typename: 'Topic', id: nodeId('T_', topic), name: topic },
      })),
    defaultBranchRef:
      head === null
        ? null
        : {
            __typename: 'Ref',
            id: nodeId('REF_', `${repo.fullName}:${repo.defaultBranch}`),
            name: repo.defaultBranch,
            prefix: 'refs/heads/',
            target: commitObject(corpus, repo),
          },
    object: /** @param {{ expression?: string, oid?: string }} args */ (args) =>
      gitObject(corpus, repo, args),
  };
}

/** @param {Corpus} corpus @param {Repo} repo @returns {Obj} */
function commitObject(corpus, repo) {
  const oid = /** @type {string} */ (repo.headSha);
  return {
    __typename: 'Commit',
    id: nodeId('C_', `${repo.fullName}:${oid}`),
    oid,
    abbreviatedOid: oid.slice(0, 7),
    committedDate: repo.commits[0]?.date ?? repo.pushedAt,
    pushedDate: repo.pushedAt,
    tree: treeObject(corpus, repo, '', /** @type {string} */ (repo.rootTreeSha)),
    history: /** @param {Obj} args */ (args) => {
      const since = typeof args.since === 'string' ? Date.parse(args.since) : Number.NEGATIVE_INFINITY;
      const until = typeof args.until === 'string' ? Date.parse(args.until) : Number.POSITIVE_INFINITY;
      const commits = repo.commits.filter((c) => Date.parse(c.date) >= since && Date.parse(c.date) <= until);
      return connection('history', commits, args, (c) => historyCommit(repo, c));
    },
  };
}

/**
 * A commit of the default branch's history, as `Commit.history` lists it (newest first).
 * @param {Repo} repo @param {import('./github-corpus.js').CommitRecord} commit @returns {Obj}
 */
function historyCommit(repo, commit) {
  const actor = {
    __typename: 'GitActor',
    name: commit.name,
    email: commit.email,
    date: commit.date,
    user: commit.userId && {
      __typename: 'User',
      id: commit.userId,
      login: commit.name.replace(/\W+/g, '-').toLowerCase(),
    },
  };
  return {
    __typename: 'Commit',
    id: nodeId('C_', `${repo.fullName}:${commit.oid}`),
    oid: commit.oid,
    abbreviatedOid: commit.oid.slice(0, 7),
    committedDate: commit.date,
    authoredDate: commit.date,
    author: actor,
    committer: actor,
  };
}

/**
 * @param {Repo} repo @param {import('./github-corpus.js').ReleaseRecord} release @param {boolean} latest
 * @returns {Obj}
 */
function releaseObject(repo, release, latest) {
  return {
    __typename: 'Release',
    id: nodeId('RE_', `${repo.fullName}:${release.tag}`),
    tagName: release.tag,
    name: release.tag,
    publishedAt: release.draft ? null : release.publishedAt,
    createdAt: release.publishedAt,
    isPrerelease: release.prerelease,
    isDraft: release.draft,
    isLatest: latest,
    url: `https://github.com/${repo.fullName}/releases/tag/${encodeURIComponent(release.tag)}`,
  };
}

/**
 * `REF:path`, `REF:` (root tree) or `REF` (commit) with REF the default branch, HEAD or the HEAD oid; or
 * an oid of the tree. Unknown objects resolve to null, as on GitHub.
 * @param {Corpus} corpus @param {Repo} repo @param {{ expression?: string, oid?: string }} args
 */
function gitObject(corpus, repo, args) {
  if (repo.headSha === null) return null;
  if (typeof args.oid === 'string') return objectByOid(corpus, repo, args.oid);
  const expression = args.expression ?? '';
  const colon = expression.indexOf(':');
  const ref = colon < 0 ? expression : expression.slice(0, colon);
  if (corpus.resolveTree(repo, ref) !== '' || ref.length === 0) return null;
  if (colon < 0) return commitObject(corpus, repo);
  const filePath = expression.slice(colon + 1).replace(/^\/+|\/+$/g, '');
  if (filePath === '') return treeObject(corpus, repo, '', /** @type {string} */ (repo.rootTreeSha));
  const entry = repo.byPath.get(filePath);
  return entry ? entryObject(corpus, repo, entry) : null;
}

/** @param {Corpus} corpus @param {Repo} repo @param {string} oid */
function objectByOid(corpus, repo, oid) {
  if (oid === repo.headSha) return commitObject(corpus, repo);
  const folder = repo.trees.get(oid);
  if (folder !== undefined) return treeObject(corpus, repo, folder, oid);
  const blob = repo.blobs.get(oid);
  return blob ? blobObject(corpus, repo, blob) : null;
}

/** @param {Corpus} corpus @param {Repo} repo @param {TreeEntry} entry */
function entryObject(corpus, repo, entry) {
  if (entry.type === 'tree') return treeObject(corpus, repo, entry.path, entry.sha);
  if (entry.type === 'blob') return blobObject(corpus, repo, entry);
  return null;
}

/** @param {Corpus} corpus @param {Repo} repo @param {string} folder @param {string} oid @returns {Obj} */
function treeObject(corpus, repo, folder, oid) {
  return {
    __typename: 'Tree',
    id: nodeId('TR_', `${repo.fullName}:${oid}`),
    oid,
    abbreviatedOid: oid.slice(0, 7),
    entries: () =>
      (repo.children.get(folder) ?? []).map((entry) => ({
        __typename: 'TreeEntry',
        name: entry.path.slice(folder === '' ? 0 : folder.length + 1),
        path: entry.path,
        oid: entry.sha,
        type: entry.type,
        mode: MODES[entry.type],
        size: entry.size ?? 0,
        extension: /\.[^./]+$/.exec(entry.path)?.[0] ?? null,
        object: () => entryObject(corpus, repo, entry),
      })),
  };
}

/** @param {Corpus} corpus @param {Repo} repo @param {TreeEntry} entry @returns {Obj} */
function blobObject(corpus, repo, entry) {
  /** @type {Promise<Buffer | undefined> | undefined} */
  let loading;
  const bytes = async () => {
    loading ??= corpus.fileBytes(repo, entry.path);
    const found = await loading;
    if (!found) {
      throw new GraphQLError(`The emulator's corpus holds no bytes for ${repo.fullName}:${entry.path}.`);
    }
    return found;
  };
  return {
    __typename: 'Blob',
    id: nodeId('B_', `${repo.fullName}:${entry.sha}`),
    oid: entry.sha,
    abbreviatedOid: entry.sha.slice(0, 7),
    byteSize: async () => (await bytes()).length,
    isBinary: async () => isBinary(await bytes()),
    isTruncated: async () => (await bytes()).length > BLOB_TEXT_LIMIT,
    text: async () => {
      const data = await bytes();
      return isBinary(data) ? null : data.subarray(0, BLOB_TEXT_LIMIT).toString('utf8');
    },
  };
}

/** @param {Buffer} data */
function isBinary(data) {
  return data.subarray(0, 8000).includes(0);
}

/**
 * GitHub's rule: each connection costs as many pages as its parents may return, the sum divided by 100.
 * @param {import('graphql').DocumentNode} document @param {Obj} variables
 */
export function queryCost(document, variables) {
  return Math.max(1, Math.round(walkConnections(document, variables).requests / 100));
}

/**
 * GitHub's node limit rule: each connection may return `first` (or `last`) nodes for every node its
 * parents may return; the sum over the query must stay under NODE_LIMIT.
 * @param {import('graphql').DocumentNode} document @param {Obj} variables
 */
export function queryNodeCount(document, variables) {
  return walkConnections(document, variables).nodes;
}

/**
 * @param {import('graphql').DocumentNode} document @param {Obj} variables
 * @returns {{ requests: number, nodes: number }}
 */
function walkConnections(document, variables) {
  /** @type {Map<string, import('graphql').FragmentDefinitionNode>} */
  const fragments = new Map();
  for (const def of document.definitions)
    if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  let requests = 0;
  let nodes = 0;
  /** @type {{ set: import('graphql').SelectionSetNode, multiplier: number, depth: number }[]} */
  const stack = [];
  for (const def of document.definitions) {
    if (def.kind === Kind.OPERATION_DEFINITION)
      stack.push({ set: def.selectionSet, multiplier: 1, depth: 0 });
  }
  while (stack.length > 0) {
    const { set, multiplier, depth } = /** @type {(typeof stack)[number]} */ (stack.pop());
    if (depth > 50) continue;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        if (fragment) stack.push({ set: fragment.selectionSet, multiplier, depth: depth + 1 });
        continue;
      }
      if (!selection.selectionSet) continue;
      let inner = multiplier;
      if (selection.kind === Kind.FIELD) {
        const size = pageSize(selection, variables);
        if (size !== undefined) {
          requests += multiplier;
          inner = multiplier * size;
          nodes += inner;
        }
      }
      stack.push({ set: selection.selectionSet, multiplier: inner, depth: depth + 1 });
    }
  }
  return { requests, nodes };
}

/** @param {import('graphql').FieldNode} field @param {Obj} variables @returns {number | undefined} */
function pageSize(field, variables) {
  for (const arg of field.arguments ?? []) {
    if (arg.name.value !== 'first' && arg.name.value !== 'last') continue;
    if (arg.value.kind === Kind.INT) return Number(arg.value.value);
    if (arg.value.kind === Kind.VARIABLE) {
      const value = variables[arg.value.name.value];
      if (typeof value === 'number') return value;
    }
  }
  return undefined;
}

/** @param {GraphQLError} error */
function githubError(error) {
  /** @type {Obj} */
  const out = {};
  const type = /** @type {{ type?: string } | undefined} */ (error.originalError)?.type;
  if (type) out.type = type;
  if (error.path) out.path = error.path;
  if (error.locations) out.locations = error.locations;
  out.message = error.message;
  return out;
}

/** @param {string} message */
function notFound(message) {
  return Object.assign(new Error(message), { type: 'NOT_FOUND' });
}

/** @param {number} index */
function encodeCursor(index) {
  return Buffer.from(`cursor:v2:${index}`).toString('base64');
}

/** @param {string} cursor */
function decodeCursor(cursor) {
  const match = /^cursor:v2:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  if (!match) throw new GraphQLError(`\`${cursor}\` does not appear to be a valid cursor.`);
  return Number(match[1]);
}

/** @param {string} prefix @param {string} seed */
function nodeId(prefix, seed) {
  return prefix + Buffer.from(seed).toString('base64url').slice(0, 16);
}

/** @param {unknown} value */
function json(value) {
  return Buffer.from(JSON.stringify(value));
}
