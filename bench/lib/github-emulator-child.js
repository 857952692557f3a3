import { serverPhase, startServerChild } from './server-child.js';

/** `GET /repos/o/r/git/trees/sha?recursive=1 200 tree 101.3ms`, the line the emulator prints per request. */
const REQUEST_LINE = /^(\S+) (\S+) (\d+) (\S+) (\d+(?:\.\d+)?)ms/;

/**
 * The GitHub API emulator (test/servers/github-emulator.js, standalone) in a child process: requests
 * `{ at, ms, status, kind, method, path }`.
 */
export function startGithubEmulatorChild(script, { corpus, latencyMs }) {
  return startServerChild({
    label: 'GitHub emulator',
    script,
    args: ['--corpus', corpus, '--port', '0', '--latency', String(latencyMs)],
    startTimeoutMs: 30_000,
    parseLine: (line) => {
      const match = REQUEST_LINE.exec(line);
      return (
        match && {
          method: match[1],
          path: match[2],
          status: Number(match[3]),
          kind: match[4],
          ms: Number(match[5]),
        }
      );
    },
  });
}

/**
 * What the emulator saw of one run: requests by route kind and by status, the distinct blob shas asked
 * for, and the crawl phase on its side (first request received to last answer sent) with the mean number
 * of requests in flight over it (the sum of the printed durations over the window). A blob outside
 * `crawled` (the shas the crawl reads: manifests and license files) is a late read, asked for by an
 * ecosystem while it resolves (a repository's root .npmrc): it is counted, and left out of the window.
 */
export function crawlPhase(requests, crawled) {
  const kinds = new Map();
  const blobShas = new Set();
  const inCrawl = [];
  const late = [];
  for (const r of requests) {
    kinds.set(r.kind, (kinds.get(r.kind) ?? 0) + 1);
    const blob = /\/git\/blobs\/([0-9a-f]+)/i.exec(r.path);
    if (blob) blobShas.add(blob[1].toLowerCase());
    (blob && !crawled.has(blob[1].toLowerCase()) ? late : inCrawl).push(r);
  }
  const all = serverPhase(requests);
  const crawl = serverPhase(inCrawl);
  const crawlEnd = Math.max(...inCrawl.map((r) => r.at));
  return {
    count: all.count,
    statuses: all.statuses,
    crawlCount: crawl.count,
    windowMs: crawl.windowMs,
    meanInFlight: crawl.meanInFlight,
    late: late.map((r) => ({ path: r.path, afterCrawlMs: r.at - crawlEnd })),
    kinds,
    blobShas,
  };
}
