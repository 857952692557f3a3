import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHttpClient, type ClosableHttpClient, type HttpClientOptions } from '../src/net/http-client.js';
import { HttpError, type HttpPostRequest, type HttpRequest } from '../src/net/types.js';
import { startFaultServer, type FaultServer } from './servers/fault-server.js';
import { startProxyServer, type ProxyServer } from './servers/proxy-server.js';

let server: FaultServer;
let sleeps: number[];
const opened: ClosableHttpClient[] = [];

beforeEach(async () => {
  server = await startFaultServer();
  sleeps = [];
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((c) => c.close()));
  await server.close();
});

/** A client without disk cache whose backoff waits are recorded, not slept; jitter is fixed at one half. */
function client(overrides: Partial<HttpClientOptions> = {}): ClosableHttpClient {
  // A clock that moves only when the client sleeps, so that backoff delays are exact under any load.
  let clock = Date.now();
  const created = createHttpClient({
    cacheDir: null,
    userAgent: 'oss-inventory-test/1.0',
    env: {},
    now: () => clock,
    sleep: async (ms) => {
      sleeps.push(ms);
      clock += ms;
    },
    random: () => 0.5,
    ...overrides,
  });
  opened.push(created);
  return created;
}

const get = (path: string, extra: Partial<HttpRequest> = {}): HttpRequest => ({
  url: server.url(path),
  cache: 'none',
  ...extra,
});

async function failure(promise: Promise<unknown>): Promise<HttpError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HttpError);
  return error as HttpError;
}

describe('HttpClient: concurrency', () => {
  it('never has more requests in flight to one host than concurrencyPerHost', async () => {
    for (let i = 0; i < 12; i++) server.route(`/slow/${i}`, { latencyMs: 60 });
    const http = client({ concurrencyPerHost: 3 });
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => http.get(get(`/slow/${i}`))));
    expect(answers.map((a) => a.status)).toEqual(Array(12).fill(200));
    expect(server.maxInFlight).toBe(3);
  });

  it('bounds each host separately', async () => {
    const other = await startFaultServer();
    try {
      for (let i = 0; i < 6; i++) {
        server.route(`/a/${i}`, { latencyMs: 60 });
        other.route(`/b/${i}`, { latencyMs: 60 });
      }
      const http = client({ concurrencyPerHost: 2 });
      await Promise.all([
        ...Array.from({ length: 6 }, (_, i) => http.get(get(`/a/${i}`))),
        ...Array.from({ length: 6 }, (_, i) => http.get({ url: other.url(`/b/${i}`), cache: 'none' })),
      ]);
      expect(server.maxInFlight).toBe(2);
      expect(other.maxInFlight).toBe(2);
    } finally {
      await other.close();
    }
  });

  it('asks once for identical cacheable requests in flight together', async () => {
    server.route('/doc', { latencyMs: 50, body: '{"name":"doc"}' });
    const http = client();
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => http.get(get('/doc', { cache: 'immutable' }))),
    );
    expect(server.count('/doc')).toBe(1);
    expect(answers.map((a) => a.body.toString())).toEqual(Array(5).fill('{"name":"doc"}'));
    expect(answers.map((a) => a.origin).sort()).toEqual(['cache', 'cache', 'cache', 'cache', 'network']);
    expect(http.ledger()).toEqual([
      { host: server.host, sent: 1, fromCache: 4, revalidated: 0, failed: 0, retried: 0, bytes: 14 },
    ]);
  });
});

describe('HttpClient: retries', () => {
  it('retries a 500 and returns the 200 that follows', async () => {
    server.route('/flaky', { statuses: [500, 200], body: 'ok' });
    const http = client();
    const answer = await http.get(get('/flaky'));
    expect(answer).toMatchObject({ status: 200, origin: 'network', url: server.url('/flaky') });
    expect(answer.body.toString()).toBe('ok');
    expect(server.count('/flaky')).toBe(2);
    expect(sleeps).toEqual([250]);
    expect(http.ledger()).toEqual([
      { host: server.host, sent: 2, fromCache: 0, revalidated: 0, failed: 0, retried: 1, bytes: 4 },
    ]);
  });

  it('turns a permanent 500 into an HttpError "server" after every retry, with exponential backoff', async () => {
    server.route('/down', { statuses: [500], body: 'boom' });
    const http = client();
    const error = await failure(http.get(get('/down')));
    expect(error.reason).toBe('server');
    expect(error.status).toBe(500);
    expect(error.url).toBe(server.url('/down'));
    expect(error.message).toBe(
      `GET ${server.url('/down')} failed: HTTP 500 Internal Server Error (5 attempts)`,
    );
    expect(server.count('/down')).toBe(5);
    // Full jitter with random() = 0.5: half of 500, 1000, 2000, 4000 ms.
    expect(sleeps).toEqual([250, 500, 1000, 2000]);
    expect(http.ledger()).toEqual([
      { host: server.host, sent: 5, fromCache: 0, revalidated: 0, failed: 1, retried: 4, bytes: 20 },
    ]);
  });

  it('caps the backoff at 30 s', async () => {
    server.route('/down', { statuses: [503] });
    const http = client({ retries: 8, random: () => 0.999999 });
    await failure(http.get(get('/down')));
    expect(sleeps.map((ms) => Math.round(ms / 1000))).toEqual([0, 1, 2, 4, 8, 16, 30, 30]);
  });

  it('waits as long as Retry-After: 2 says, on the real clock, then succeeds', async () => {
    server.route('/limited', { statuses: [429, 200], retryAfter: '2', body: 'finally' });
    const http = client({ sleep: undefined });
    const started = Date.now();
    const answer = await http.get(get('/limited'));
    const elapsed = Date.now() - started;
    expect(answer.status).toBe(200);
    expect(answer.body.toString()).toBe('finally');
    const [first, second] = server.requests;
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(1950);
    expect(elapsed).toBeGreaterThanOrEqual(1950);
    expect(elapsed).toBeLessThan(4000);
  });

  it('reads Retry-After as an HTTP-date too', async () => {
    const now = Date.parse('2025-03-01T10:00:00Z');
    server.route('/limited', {
      statuses: [503, 200],
      retryAfter: new Date(now + 7000).toUTCString(),
    });
    const http = client({ now: () => now });
    expect((await http.get(get('/limited'))).status).toBe(200);
    expect(sleeps).toEqual([7000]);
  });

  it('pauses the whole host while a 429 Retry-After runs', async () => {
    server.route('/limited', { statuses: [429, 200], retryAfter: '3' });
    server.route('/other', {});
    let clock = 1_000_000;
    const http = client({ now: () => clock });
    await http.get(get('/limited'));
    clock += 1000;
    await http.get(get('/other'));
    expect(sleeps).toEqual([3000, 2000]);
  });

  it('fails fast with "rate-limited" when Retry-After is longer than the client waits, and stops asking that host', async () => {
    server.route('/blocked', { statuses: [429], retryAfter: '1800' });
    server.route('/else', {});
    const http = client();
    const error = await failure(http.get(get('/blocked')));
    expect(error.reason).toBe('rate-limited');
    expect(error.status).toBe(429);
    expect(error.message).toBe(
      `GET ${server.url('/blocked')} failed: HTTP 429 Too Many Requests, and the host asked to wait ` +
        '30 minutes (Retry-After), longer than the 60 s this run waits; try again later',
    );
    expect(server.count('/blocked')).toBe(1);
    expect(sleeps).toEqual([]);

    const next = await failure(http.get(get('/else')));
    expect(next.reason).toBe('rate-limited');
    expect(next.message).toMatch(/asked to wait 30 minutes more/);
    expect(server.count('/else')).toBe(0);
  });

  it('gives up on a host that keeps answering 429 (circuit breaker after 5 requests)', async () => {
    for (let i = 1; i <= 7; i++) server.route(`/r/${i}`, { statuses: [429] });
    const http = client({ retries: 1 });
    for (let i = 1; i <= 5; i++) {
      const error = await failure(http.get(get(`/r/${i}`)));
      expect(error.message).toBe(
        `GET ${server.url(`/r/${i}`)} failed: HTTP 429 Too Many Requests (2 attempts)`,
      );
    }
    expect(server.requests).toHaveLength(10);
    const error = await failure(http.get(get('/r/6')));
    expect(error.reason).toBe('rate-limited');
    expect(error.message).toBe(
      `cannot GET ${server.url('/r/6')}: host ${server.host} keeps answering 429 Too Many Requests; ` +
        'giving up on it for this run',
    );
    expect(server.requests).toHaveLength(10);
    expect(http.ledger()[0]).toMatchObject({ sent: 10, retried: 5, failed: 6 });
  });

  it('resets the 429 count when the host answers something else', async () => {
    for (let i = 1; i <= 8; i++) server.route(`/r/${i}`, { statuses: [429] });
    server.route('/fine', {});
    const http = client({ retries: 0 });
    for (let i = 1; i <= 4; i++) await failure(http.get(get(`/r/${i}`)));
    await http.get(get('/fine'));
    for (let i = 5; i <= 8; i++) await failure(http.get(get(`/r/${i}`)));
    expect(server.count('/r/8')).toBe(1);
  });

  it('times out a request that gets no answer, retrying it first', async () => {
    server.route('/hang', { hang: true });
    const http = client({ timeoutMs: 150, retries: 1 });
    const started = Date.now();
    const error = await failure(http.get(get('/hang')));
    expect(Date.now() - started).toBeLessThan(2000);
    expect(error.reason).toBe('timeout');
    expect(error.message).toBe(`GET ${server.url('/hang')} failed: no answer within 0.2 s (2 attempts)`);
    expect(server.count('/hang')).toBe(2);
  });

  it('reports a refused connection as a network failure after its retries', async () => {
    const port = await freePort();
    const http = client({ retries: 2 });
    const error = await failure(http.get({ url: `http://127.0.0.1:${port}/x`, cache: 'none' }));
    expect(error.reason).toBe('network');
    expect(error.message).toBe(
      `GET http://127.0.0.1:${port}/x failed: connection refused (ECONNREFUSED) (3 attempts)`,
    );
    expect(http.ledger()).toEqual([
      { host: `127.0.0.1:${port}`, sent: 3, fromCache: 0, revalidated: 0, failed: 1, retried: 2, bytes: 0 },
    ]);
  });
});

describe('HttpClient: unreachable hosts', () => {
  it('gives a host up for the run after three requests in a row get no answer', async () => {
    const port = await freePort();
    const http = client({ retries: 1 });
    const url = (n: number) => ({ url: `http://127.0.0.1:${port}/${n}`, cache: 'none' as const });
    for (const n of [1, 2, 3])
      expect((await failure(http.get(url(n)))).message).toMatch(/connection refused/);
    const fourth = await failure(http.get(url(4)));
    expect(fourth.reason).toBe('network');
    expect(fourth.message).toBe(
      `cannot GET http://127.0.0.1:${port}/4: host 127.0.0.1:${port} did not answer 3 requests in a row; giving up on it for this run`,
    );
    // Two attempts for each of the first three, none for the fourth.
    expect(http.ledger()[0]).toMatchObject({ sent: 6, failed: 4 });
  });
});

describe('HttpClient: answers', () => {
  it('returns 4xx as answers without retrying, and never asks twice for a 404 or 410', async () => {
    server.route('/missing', { statuses: [404] });
    server.route('/gone', { statuses: [410] });
    server.route('/forbidden', { statuses: [403] });
    const http = client();
    expect(await http.get(get('/missing'))).toMatchObject({ status: 404, origin: 'network' });
    expect(await http.get(get('/missing'))).toMatchObject({ status: 404, origin: 'cache' });
    expect(await http.get(get('/gone'))).toMatchObject({ status: 410 });
    expect(await http.get(get('/gone'))).toMatchObject({ status: 410 });
    expect(await http.get(get('/forbidden'))).toMatchObject({ status: 403 });
    expect(await http.get(get('/forbidden'))).toMatchObject({ status: 403 });
    expect([server.count('/missing'), server.count('/gone'), server.count('/forbidden')]).toEqual([1, 1, 2]);
    expect(sleeps).toEqual([]);
    expect(http.ledger()[0]).toMatchObject({ sent: 4, fromCache: 2, failed: 0, retried: 0 });
  });

  it('decodes gzip bodies and drops the transport headers', async () => {
    server.route('/zipped', { gzip: true, body: '{"hello":"world"}' });
    const answer = await client().get(get('/zipped'));
    expect(answer.body.toString()).toBe('{"hello":"world"}');
    expect(answer.headers['content-encoding']).toBeUndefined();
    expect(answer.headers['content-type']).toBe('application/json');
  });

  it('sends the user agent, the accept header and the authorization', async () => {
    server.route('/who', {});
    await client().get(
      get('/who', { headers: { Accept: 'application/json' }, authorization: 'Bearer t0k3n' }),
    );
    expect(server.requests[0]!.headers).toMatchObject({
      'user-agent': 'oss-inventory-test/1.0',
      accept: 'application/json',
      authorization: 'Bearer t0k3n',
    });
  });

  it('rejects a header value holding a line break without sending anything', async () => {
    server.route('/x', {});
    const error = await failure(client().get(get('/x', { headers: { accept: 'a\r\nx-injected: 1' } })));
    expect(error.message).toBe(`cannot GET ${server.url('/x')}: a request header value holds a line break`);
    expect(server.requests).toHaveLength(0);
  });

  it('rejects a URL that is not http(s) without echoing its credentials', async () => {
    const error = await failure(client().get({ url: 'ftp://me:hunter2@example.org/x', cache: 'none' }));
    expect(error.reason).toBe('network');
    expect(error.message).toBe('cannot GET ftp://example.org/…: not an absolute http or https URL');
  });
});

describe('HttpClient: secrets', () => {
  it('sends URL credentials as Basic authorization and never shows them or query secrets in errors', async () => {
    server.route('/private', { statuses: [500] });
    const http = client({ retries: 0 });
    const url = `http://alice:pa55w0rd@${server.host}/private?access_token=QS3CRET&page=2`;
    const error = await failure(http.get({ url, cache: 'none' }));
    expect(server.requests[0]!.headers.authorization).toBe(
      `Basic ${Buffer.from('alice:pa55w0rd').toString('base64')}`,
    );
    expect(error.message).toBe(`GET ${server.url('/private')}?… failed: HTTP 500 Internal Server Error`);
    expect(error.url).toBe(`${server.url('/private')}?access_token=REDACTED&page=2`);
    for (const text of [error.message, error.url, error.stack ?? '']) {
      expect(text).not.toMatch(/pa55w0rd|QS3CRET|alice/);
    }
  });

  it('keeps the Authorization value out of every error message', async () => {
    server.route('/fails', { statuses: [502] });
    const error = await failure(
      client({ retries: 1 }).get(get('/fails', { authorization: 'Bearer npm_SuperSecretToken' })),
    );
    expect(server.requests[0]!.headers.authorization).toBe('Bearer npm_SuperSecretToken');
    expect(`${error.message} ${error.url} ${error.stack}`).not.toContain('SuperSecret');
  });
});

describe('HttpClient: proxies', () => {
  let proxy: ProxyServer;
  beforeEach(async () => {
    proxy = await startProxyServer();
  });
  afterEach(async () => {
    await proxy.close();
  });

  it('goes through HTTP_PROXY', async () => {
    server.route('/via', { body: 'proxied' });
    const answer = await client({ env: { HTTP_PROXY: proxy.url } }).get(get('/via'));
    expect(answer.body.toString()).toBe('proxied');
    expect(proxy.log).toEqual([`CONNECT ${server.host}`]);
    expect(server.count('/via')).toBe(1);
  });

  it('honours the lower-case http_proxy too', async () => {
    server.route('/via', {});
    await client({ env: { http_proxy: proxy.url } }).get(get('/via'));
    expect(proxy.log).toEqual([`CONNECT ${server.host}`]);
  });

  it('goes direct to a host listed in NO_PROXY', async () => {
    server.route('/direct', {});
    await client({ env: { HTTP_PROXY: proxy.url, NO_PROXY: 'localhost,127.0.0.1' } }).get(get('/direct'));
    expect(proxy.log).toEqual([]);
    expect(server.count('/direct')).toBe(1);
  });

  it('uses no proxy when the environment given to it names none, whatever process.env says', async () => {
    server.route('/direct', {});
    const saved = process.env.HTTP_PROXY;
    process.env.HTTP_PROXY = proxy.url;
    try {
      await client({ env: {} }).get(get('/direct'));
    } finally {
      if (saved === undefined) delete process.env.HTTP_PROXY;
      else process.env.HTTP_PROXY = saved;
    }
    expect(proxy.log).toEqual([]);
  });
});

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe('HttpClient: POST', () => {
  const post = (path: string, body: string, extra: Partial<HttpPostRequest> = {}): HttpPostRequest => ({
    url: server.url(path),
    body,
    headers: { 'content-type': 'application/json' },
    ...extra,
  });

  it('retries a 5xx with backoff, and counts every attempt in the ledger', async () => {
    server.route('/graphql', { statuses: [503, 200], body: '{"data":{}}' });
    const http = client();
    const answer = await http.post!(post('/graphql', '{"query":"{ viewer { login } }"}'));
    expect([answer.status, answer.body.toString(), answer.origin]).toEqual([200, '{"data":{}}', 'network']);
    expect(server.requests.map((r) => [r.method, r.status, r.headers['content-type']])).toEqual([
      ['POST', 503, 'application/json'],
      ['POST', 200, 'application/json'],
    ]);
    expect(sleeps).toEqual([250]);
    expect(http.ledger()).toMatchObject([{ sent: 2, retried: 1, fromCache: 0, failed: 0 }]);
  });

  it('caches nothing by default, not even a 404, and shares no answer between two POSTs', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'oss-inventory-post-'));
    try {
      server.route('/graphql', { body: '{"data":{}}' });
      server.route('/gone', { statuses: [404] });
      const http = client({ cacheDir: dir });
      const body = '{"query":"{ viewer { login } }"}';
      await Promise.all([http.post!(post('/graphql', body)), http.post!(post('/graphql', body))]);
      await http.post!(post('/gone', body));
      expect((await http.post!(post('/gone', body))).status).toBe(404);
      expect(server.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
        'POST /graphql 200',
        'POST /graphql 200',
        'POST /gone 404',
        'POST /gone 404',
      ]);
      expect(await readdir(dir, { recursive: true })).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('caches an immutable POST by URL and body, never with its authorization', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'oss-inventory-post-'));
    try {
      server.route('/graphql', { body: '{"data":{"blob":"text"}}' });
      const http = client({ cacheDir: dir });
      const ask = (body: string) =>
        http.post!(post('/graphql', body, { cache: 'immutable', authorization: 'bearer post-secret-token' }));
      expect((await ask('{"oid":"a"}')).origin).toBe('network');
      expect((await ask('{"oid":"a"}')).origin).toBe('cache');
      expect((await ask('{"oid":"b"}')).origin).toBe('network');
      expect(server.requests.map((r) => r.headers.authorization)).toEqual([
        'bearer post-secret-token',
        'bearer post-secret-token',
      ]);
      const files = (await readdir(dir, { recursive: true, withFileTypes: true })).filter((f) => f.isFile());
      expect(files.length).toBeGreaterThanOrEqual(2);
      for (const f of files) {
        expect(await readFile(path.join(f.parentPath, f.name), 'latin1')).not.toContain('post-secret-token');
      }
      // A GET of the same URL is another entry: the method and the body are part of a POST's key.
      expect((await http.get({ url: server.url('/graphql'), cache: 'immutable' })).origin).toBe('network');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('names the method in its failures', async () => {
    server.route('/down', { statuses: [502] });
    const error = await failure(client({ retries: 1 }).post!(post('/down', '{}')));
    expect(error.message).toBe(`POST ${server.url('/down')} failed: HTTP 502 Bad Gateway (2 attempts)`);
    const offline = await failure(client({ offline: true }).post!(post('/down', '{}')));
    expect(offline.message).toBe(`cannot POST ${server.url('/down')}: offline, and no cached copy`);
  });
});
