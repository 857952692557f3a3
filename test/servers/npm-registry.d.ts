/** Types of npm-registry.js (plain JavaScript so that it also runs standalone with `node`). */

/** An injected answer: a status with an optional Retry-After and body, or `reset` to drop the connection. */
export type Fault = { status: number; retryAfter?: number | string; body?: string } | 'reset';

/**
 * A list of faults used one per request to that path, then normal answers; or the same fault forever
 * (`always-500`, `always-429`, `always-404`, `always-reset`, `{ always: fault }`).
 */
export type FaultPlan = Fault[] | `always-${number}` | 'always-reset' | { always: Fault };

export interface RequestLogEntry {
  method: string;
  /** The path as received (`/@scope%2fname`). */
  path: string;
  /** The path decoded (`/@scope/name`). */
  route: string;
  accept?: string;
  ifNoneMatch?: string;
  /** Whether an Authorization header came (its value is never logged). */
  authorization: boolean;
  /** The status answered; -1 for a dropped connection. */
  status: number;
  ms: number;
}

export interface NpmRegistryOptions {
  /** Folder of packuments: `NAME.json`, `@scope/NAME.json`. */
  dir: string;
  /** Delay before each answer. */
  latencyMs?: number;
  /** Per path (raw or decoded, query excluded): what to answer instead of the document. */
  faults?: Record<string, FaultPlan>;
  /** When set, every request must carry exactly this Authorization header; others get 401. */
  authorization?: string;
  host?: string;
  port?: number;
  /** Told of each request once answered. */
  onRequest?: (entry: RequestLogEntry) => void;
}

export interface NpmRegistry {
  /** `http://127.0.0.1:PORT/`, with its trailing slash. */
  url: string;
  port: number;
  /** Every request received, in order. */
  requests: RequestLogEntry[];
  /** How many requests were received, or only those whose raw or decoded path starts with `pathPrefix`. */
  count(pathPrefix?: string): number;
  close(): Promise<void>;
}

export function startNpmRegistry(options: NpmRegistryOptions): Promise<NpmRegistry>;
