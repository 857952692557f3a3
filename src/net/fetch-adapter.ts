import { messageUrl, parseRequestUrl } from './safe-url.js';
import type { HttpClient, HttpRequest } from './types.js';

/** How one URL is cached: the HttpRequest fields a library calling `fetch` cannot express. */
export type FetchPolicy = Pick<HttpRequest, 'cache' | 'freshForMs'>;

type FetchInput = string | URL | Request;

/** Statuses whose Response may not carry a body (the Fetch standard's "null body status"). */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/**
 * A `fetch` for libraries that take one (Octokit's `request.fetch`) that sends every request through
 * our HttpClient, so that they share its cache, ledger, concurrency bounds, retries and proxies. GET only:
 * anything else rejects, as the HttpClient has nothing else to offer. The Authorization header is
 * handed to the client as `authorization`, which it sends but never caches or logs.
 */
export function fetchOver(client: HttpClient, policyFor: (url: URL) => FetchPolicy): typeof fetch {
  return async (input: FetchInput, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request ? input : undefined;
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const method = (init?.method ?? request?.method ?? 'GET').toUpperCase();
    if (method !== 'GET') {
      const parsed = parseRequestUrl(url);
      const shown = parsed ? messageUrl(parsed.wire) : 'a URL';
      throw new TypeError(`${method} ${shown}: only GET requests go through the HTTP layer`);
    }
    const headers = new Headers(init?.headers ?? request?.headers);
    const authorization = headers.get('authorization') ?? undefined;
    headers.delete('authorization');
    const wanted: Record<string, string> = {};
    headers.forEach((value, name) => (wanted[name] = value));
    const answer = await client.get({ url, headers: wanted, authorization, ...policyFor(new URL(url)) });
    const response = new Response(NULL_BODY_STATUSES.has(answer.status) ? null : answer.body, {
      status: answer.status,
      headers: answer.headers,
    });
    // A constructed Response has an empty url; callers (Octokit) report the one they asked for.
    Object.defineProperty(response, 'url', { value: answer.url });
    return response;
  };
}
