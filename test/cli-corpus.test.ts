import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Inventory } from '../src/core/model.js';
import { runCli } from './helpers/cli.js';
import { inventorySchemaErrors } from './helpers/inventory-schema.js';
import { hasXmllint, validateCycloneDxXml } from './helpers/schema-validation.js';

const repo = path.resolve(import.meta.dirname, '..');
const corpus = path.resolve(repo, '../shared/corpus');
const present = existsSync(corpus);
if (!present) console.warn('skipping the corpus CLI tests: ../shared/corpus is absent');

// A version that only the missing parent or BOM would have managed is missing too.
const OFFLINE_MAVEN_ERRORS = new Set([
  'maven.parent.unresolvable',
  'maven.bom.unresolvable',
  'maven.dependency.missing-version',
]);

function repositories(): string[] {
  if (!present) return [];
  const out: string[] = [];
  for (const tier of ['github', 'large']) {
    for (const org of readdirSync(path.join(corpus, tier))) {
      for (const name of readdirSync(path.join(corpus, tier, org))) out.push(`${tier}/${org}/${name}`);
    }
  }
  return out.sort();
}

describe.skipIf(!present)('oss-inventory scan over every corpus repository', () => {
  let out: string;
  beforeAll(async () => {
    out = await mkdtemp(path.join(tmpdir(), 'oss-inventory-corpus-'));
  });
  afterAll(async () => {
    await rm(out, { recursive: true, force: true });
  });

  it.each(repositories())(
    '%s: writes the four files, valid against their schemas, with no error problem',
    async (name) => {
      const target = path.join(out, name.replaceAll('/', '_'));
      const files = path.join(corpus, name, 'files');
      const result = await runCli(['scan', '--offline', files, '--out', target, '-q'], { cwd: repo });
      if (!existsSync(files)) {
        // A repository without any manifest has no files/ folder in the corpus: a missing path is a usage error.
        expect(result.code).toBe(2);
        return;
      }
      expect(result.code, result.stderr).toBe(0);
      for (const file of ['inventory.json', 'inventory.yaml', 'bom.cdx.json', 'bom.cdx.xml']) {
        expect(existsSync(path.join(target, file)), file).toBe(true);
      }
      const inventory = JSON.parse(await readFile(path.join(target, 'inventory.json'), 'utf8')) as Inventory;
      expect(inventorySchemaErrors(inventory)).toEqual([]);
      // Offline and one repository at a time, a Lutece parent or BOM that only dev.lutece.paris.fr (or another
      // scanned repository) holds cannot be found: that is the one error expected here.
      const errors = inventory.problems.filter(
        (p) => p.severity === 'error' && !OFFLINE_MAVEN_ERRORS.has(p.code),
      );
      expect(errors).toEqual([]);
      if (hasXmllint()) {
        const xml = validateCycloneDxXml(await readFile(path.join(target, 'bom.cdx.xml'), 'utf8'));
        expect(xml.output).toMatch(/validates$/);
      }
    },
  );
});
