import path from 'node:path';

export const CACHE_FOLDER_NAME = 'oss-inventory';

/**
 * Where the cache lives by default: `$XDG_CACHE_HOME/oss-inventory`, else `~/.cache/oss-inventory`.
 * A relative XDG_CACHE_HOME is ignored, as the XDG Base Directory specification requires.
 */
export function defaultCacheDir(env: NodeJS.ProcessEnv, homedir: string): string {
  const xdg = env.XDG_CACHE_HOME;
  if (xdg && path.isAbsolute(xdg)) return path.join(xdg, CACHE_FOLDER_NAME);
  return path.join(homedir, '.cache', CACHE_FOLDER_NAME);
}
