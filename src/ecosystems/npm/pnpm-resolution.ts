import { isRecord } from './json.js';
import type { NpmSource } from './spec.js';
import { classifySource } from './spec.js';

/** What a pnpm `resolution` says about where a package comes from. */
export interface PnpmResolution {
  source: NpmSource;
  resolved?: string;
  integrity?: string;
  /** Folder of a `{type: directory}` resolution, relative to the lockfile's folder. */
  directory?: string;
}

/**
 * Reads `{integrity}` (registry), `{integrity, tarball}` (registry or tarball URL or `file:` tarball),
 * `{type: git, repo, commit}`, `{type: directory, directory}`. A hosted-git tarball (pnpm resolves
 * `github:user/repo#sha` to a codeload URL) is classified as the git repository it was taken from.
 */
export function readResolution(value: unknown): PnpmResolution {
  if (!isRecord(value)) return { source: classifySource(undefined) };
  const integrity = text(value.integrity);
  const type = text(value.type);
  const directory = text(value.directory);
  if (type === 'directory' && directory) {
    const resolved = `file:${directory}`;
    return { source: classifySource(resolved), resolved, directory, integrity };
  }
  const repo = text(value.repo);
  const commit = text(value.commit);
  if (type === 'git' && repo && commit) {
    const resolved = `${gitRepoUrl(repo)}#${commit}`;
    return { source: classifySource(resolved), resolved, integrity };
  }
  const tarball = text(value.tarball);
  if (tarball)
    return { source: classifySource(hostedGitUrl(tarball) ?? tarball), resolved: tarball, integrity };
  return { source: classifySource(undefined), integrity };
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A repository URL as a git specifier `classifySource` recognises (`git+https://…`, `git+ssh://…`). */
function gitRepoUrl(repo: string): string {
  if (/^(git\+|git:)/.test(repo)) return repo;
  const scp = /^([\w.-]+@[\w.-]+):(?!\/)(.+)$/.exec(repo);
  if (scp) return `git+ssh://${scp[1]}/${scp[2]}`;
  return `git+${repo}`;
}

const HOSTED_TARBALLS: readonly [RegExp, (m: RegExpExecArray) => string][] = [
  [
    /^https:\/\/codeload\.github\.com\/([^/]+)\/([^/]+)\/tar\.gz\/([^/?#]+)$/,
    (m) => `git+https://github.com/${m[1]}/${m[2]}.git#${m[3]}`,
  ],
  [
    /^https:\/\/gitlab\.com\/api\/v4\/projects\/([^/?#]+)%2F([^/?#]+)\/repository\/archive\.tar\.gz\?ref=([^&#]+)$/,
    (m) => `git+https://gitlab.com/${m[1]}/${m[2]}.git#${m[3]}`,
  ],
  [
    /^https:\/\/bitbucket\.org\/([^/]+)\/([^/]+)\/get\/([^/?#]+)\.tar\.gz$/,
    (m) => `git+https://bitbucket.org/${m[1]}/${m[2]}.git#${m[3]}`,
  ],
];

/** The git specifier behind a hosted-git archive URL, or undefined for any other tarball. */
export function hostedGitUrl(tarball: string): string | undefined {
  for (const [pattern, toGit] of HOSTED_TARBALLS) {
    const match = pattern.exec(tarball);
    if (match) return toGit(match);
  }
  return undefined;
}
