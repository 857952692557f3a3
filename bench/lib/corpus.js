import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** Root lockfile names, in the order a package manager would pick them, with the built parser that reads each. */
export const LOCKFILE_PARSERS = [
  { name: 'npm-shrinkwrap.json', module: 'package-lock.js', export: 'parsePackageLock', npmLock: true },
  { name: 'package-lock.json', module: 'package-lock.js', export: 'parsePackageLock', npmLock: true },
  { name: 'yarn.lock', module: 'yarn-lock.js', export: 'parseYarnLock', npmLock: false },
  { name: 'pnpm-lock.yaml', module: 'pnpm-lock.js', export: 'parsePnpmLock', npmLock: false },
];

/**
 * Every root lockfile of corpus/large/ORG/REPO/files/ (the layout the corpus README describes), sorted by
 * repository: `{ repo, filesDir, lockfile, size, parser }`.
 */
export function findLargeLockfiles(corpusDir) {
  const large = path.join(corpusDir, 'large');
  if (!existsSync(large)) return [];
  const cases = [];
  for (const org of sortedDirs(large)) {
    for (const name of sortedDirs(path.join(large, org))) {
      const filesDir = path.join(large, org, name, 'files');
      if (!existsSync(filesDir)) continue;
      for (const parser of LOCKFILE_PARSERS) {
        const lockfile = path.join(filesDir, parser.name);
        if (existsSync(lockfile)) {
          cases.push({ repo: `${org}/${name}`, filesDir, lockfile, size: statSync(lockfile).size, parser });
        }
      }
    }
  }
  return cases;
}

function sortedDirs(dir) {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}
