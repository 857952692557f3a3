import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { clearTimeout, setTimeout } from 'node:timers';

export const GNU_TIME = '/usr/bin/time';
export const RUN_TIMEOUT_MS = 10 * 60 * 1000;

/** Bytes of a child's output kept for error messages: enough for the last lines, bounded for chatty tools. */
const KEEP_BYTES = 64 * 1024;

export function hasGnuTime() {
  return existsSync(GNU_TIME);
}

/**
 * Runs `command args` under GNU time and resolves (never rejects) with
 * `{ ok, seconds, peakKiB, exitCode, reason, stdout, stderr }`: `seconds` and `peakKiB` are GNU time's `%e`
 * (wall seconds) and `%M` (max RSS in KiB), read from its last stderr line. `ok` is false when the command
 * exits non-zero, is killed, or outlives `timeoutMs`; `reason` then says which.
 */
export function runTimed(command, args, { cwd, env = process.env, timeoutMs = RUN_TIMEOUT_MS } = {}) {
  return new Promise((resolve) => {
    // Its own process group, so a timeout ends the tool and every process it started, and nothing else.
    const child = spawn(GNU_TIME, ['-f', '%e %M', command, ...args], {
      cwd,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stdout = tailCollector();
    const stderr = tailCollector();
    child.stdout.on('data', stdout.push);
    child.stderr.on('data', stderr.push);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve(failure(`could not start ${GNU_TIME}: ${error.message}`, null, '', ''));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const out = stdout.text();
      const err = stderr.text();
      const usage = parseTimeLine(err);
      if (timedOut) {
        resolve(failure(`timed out after ${Math.round(timeoutMs / 1000)} s`, null, out, err));
      } else if (code !== 0 || signal) {
        resolve({ ...failure(describeExit(code, signal, err), code, out, err), ...usage });
      } else if (!usage) {
        resolve(failure(`no "%e %M" line from ${GNU_TIME} on stderr`, code, out, err));
      } else {
        resolve({ ok: true, ...usage, exitCode: 0, reason: '', stdout: out, stderr: err });
      }
    });
  });
}

function failure(reason, exitCode, stdout, stderr) {
  return { ok: false, seconds: null, peakKiB: null, exitCode, reason, stdout, stderr };
}

/** GNU time's line: `12.34 56789` (it comes last, after the command's own stderr). */
export function parseTimeLine(stderr) {
  const lines = stderr.trimEnd().split('\n');
  const match = /^(\d+(?:\.\d+)?) (\d+)$/.exec(lines[lines.length - 1]?.trim() ?? '');
  return match ? { seconds: Number(match[1]), peakKiB: Number(match[2]) } : null;
}

function describeExit(code, signal, stderr) {
  const status = signal ? `killed by ${signal}` : `exit code ${code}`;
  const hint = lastToolLine(stderr);
  return hint ? `${status}: ${hint}` : status;
}

/** The last stderr line that is the tool's rather than GNU time's, trimmed to fit a report line. */
export function lastToolLine(stderr) {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^\d+(?:\.\d+)? \d+$/.test(l) && !/^Command (exited|terminated)/.test(l));
  const line = lines[lines.length - 1] ?? '';
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}

function tailCollector() {
  let chunks = [];
  let size = 0;
  return {
    push: (chunk) => {
      chunks.push(chunk);
      size += chunk.length;
      while (size - chunks[0].length > KEEP_BYTES) size -= chunks.shift().length;
    },
    text: () => {
      const text = chunks.map((c) => c.toString('utf8')).join('');
      chunks = [];
      return text;
    },
  };
}

function killGroup(pid) {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
