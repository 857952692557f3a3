/** When to retry and how long to wait (DESIGN.md section 7). */

export const BACKOFF_BASE_MS = 500;
export const BACKOFF_CAP_MS = 30_000;

/**
 * Answers worth another try: rate limiting and server errors; every other status is an answer. For a caller
 * that waits for a spent quota's reset itself (`quotaResetByCaller`: the GitHub client, whose `--max-wait`
 * decides), a 429 that says the quota is spent (`x-ratelimit-remaining: 0`, no `Retry-After`) is an answer
 * too: GitHub sends its primary rate limit so, asking not to retry before `x-ratelimit-reset`, which may be
 * an hour away. Other callers retry it with backoff, and give the host up after repeated 429s.
 */
export function isRetryableAnswer(
  status: number,
  headers: Readonly<Record<string, string>>,
  quotaResetByCaller = false,
): boolean {
  if (status === 429) {
    const spent = headers['x-ratelimit-remaining'] === '0' && headers['retry-after'] === undefined;
    return !(spent && quotaResetByCaller);
  }
  return status >= 500 && status <= 599;
}

/**
 * Exponential backoff with full jitter: a random wait in [0, min(cap, base * 2^retry)), so that
 * clients that failed together do not come back together. `retry` counts from 0.
 */
export function backoffDelay(retry: number, random: () => number): number {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.min(retry, 30));
  return Math.floor(random() * ceiling);
}

/**
 * The wait a `Retry-After` header asks for, in ms: delay-seconds or an HTTP-date (RFC 9110 10.2.3).
 * Undefined when absent or unreadable; never negative.
 */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (!/[a-z]/i.test(text)) return undefined;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** "2 s", "1.5 minutes", "30 minutes", "2 hours": a wait as people read it. */
export function describeDuration(ms: number): string {
  const seconds = ms / 1000;
  if (seconds < 90) return `${round(seconds)} s`;
  const minutes = seconds / 60;
  if (minutes < 90) return `${round(minutes)} minutes`;
  return `${round(minutes / 60)} hours`;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * A duration as people write it on a command line: `90s`, `15m`, `1h`, `1h30m`, `2d`, `500ms`, or `0`;
 * in ms. Undefined when it is not one.
 */
export function parseDuration(text: string): number | undefined {
  const value = text.trim().toLowerCase();
  if (value === '0') return 0;
  if (!/^(\d+(\.\d+)?(ms|s|m|h|d))+$/.test(value)) return undefined;
  let total = 0;
  for (const [, amount, unit] of value.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)) {
    total += Number(amount) * DURATION_UNITS[unit!]!;
  }
  return Math.round(total);
}
