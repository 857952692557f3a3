import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { clearTimeout, setTimeout } from 'node:timers';

/** A benchmarked command may not run longer than this; it is killed and reported as timed out. */
const CLI_TIMEOUT_MS = 10 * 60 * 1000;
/** How much of its stderr is kept, for the reason of a failure. */
const KEEP_STDERR = 4000;

/** Runs a command, stdout ignored, and resolves with its wall time or why it failed; never rejects. */
export function timedRun(command, args, { cwd, env }) {
  return new Promise((resolve) => {
    const start = performance.now();
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr = (stderr + chunk).slice(-KEEP_STDERR)));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, CLI_TIMEOUT_MS);
    child.once('error', (error) => {
      clearTimeout(timer);
      resolve({ ok: false, reason: `could not start it: ${error.message}` });
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      const seconds = (performance.now() - start) / 1000;
      const last = stderr.trim().split('\n').pop() ?? '';
      if (timedOut) resolve({ ok: false, reason: `timed out after ${CLI_TIMEOUT_MS / 1000} s` });
      else if (code !== 0 || signal) {
        resolve({ ok: false, reason: `${signal ? `killed by ${signal}` : `exit code ${code}`}: ${last}` });
      } else resolve({ ok: true, seconds });
    });
  });
}
