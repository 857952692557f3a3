import type { LedgerEntry } from './types.js';

type Counter = Exclude<keyof LedgerEntry, 'host'>;

/** Per-host counts of what the HTTP layer did, for `-v` and the inventory's run metadata. */
export class Ledger {
  readonly #hosts = new Map<string, LedgerEntry>();

  add(host: string, counter: Counter, amount = 1): void {
    let entry = this.#hosts.get(host);
    if (!entry) {
      entry = { host, sent: 0, fromCache: 0, revalidated: 0, failed: 0, retried: 0, bytes: 0 };
      this.#hosts.set(host, entry);
    }
    entry[counter] += amount;
  }

  /** A copy of the counts, sorted by host. */
  entries(): LedgerEntry[] {
    return [...this.#hosts.values()]
      .map((entry) => ({ ...entry }))
      .sort((a, b) => (a.host < b.host ? -1 : a.host > b.host ? 1 : 0));
  }
}

/** One line per host, for people: `registry.npmjs.org: 120 sent (3 retried), 40 from cache, ...`. */
export function formatLedger(entries: readonly LedgerEntry[]): string[] {
  return entries.map(
    (e) =>
      `${e.host}: ${e.sent} sent (${e.retried} retried), ${e.fromCache} from cache, ` +
      `${e.revalidated} revalidated, ${e.failed} failed, ${formatBytes(e.bytes)} received`,
  );
}

/** "512 B", "1.5 kB", "2.3 MB" (SI units, as `du --si` and npm print them). */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/** Several clients' ledgers as one, per host, sorted by host. */
export function mergeLedgers(ledgers: readonly (readonly LedgerEntry[])[]): LedgerEntry[] {
  const byHost = new Map<string, LedgerEntry>();
  for (const entry of ledgers.flat()) {
    const total = byHost.get(entry.host);
    if (!total) {
      byHost.set(entry.host, { ...entry });
      continue;
    }
    total.sent += entry.sent;
    total.fromCache += entry.fromCache;
    total.revalidated += entry.revalidated;
    total.failed += entry.failed;
    total.retried += entry.retried;
    total.bytes += entry.bytes;
  }
  return [...byHost.values()].sort((a, b) => (a.host < b.host ? -1 : a.host > b.host ? 1 : 0));
}
