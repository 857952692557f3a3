import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import type { PomLoader, PomLookup } from '../../src/ecosystems/maven/pom-loader.js';
import type { Coordinates } from '../../src/ecosystems/maven/pom-model.js';
import { parsePom } from '../../src/ecosystems/maven/pom.js';

/** The local Maven repository that `mvn` fills for the oracle tests. */
export const LOCAL_REPOSITORY = path.join(homedir(), '.m2', 'repository');

export function pomPath(c: Coordinates, root = LOCAL_REPOSITORY): string {
  return path.join(
    root,
    ...c.groupId.split('.'),
    c.artifactId,
    c.version,
    `${c.artifactId}-${c.version}.pom`,
  );
}

/** A PomLoader over a folder in Maven layout only (by default ~/.m2/repository): no tree, no network. */
export class LocalRepositoryLoader implements PomLoader {
  constructor(private readonly root = LOCAL_REPOSITORY) {}

  async fromTree(): Promise<undefined> {
    return undefined;
  }

  async artifact(c: Coordinates): Promise<PomLookup> {
    const file = pomPath(c, this.root);
    if (!existsSync(file)) {
      return {
        ok: false,
        tried: [file],
        problem: { severity: 'error', code: 'test.not-in-local-repository', message: `${file} is absent` },
      };
    }
    const parsed = parsePom(readFileSync(file, 'utf8'), file);
    if (!parsed.ok) return { ok: false, tried: [file], problem: parsed.problem };
    return { ok: true, loaded: { pom: parsed.pom, origin: { kind: 'local-repository', path: file } } };
  }
}
