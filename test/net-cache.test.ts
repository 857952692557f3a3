import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cacheUsage, clearCache } from '../src/net/cache.js';
import { createHttpClient, type ClosableHttpClient, type HttpClientOptions } from '../src/net/http-client.js';
import { HttpError, type HttpRequest } from '../src/net/types.js';
import { startFaultServer, type FaultServer } from './servers/fault-server.js';

let server: FaultServer;
let dir: string;
const opened: ClosableHttpClient[] = [];
const T0 = Date.parse('2025-06-01T12:00:00Z');

beforeEach(async () => {
  server = await startFaultServer();
  dir = await mkdtemp(path.join(tmpdir(), 'oss-inventory-net-cache-'));
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((c) => c.close()));
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

/** A client on the shared cache folder whose clock reads `at`: a new one is a new run. */
function run(at = T0, overrides: Partial<HttpClientOptions> = {}): ClosableHttpClient {
  const created = createHttpClient({
    cacheDir: dir,
    userAgent: 'oss-inventory-test/1.0',
    env: {},
    sleep: async () => undefined,
    random: () => 0.5,
    now: () => at,
    ...overrides,
  });
  opened.push(created);
  return created;
}

const DAY = 24 * 3600 * 1000;

async function filesUnder(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

async function entryFiles(): Promise<string[]> {
  return (await filesUnder(path.join(dir, 'http'))).sort();
}

describe('disk cache: immutable', () => {
  it('keeps an immutable document forever: a later run asks nothing', async () => {
    server.route('/react/18.2.0', { body: '{"name":"react","version":"18.2.0"}' });
    const request: HttpRequest = { url: server.url('/react/18.2.0'), cache: 'immutable' };
    const first = await run().get(request);
    expect(first.origin).toBe('network');

    const later = run(T0 + 3650 * DAY);
    const second = await later.get(request);
    expect(second).toMatchObject({ status: 200, origin: 'cache', url: server.url('/react/18.2.0') });
    expect(second.body.toString()).toBe('{"name":"react","version":"18.2.0"}');
    expect(second.headers['content-type']).toBe('application/json');
    expect(server.count('/react/18.2.0')).toBe(1);
    expect(later.ledger()).toEqual([
      { host: server.host, sent: 0, fromCache: 1, revalidated: 0, failed: 0, retried: 0, bytes: 0 },
    ]);
  });

  it('lays entries out as http/ab/<62 hex digits>, one file holding a JSON meta line and the body', async () => {
    server.route('/doc', { body: 'BODY' });
    await run().get({ url: server.url('/doc'), cache: 'immutable' });
    const files = await entryFiles();
    expect(files).toHaveLength(1);
    expect(path.relative(dir, files[0]!)).toMatch(/^http\/[0-9a-f]{2}\/[0-9a-f]{62}$/);
    const content = await readFile(files[0]!, 'utf8');
    const [metaLine, body] = content.split('\n');
    expect(body).toBe('BODY');
    expect(JSON.parse(metaLine!)).toMatchObject({
      v: 1,
      url: server.url('/doc'),
      status: 200,
      storedAt: '2025-06-01T12:00:00.000Z',
      policy: 'immutable',
      bodyBytes: 4,
    });
    expect(existsSync(path.join(dir, 'CACHEDIR.TAG'))).toBe(true);
  });

  it('keys entries by accept header: two representations of one URL are two entries', async () => {
    server.route('/pkg', {});
    const http = run();
    await http.get({ url: server.url('/pkg'), cache: 'immutable', headers: { accept: 'application/json' } });
    await http.get({
      url: server.url('/pkg'),
      cache: 'immutable',
      headers: { Accept: 'application/vnd.npm.install-v1+json' },
    });
    await http.get({ url: server.url('/pkg'), cache: 'immutable', headers: { accept: 'application/json' } });
    expect(server.count('/pkg')).toBe(2);
    expect(await entryFiles()).toHaveLength(2);
  });

  it('shares one entry between requests with different tokens', async () => {
    server.route('/private', {});
    await run().get({ url: server.url('/private'), cache: 'immutable', authorization: 'Bearer one' });
    const second = await run().get({
      url: server.url('/private'),
      cache: 'immutable',
      authorization: 'Bearer two',
    });
    expect(second.origin).toBe('cache');
    expect(server.count('/private')).toBe(1);
  });

  it('never stores 5xx answers, nor requests with the "none" policy', async () => {
    server.route('/broken', { statuses: [500] });
    server.route('/live', {});
    const http = run(T0, { retries: 0 });
    await http.get({ url: server.url('/broken'), cache: 'immutable' }).catch(() => undefined);
    await http.get({ url: server.url('/live'), cache: 'none' });
    expect(existsSync(path.join(dir, 'http'))).toBe(false);
  });

  it('remembers a 404 on disk for missingForMs (a day by default), then asks again', async () => {
    server.route('/missing', { statuses: [404] });
    expect(await run(T0).get({ url: server.url('/missing'), cache: 'immutable' })).toMatchObject({
      status: 404,
    });
    const hourLater = await run(T0 + 3_600_000).get({ url: server.url('/missing'), cache: 'immutable' });
    expect(hourLater).toMatchObject({ status: 404, origin: 'cache' });
    expect(server.count('/missing')).toBe(1);
    await run(T0 + DAY + 1).get({ url: server.url('/missing'), cache: 'immutable' });
    expect(server.count('/missing')).toBe(2);
    await run(T0 + 2 * DAY + 2, { missingForMs: 0 }).get({
      url: server.url('/missing'),
      cache: 'revalidate',
    });
    await run(T0 + 2 * DAY + 3, { missingForMs: 0 }).get({
      url: server.url('/missing'),
      cache: 'revalidate',
    });
    expect(server.count('/missing')).toBe(4);
  });
});

describe('disk cache: revalidate', () => {
  it('revalidates with If-None-Match; a 304 serves the cached body and refreshes storedAt', async () => {
    server.route('/packument', { etag: '"abc"', body: '{"versions":{}}' });
    const request: HttpRequest = { url: server.url('/packument'), cache: 'revalidate', freshForMs: 60_000 };
    await run(T0).get(request);

    const later = run(T0 + DAY);
    const answer = await later.get(request);
    expect(answer).toMatchObject({ status: 200, origin: 'revalidated' });
    expect(answer.body.toString()).toBe('{"versions":{}}');
    expect(server.requests.map((r) => [r.status, r.headers['if-none-match']])).toEqual([
      [200, undefined],
      [304, '"abc"'],
    ]);
    expect(later.ledger()).toEqual([
      { host: server.host, sent: 1, fromCache: 0, revalidated: 1, failed: 0, retried: 0, bytes: 0 },
    ]);

    // Refreshed at T0 + 1 day, so still fresh 30 s later.
    const fresh = await run(T0 + DAY + 30_000).get(request);
    expect(fresh.origin).toBe('cache');
    expect(server.requests).toHaveLength(2);
  });

  it('revalidates with If-Modified-Since when the server gave a Last-Modified', async () => {
    const lastModified = 'Sat, 01 Mar 2025 10:00:00 GMT';
    server.route('/maven-metadata.xml', { lastModified, body: '<metadata/>' });
    const request: HttpRequest = { url: server.url('/maven-metadata.xml'), cache: 'revalidate' };
    await run(T0).get(request);
    const answer = await run(T0 + 1000).get(request);
    expect(answer.origin).toBe('revalidated');
    expect(answer.body.toString()).toBe('<metadata/>');
    expect(server.requests[1]!.headers['if-modified-since']).toBe(lastModified);
    expect(server.requests[1]!.status).toBe(304);
  });

  it('serves a revalidate entry without asking while it is younger than freshForMs', async () => {
    server.route('/packument', { etag: '"v1"' });
    const request: HttpRequest = { url: server.url('/packument'), cache: 'revalidate', freshForMs: 60_000 };
    await run(T0).get(request);
    expect((await run(T0 + 59_000).get(request)).origin).toBe('cache');
    expect(server.requests).toHaveLength(1);
    expect((await run(T0 + 61_000).get(request)).origin).toBe('revalidated');
    expect(server.requests).toHaveLength(2);
  });

  it('replaces the entry when the document changed (200 instead of 304)', async () => {
    server.route('/packument', { etag: '"v1"', body: 'one' });
    const request: HttpRequest = { url: server.url('/packument'), cache: 'revalidate' };
    await run(T0).get(request);
    server.route('/packument', { etag: '"v2"', body: 'two' });
    const changed = await run(T0 + 1000).get(request);
    expect(changed).toMatchObject({ origin: 'network', status: 200 });
    expect(changed.body.toString()).toBe('two');
    server.route('/packument', { etag: '"v2"', body: 'two' });
    const again = await run(T0 + 2000).get(request);
    expect(again.origin).toBe('revalidated');
    expect(again.body.toString()).toBe('two');
    expect(server.requests.map((r) => r.headers['if-none-match'])).toEqual([undefined, '"v1"', '"v2"']);
  });
});

describe('disk cache: offline and --no-cache', () => {
  it('offline: serves any cached entry, whatever its age or policy, and rejects a miss without a request', async () => {
    server.route('/packument', { etag: '"v1"', body: 'cached' });
    await run(T0).get({ url: server.url('/packument'), cache: 'revalidate' });
    const offline = run(T0 + 400 * DAY, { offline: true });
    const hit = await offline.get({ url: server.url('/packument'), cache: 'revalidate' });
    expect(hit).toMatchObject({ origin: 'cache', status: 200 });
    expect(hit.body.toString()).toBe('cached');

    const miss = await offline
      .get({ url: server.url('/other'), cache: 'immutable' })
      .catch((e: unknown) => e);
    expect(miss).toBeInstanceOf(HttpError);
    expect(miss).toMatchObject({ reason: 'offline', url: server.url('/other') });
    expect((miss as HttpError).message).toBe(
      `cannot GET ${server.url('/other')}: offline, and no cached copy`,
    );
    expect(server.requests).toHaveLength(1);
    expect(offline.ledger()).toEqual([
      { host: server.host, sent: 0, fromCache: 1, revalidated: 0, failed: 1, retried: 0, bytes: 0 },
    ]);
  });

  it('--no-cache (cacheDir null) asks the network every time and writes nothing', async () => {
    server.route('/doc', {});
    const http = createHttpClient({ cacheDir: null, userAgent: 't', env: {} });
    opened.push(http);
    await http.get({ url: server.url('/doc'), cache: 'immutable' });
    await http.get({ url: server.url('/doc'), cache: 'immutable' });
    expect(server.count('/doc')).toBe(2);
    expect(await readdir(dir)).toEqual([]);
    const offline = createHttpClient({ cacheDir: null, userAgent: 't', env: {}, offline: true });
    opened.push(offline);
    await expect(offline.get({ url: server.url('/doc'), cache: 'immutable' })).rejects.toMatchObject({
      reason: 'offline',
    });
  });
});

describe('disk cache: robustness', () => {
  it('two runs writing the same entries at the same time leave only whole, valid entries', async () => {
    const paths = Array.from({ length: 25 }, (_, i) => `/doc/${i}`);
    for (const [i, p] of paths.entries()) {
      server.route(p, {
        latencyMs: (i * 7) % 20,
        etag: `"e${i}"`,
        body: `{"doc":${i},"pad":"${'x'.repeat(i * 500)}"}`,
      });
    }
    const a = run(T0);
    const b = run(T0);
    for (let round = 0; round < 3; round++) {
      await Promise.all(
        paths.flatMap((p) => [
          a.get({ url: server.url(p), cache: 'revalidate' }),
          b.get({ url: server.url(p), cache: 'revalidate' }),
        ]),
      );
    }
    const files = await entryFiles();
    expect(files).toHaveLength(25);
    expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const reader = run(T0, { offline: true });
    for (const [i, p] of paths.entries()) {
      const answer = await reader.get({ url: server.url(p), cache: 'revalidate' });
      expect(JSON.parse(answer.body.toString())).toMatchObject({ doc: i });
    }
  });

  it('treats a truncated entry as a miss, fetches again and overwrites it', async () => {
    server.route('/doc', { body: '{"complete":true}' });
    const request: HttpRequest = { url: server.url('/doc'), cache: 'immutable' };
    await run().get(request);
    const [file] = await entryFiles();
    const size = (await readFile(file!)).length;
    await truncate(file!, size - 3);

    const again = await run().get(request);
    expect(again.origin).toBe('network');
    expect(again.body.toString()).toBe('{"complete":true}');
    expect((await run().get(request)).origin).toBe('cache');
    expect(server.count('/doc')).toBe(2);
  });

  it('treats garbage, an empty file and a meta of the wrong shape as misses', async () => {
    server.route('/doc', { body: 'fine' });
    const request: HttpRequest = { url: server.url('/doc'), cache: 'immutable' };
    await run().get(request);
    const [file] = await entryFiles();
    const meta = JSON.parse((await readFile(file!, 'utf8')).split('\n')[0]!) as Record<string, unknown>;
    const corruptions = [
      Buffer.from([0xff, 0xfe, 0x00, 0x0a, 0x41]),
      Buffer.alloc(0),
      Buffer.from(`${JSON.stringify({ ...meta, status: '200' })}\nfine`),
      Buffer.from(`${JSON.stringify(meta).replace('"headers":{', '"headers":{"__proto__":1,')}\nfine`),
      Buffer.from(`${JSON.stringify(meta)}\nfin!`),
      Buffer.from(`[1,2,3]\nfine`),
    ];
    for (const corrupt of corruptions) {
      await writeFile(file!, corrupt);
      const answer = await run().get(request);
      expect(answer.origin).toBe('network');
      expect(answer.body.toString()).toBe('fine');
    }
    expect(server.count('/doc')).toBe(1 + corruptions.length);
  });

  it('serves an entry whose stored headers hold a "__proto__" key without polluting any prototype', async () => {
    server.route('/doc', { body: 'fine' });
    const request: HttpRequest = { url: server.url('/doc'), cache: 'immutable' };
    await run().get(request);
    const [file] = await entryFiles();
    const [metaLine, body] = (await readFile(file!, 'utf8')).split('\n');
    const hostile = metaLine!.replace('"headers":{', '"headers":{"__proto__":"polluted","constructor":"x",');
    const meta = JSON.parse(hostile) as Record<string, unknown>;
    await writeFile(file!, `${JSON.stringify(meta)}\n${body}`);
    const answer = await run().get(request);
    expect(answer.origin).toBe('cache');
    expect(Object.hasOwn(answer.headers, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(answer.headers)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('never writes an Authorization value or URL credentials anywhere under the cache folder', async () => {
    server.route('/private', { etag: '"p"', headers: { 'set-cookie': 'session=CookieSecret' } });
    server.route('/missing', { statuses: [404] });
    const token = 'Bearer npm_TopSecretToken123';
    const http = run(T0);
    await http.get({ url: server.url('/private'), cache: 'immutable', authorization: token });
    await http.get({ url: server.url('/private?x=1'), cache: 'revalidate', authorization: token });
    await run(T0 + 1000).get({ url: server.url('/private?x=1'), cache: 'revalidate', authorization: token });
    await http.get({ url: server.url('/missing'), cache: 'immutable', authorization: token });
    await http.get({
      url: `http://bob:UrlPassw0rd@${server.host}/private?token=QueryS3cret`,
      cache: 'immutable',
    });
    const files = await filesUnder(dir);
    expect(files.length).toBeGreaterThanOrEqual(3);
    const everything = (await Promise.all(files.map((f) => readFile(f, 'latin1')))).join('\n');
    const basic = Buffer.from('bob:UrlPassw0rd').toString('base64');
    for (const secret of ['TopSecretToken123', 'UrlPassw0rd', 'QueryS3cret', 'CookieSecret', basic]) {
      expect(everything).not.toContain(secret);
    }
    expect(server.requests.filter((r) => r.headers.authorization === token)).toHaveLength(4);
  });

  it('reports, once, a cache folder it cannot write, and still answers', async () => {
    const blocker = path.join(dir, 'not-a-folder');
    await writeFile(blocker, 'a file where the cache folder should be');
    const told: string[] = [];
    server.route('/a', {});
    server.route('/b', {});
    const http = createHttpClient({
      cacheDir: blocker,
      userAgent: 't',
      env: {},
      onCacheWriteError: (message) => told.push(message),
    });
    opened.push(http);
    expect((await http.get({ url: server.url('/a'), cache: 'immutable' })).status).toBe(200);
    expect((await http.get({ url: server.url('/b'), cache: 'immutable' })).status).toBe(200);
    expect(told).toHaveLength(1);
    expect(told[0]).toMatch(/^cannot write the HTTP cache in .*not-a-folder: /);
  });
});

describe('cacheUsage and clearCache', () => {
  it('counts and removes entries, and only entries', async () => {
    for (const p of ['/a', '/b', '/c']) server.route(p, { body: 'x'.repeat(100) });
    const http = run();
    for (const p of ['/a', '/b', '/c']) await http.get({ url: server.url(p), cache: 'immutable' });
    const foreign = path.join(dir, 'http', 'README');
    await writeFile(foreign, 'not ours');

    const usage = await cacheUsage(dir);
    expect(usage.entries).toBe(3);
    const sizes = await Promise.all(
      (await entryFiles()).filter((f) => f !== foreign).map((f) => readFile(f)),
    );
    expect(usage.bytes).toBe(sizes.reduce((n, b) => n + b.length, 0));

    expect(await clearCache(dir)).toEqual(usage);
    expect(await cacheUsage(dir)).toEqual({ entries: 0, bytes: 0 });
    expect((await filesUnder(dir)).sort()).toEqual([path.join(dir, 'CACHEDIR.TAG'), foreign]);
  });

  it('reports an absent folder as empty', async () => {
    expect(await cacheUsage(path.join(dir, 'nowhere'))).toEqual({ entries: 0, bytes: 0 });
    expect(await clearCache(path.join(dir, 'nowhere'))).toEqual({ entries: 0, bytes: 0 });
  });
});
