import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { clearTimeout, setTimeout } from 'node:timers';
import { setTimeout as sleep } from 'node:timers/promises';

const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 5_000;
/** The emulator has said everything about a run once it has been silent this long. */
const QUIET_MS = 200;
/** `GET /repos/o/r/git/trees/sha?recursive=1 200 tree 101.3ms`, the line the emulator prints per request. */
const REQUEST_LINE = /^(\S+) (\S+) (\d+) (\S+) (\d+(?:\.\d+)?)ms/;

/**
 * The GitHub API emulator (test/servers/github-emulator.js, standalone) in a child process, so that its
 * CPU does not compete with this process. Every request line it prints is kept with the time it reached
 * us: `{ at, ms, status, kind, method, path }`, `at` on this process's performance clock.
 */
export async function startGithubEmulatorChild(script, { corpus, latencyMs }) {
  const child = spawn(
    process.execPath,
    [script, '--corpus', corpus, '--port', '0', '--latency', String(latencyMs)],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const requests = [];
  let stderr = '';
  let lastLineAt = performance.now();
  child.stderr.on('data', (chunk) => (stderr = (stderr + chunk).slice(-4000)));
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the GitHub emulator did not start within ${START_TIMEOUT_MS / 1000} s`)),
      START_TIMEOUT_MS,
    );
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`cannot start the GitHub emulator: ${error.message}`));
    });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`the GitHub emulator exited (${signal ?? `code ${code}`}): ${stderr.trim()}`));
    });
    createInterface({ input: child.stdout }).on('line', (line) => {
      const now = performance.now();
      const listening = /^listening on (\S+)/.exec(line);
      if (listening) {
        clearTimeout(timer);
        resolve(listening[1]);
        return;
      }
      const match = REQUEST_LINE.exec(line);
      if (!match) return;
      lastLineAt = now;
      requests.push({
        at: now,
        method: match[1],
        path: match[2],
        status: Number(match[3]),
        kind: match[4],
        ms: Number(match[5]),
      });
    });
  }).catch(async (error) => {
    child.kill('SIGKILL');
    throw error;
  });

  return {
    url,
    mark: () => requests.length,
    requestsSince: (mark) => requests.slice(mark),
    /** Resolves once no request line has arrived for QUIET_MS: every answer of a run is counted. */
    settle: async () => {
      while (performance.now() - lastLineAt < QUIET_MS) await sleep(QUIET_MS / 4);
    },
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * What the emulator saw of one run: requests by route kind and by status, the distinct blob shas asked
 * for, and the crawl phase on its side (first request received to last answer sent) with the mean number
 * of requests in flight over it (the sum of the printed durations over the window).
 */
export function crawlPhase(requests) {
  const kinds = new Map();
  const statuses = new Map();
  const blobShas = new Set();
  let first = Infinity;
  let last = -Infinity;
  let busyMs = 0;
  for (const r of requests) {
    kinds.set(r.kind, (kinds.get(r.kind) ?? 0) + 1);
    statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
    const blob = /\/git\/blobs\/([0-9a-f]+)/i.exec(r.path);
    if (blob) blobShas.add(blob[1].toLowerCase());
    first = Math.min(first, r.at - r.ms);
    last = Math.max(last, r.at);
    busyMs += r.ms;
  }
  const windowMs = requests.length === 0 ? 0 : last - first;
  return {
    count: requests.length,
    kinds,
    statuses,
    blobShas,
    windowMs,
    meanInFlight: windowMs > 0 ? busyMs / windowMs : 0,
  };
}
