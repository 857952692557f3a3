import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Problem } from '../../../core/model.js';
import type { SubjectReader } from '../../types.js';
import {
  mergeNpmrc,
  parseNpmrc,
  parseRegistryFlag,
  type Env,
  type NpmrcConfig,
  type NpmRegistrySettings,
} from './npmrc.js';

/** Larger than any real `.npmrc` by far; a bigger file is refused unread. */
const MAX_NPMRC_BYTES = 1024 * 1024;

export interface LoadNpmrcOptions {
  /** The scanned subject: its root `.npmrc` is the project file. */
  project?: SubjectReader;
  /** For `${VAR}` expansion, `npm_config_registry` and `npm_config_userconfig`. */
  env: Env;
  /** The user's home folder, where `.npmrc` is the user file unless `npm_config_userconfig` says otherwise. */
  homedir: string;
  /** The `--registry` flag. */
  registryFlag?: string;
}

export interface LoadedNpmrc {
  settings: NpmRegistrySettings;
  problems: Problem[];
  /** The files that were read, in precedence order (`.npmrc` of the subject, then the user file). */
  files: string[];
}

/**
 * The registry settings of a scan, npm's precedence: `--registry`, then `npm_config_registry` from the
 * environment, then the subject's `.npmrc`, then the user's, then https://registry.npmjs.org/. Scoped
 * registries and credentials merge key by key, the project file winning over the user file. Never throws.
 */
export async function loadNpmrc(options: LoadNpmrcOptions): Promise<LoadedNpmrc> {
  const problems: Problem[] = [];
  const layers: NpmrcConfig[] = [];
  const files: string[] = [];
  const project = options.project ? await readProjectNpmrc(options.project, problems) : undefined;
  if (project !== undefined) {
    layers.push(parseInto(project, '.npmrc', options.env, problems));
    files.push('.npmrc');
  }
  const userFile = userConfigPath(options.env, options.homedir);
  const label = userFile === path.join(options.homedir, '.npmrc') ? '~/.npmrc' : userFile;
  const user = await readUserNpmrc(userFile, label, problems);
  if (user !== undefined) {
    layers.push(parseInto(user, label, options.env, problems));
    files.push(label);
  }
  const override = registryOverride(options, problems);
  return { settings: mergeNpmrc(layers, override), problems, files };
}

function parseInto(content: string, label: string, env: Env, problems: Problem[]): NpmrcConfig {
  const parsed = parseNpmrc(content, label, env);
  problems.push(...parsed.problems);
  return parsed.config;
}

function registryOverride(options: LoadNpmrcOptions, problems: Problem[]): string | undefined {
  if (options.registryFlag !== undefined) {
    const flag = parseRegistryFlag(options.registryFlag, '--registry', problems);
    if (flag) return flag;
  }
  const fromEnv = envValue(options.env, 'npm_config_registry');
  return fromEnv ? parseRegistryFlag(fromEnv, 'npm_config_registry', problems) : undefined;
}

function userConfigPath(env: Env, homedir: string): string {
  const configured = envValue(env, 'npm_config_userconfig');
  return configured ? path.resolve(homedir, configured) : path.join(homedir, '.npmrc');
}

/** npm reads `npm_config_*` variables whatever their case. */
function envValue(env: Env, name: string): string | undefined {
  for (const [key, value] of Object.entries(env)) {
    if (key.toLowerCase() === name && value !== undefined && value !== '') return value;
  }
  return undefined;
}

async function readProjectNpmrc(reader: SubjectReader, problems: Problem[]): Promise<string | undefined> {
  try {
    if (!(await reader.exists('.npmrc'))) return undefined;
    const content = await reader.read('.npmrc');
    if (content.length > MAX_NPMRC_BYTES) {
      problems.push(unreadable('.npmrc', `it is larger than ${MAX_NPMRC_BYTES} bytes`));
      return undefined;
    }
    return content;
  } catch (error) {
    problems.push(unreadable('.npmrc', messageOf(error)));
    return undefined;
  }
}

async function readUserNpmrc(file: string, label: string, problems: Problem[]): Promise<string | undefined> {
  try {
    const info = await stat(file);
    if (!info.isFile()) {
      problems.push(unreadable(label, 'it is not a regular file'));
      return undefined;
    }
    if (info.size > MAX_NPMRC_BYTES) {
      problems.push(unreadable(label, `it is larger than ${MAX_NPMRC_BYTES} bytes`));
      return undefined;
    }
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    problems.push(unreadable(label, messageOf(error)));
    return undefined;
  }
}

function unreadable(file: string, why: string): Problem {
  return {
    severity: 'warning',
    code: 'npm.npmrc.unreadable',
    message: `${file}: cannot read it (${why}): its registries and credentials are not used`,
    file,
    hint: 'Fix the file or its permissions, or pass --registry.',
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
