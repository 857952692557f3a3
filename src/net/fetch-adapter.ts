import { messageUrl, parseRequestUrl } from './safe-url.js';
import type { HttpClient, HttpRequest, HttpResponse } from './types.js';

/** How one URL is cached: the HttpRequest fields a library calling `fetch` cannot express. */
export type FetchPolicy = Pick<HttpRequest, 'cache' | 'freshForMs'>;

export interface FetchOverOptions {
  /** Told of every answer with where it came from (a copy served from the cache carries stale headers). */
  onAnswer?: (answer: HttpResponse) => void;
  /** The library waits for a spent quota's reset itself (HttpRequest.quotaResetByCaller). */
  quotaResetByCaller?: boolean;
}

type FetchInput = string | URL | Request;

/** Statuses whose Response may not carry a body (the Fetch standard's "null body status"). */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/**
 * A `fetch` for libraries that take one (Octokit's `request.fetch`) that sends every request through
 * our HttpClient, so that they share its cache, ledger, concurrency bounds, retries and proxies. GET goes
 * through `client.get` with the policy `policyFor` gives the URL; POST through `client.post`, never
 * cached (a POST answer, such as GraphQL's, is not the same twice); any other method rejects. The
 * Authorization header is handed to the client as `authorization`, which it sends but never caches or logs.
 */
export function fetchOver(
  client: HttpClient,
  policyFor: (url: URL) => FetchPolicy,
  options: FetchOverOptions = {},
): typeof fetch {
  const quota = options.quotaResetByCaller === true;
  return async (input: FetchInput, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request ? input : undefined;
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const method = (init?.method ?? request?.method ?? 'GET').toUpperCase();
    if (method !== 'GET' && method !== 'POST')
      throw refused(method, url, 'the HTTP layer sends only GET and POST requests');
    const headers = new Headers(init?.headers ?? request?.headers);
    const authorization = headers.get('authorization') ?? undefined;
    headers.delete('authorization');
    const wanted: Record<string, string> = {};
    headers.forEach((value, name) => (wanted[name] = value));
    let answer: HttpResponse;
    if (method === 'GET') {
      answer = await client.get({
        url,
        headers: wanted,
        authorization,
        quotaResetByCaller: quota,
        ...policyFor(new URL(url)),
      });
    } else {
      if (!client.post) throw refused(method, url, 'this HTTP client cannot send a POST');
      const body = await bodyOf(init?.body ?? null, request, method, url);
      answer = await client.post({
        url,
        headers: wanted,
        authorization,
        body,
        cache: 'none',
        quotaResetByCaller: quota,
      });
    }
    options.onAnswer?.(answer);
    const response = new Response(NULL_BODY_STATUSES.has(answer.status) ? null : answer.body, {
      status: answer.status,
      headers: answer.headers,
    });
    // A constructed Response has an empty url; callers (Octokit) report the one they asked for.
    Object.defineProperty(response, 'url', { value: answer.url });
    return response;
  };
}

/** The bytes of a request body: text, bytes or a Blob (what libraries send); a stream or a form is refused. */
async function bodyOf(
  body: RequestInit['body'],
  request: Request | undefined,
  method: string,
  url: string,
): Promise<string | Uint8Array> {
  if (body === null || body === undefined) return request ? new Uint8Array(await request.arrayBuffer()) : '';
  if (typeof body === 'string') return body;
  if (body instanceof URLSearchParams) return body.toString();
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  if (body instanceof Blob) return new Uint8Array(await body.arrayBuffer());
  throw refused(method, url, 'the HTTP layer takes a request body of text, bytes or a Blob');
}

function refused(method: string, url: string, why: string): TypeError {
  const parsed = parseRequestUrl(url);
  const shown = parsed ? messageUrl(parsed.wire) : 'a URL';
  return new TypeError(`${method} ${shown}: ${why}`);
}
