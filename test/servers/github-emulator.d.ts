/** Types of github-emulator.js (plain JavaScript so that it also runs standalone with `node`). */

export type RouteKind =
  'listing' | 'repository' | 'tree' | 'blob' | 'contents' | 'commit' | 'rate_limit' | 'graphql' | 'other';

/** An answer injected once for one request to a path (query excluded), in order. */
export interface Fault {
  status: number;
  retryAfter?: number;
  message?: string;
}

export interface GithubRequestLogEntry {
  method: string;
  /** Path and query as received. */
  path: string;
  kind: RouteKind;
  /** Whether an Authorization header came (its value is never logged). */
  authorization: boolean;
  ifNoneMatch?: string;
  status: number;
  /** Set when the answer was a fault rather than the resource. */
  fault?: 'injected' | 'secondary' | 'server-error' | 'primary';
  /** For an executed GraphQL query: its rate-limit cost and the nodes its connections could return. */
  graphql?: { cost: number; nodes: number };
  ms: number;
}

export interface RateBucket {
  limit: number;
  remaining: number;
  /** Epoch seconds. */
  reset: number;
  used: number;
}

export interface GithubEmulatorOptions {
  /** Folder laid out like ../shared/corpus/github/: ORG/REPO/repo.json and ORG/REPO/files/PATH. */
  corpus: string;
  host?: string;
  port?: number;
  /** Delay before each answer. */
  latencyMs?: number;
  /** When set, every request must send `Authorization: token T` or `Bearer T`; others get 401. */
  token?: string;
  /** Serve as GitHub Enterprise Server: REST under /api/v3 (the emulator's `url` ends with it), GraphQL at /api/graphql. */
  enterprise?: boolean;
  /** false: answer 404 to GraphQL, as a server without the GraphQL API does (default true). */
  graphql?: boolean;
  /** Recursive trees longer than this are cut and flagged `truncated: true` (GitHub: 100,000 entries). */
  treeEntryLimit?: number;
  rateLimit?: {
    /** REST requests per window (default 5000). */
    limit?: number;
    /** GraphQL points per window (default 5000). */
    graphqlLimit?: number;
    /** Window length (default 3600 s). */
    windowSeconds?: number;
    /** Status of a REST request past the primary limit (default 403). */
    status?: 403 | 429;
  };
  /** Every Nth request (rate_limit excluded) is answered with a secondary rate limit. */
  secondaryEvery?: number;
  /** Retry-After of a secondary limit, in seconds (default 1). */
  secondaryRetryAfter?: number;
  secondaryStatus?: 403 | 429;
  /** Every Nth request (rate_limit excluded) is answered with a server error. */
  serverErrorEvery?: number;
  /** Default 502. */
  serverErrorStatus?: number;
  /** Per path (`/repos/o/r/git/trees/main`): answers used one per request before normal service. */
  faults?: Record<string, Fault[]>;
  /** Told of each request once answered. */
  onRequest?: (entry: GithubRequestLogEntry) => void;
}

export interface GithubEmulator {
  /** `http://127.0.0.1:PORT` (`.../api/v3` as Enterprise Server), without a trailing slash (Octokit's `baseUrl`). */
  url: string;
  port: number;
  /** Every request received, in order. */
  requests: GithubRequestLogEntry[];
  /** How many requests were received, or only those of one kind. */
  count(kind?: RouteKind): number;
  /** Requests received per kind. */
  counts(): Partial<Record<RouteKind, number>>;
  /** A copy of the current rate-limit bucket. */
  rateLimit(resource?: 'core' | 'graphql'): RateBucket;
  /** Moves a repository's HEAD to a new commit sha (its root tree sha changes with it, and commits/{ref} follows). */
  moveHead(fullName: string, sha: string): void;
  close(): Promise<void>;
}

export function startGithubEmulator(options: GithubEmulatorOptions): Promise<GithubEmulator>;
export function routeKind(method: string, pathname: string): RouteKind;
export function json(value: unknown): Buffer;
