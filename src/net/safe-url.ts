/**
 * URLs as the tool shows and stores them: never with credentials. A URL may carry a user and password
 * (`https://user:token@registry/`) or a secret in its query string (`?access_token=`); neither may reach a
 * message, a log line or a cache file.
 */

/** Query parameter names whose value is treated as a secret wherever a URL is shown or stored. */
const SECRET_PARAM = /token|secret|passw|pwd|key|auth|sig|credential|session|code/i;

export interface ParsedRequestUrl {
  /** The URL to put on the wire: userinfo removed (fetch refuses URLs with credentials). */
  wire: URL;
  /** `Basic ...` built from the URL's userinfo, when it had one. */
  basicAuthorization?: string;
}

/** Parses an http(s) URL and splits its userinfo off; undefined when it is not an absolute http(s) URL. */
export function parseRequestUrl(url: string): ParsedRequestUrl | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
  if (parsed.username === '' && parsed.password === '') return { wire: parsed };
  const user = safeDecode(parsed.username);
  const password = safeDecode(parsed.password);
  parsed.username = '';
  parsed.password = '';
  return {
    wire: parsed,
    basicAuthorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
  };
}

/** The URL without userinfo, and with the value of every secret-looking query parameter replaced. */
export function publicUrl(url: URL): string {
  const copy = new URL(url.href);
  copy.username = '';
  copy.password = '';
  copy.hash = '';
  const params = [...copy.searchParams];
  if (params.some(([name]) => SECRET_PARAM.test(name))) {
    const redacted = params.map(([name, value]): [string, string] => [
      name,
      SECRET_PARAM.test(name) ? 'REDACTED' : value,
    ]);
    copy.search = new URLSearchParams(redacted).toString();
  }
  return copy.href;
}

/** The URL for messages: scheme, host and path only; a query string is shown as `?…`. */
export function messageUrl(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}${url.search === '' ? '' : '?…'}`;
}

/** What to show for a URL that could not even be parsed: no more than its scheme and host, if any. */
export function unparsableUrlLabel(url: string): string {
  const match = /^([a-z][a-z0-9+.-]*:\/\/)(?:[^@/?#]*@)?([^/?#]*)/i.exec(url);
  return match ? `${match[1]}${match[2]}/…` : `"${url.slice(0, 20).replace(/[^\x20-\x7e]/g, '?')}…"`;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
