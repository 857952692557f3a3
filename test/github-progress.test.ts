import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  clock,
  INITIAL_PROGRESS,
  openGitHubProgress,
  progressLogLine,
  reduceProgress,
  renderProgress,
  type GitHubProgressState,
} from '../src/cli/github-progress.js';
import { createLog } from '../src/cli/log.js';
import type { GitHubProgress } from '../src/sources/github.js';

const NOW = Date.parse('2026-01-01T12:00:00Z');

function after(events: GitHubProgress[], state: GitHubProgressState = INITIAL_PROGRESS): GitHubProgressState {
  return events.reduce(reduceProgress, state);
}

const listing: GitHubProgress[] = [
  { kind: 'listed', owner: 'lutece-platform', repositories: 30 },
  { kind: 'listed', owner: 'etalab', repositories: 12 },
  { kind: 'selected', repositories: 40, skipped: 2 },
];
const reading: GitHubProgress[] = [
  { kind: 'tree', name: 'etalab/a' },
  { kind: 'manifest', name: 'etalab/a', path: 'package.json' },
  { kind: 'manifest', name: 'etalab/a', path: 'pom.xml' },
  { kind: 'manifest', name: 'etalab/a', path: 'web/package.json' },
  { kind: 'repository', name: 'etalab/a', manifests: 3, done: 1, total: 40 },
  { kind: 'rate-limit', resource: 'core', limit: 5000, remaining: 4812, resetAt: NOW + 3_000_000 },
  { kind: 'rate-limit', resource: 'graphql', limit: 5000, remaining: 4990, resetAt: NOW + 3_000_000 },
];
const waiting: GitHubProgress = {
  kind: 'rate-limit-wait',
  limit: 'primary',
  seconds: 754,
  until: NOW + 754_000,
};

describe('the GitHub status line', () => {
  it('renders each phase of a crawl', () => {
    expect(renderProgress(INITIAL_PROGRESS, NOW)).toBe('GitHub: 0 listed, 0 trees, 0 manifests');
    expect(renderProgress(after(listing), NOW)).toBe(
      'GitHub: 42 listed, 0/40 repositories read, 0 trees, 0 manifests',
    );
    expect(renderProgress(after([...listing, ...reading]), NOW)).toBe(
      'GitHub: 42 listed, 1/40 repositories read, 1 tree, 3 manifests; 4,812 requests left, 4,990 GraphQL points left',
    );
  });

  it('counts down a wait for the rate limit, and drops it once over or once reading goes on', () => {
    const state = after([...listing, ...reading, waiting]);
    const suffix = '; 4,812 requests left, 4,990 GraphQL points left';
    const base = `GitHub: 42 listed, 1/40 repositories read, 1 tree, 3 manifests${suffix}`;
    expect(renderProgress(state, NOW)).toBe(`${base}; primary rate limit reached, waiting 12:34`);
    expect(renderProgress(state, NOW + 753_500)).toBe(`${base}; primary rate limit reached, waiting 0:01`);
    expect(renderProgress(state, NOW + 754_000)).toBe(base);
    expect(renderProgress(after([{ kind: 'tree', name: 'etalab/b' }], state), NOW)).toBe(
      `GitHub: 42 listed, 1/40 repositories read, 2 trees, 3 manifests${suffix}`,
    );
    const secondary = after([
      { kind: 'rate-limit-wait', limit: 'secondary', seconds: 60, until: NOW + 60_000 },
    ]);
    expect(renderProgress(secondary, NOW)).toBe(
      'GitHub: 0 listed, 0 trees, 0 manifests; secondary rate limit reached, waiting 1:00',
    );
  });

  it('keeps the longest of overlapping waits, and writes hours as h:mm:ss', () => {
    const long = { ...waiting, seconds: 3723, until: NOW + 3_723_000 };
    const state = after([long, waiting]);
    expect(state.waiting).toEqual({ until: NOW + 3_723_000, limit: 'primary' });
    expect(renderProgress(state, NOW)).toBe(
      'GitHub: 0 listed, 0 trees, 0 manifests; primary rate limit reached, waiting 1:02:03',
    );
    expect([0, 1, 999, 59_001, 3_600_000].map(clock)).toEqual(['0:00', '0:01', '0:01', '1:00', '1:00:00']);
  });

  it('fits the terminal width', () => {
    const line = renderProgress(after(listing), NOW, 40);
    expect(line).toBe('GitHub: 42 listed, 0/40 repositories r…');
    expect(line).toHaveLength(39);
    expect(renderProgress(after(listing), NOW, 200)).toBe(renderProgress(after(listing), NOW));
  });
});

describe('the GitHub log lines', () => {
  const state = after([...listing, ...reading]);
  const lines = (tty: boolean) =>
    [
      ...listing,
      { kind: 'rest-fallback', reason: 'GitHub answered HTTP 404 to GraphQL' },
      ...reading,
      waiting,
      { kind: 'crawled', repositories: 40, notRead: 0 },
      { kind: 'crawled', repositories: 12, notRead: 28, stoppedUntil: Date.parse('2026-01-01T13:00:00Z') },
    ].map((e) => progressLogLine(e as GitHubProgress, state, tty));

  it('gives one line per phase in CI', () => {
    expect(lines(false).filter(Boolean)).toEqual([
      { level: 'info', message: 'github: lutece-platform: 30 repositories listed' },
      { level: 'info', message: 'github: etalab: 12 repositories listed' },
      { level: 'info', message: 'github: 40 repositories to read (2 skipped by the filters)' },
      { level: 'verbose', message: 'github: listing through REST: GitHub answered HTTP 404 to GraphQL' },
      { level: 'verbose', message: 'github: [1/40] etalab/a: 3 manifests' },
      { level: 'warn', message: 'github: primary rate limit reached; waiting 754 s before going on' },
      {
        level: 'info',
        message:
          'github: 40 repositories read (1 tree, 3 manifests); 4,812 requests left, 4,990 GraphQL points left',
      },
      {
        level: 'warn',
        message:
          'github: 12 repositories read (1 tree, 3 manifests); 4,812 requests left, 4,990 GraphQL points left; ' +
          'the primary rate limit stopped the crawl until 2026-01-01T13:00:00Z: 28 repositories not read',
      },
    ]);
  });

  it('leaves the phases and the waits to the status line on a terminal', () => {
    expect(
      lines(true)
        .filter(Boolean)
        .map((l) => l!.message.slice(0, 24)),
    ).toEqual([
      'github: listing through ',
      'github: [1/40] etalab/a:',
      'github: 40 repositories ',
      'github: 12 repositories ',
    ]);
  });

  it('never lets a repository or owner name drive the terminal', () => {
    const line = progressLogLine(
      { kind: 'listed', owner: 'evil\u001b[2J', repositories: 1 },
      INITIAL_PROGRESS,
      false,
    );
    expect(line!.message).toBe('github: evil?[2J: 1 repositories listed');
  });
});

describe('openGitHubProgress', () => {
  function capture(tty: boolean, verbosity: 'normal' | 'verbose' = 'normal') {
    const stream = new PassThrough();
    let written = '';
    stream.on('data', (c: Buffer) => (written += c.toString()));
    let now = NOW;
    const view = openGitHubProgress({
      stream,
      log: createLog(stream, verbosity),
      tty,
      columns: () => 80,
      now: () => now,
      intervalMs: 60_000,
    });
    return { view, output: () => written, tick: (ms: number) => (now += ms) };
  }

  it('draws the line in place on a terminal, writes log lines above it, and clears it at the end', () => {
    const { view, output, tick } = capture(true, 'verbose');
    view.onProgress(listing[0]!);
    tick(60_000);
    view.onProgress(listing[1]!);
    view.log.warn('cannot write the HTTP cache');
    view.onProgress({ kind: 'repository', name: 'etalab/a', manifests: 3, done: 1, total: 40 });
    view.onProgress({ kind: 'crawled', repositories: 1, notRead: 0 });
    // A file read after the crawl (a .npmrc) still reports the rate limit: nothing is drawn any more.
    tick(60_000);
    view.onProgress({ kind: 'rate-limit', resource: 'core', limit: 5000, remaining: 4000, resetAt: NOW });
    view.close();
    const CLEAR = '\r\u001b[K';
    expect(output().split(CLEAR)).toEqual([
      '',
      'GitHub: 30 listed, 0 trees, 0 manifests',
      'GitHub: 42 listed, 0 trees, 0 manifests',
      'warning: cannot write the HTTP cache\n',
      'GitHub: 42 listed, 0 trees, 0 manifests',
      'github: [1/40] etalab/a: 3 manifests\n',
      // The selection was not told: no "n/N repositories read" yet.
      'GitHub: 42 listed, 0 trees, 0 manifests',
      'github: 1 repository read (0 trees, 0 manifests)\n',
    ]);
  });

  it('writes only log lines, and never a control sequence, when stderr is not a terminal', () => {
    const { view, output } = capture(false);
    for (const event of [...listing, ...reading, waiting]) view.onProgress(event);
    view.onProgress({ kind: 'crawled', repositories: 1, notRead: 0 });
    view.close();
    expect(output()).toBe(
      [
        'github: lutece-platform: 30 repositories listed',
        'github: etalab: 12 repositories listed',
        'github: 40 repositories to read (2 skipped by the filters)',
        'warning: github: primary rate limit reached; waiting 754 s before going on',
        'github: 1 repository read (1 tree, 3 manifests); 4,812 requests left, 4,990 GraphQL points left',
        '',
      ].join('\n'),
    );
  });
});
