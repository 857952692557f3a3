import { createHash } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import pLimit, { type LimitFunction } from 'p-limit';
import { EnvHttpProxyAgent, fetch } from 'undici';
import { cacheKey, DiskCache, storableHeaders, type CacheEntry } from './cache.js';
import { Ledger } from './ledger.js';
import { backoffDelay, describeDuration, isRetryableAnswer, parseRetryAfter } from './retry.js';
import { messageUrl, parseRequestUrl, publicUrl, unparsableUrlLabel } from './safe-url.js';
import {
  HttpError,
  type HttpClient,
  type HttpFailureReason,
  type HttpPostRequest,
  type HttpRequest,
  type HttpResponse,
  type LedgerEntry,
} from './types.js';

export interface HttpClientOptions {
  /** The cache folder, or null to bypass the disk cache entirely (`--no-cache`). */
  cacheDir: string | null;
  /** Serve only from the disk cache, whatever the age of the entry; a miss rejects with 'offline'. */
  offline?: boolean;
  concurrencyPerHost?: number;
  /** Per attempt: connection, headers and body. */
  timeoutMs?: number;
  /** Retries after the first attempt, on network errors, timeouts, 429 and 5xx. */
  retries?: number;
  /** A Retry-After longer than this fails at once with 'rate-limited' instead of waiting. */
  maxRetryAfterMs?: number;
  userAgent: string;
  /** Where HTTPS_PROXY, HTTP_PROXY and NO_PROXY (and their lower-case forms) are read; nothing else is. */
  env: NodeJS.ProcessEnv;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
  /** Told once per client when the cache cannot be written (read-only folder, full disk). */
  onCacheWriteError?: (message: string) => void;
  /**
   * How long a 404 or 410 is kept on disk and served without asking again (default 24 h, like Maven's
   * daily update policy): a missing package may be published later, so even an immutable URL's absence
   * is only remembered for a while. 0 keeps absences for the run only.
   */
  missingForMs?: number;
}

export interface ClosableHttpClient extends HttpClient {
  /** Closes the connections kept alive; the client must not be used afterwards. */
  close(): Promise<void>;
}

const DEFAULT_MISSING_FOR_MS = 24 * 60 * 60 * 1000;

/** Consecutive requests ending in 429 (after their retries) after which a host is given up for the run. */
export const CIRCUIT_BREAKER_THRESHOLD = 5;

/**
 * Requests in a row that got no answer after their retries, after which a host is given up for the run:
 * an unreachable registry or mirror must not cost every one of thousands of lookups its full retries.
 */
export const UNREACHABLE_THRESHOLD = 3;

/** Requests open at once per host: polite to public registries, and far under GitHub's 100. */
export const DEFAULT_CONCURRENCY_PER_HOST = 8;

const DEFAULTS = {
  concurrencyPerHost: DEFAULT_CONCURRENCY_PER_HOST,
  timeoutMs: 30_000,
  retries: 4,
  maxRetryAfterMs: 60_000,
};

export function createHttpClient(options: HttpClientOptions): ClosableHttpClient {
  return new Client(options);
}

interface HostState {
  limit: LimitFunction;
  /** No request to the host before this time: a 429 with Retry-After pauses the whole host. */
  notBefore: number;
  /** A Retry-After longer than the client waits: every request fails at once until then. */
  blockedUntil: number;
  consecutive429: number;
  /** Requests in a row that got no answer at all (refused, reset, timed out) after their retries. */
  consecutiveUnreachable: number;
}

type Method = 'GET' | 'POST';

interface Prepared {
  method: Method;
  /** POST only. */
  body?: Buffer;
  wire: URL;
  host: string;
  /** For messages: no credentials, no query string. */
  shown: string;
  /** For HttpResponse.url, HttpError.url and the cache meta: no credentials, no secret query values. */
  url: string;
  headers: Record<string, string>;
  policy: HttpRequest['cache'];
  freshForMs: number;
  keep?: HttpRequest['keep'];
  quotaResetByCaller: boolean;
  key: string;
  /** In memory only: the cache key plus a digest of the Authorization value, so tokens never share answers. */
  memoryKey: string;
}

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

type Attempt =
  ({ kind: 'answer' } & Answer) | { kind: 'failure'; reason: 'network' | 'timeout'; detail: string };

class Client implements ClosableHttpClient {
  readonly #ledger = new Ledger();
  readonly #hosts = new Map<string, HostState>();
  /** 404 and 410 answers of this run: the same URL is not asked twice. */
  readonly #gone = new Map<string, HttpResponse>();
  readonly #inFlight = new Map<string, Promise<HttpResponse>>();
  readonly #cache: DiskCache | undefined;
  readonly #dispatcher: EnvHttpProxyAgent;
  readonly #offline: boolean;
  readonly #missingForMs: number;
  readonly #concurrency: number;
  readonly #timeoutMs: number;
  readonly #retries: number;
  readonly #maxRetryAfterMs: number;
  readonly #userAgent: string;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #random: () => number;
  readonly #now: () => number;

  constructor(options: HttpClientOptions) {
    this.#offline = options.offline ?? false;
    this.#missingForMs = Math.max(0, options.missingForMs ?? DEFAULT_MISSING_FOR_MS);
    this.#concurrency = options.concurrencyPerHost ?? DEFAULTS.concurrencyPerHost;
    this.#timeoutMs = options.timeoutMs ?? DEFAULTS.timeoutMs;
    this.#retries = options.retries ?? DEFAULTS.retries;
    this.#maxRetryAfterMs = options.maxRetryAfterMs ?? DEFAULTS.maxRetryAfterMs;
    this.#userAgent = options.userAgent;
    this.#sleep = options.sleep ?? ((ms) => delay(ms));
    this.#random = options.random ?? Math.random;
    this.#now = options.now ?? Date.now;
    this.#dispatcher = proxyAgentFor(options.env);
    if (options.cacheDir !== null) {
      let told = false;
      this.#cache = new DiskCache(options.cacheDir, (error) => {
        if (told) return;
        told = true;
        options.onCacheWriteError?.(
          `cannot write the HTTP cache in ${options.cacheDir}: ${error instanceof Error ? error.message : String(error)}`,
        );
      });
    }
  }

  async get(request: HttpRequest): Promise<HttpResponse> {
    return this.#send(this.#prepare('GET', request));
  }

  async post(request: HttpPostRequest): Promise<HttpResponse> {
    const body =
      typeof request.body === 'string' ? Buffer.from(request.body, 'utf8') : Buffer.from(request.body);
    return this.#send(this.#prepare('POST', { ...request, cache: request.cache ?? 'none' }, body));
  }

  async #send(prepared: Prepared): Promise<HttpResponse> {
    const gone = this.#gone.get(prepared.memoryKey);
    if (gone) {
      this.#ledger.add(prepared.host, 'fromCache');
      return { ...gone, headers: { ...gone.headers }, origin: 'cache' };
    }
    if (prepared.policy === 'none') return this.#lead(prepared);

    const pending = this.#inFlight.get(prepared.memoryKey);
    if (pending) return this.#follow(pending, prepared.host);
    const leading = this.#lead(prepared);
    this.#inFlight.set(prepared.memoryKey, leading);
    try {
      return await leading;
    } finally {
      this.#inFlight.delete(prepared.memoryKey);
    }
  }

  ledger(): LedgerEntry[] {
    return this.#ledger.entries();
  }

  close(): Promise<void> {
    return this.#dispatcher.close();
  }

  #prepare(method: Method, request: HttpRequest, body?: Buffer): Prepared {
    const parsed = parseRequestUrl(request.url);
    if (!parsed) {
      const label = unparsableUrlLabel(request.url);
      throw new HttpError(`cannot ${method} ${label}: not an absolute http or https URL`, label, 'network');
    }
    const { wire } = parsed;
    const shown = messageUrl(wire);
    const headers = new Map<string, string>();
    for (const [name, value] of Object.entries(request.headers ?? {})) headers.set(name.toLowerCase(), value);
    const authorization = request.authorization ?? headers.get('authorization') ?? parsed.basicAuthorization;
    headers.delete('authorization');
    headers.set('user-agent', this.#userAgent);
    if (authorization !== undefined) headers.set('authorization', authorization);
    if ([...headers.values()].some((value) => /[\r\n\0]/.test(value))) {
      throw new HttpError(
        `cannot ${method} ${shown}: a request header value holds a line break`,
        publicUrl(wire),
        'network',
      );
    }
    const urlKey = cacheKey(wire, headers, request.keep?.id);
    const key = body === undefined ? urlKey : postKey(urlKey, body);
    const authDigest =
      authorization === undefined ? '' : createHash('sha256').update(authorization).digest('hex');
    return {
      method,
      ...(body === undefined ? {} : { body }),
      wire,
      host: wire.host,
      shown,
      url: publicUrl(wire),
      headers: Object.fromEntries(headers),
      policy: request.cache,
      freshForMs: Math.max(0, request.freshForMs ?? 0) || 0,
      ...(request.keep ? { keep: request.keep } : {}),
      quotaResetByCaller: request.quotaResetByCaller === true,
      key,
      memoryKey: `${key} ${authDigest}`,
    };
  }

  async #follow(pending: Promise<HttpResponse>, host: string): Promise<HttpResponse> {
    try {
      const response = await pending;
      this.#ledger.add(host, 'fromCache');
      return { ...response, headers: { ...response.headers }, origin: 'cache' };
    } catch (error) {
      this.#ledger.add(host, 'failed');
      throw error;
    }
  }

  async #lead(prepared: Prepared): Promise<HttpResponse> {
    try {
      return await this.#resolve(prepared);
    } catch (error) {
      this.#ledger.add(prepared.host, 'failed');
      throw error;
    }
  }

  async #resolve(prepared: Prepared): Promise<HttpResponse> {
    const cached =
      this.#cache && prepared.policy !== 'none' ? await this.#cache.read(prepared.key) : undefined;
    if (this.#offline) {
      if (!cached) {
        throw new HttpError(
          `cannot ${prepared.method} ${prepared.shown}: offline, and no cached copy`,
          prepared.url,
          'offline',
        );
      }
      return this.#fromCache(prepared, cached);
    }
    if (cached && this.#servable(cached, prepared)) return this.#fromCache(prepared, cached);
    const validated = cached?.meta.status === 200 ? cached : undefined;

    const state = this.#hostState(prepared.host);
    this.#refuseIfGivenUp(state, prepared);
    const conditional = validated && prepared.policy === 'revalidate' ? validators(validated) : {};
    let answer: Answer;
    try {
      answer = await state.limit(() => {
        // Checked again once a slot is free: the host may have been given up while this request waited.
        this.#refuseIfGivenUp(state, prepared);
        return this.#fetchWithRetries(prepared, state, conditional);
      });
      state.consecutive429 = 0;
      state.consecutiveUnreachable = 0;
    } catch (error) {
      if (error instanceof HttpError && error.status !== undefined) {
        state.consecutive429 = error.status === 429 ? state.consecutive429 + 1 : 0;
      }
      if (error instanceof HttpError && (error.reason === 'network' || error.reason === 'timeout')) {
        if (!error.message.includes('giving up on it for this run')) state.consecutiveUnreachable++;
      }
      throw error;
    }

    if (answer.status === 304 && validated) return this.#revalidated(prepared, validated, answer);
    const response: HttpResponse = {
      url: prepared.url,
      status: answer.status,
      headers: storableHeaders(answer.headers),
      body: answer.status === 200 && prepared.keep ? prepared.keep.reduce(answer.body) : answer.body,
      origin: 'network',
    };
    // A GET found missing is not asked again this run; a POST's answer says nothing of the next one.
    const missing = prepared.method === 'GET' && (answer.status === 404 || answer.status === 410);
    if (answer.status === 200 || (missing && this.#missingForMs > 0)) await this.#store(prepared, response);
    if (missing) this.#gone.set(prepared.memoryKey, response);
    return response;
  }

  #servable(entry: CacheEntry, prepared: Prepared): boolean {
    const age = this.#now() - Date.parse(entry.meta.storedAt);
    if (entry.meta.status !== 200) return age >= 0 && age < this.#missingForMs;
    if (prepared.policy === 'immutable') return true;
    return age >= 0 && age < prepared.freshForMs;
  }

  #fromCache(prepared: Prepared, entry: CacheEntry): HttpResponse {
    this.#ledger.add(prepared.host, 'fromCache');
    return fromEntry(prepared, entry, 'cache');
  }

  async #revalidated(prepared: Prepared, cached: CacheEntry, answer: Answer): Promise<HttpResponse> {
    this.#ledger.add(prepared.host, 'revalidated');
    const headers = { ...cached.meta.headers, ...storableHeaders(answer.headers) };
    const refreshed: CacheEntry = {
      meta: {
        ...cached.meta,
        headers,
        etag: headers.etag,
        lastModified: headers['last-modified'],
        storedAt: new Date(this.#now()).toISOString(),
      },
      body: cached.body,
    };
    await this.#cache?.write(prepared.key, refreshed.meta, refreshed.body);
    return fromEntry(prepared, refreshed, 'revalidated');
  }

  async #store(prepared: Prepared, response: HttpResponse): Promise<void> {
    if (!this.#cache || prepared.policy === 'none') return;
    await this.#cache.write(
      prepared.key,
      {
        url: prepared.url,
        status: response.status,
        headers: response.headers,
        etag: response.headers.etag,
        lastModified: response.headers['last-modified'],
        storedAt: new Date(this.#now()).toISOString(),
        policy: prepared.policy,
      },
      response.body,
    );
  }

  #hostState(host: string): HostState {
    let state = this.#hosts.get(host);
    if (!state) {
      state = {
        limit: pLimit(this.#concurrency),
        notBefore: 0,
        blockedUntil: 0,
        consecutive429: 0,
        consecutiveUnreachable: 0,
      };
      this.#hosts.set(host, state);
    }
    return state;
  }

  #refuseIfGivenUp(state: HostState, prepared: Prepared): void {
    if (state.consecutiveUnreachable >= UNREACHABLE_THRESHOLD) {
      throw new HttpError(
        `cannot ${prepared.method} ${prepared.shown}: host ${prepared.host} did not answer ${UNREACHABLE_THRESHOLD} requests in a row; ` +
          'giving up on it for this run',
        prepared.url,
        'network',
      );
    }
    if (state.consecutive429 >= CIRCUIT_BREAKER_THRESHOLD) {
      throw new HttpError(
        `cannot ${prepared.method} ${prepared.shown}: host ${prepared.host} keeps answering 429 Too Many Requests; ` +
          'giving up on it for this run',
        prepared.url,
        'rate-limited',
        429,
      );
    }
    const remaining = state.blockedUntil - this.#now();
    if (remaining > 0) {
      throw new HttpError(
        `cannot ${prepared.method} ${prepared.shown}: host ${prepared.host} asked to wait ${describeDuration(remaining)} more ` +
          '(429 Too Many Requests with Retry-After); not asking it again before then',
        prepared.url,
        'rate-limited',
        429,
      );
    }
  }

  async #fetchWithRetries(
    prepared: Prepared,
    state: HostState,
    conditional: Record<string, string>,
  ): Promise<Answer> {
    const headers = { ...prepared.headers, ...conditional };
    let earliest = 0;
    for (let attempt = 0; ; attempt++) {
      const wait = Math.max(earliest, state.notBefore) - this.#now();
      if (wait > 0) await this.#sleep(wait);
      this.#ledger.add(prepared.host, 'sent');
      if (attempt > 0) this.#ledger.add(prepared.host, 'retried');
      const outcome = await this.#attempt(prepared, headers);
      const lastChance = attempt >= this.#retries;

      if (outcome.kind === 'failure') {
        if (lastChance) throw this.#failure(prepared, outcome.reason, outcome.detail, attempt + 1);
        earliest = this.#now() + backoffDelay(attempt, this.#random);
        continue;
      }
      this.#ledger.add(prepared.host, 'bytes', outcome.body.length);
      if (!isRetryableAnswer(outcome.status, outcome.headers, prepared.quotaResetByCaller)) return outcome;

      const reason = outcome.status === 429 ? 'rate-limited' : 'server';
      const retryAfter = parseRetryAfter(outcome.headers['retry-after'], this.#now());
      if (retryAfter !== undefined && retryAfter > this.#maxRetryAfterMs) {
        if (outcome.status === 429) state.blockedUntil = this.#now() + retryAfter;
        throw this.#failure(
          prepared,
          reason,
          `${statusText(outcome.status)}, and the host asked to wait ${describeDuration(retryAfter)} ` +
            `(Retry-After), longer than the ${describeDuration(this.#maxRetryAfterMs)} this run waits; try again later`,
          attempt + 1,
          outcome.status,
        );
      }
      if (lastChance) {
        throw this.#failure(prepared, reason, statusText(outcome.status), attempt + 1, outcome.status);
      }
      earliest = this.#now() + (retryAfter ?? backoffDelay(attempt, this.#random));
      if (outcome.status === 429 && retryAfter !== undefined) {
        state.notBefore = Math.max(state.notBefore, earliest);
      }
    }
  }

  async #attempt(prepared: Prepared, headers: Record<string, string>): Promise<Attempt> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.#timeoutMs);
    try {
      const response = await fetch(prepared.wire, {
        method: prepared.method,
        ...(prepared.body === undefined ? {} : { body: prepared.body }),
        headers,
        dispatcher: this.#dispatcher,
        signal: controller.signal,
        redirect: 'follow',
      });
      const body = Buffer.from(await response.arrayBuffer());
      const received: Record<string, string> = {};
      response.headers.forEach((value, name) => (received[name] = value));
      return { kind: 'answer', status: response.status, headers: received, body };
    } catch (error) {
      if (controller.signal.aborted) {
        return {
          kind: 'failure',
          reason: 'timeout',
          detail: `no answer within ${describeDuration(this.#timeoutMs)}`,
        };
      }
      return { kind: 'failure', reason: 'network', detail: networkDetail(error) };
    } finally {
      clearTimeout(timer);
    }
  }

  #failure(
    prepared: Prepared,
    reason: HttpFailureReason,
    detail: string,
    attempts: number,
    status?: number,
  ): HttpError {
    const tries = attempts === 1 ? '' : ` (${attempts} attempts)`;
    return new HttpError(
      `${prepared.method} ${prepared.shown} failed: ${detail}${tries}`,
      prepared.url,
      reason,
      status,
    );
  }
}

/**
 * Always an EnvHttpProxyAgent, fed explicitly from `env` (an empty string where a variable is unset):
 * one code path with or without a proxy, and undici never falls back to the real process.env.
 */
function proxyAgentFor(env: NodeJS.ProcessEnv): EnvHttpProxyAgent {
  const pick = (name: string) => env[name.toLowerCase()] ?? env[name.toUpperCase()] ?? '';
  const httpProxy = pick('http_proxy');
  return new EnvHttpProxyAgent({
    httpProxy,
    httpsProxy: pick('https_proxy') || httpProxy,
    noProxy: pick('no_proxy'),
  });
}

/** A POST's cache key: the URL's and the body's, so that two queries to one endpoint never share an answer. */
function postKey(urlKey: string, body: Buffer): string {
  const bodyDigest = createHash('sha256').update(body).digest('hex');
  return createHash('sha256').update(`POST\n${urlKey}\n${bodyDigest}`).digest('hex');
}

function validators(entry: CacheEntry): Record<string, string> {
  const headers: Record<string, string> = {};
  if (entry.meta.etag !== undefined) headers['if-none-match'] = entry.meta.etag;
  if (entry.meta.lastModified !== undefined) headers['if-modified-since'] = entry.meta.lastModified;
  return headers;
}

function fromEntry(prepared: Prepared, entry: CacheEntry, origin: HttpResponse['origin']): HttpResponse {
  return {
    url: prepared.url,
    status: entry.meta.status,
    headers: { ...entry.meta.headers },
    body: entry.body,
    origin,
  };
}

function statusText(status: number): string {
  const text = STATUS_CODES[status];
  return text ? `HTTP ${status} ${text}` : `HTTP ${status}`;
}

const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'DNS lookup failed',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EPIPE: 'connection closed while sending',
  UND_ERR_SOCKET: 'connection closed by the other side',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
};

/** The most specific reason in an undici error's cause chain, e.g. "connection refused (ECONNREFUSED)". */
function networkDetail(error: unknown): string {
  let current: unknown = error;
  let fallback = error instanceof Error ? error.message : String(error);
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && Object.hasOwn(NETWORK_CODES, code))
      return `${NETWORK_CODES[code]} (${code})`;
    if (current.message && current.message !== 'fetch failed') fallback = current.message;
    current = current.cause;
  }
  return fallback;
}
