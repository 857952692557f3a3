import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { clearTimeout, setTimeout } from 'node:timers';
import { setTimeout as sleep } from 'node:timers/promises';

const START_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 5_000;
/** The server has said everything about a phase once it has been silent this long. */
const QUIET_MS = 200;
/** `GET /@scope%2fname 200 51.2ms`, the line the standalone server prints per request. */
const REQUEST_LINE = /^(\S+) (\S+) (-?\d+) (\d+(?:\.\d+)?)ms/;

/**
 * The fixture registry (test/servers/npm-registry.js) in a child process, so that its CPU does not
 * compete with the measured code inside this process. Every request line it prints is kept with the time
 * it reached us: `{ at, ms, status, path }`, `at` on this process's performance clock.
 */
export async function startRegistryChild(script, { dir, latencyMs }) {
  const child = spawn(
    process.execPath,
    [script, '--dir', dir, '--port', '0', '--latency', String(latencyMs)],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const requests = [];
  let stderr = '';
  let lastLineAt = performance.now();
  child.stderr.on('data', (chunk) => (stderr = (stderr + chunk).slice(-4000)));
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the fixture registry did not start within ${START_TIMEOUT_MS / 1000} s`)),
      START_TIMEOUT_MS,
    );
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`cannot start the fixture registry: ${error.message}`));
    });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`the fixture registry exited (${signal ?? `code ${code}`}): ${stderr.trim()}`));
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
      requests.push({ at: now, ms: Number(match[4]), status: Number(match[3]), path: match[2] });
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
