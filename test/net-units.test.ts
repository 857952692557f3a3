import { describe, expect, it } from 'vitest';
import { defaultCacheDir } from '../src/net/cache-dir.js';
import { formatBytes, formatLedger, Ledger } from '../src/net/ledger.js';
import {
  backoffDelay,
  describeDuration,
  isRetryableAnswer,
  parseDuration,
  parseRetryAfter,
} from '../src/net/retry.js';
import { messageUrl, parseRequestUrl, publicUrl, unparsableUrlLabel } from '../src/net/safe-url.js';

describe('parseDuration', () => {
  it('reads durations as people write them on a command line, in ms', () => {
    const cases = ['0', '90s', '15m', '1h', '1h30m', '2d', '500ms', '1.5h', ' 10M '];
    expect(cases.map(parseDuration)).toEqual([
      0, 90_000, 900_000, 3_600_000, 5_400_000, 172_800_000, 500, 5_400_000, 600_000,
    ]);
  });

  it('refuses anything else', () => {
    for (const bad of ['', '15', 'm', '-5m', '1 h', 'soon', '1h-30m', '1e3s', '15min']) {
      expect(parseDuration(bad), bad).toBeUndefined();
    }
  });
});

describe('retry', () => {
  it('retries 429 and 5xx only', () => {
    const retried = [200, 304, 400, 403, 404, 408, 429, 500, 502, 503, 599].filter((status) =>
      isRetryableAnswer(status, {}),
    );
    expect(retried).toEqual([429, 500, 502, 503, 599]);
  });

  it('hands back a 429 that says the quota is spent to a caller that waits for the reset itself', () => {
    const spent = { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1767225600' };
    expect(isRetryableAnswer(429, spent, true)).toBe(false);
    expect(isRetryableAnswer(429, { ...spent, 'retry-after': '30' }, true)).toBe(true);
    expect(isRetryableAnswer(429, { 'x-ratelimit-remaining': '12' }, true)).toBe(true);
    expect(isRetryableAnswer(503, spent, true)).toBe(true);
    // any other caller retries it, and gives the host up after repeated 429s
    expect(isRetryableAnswer(429, spent)).toBe(true);
  });

  it('backs off from 500 ms, doubling, capped at 30 s, with full jitter', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 50].map((n) => backoffDelay(n, () => 0.5))).toEqual([
      250, 500, 1000, 2000, 4000, 8000, 15000, 15000, 15000,
    ]);
    expect(backoffDelay(3, () => 0)).toBe(0);
  });

  it('reads Retry-After as seconds or an HTTP-date, never negative, undefined when unreadable', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('2', now)).toBe(2000);
    expect(parseRetryAfter(' 120 ', now)).toBe(120_000);
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Tue, 31 Dec 2024 23:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
    expect(parseRetryAfter('1.5', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });

  it('describes waits as people read them', () => {
    expect([150, 2000, 60_000, 1_800_000, 7_200_000].map(describeDuration)).toEqual([
      '0.2 s',
      '2 s',
      '60 s',
      '30 minutes',
      '2 hours',
    ]);
  });
});

describe('safe URLs', () => {
  it('moves userinfo into a Basic authorization and off the wire URL', () => {
    const parsed = parseRequestUrl('https://me%40corp:p%3Ass@registry.example/@scope%2fpkg');
    expect(parsed?.wire.href).toBe('https://registry.example/@scope%2fpkg');
    expect(parsed?.basicAuthorization).toBe(`Basic ${Buffer.from('me@corp:p:ss').toString('base64')}`);
    expect(parseRequestUrl('https://registry.example/x')).toEqual({
      wire: new URL('https://registry.example/x'),
    });
  });

  it('refuses what is not an absolute http(s) URL', () => {
    expect(parseRequestUrl('/relative')).toBeUndefined();
    expect(parseRequestUrl('file:///etc/passwd')).toBeUndefined();
    expect(parseRequestUrl('javascript:alert(1)')).toBeUndefined();
  });

  it('redacts secret-looking query values and keeps the rest in order', () => {
    const url = new URL(
      'https://u:p@api.example/repos?page=2&access_token=abc&per_page=100&X-Amz-Signature=s#frag',
    );
    expect(publicUrl(url)).toBe(
      'https://api.example/repos?page=2&access_token=REDACTED&per_page=100&X-Amz-Signature=REDACTED',
    );
    expect(publicUrl(new URL('https://api.example/a?q=1'))).toBe('https://api.example/a?q=1');
  });

  it('shows only scheme, host and path in messages', () => {
    expect(messageUrl(new URL('https://api.example:8443/a/b?token=x'))).toBe(
      'https://api.example:8443/a/b?…',
    );
    expect(messageUrl(new URL('https://api.example/a'))).toBe('https://api.example/a');
    expect(unparsableUrlLabel('gopher://user:secret@host:70/x')).toBe('gopher://host:70/…');
    expect(unparsableUrlLabel('not a url\u0007')).toBe('"not a url?…"');
  });
});

describe('ledger', () => {
  it('counts per host, sorted by host, and prints one line per host', () => {
    const ledger = new Ledger();
    ledger.add('registry.npmjs.org', 'sent', 3);
    ledger.add('repo1.maven.org', 'fromCache');
    ledger.add('registry.npmjs.org', 'retried');
    ledger.add('registry.npmjs.org', 'bytes', 2_345_678);
    ledger.add('api.github.com', 'revalidated');
    ledger.add('api.github.com', 'sent');
    expect(ledger.entries().map((e) => e.host)).toEqual([
      'api.github.com',
      'registry.npmjs.org',
      'repo1.maven.org',
    ]);
    expect(formatLedger(ledger.entries())).toEqual([
      'api.github.com: 1 sent (0 retried), 0 from cache, 1 revalidated, 0 failed, 0 B received',
      'registry.npmjs.org: 3 sent (1 retried), 0 from cache, 0 revalidated, 0 failed, 2.3 MB received',
      'repo1.maven.org: 0 sent (0 retried), 1 from cache, 0 revalidated, 0 failed, 0 B received',
    ]);
  });

  it('hands out copies', () => {
    const ledger = new Ledger();
    ledger.add('a', 'sent');
    ledger.entries()[0]!.sent = 99;
    expect(ledger.entries()[0]!.sent).toBe(1);
  });

  it('formats sizes in SI units', () => {
    expect([0, 999, 1000, 1_500_000, 3_200_000_000].map(formatBytes)).toEqual([
      '0 B',
      '999 B',
      '1.0 kB',
      '1.5 MB',
      '3.2 GB',
    ]);
  });
});

describe('defaultCacheDir', () => {
  it('uses $XDG_CACHE_HOME/oss-inventory, else ~/.cache/oss-inventory, ignoring a relative XDG_CACHE_HOME', () => {
    expect(defaultCacheDir({ XDG_CACHE_HOME: '/var/cache/me' }, '/home/me')).toBe(
      '/var/cache/me/oss-inventory',
    );
    expect(defaultCacheDir({}, '/home/me')).toBe('/home/me/.cache/oss-inventory');
    expect(defaultCacheDir({ XDG_CACHE_HOME: '' }, '/home/me')).toBe('/home/me/.cache/oss-inventory');
    expect(defaultCacheDir({ XDG_CACHE_HOME: 'relative' }, '/home/me')).toBe('/home/me/.cache/oss-inventory');
  });
});
