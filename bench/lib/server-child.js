import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { clearTimeout, setTimeout } from 'node:timers';
import { setTimeout as sleep } from 'node:timers/promises';

const STOP_TIMEOUT_MS = 5_000;
/** The server has said everything about a phase once it has been silent this long. */
const QUIET_MS = 200;

/**
 * One of the test servers run standalone in a child process, so that its CPU does not compete with the
 * measured code. It prints `listening on URL`, then one line per request: `parseLine` turns such a line
 * into a request record (or undefined), kept with `at`, the time the line reached us on this process's
 * performance clock.
 */
export async function startServerChild({ label, script, args, parseLine, startTimeoutMs }) {
  const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const requests = [];
  let stderr = '';
  let lastLineAt = performance.now();
  child.stderr.on('data', (chunk) => (stderr = (stderr + chunk).slice(-4000)));
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the ${label} did not start within ${startTimeoutMs / 1000} s`)),
      startTimeoutMs,
    );
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`cannot start the ${label}: ${error.message}`));
    });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`the ${label} exited (${signal ?? `code ${code}`}): ${stderr.trim()}`));
    });
    createInterface({ input: child.stdout }).on('line', (line) => {
      const now = performance.now();
      const listening = /^listening on (\S+)/.exec(line);
      if (listening) {
        clearTimeout(timer);
        resolve(listening[1]);
        return;
      }
      const request = parseLine(line);
      if (!request) return;
      lastLineAt = now;
      requests.push({ at: now, ...request });
    });
  }).catch(async (error) => {
    child.kill('SIGKILL');
    throw error;
  });

  return {
    url,
    /** The requests seen from `mark` (an index into the list) on. */
    requestsSince: (mark) => requests.slice(mark),
    mark: () => requests.length,
    /** Resolves once no request line has arrived for QUIET_MS: every answer of a phase is counted. */
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
 * What the server saw of one phase: how many requests, by status, the network window on its side (first
 * request received to last answer sent) and the mean number of requests in flight over that window (the
 * sum of the durations it printed over the window). A request ends when its line reaches us and started
 * its printed duration earlier. Lines can reach us late and in batches when the CPUs are busy, which moves
 * single requests, not the sum: that is why no peak is derived from them.
 */
export function serverPhase(requests) {
  const statuses = new Map();
  for (const r of requests) statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
  if (requests.length === 0) return { count: 0, statuses, windowMs: 0, meanInFlight: 0 };
  let first = Infinity;
  let last = -Infinity;
  let busyMs = 0;
  for (const r of requests) {
    first = Math.min(first, r.at - r.ms);
    last = Math.max(last, r.at);
    busyMs += r.ms;
  }
  const windowMs = last - first;
  return { count: requests.length, statuses, windowMs, meanInFlight: windowMs > 0 ? busyMs / windowMs : 0 };
}
