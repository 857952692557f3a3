import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Problem } from '../../core/model.js';
import type { MavenScanOptions, NetworkContext } from '../types.js';
import { createMavenRepositories, type MavenRepositories } from './repository.js';
import { emptySettings, parseSettings, proxyEnvironment, type MavenSettings } from './settings.js';

export interface RunRepositories {
  /** Undefined when the run does no lookups. */
  client: MavenRepositories | undefined;
  /** Problems of settings.xml and repository notices (e.g. http read over https) not handed out yet. */
  takeProblems(): Problem[];
}

/**
 * The Maven repositories of a run: settings.xml (`--maven-settings`, else ~/.m2/settings.xml when it
 * exists) for mirrors, servers, proxies and profiles, and the local repository (settings' localRepository,
 * else ~/.m2/repository), read first for released POMs. An active settings.xml proxy wins over
 * HTTPS_PROXY for Maven requests, as it does for Maven.
 */
export async function openMavenRepositories(
  network: NetworkContext | undefined,
  options: MavenScanOptions | undefined,
): Promise<RunRepositories> {
  let pending: Problem[] = [];
  const opened: { client?: MavenRepositories } = {};
  const told = new Set<string>();
  const takeProblems = () => {
    const taken = pending;
    pending = [];
    for (const notice of opened.client?.notices() ?? []) {
      const key = `${notice.repositoryId} ${notice.url} ${notice.message}`;
      if (told.has(key)) continue;
      told.add(key);
      taken.push({
        severity: 'info',
        code: 'maven.repository.notice',
        message: `repository ${notice.repositoryId} (${notice.url}): ${notice.message}`,
      });
    }
    return taken;
  };
  if (!network) return { client: undefined, takeProblems };
  const userHome = network.homedir;
  const file = options?.settingsFile ?? path.join(userHome, '.m2', 'settings.xml');
  let settings: MavenSettings = emptySettings();
  let httpClient = network.client;
  const content = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (options?.settingsFile || error.code !== 'ENOENT') {
      pending.push({
        severity: 'error',
        code: 'maven.settings.unreadable',
        message: `${file} cannot be read: ${error.code === 'ENOENT' ? 'no such file' : error.message}`,
        file,
        hint: 'Check the path given to --maven-settings.',
      });
    }
    return undefined;
  });
  if (content !== undefined) {
    const parsed = parseSettings(content, file, { env: network.env, userHome });
    settings = parsed.settings;
    pending.push(...parsed.problems);
    if (settings.proxies.some((p) => p.active)) {
      const proxies = proxyEnvironment(settings, file);
      pending.push(...proxies.problems);
      httpClient = network.withProxies(proxies.env);
    }
  }
  const localRepository = settings.localRepository
    ? path.resolve(userHome, settings.localRepository)
    : path.join(userHome, '.m2', 'repository');
  opened.client = createMavenRepositories({
    client: httpClient,
    settings,
    localRepository,
    allowHttp: options?.allowHttp ?? false,
  });
  return { client: opened.client, takeProblems };
}
