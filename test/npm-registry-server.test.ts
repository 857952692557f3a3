import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNpmRegistry, type NpmRegistry } from './servers/npm-registry.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const dir = path.resolve(here, '../fixtures/registry');
const ABBREVIATED = 'application/vnd.npm.install-v1+json';

async function get(url: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, { headers });
  const text = await response.text();
  return { status: response.status, headers: Object.fromEntries(response.headers), text };
}

describe('the npm registry fixture server', () => {
  let registry: NpmRegistry;
  beforeAll(async () => {
    registry = await startNpmRegistry({
      dir,
      faults: {
        '/left-pad': [{ status: 429, retryAfter: 2 }],
        '/broken': 'always-500',
        '/dropped': 'always-reset',
      },
    });
  });
  afterAll(() => registry.close());

  it('listens on 127.0.0.1 with a random port', () => {
    expect(registry.url).toBe(`http://127.0.0.1:${registry.port}/`);
    expect(registry.port).toBeGreaterThan(0);
  });

  it('serves the stored packument byte for byte with a strong ETag, and 304 on If-None-Match', async () => {
    const stored = readFileSync(path.join(dir, 'ms.json'));
    const first = await get(`${registry.url}ms`, { accept: 'application/json' });
    const etag = `"${createHash('sha1').update(stored).digest('hex')}"`;
    expect(first).toMatchObject({ status: 200, text: stored.toString('utf8') });
    expect(first.headers).toMatchObject({ 'content-type': 'application/json', etag });
    const again = await get(`${registry.url}ms`, { 'if-none-match': etag });
    expect(again).toMatchObject({ status: 304, text: '' });
    expect(again.headers.etag).toBe(etag);
    expect((await get(`${registry.url}ms`, { 'if-none-match': `W/${etag}` })).status).toBe(304);
    expect((await get(`${registry.url}ms`, { 'if-none-match': '"other"' })).status).toBe(200);
  });

  it('serves a scoped package at /@scope%2fname, /@scope%2Fname and /@scope/name', async () => {
    const stored = readFileSync(path.join(dir, '@babel/code-frame.json'), 'utf8');
    for (const route of ['@babel%2fcode-frame', '@babel%2Fcode-frame', '@babel/code-frame']) {
      expect(await get(`${registry.url}${route}`)).toMatchObject({ status: 200, text: stored });
    }
  });

  it('derives version documents, by version and by dist-tag', async () => {
    const version = await get(`${registry.url}ms/2.1.2`);
    expect(version.status).toBe(200);
    expect(JSON.parse(version.text)).toMatchObject({ name: 'ms', version: '2.1.2', license: 'MIT' });
    expect(JSON.parse((await get(`${registry.url}ms/latest`)).text).version).toBe('2.1.3');
    expect(JSON.parse((await get(`${registry.url}ms/beta`)).text).version).toBe('3.0.0-canary.1');
    expect(JSON.parse((await get(`${registry.url}@babel%2fcode-frame/7.24.7`)).text).version).toBe('7.24.7');
    const etag = version.headers.etag!;
    expect((await get(`${registry.url}ms/2.1.2`, { 'if-none-match': etag })).status).toBe(304);
  });

  it('answers 404 for unknown packages, versions and paths', async () => {
    expect(await get(`${registry.url}no-such-package`)).toMatchObject({
      status: 404,
      text: '{"error":"Not found"}',
    });
    expect(await get(`${registry.url}ms/9.9.9`)).toMatchObject({
      status: 404,
      text: '{"error":"version not found: 9.9.9"}',
    });
    expect((await get(`${registry.url}pino/9.2.1`)).status).toBe(404);
    expect((await get(`${registry.url}versions-array/1.0.0`)).status).toBe(404);
    expect((await get(`${registry.url}ms/-/ms-2.1.3.tgz`)).status).toBe(404);
    expect((await get(`${registry.url}..%2f..%2fpackage`)).status).toBe(404);
    expect((await get(`${registry.url}%2e%2e/package`)).status).toBe(404);
    expect((await get(`${registry.url}@babel`)).status).toBe(404);
    expect((await get(`${registry.url}%E0%A4%A`)).status).toBe(404);
  });

  it('serves the malformed fixture as stored, and 500 for what it cannot derive from it', async () => {
    const truncated = await get(`${registry.url}truncated`);
    expect(truncated.status).toBe(200);
    expect(() => JSON.parse(truncated.text)).toThrow();
    expect((await get(`${registry.url}truncated/1.0.0`)).status).toBe(500);
  });

  it('serves the abbreviated packument for the install-v1 Accept header', async () => {
    const corgi = await get(`${registry.url}left-pad`, {
      accept: `${ABBREVIATED}; q=1.0, application/json; q=0.8`,
    });
    // The fault plan of /left-pad gives one 429 first.
    expect(corgi.status).toBe(429);
    const answer = await get(`${registry.url}left-pad`, { accept: ABBREVIATED });
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe(`${ABBREVIATED}; charset=utf-8`);
    const body = JSON.parse(answer.text);
    expect(Object.keys(body)).toEqual(['name', 'modified', 'dist-tags', 'versions']);
    expect(body.versions['1.3.0']).toEqual({
      name: 'left-pad',
      version: '1.3.0',
      deprecated: 'use String.prototype.padStart() instead',
      directories: {},
      dist: expect.objectContaining({ tarball: 'https://registry.npmjs.org/left-pad/-/left-pad-1.3.0.tgz' }),
      _hasShrinkwrap: false,
    });
    const full = await get(`${registry.url}left-pad`, { accept: 'application/json' });
    expect(full.headers.etag).not.toBe(answer.headers.etag);
  });

  it('injects faults per path: a 429 with Retry-After once, a 500 always, a dropped connection', async () => {
    const before = registry.count('/left-pad');
    expect((await get(`${registry.url}left-pad/1.3.0`)).status).toBe(200);
    expect(registry.count('/left-pad')).toBe(before + 1);
    for (let i = 0; i < 3; i++) {
      expect(await get(`${registry.url}broken`)).toMatchObject({
        status: 500,
        text: '{"error":"injected 500"}',
      });
    }
    await expect(fetch(`${registry.url}dropped`)).rejects.toThrow();
    expect(registry.requests.at(-1)).toMatchObject({ path: '/dropped', status: -1 });
  });

  it('logs every request with its decoded route, and counts by prefix', () => {
    expect(registry.count('/broken')).toBe(3);
    expect(registry.count('/@babel/code-frame')).toBe(4);
    expect(registry.count('/@babel')).toBe(5);
    expect(registry.count('/@babel%2fcode-frame')).toBe(2);
    expect(registry.count()).toBe(registry.requests.length);
    const first = registry.requests.find((r) => r.path === '/left-pad')!;
    expect(first).toMatchObject({
      method: 'GET',
      route: '/left-pad',
      accept: `${ABBREVIATED}; q=1.0, application/json; q=0.8`,
      authorization: false,
      status: 429,
    });
  });

  it('gives a 429 its Retry-After header', async () => {
    const throttled = await startNpmRegistry({ dir, faults: { '/ms': [{ status: 429, retryAfter: 2 }] } });
    try {
      const answer = await get(`${throttled.url}ms`);
      expect(answer.status).toBe(429);
      expect(answer.headers['retry-after']).toBe('2');
      expect((await get(`${throttled.url}ms`)).status).toBe(200);
    } finally {
      await throttled.close();
    }
  });
});

describe('the fixture server with an expected token', () => {
  it('answers 401 without the exact Authorization header and logs only its presence', async () => {
    const token = 'Bearer fixture-token-0123';
    const registry = await startNpmRegistry({ dir, authorization: token });
    try {
      expect((await get(`${registry.url}@acme%2fwidgets`)).status).toBe(401);
      expect((await get(`${registry.url}@acme%2fwidgets`, { authorization: 'Bearer wrong' })).status).toBe(
        401,
      );
      expect((await get(`${registry.url}@acme%2fwidgets`, { authorization: token })).status).toBe(200);
      expect(registry.requests.map((r) => [r.authorization, r.status])).toEqual([
        [false, 401],
        [true, 401],
        [true, 200],
      ]);
      expect(JSON.stringify(registry.requests)).not.toContain('fixture-token');
    } finally {
      await registry.close();
    }
  });

  it('applies latency', async () => {
    const registry = await startNpmRegistry({ dir, latencyMs: 60 });
    try {
      const started = performance.now();
      await get(`${registry.url}ms`);
      expect(performance.now() - started).toBeGreaterThanOrEqual(55);
    } finally {
      await registry.close();
    }
  });
});

describe('the fixture server run standalone', () => {
  it('runs with plain node and prints one line per request', async () => {
    const child = spawn(
      process.execPath,
      [path.join(here, 'servers/npm-registry.js'), '--dir', dir, '--port', '0'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    try {
      const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
      const listening = (await lines.next()).value as string;
      expect(listening).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+\/$/);
      const url = listening.slice('listening on '.length);
      expect((await get(`${url}ms/2.1.3`)).status).toBe(200);
      expect((await lines.next()).value).toMatch(/^GET \/ms\/2\.1\.3 200 [\d.]+ms$/);
      expect((await get(`${url}nope`)).status).toBe(404);
      expect((await lines.next()).value).toMatch(/^GET \/nope 404 [\d.]+ms$/);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
