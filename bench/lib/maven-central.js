import { Buffer } from 'node:buffer';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { EnvHttpProxyAgent, fetch } from 'undici';

export const CENTRAL_URL = 'https://repo.maven.apache.org/maven2/';
const FETCH_TIMEOUT_MS = 30_000;
const FETCHES_IN_FLIGHT = 8;

/**
 * Fills the bench's repository folder with the files a run asked for, from where Maven would have got
 * them: a POM of ~/.m2/repository that Maven downloaded from Central (its `_remote.repositories` says
 * `file>central=`) is copied; anything else is fetched once from Maven Central by the same path, bytes
 * unchanged. A file Central does not have (the Lutece artifacts of dev.lutece.paris.fr, SNAPSHOT
 * metadata) stays absent, so the bench's server answers 404 for it as that repository would here.
 *
 * `paths`: repository-relative paths as the server logged them. `outcomes` (path -> outcome) is read and
 * updated, so a path is tried once per bench run: `'m2'`, `'central'`, `'absent'` (404 on Central) or
 * `'failed: why'`. Resolves with the outcomes of the paths tried this time.
 */
export async function assembleFromCentral(paths, repoDir, { m2Repository, outcomes, env }) {
  const fresh = [...new Set(paths)].filter((p) => !outcomes.has(p) && layoutSegments(p) !== undefined);
  const dispatcher = new EnvHttpProxyAgent({
    httpProxy: env.HTTP_PROXY ?? env.http_proxy,
    httpsProxy: env.HTTPS_PROXY ?? env.https_proxy,
    noProxy: env.NO_PROXY ?? env.no_proxy,
  });
  const tried = new Map();
  const queue = [...fresh];
  const worker = async () => {
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      const outcome = await obtain(next, repoDir, m2Repository, dispatcher);
      outcomes.set(next, outcome);
      tried.set(next, outcome);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(FETCHES_IN_FLIGHT, fresh.length) }, worker));
  } finally {
    await dispatcher.close();
  }
  return tried;
}

async function obtain(relative, repoDir, m2Repository, dispatcher) {
  const segments = layoutSegments(relative);
  const target = path.join(repoDir, ...segments);
  if (m2Repository && copiedFromM2(segments, m2Repository, target)) return 'm2';
  try {
    const response = await fetch(CENTRAL_URL + relative, {
      dispatcher,
      signal: globalThis.AbortSignal.timeout(FETCH_TIMEOUT_MS),
      headers: { 'user-agent': 'oss-inventory-bench' },
    });
    if (response.status === 404 || response.status === 410) {
      await response.body?.cancel();
      return 'absent';
    }
    if (response.status !== 200) {
      await response.body?.cancel();
      return `failed: HTTP ${response.status}`;
    }
    const body = Buffer.from(await response.arrayBuffer());
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, body);
    return 'central';
  } catch (error) {
    return `failed: ${error.cause?.message ?? error.message}`;
  }
}

/** A POM that ~/.m2/repository holds as downloaded from Central, copied to `target`. */
function copiedFromM2(segments, m2Repository, target) {
  const file = segments[segments.length - 1];
  if (!file.endsWith('.pom')) return false;
  const source = path.join(m2Repository, ...segments);
  const marker = path.join(path.dirname(source), '_remote.repositories');
  if (!existsSync(source) || !existsSync(marker)) return false;
  if (!readFileSync(marker, 'utf8').split('\n').includes(`${file}>central=`)) return false;
  mkdirSync(path.dirname(target), { recursive: true });
  copyFileSync(source, target);
  return true;
}

/** The decoded segments of a repository path, or undefined when it cannot name a file of the folder. */
function layoutSegments(relative) {
  let decoded;
  try {
    decoded = decodeURIComponent(relative);
  } catch {
    return undefined;
  }
  const segments = decoded.split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..' || s.includes('\\') || s.includes('\0'))) {
    return undefined;
  }
  return segments;
}
