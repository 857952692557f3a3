/**
 * An npm registry for tests, demos and benchmarks: real HTTP on 127.0.0.1 serving hand-written packuments
 * from a folder, in the registry's real formats.
 *
 * Plain JavaScript (typed with JSDoc, types in npm-registry.d.ts) so that the same file runs under vitest
 * and standalone with no build step:
 *
 *   node test/servers/npm-registry.js --dir fixtures/registry --port 4873 [--latency 20] [--token T]
 *
 * prints `listening on URL`, then one line per request served.
 *
 * Layout of `dir`: `NAME.json` for `NAME`, `@scope/NAME.json` for `@scope/NAME`, each a full packument.
 * Routes (scoped names as `/@scope%2fname` like the registry, `/@scope/name` accepted too):
 *   GET /NAME             the full packument, byte for byte as stored (a malformed file is served as is);
 *                         the abbreviated form when Accept asks for application/vnd.npm.install-v1+json
 *   GET /NAME/VERSION     the version document, `versions[VERSION]` of the packument
 *   GET /NAME/TAG         the version document of a dist-tag (`latest`)
 * Strong ETags (SHA-1 of the body), 304 on a matching If-None-Match, 404 `{"error":"Not found"}`.
 */
import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const FULL_TYPE = 'application/json';
const ABBREVIATED_TYPE = 'application/vnd.npm.install-v1+json';
/** The fields the registry keeps in each version of an abbreviated packument. */
const ABBREVIATED_FIELDS = [
  'name',
  'version',
  'deprecated',
  'dependencies',
  'optionalDependencies',
  'devDependencies',
  'bundleDependencies',
  'peerDependencies',
  'peerDependenciesMeta',
  'bin',
  'directories',
  'dist',
  'engines',
  'cpu',
  'os',
  '_hasShrinkwrap',
  'hasInstallScript',
];

/**
 * @param {import('./npm-registry.js').NpmRegistryOptions} options
 * @returns {Promise<import('./npm-registry.js').NpmRegistry>}
 */
export async function startNpmRegistry(options) {
  const dir = path.resolve(options.dir);
  /** @type {import('./npm-registry.js').RequestLogEntry[]} */
  const requests = [];
  const faults = new Map(Object.entries(options.faults ?? {}).map(([key, plan]) => [key, copyPlan(plan)]));
  const server = createServer((req, res) => {
    serve(req, res, { dir, options, requests, faults }).catch((error) => {
      if (!res.headersSent) send(res, { status: 500, body: json({ error: String(error) }) });
      else res.destroy();
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve(undefined));
  });
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}/`,
    port: address.port,
    requests,
    count: (prefix) =>
      requests.filter((r) => prefix === undefined || r.path.startsWith(prefix) || r.route.startsWith(prefix))
        .length,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve(undefined));
        server.closeAllConnections();
      }),
  };
}

/**
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 * @param {{ dir: string, options: import('./npm-registry.js').NpmRegistryOptions,
 *   requests: import('./npm-registry.js').RequestLogEntry[], faults: Map<string, Plan> }} state
 */
async function serve(req, res, state) {
  const started = performance.now();
  const rawPath = (req.url ?? '/').split('?')[0] ?? '/';
  const route = canonicalPath(rawPath);
  /** @type {import('./npm-registry.js').RequestLogEntry} */
  const entry = {
    method: req.method ?? 'GET',
    path: rawPath,
    route: route ?? rawPath,
    accept: req.headers.accept,
    ifNoneMatch: req.headers['if-none-match'],
    authorization: req.headers.authorization !== undefined,
    status: 0,
    ms: 0,
  };
  state.requests.push(entry);
  if (state.options.latencyMs) await sleep(state.options.latencyMs);
  const fault = nextFault(state.faults, rawPath, route);
  if (fault === 'reset') {
    entry.status = -1;
    finish(entry, started, state.options);
    req.socket.destroy();
    return;
  }
  const answer = fault ?? (await answerFor(req, route, state));
  entry.status = answer.status;
  send(res, answer, req.method === 'HEAD');
  finish(entry, started, state.options);
}

/**
 * @param {import('./npm-registry.js').RequestLogEntry} entry
 * @param {number} started
 * @param {import('./npm-registry.js').NpmRegistryOptions} options
 */
function finish(entry, started, options) {
  entry.ms = Math.round((performance.now() - started) * 10) / 10;
  options.onRequest?.(entry);
}

/**
 * @typedef {{ status: number, headers?: Record<string, string>, body?: Buffer }} Answer
 * @typedef {{ steps: import('./npm-registry.js').Fault[] } | { always: import('./npm-registry.js').Fault }} Plan
 */

/**
 * @param {import('node:http').IncomingMessage} req
 * @param {string | undefined} route
 * @param {{ dir: string, options: import('./npm-registry.js').NpmRegistryOptions }} state
 * @returns {Promise<Answer>}
 */
async function answerFor(req, route, state) {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return { status: 405, headers: { allow: 'GET, HEAD' }, body: json({ error: 'Method not allowed' }) };
  }
  const expected = state.options.authorization;
  if (expected !== undefined && req.headers.authorization !== expected) {
    return {
      status: 401,
      headers: { 'www-authenticate': 'Bearer realm="npm"' },
      body: json({ error: 'authentication required' }),
    };
  }
  const target = route === undefined ? undefined : parseRoute(route);
  if (!target) return notFound();
  const stored = await readPackument(state.dir, target.name);
  if (stored === undefined) return notFound();
  const accept = req.headers.accept ?? '';
  let answer;
  if (target.rest === undefined) {
    answer = accept.includes(ABBREVIATED_TYPE) ? abbreviated(stored) : { status: 200, body: stored };
    if (answer.status === 200) answer.headers = { 'content-type': contentType(accept) };
  } else {
    answer = versionDocument(stored, target.rest);
  }
  return withEtag(answer, req.headers['if-none-match']);
}

/** `/@scope%2fname/1.0.0` → `/@scope/name/1.0.0`; undefined when it cannot be decoded. */
function canonicalPath(rawPath) {
  try {
    return decodeURIComponent(rawPath);
  } catch {
    return undefined;
  }
}

/** @param {string} route */
function parseRoute(route) {
  const segments = route.split('/').slice(1);
  if (segments.some((s) => s === '' || s === '.' || s === '..' || s.includes('\\') || s.includes('\0'))) {
    return undefined;
  }
  const scoped = segments[0]?.startsWith('@');
  const nameLength = scoped ? 2 : 1;
  if (segments.length < nameLength || segments.length > nameLength + 1) return undefined;
  return { name: segments.slice(0, nameLength).join('/'), rest: segments[nameLength] };
}

/**
 * @param {string} dir
 * @param {string} name
 * @returns {Promise<Buffer | undefined>}
 */
async function readPackument(dir, name) {
  const file = path.resolve(dir, `${name}.json`);
  if (!file.startsWith(dir + path.sep)) return undefined;
  try {
    return await readFile(file);
  } catch {
    return undefined;
  }
}

/** @param {Buffer} stored @returns {Answer} */
function abbreviated(stored) {
  const packument = parseStored(stored);
  if (!packument) return brokenFixture();
  const versions = isObject(packument.versions) ? packument.versions : {};
  /** @type {Record<string, unknown>} */
  const out = {};
  for (const [version, doc] of Object.entries(versions)) {
    if (!isObject(doc)) continue;
    out[version] = Object.fromEntries(
      ABBREVIATED_FIELDS.filter((f) => Object.hasOwn(doc, f)).map((f) => [f, doc[f]]),
    );
  }
  const modified = isObject(packument.time) ? packument.time.modified : undefined;
  return {
    status: 200,
    body: json({ name: packument.name, modified, 'dist-tags': packument['dist-tags'], versions: out }),
  };
}

/** @param {Buffer} stored @param {string} versionOrTag @returns {Answer} */
function versionDocument(stored, versionOrTag) {
  const packument = parseStored(stored);
  if (!packument) return brokenFixture();
  const tags = isObject(packument['dist-tags']) ? packument['dist-tags'] : {};
  const tagged = Object.hasOwn(tags, versionOrTag) ? tags[versionOrTag] : undefined;
  const version = typeof tagged === 'string' ? tagged : versionOrTag;
  const versions = isObject(packument.versions) ? packument.versions : {};
  const doc = Object.hasOwn(versions, version) ? versions[version] : undefined;
  if (!isObject(doc)) return { status: 404, body: json({ error: `version not found: ${versionOrTag}` }) };
  return { status: 200, headers: { 'content-type': FULL_TYPE }, body: json(doc) };
}

/** @param {Buffer} stored @returns {Record<string, any> | undefined} */
function parseStored(stored) {
  try {
    const value = JSON.parse(stored.toString('utf8'));
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** @returns {Answer} */
function brokenFixture() {
  return { status: 500, body: json({ error: 'the fixture packument is not a valid JSON object' }) };
}

/** @returns {Answer} */
function notFound() {
  return { status: 404, body: json({ error: 'Not found' }) };
}

/** @param {string} accept */
function contentType(accept) {
  return accept.includes(ABBREVIATED_TYPE) ? `${ABBREVIATED_TYPE}; charset=utf-8` : FULL_TYPE;
}

/**
 * @param {Answer} answer
 * @param {string | undefined} ifNoneMatch
 * @returns {Answer}
 */
function withEtag(answer, ifNoneMatch) {
  if (answer.status !== 200 || !answer.body) return answer;
  const etag = `"${createHash('sha1').update(answer.body).digest('hex')}"`;
  const headers = { ...answer.headers, etag };
  if (ifNoneMatch !== undefined && matches(ifNoneMatch, etag)) return { status: 304, headers };
  return { ...answer, headers };
}

/** If-None-Match uses the weak comparison: `W/"x"` matches `"x"`. */
function matches(ifNoneMatch, etag) {
  return ifNoneMatch
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === '*' || tag === etag);
}

/**
 * @param {import('node:http').ServerResponse} res
 * @param {Answer} answer
 * @param {boolean} [headOnly]
 */
function send(res, answer, headOnly = false) {
  const headers = { 'content-type': FULL_TYPE, ...answer.headers };
  if (answer.body) headers['content-length'] = String(answer.body.length);
  res.writeHead(answer.status, headers);
  res.end(headOnly ? undefined : answer.body);
}

/** @param {unknown} value @returns {Buffer} */
function json(value) {
  return Buffer.from(JSON.stringify(value));
}

/** @param {unknown} value @returns {value is Record<string, any>} */
function isObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** @param {import('./npm-registry.js').FaultPlan} plan @returns {Plan} */
function copyPlan(plan) {
  if (Array.isArray(plan)) return { steps: [...plan] };
  if (typeof plan === 'string') {
    const always = /^always-(\d{3}|reset)$/.exec(plan);
    if (!always) throw new Error(`unknown fault plan "${plan}"`);
    return { always: always[1] === 'reset' ? 'reset' : { status: Number(always[1]) } };
  }
  return { always: plan.always };
}

/**
 * The fault planned for this request, by raw path first, then decoded: a step of a list is used once.
 * @param {Map<string, Plan>} faults
 * @param {string} rawPath
 * @param {string | undefined} route
 * @returns {Answer | 'reset' | undefined}
 */
function nextFault(faults, rawPath, route) {
  const plan = faults.get(rawPath) ?? (route === undefined ? undefined : faults.get(route));
  if (!plan) return undefined;
  const fault = 'always' in plan ? plan.always : plan.steps.shift();
  if (fault === undefined) return undefined;
  if (fault === 'reset') return 'reset';
  /** @type {Record<string, string>} */
  const headers = {};
  if (fault.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter);
  const body = fault.body ?? JSON.stringify({ error: `injected ${fault.status}` });
  return { status: fault.status, headers, body: Buffer.from(body) };
}

/** @param {string[]} argv */
function parseArgs(argv) {
  /** @type {Record<string, string>} */
  const args = {};
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (!flag?.startsWith('--') || value === undefined) throw new Error(`unexpected argument ${flag}`);
    args[flag.slice(2)] = value;
    i++;
  }
  return args;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (!args.dir)
    throw new Error('usage: npm-registry.js --dir DIR [--port N] [--latency MS] [--token TOKEN]');
  const registry = await startNpmRegistry({
    dir: args.dir,
    port: args.port ? Number(args.port) : 0,
    latencyMs: args.latency ? Number(args.latency) : 0,
    authorization: args.token ? `Bearer ${args.token}` : undefined,
    onRequest: (r) =>
      console.log(`${r.method} ${r.path} ${r.status} ${r.ms}ms${r.authorization ? ' (auth)' : ''}`),
  });
  console.log(`listening on ${registry.url}`);
  const stop = () => registry.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(2);
  });
}
