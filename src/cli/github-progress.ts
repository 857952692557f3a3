/**
 * What a GitHub crawl shows while it runs. On a terminal: one status line redrawn in place
 * (repositories listed and read, trees, manifests, requests left in the rate limit, the countdown of a
 * wait for its reset). Elsewhere (CI): one log line per phase. The state and its rendering are pure
 * functions; only openGitHubProgress touches the stream and the clock.
 */
import type { GitHubProgress } from '../sources/github.js';
import { printable, type Log } from './log.js';

export interface RateFigures {
  remaining: number;
  limit: number;
  /** Epoch ms. */
  resetAt: number;
}

export interface GitHubProgressState {
  /** Repositories the listings returned so far. */
  listed: number;
  /** Repositories to read, once the filters have chosen them. */
  toRead?: number;
  read: number;
  trees: number;
  manifests: number;
  /** The last figures GitHub gave, per resource (`core`, `graphql`). */
  rate: Record<string, RateFigures>;
  /** A wait for a rate limit: until when (epoch ms), and which limit. */
  waiting?: { until: number; limit: 'primary' | 'secondary' };
}

export const INITIAL_PROGRESS: GitHubProgressState = { listed: 0, read: 0, trees: 0, manifests: 0, rate: {} };

/** The state after one event of the crawl. */
export function reduceProgress(state: GitHubProgressState, event: GitHubProgress): GitHubProgressState {
  switch (event.kind) {
    case 'listed':
      return { ...state, listed: state.listed + event.repositories };
    case 'selected':
      return { ...state, toRead: event.repositories };
    case 'tree':
      return { ...state, trees: state.trees + 1, waiting: undefined };
    case 'manifest':
      return { ...state, manifests: state.manifests + 1, waiting: undefined };
    case 'repository':
      return { ...state, read: event.done };
    case 'rate-limit': {
      const figures = { remaining: event.remaining, limit: event.limit, resetAt: event.resetAt };
      return { ...state, rate: { ...state.rate, [event.resource]: figures } };
    }
    case 'rate-limit-wait': {
      const until = Math.max(event.until, state.waiting?.until ?? 0);
      return { ...state, waiting: { until, limit: event.limit } };
    }
    case 'rest-fallback':
    case 'crawled':
      return state;
  }
}

/**
 * The status line: `GitHub: 42 listed, 30/42 repositories read, 30 trees, 120 manifests; 4,812 requests
 * left`, with the countdown of a wait at the end, cut to `columns - 1` characters.
 */
export function renderProgress(state: GitHubProgressState, now: number, columns = 0): string {
  const counts = [`${count(state.listed)} listed`];
  if (state.toRead !== undefined)
    counts.push(`${count(state.read)}/${count(state.toRead)} repositories read`);
  counts.push(plural(state.trees, 'tree'), plural(state.manifests, 'manifest'));
  let line = `GitHub: ${counts.join(', ')}`;
  const left = requestsLeft(state.rate);
  if (left) line += `; ${left}`;
  const wait = state.waiting && state.waiting.until - now;
  if (state.waiting && wait !== undefined && wait > 0) {
    line += `; ${state.waiting.limit} rate limit reached, waiting ${clock(wait)}`;
  }
  return columns > 1 && line.length > columns - 1 ? `${line.slice(0, columns - 2)}…` : line;
}

function requestsLeft(rate: Record<string, RateFigures>): string {
  const core = rate.core;
  const graphql = rate.graphql;
  const parts: string[] = [];
  if (core) parts.push(`${count(core.remaining)} requests left`);
  if (graphql) parts.push(`${count(graphql.remaining)} GraphQL points left`);
  return parts.join(', ');
}

/** `m:ss`, or `h:mm:ss` from an hour; rounded up, so that a wait never shows 0:00 before it ends. */
export function clock(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const seconds = String(total % 60).padStart(2, '0');
  const minutes = Math.floor(total / 60) % 60;
  const hours = Math.floor(total / 3600);
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

export interface ProgressLogLine {
  level: 'info' | 'verbose' | 'warn';
  message: string;
}

/**
 * The log line an event gives: one per phase (each owner listed, the selection, the end of the crawl),
 * one per repository with -v, and every wait for a rate limit. On a terminal (`tty`) the status line
 * shows the phases and the waits, so only the per-repository lines and the end of the crawl are logged.
 */
export function progressLogLine(
  event: GitHubProgress,
  state: GitHubProgressState,
  tty: boolean,
): ProgressLogLine | undefined {
  switch (event.kind) {
    case 'listed':
      return tty
        ? undefined
        : info(`github: ${printable(event.owner)}: ${event.repositories} repositories listed`);
    case 'selected':
      return tty
        ? undefined
        : info(
            `github: ${event.repositories} repositories to read (${event.skipped} skipped by the filters)`,
          );
    case 'rest-fallback':
      return { level: 'verbose', message: `github: listing through REST: ${printable(event.reason)}` };
    case 'repository':
      return {
        level: 'verbose',
        message: `github: [${event.done}/${event.total}] ${printable(event.name)}: ${plural(event.manifests, 'manifest')}`,
      };
    case 'rate-limit-wait':
      return tty
        ? undefined
        : {
            level: 'warn',
            message: `github: ${event.limit} rate limit reached; waiting ${event.seconds} s before going on`,
          };
    case 'crawled':
      return crawledLine(event, state);
    default:
      return undefined;
  }
}

function crawledLine(event: Extract<GitHubProgress, { kind: 'crawled' }>, state: GitHubProgressState) {
  const left = requestsLeft(state.rate);
  const read =
    `github: ${plural(event.repositories, 'repository', 'repositories')} read ` +
    `(${plural(state.trees, 'tree')}, ${plural(state.manifests, 'manifest')})${left ? `; ${left}` : ''}`;
  if (event.stoppedUntil === undefined) return info(read);
  const reset = new Date(event.stoppedUntil).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return {
    level: 'warn' as const,
    message: `${read}; the primary rate limit stopped the crawl until ${reset}: ${plural(event.notRead, 'repository', 'repositories')} not read`,
  };
}

function info(message: string): ProgressLogLine {
  return { level: 'info', message };
}

function count(n: number): string {
  return n.toLocaleString('en');
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${count(n)} ${n === 1 ? one : many}`;
}

export interface GitHubProgressOptions {
  stream: NodeJS.WritableStream;
  log: Log;
  /** Draw the status line (stderr is a terminal and the run is not quiet). */
  tty: boolean;
  /** Terminal width, for cutting the line. */
  columns?: () => number | undefined;
  now?: () => number;
  /** Redraws at most this often, and ticks the countdown (default 250 ms). */
  intervalMs?: number;
}

export interface GitHubProgressView {
  onProgress(event: GitHubProgress): void;
  /** A Log whose lines go above the status line instead of through it. */
  log: Log;
  /** Clears the status line and stops its timer. */
  close(): void;
}

const CLEAR_LINE = '\r\u001b[K';

/** Follows a crawl: the status line on a terminal, log lines elsewhere. */
export function openGitHubProgress(options: GitHubProgressOptions): GitHubProgressView {
  const { stream, log, tty } = options;
  const now = options.now ?? Date.now;
  const intervalMs = options.intervalMs ?? 250;
  let state = INITIAL_PROGRESS;
  let shown = false;
  let active = false;
  /** After the crawl: reads that come later (a .npmrc, a license file) redraw nothing. */
  let finished = false;
  let drawnAt = 0;
  let timer: ReturnType<typeof setInterval> | undefined;

  const draw = () => {
    if (!active) return;
    drawnAt = now();
    stream.write(`${CLEAR_LINE}${renderProgress(state, drawnAt, options.columns?.() ?? 0)}`);
    shown = true;
  };
  const clear = () => {
    if (!shown) return;
    stream.write(CLEAR_LINE);
    shown = false;
  };
  const above = (write: (message: string) => void) => (message: string) => {
    const wasShown = shown;
    clear();
    write(message);
    if (wasShown) draw();
  };
  const stop = () => {
    if (timer) clearInterval(timer);
    timer = undefined;
    clear();
    active = false;
  };
  const aboveLog: Log = {
    isVerbose: log.isVerbose,
    info: above((m) => log.info(m)),
    verbose: above((m) => log.verbose(m)),
    warn: above((m) => log.warn(m)),
    error: above((m) => log.error(m)),
  };

  return {
    log: aboveLog,
    onProgress(event) {
      state = reduceProgress(state, event);
      if (event.kind === 'crawled') {
        stop();
        finished = true;
      }
      const line = progressLogLine(event, state, tty);
      if (line) aboveLog[line.level](line.message);
      if (!tty || finished) return;
      if (!active) {
        active = true;
        timer = setInterval(draw, intervalMs);
        timer.unref?.();
      }
      if (!shown || now() - drawnAt >= intervalMs) draw();
    },
    close: stop,
  };
}
