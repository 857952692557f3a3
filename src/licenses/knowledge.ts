/**
 * Loads what license normalisation knows (src/core/license.ts): the alias table and the categories of
 * data/*.yaml, and spdx-correct. Read once per process; the organisation mappings of the configuration are
 * added per call. js-yaml rather than yaml: it reads both files in ~25 ms where yaml takes ~130 ms.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { load } from 'js-yaml';
import {
  licenseNameKey,
  licenseUrlKey,
  type AliasTable,
  type AliasTarget,
  type LicenseKnowledge,
  type OrganisationMapping,
} from '../core/license.js';
import { LICENSE_CATEGORIES, type LicenseCategory } from '../core/model.js';

/** One row of data/license-aliases.yaml. */
export interface AliasRow {
  /** A declared license name, matched on `licenseNameKey`. */
  match?: string;
  /** A declared license URL, matched on `licenseUrlKey`. */
  url?: string;
  /** The SPDX expression it means. */
  license: string;
  /** Where the string is used (an artifact, a package), for reviewers. */
  note?: string;
}

// Both src/licenses/ (tests) and dist/licenses/ (the built CLI) are two levels below the package root.
export const ALIASES_FILE = new URL('../../data/license-aliases.yaml', import.meta.url);
export const CATEGORIES_FILE = new URL('../../data/license-categories.yaml', import.meta.url);

type Base = Omit<LicenseKnowledge, 'organisation'>;
let base: Base | undefined;

/** The knowledge of this run: shipped data (read on first use) with the organisation's own mappings. */
export function loadLicenseKnowledge(organisation: readonly OrganisationMapping[] = []): LicenseKnowledge {
  base ??= loadBase();
  return { ...base, organisation };
}

function loadBase(): Base {
  let correct: ((value: string) => string | null) | undefined;
  return {
    aliases: indexAliases(readAliasRows()),
    categories: readCategories(),
    // required on first use: most runs meet no value that needs it
    correct: (value) => {
      correct ??= createRequire(import.meta.url)('spdx-correct') as (value: string) => string | null;
      return correct(value);
    },
  };
}

/** The rows of data/license-aliases.yaml; a malformed file is a bug of the package: it throws. */
export function readAliasRows(file: URL = ALIASES_FILE): AliasRow[] {
  const doc = load(readFileSync(file, 'utf8')) as unknown;
  const rows = isRecord(doc) ? doc.aliases : undefined;
  if (!Array.isArray(rows)) throw new Error(`${file.pathname}: expected an "aliases" list`);
  return rows.map((row, index) => {
    const where = `${file.pathname}: aliases[${index}]`;
    if (!isRecord(row) || typeof row.license !== 'string') throw new Error(`${where}: expected a "license"`);
    const match = typeof row.match === 'string' ? row.match : undefined;
    const url = typeof row.url === 'string' ? row.url : undefined;
    if ((match === undefined) === (url === undefined)) throw new Error(`${where}: expected "match" or "url"`);
    return {
      ...(match !== undefined ? { match } : { url: url! }),
      license: row.license,
      ...(typeof row.note === 'string' ? { note: row.note } : {}),
    };
  });
}

/** Indexed by key; when two rows share a key the first wins (test/license-aliases.test.ts forbids it). */
export function indexAliases(rows: readonly AliasRow[]): AliasTable {
  const names = new Map<string, AliasTarget>();
  const urls = new Map<string, AliasTarget>();
  rows.forEach((row, index) => {
    const [map, key] =
      row.match !== undefined ? [names, licenseNameKey(row.match)] : [urls, licenseUrlKey(row.url!)];
    if (!map.has(key)) map.set(key, { license: row.license, row: index });
  });
  return { names, urls };
}

/** Rows whose key an earlier row already has: `conflict` when they map to another license (a data error). */
export function duplicateAliasKeys(
  rows: readonly AliasRow[],
): { row: number; first: number; key: string; conflict: boolean }[] {
  const first = new Map<string, number>();
  const duplicates: { row: number; first: number; key: string; conflict: boolean }[] = [];
  rows.forEach((row, index) => {
    const key =
      row.match !== undefined ? `name ${licenseNameKey(row.match)}` : `url ${licenseUrlKey(row.url!)}`;
    const earlier = first.get(key);
    if (earlier === undefined) first.set(key, index);
    else
      duplicates.push({ row: index, first: earlier, key, conflict: rows[earlier]!.license !== row.license });
  });
  return duplicates;
}

/** data/license-categories.yaml: for each category, its SPDX ids. */
export function readCategoryLists(file: URL = CATEGORIES_FILE): Map<LicenseCategory, string[]> {
  const doc = load(readFileSync(file, 'utf8')) as unknown;
  if (!isRecord(doc)) throw new Error(`${file.pathname}: expected a mapping of categories`);
  const lists = new Map<LicenseCategory, string[]>();
  for (const [category, ids] of Object.entries(doc)) {
    if (!(LICENSE_CATEGORIES as readonly string[]).includes(category)) {
      throw new Error(`${file.pathname}: "${category}" is not one of ${LICENSE_CATEGORIES.join(', ')}`);
    }
    if (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string')) {
      throw new Error(`${file.pathname}: ${category} must list SPDX ids`);
    }
    lists.set(category as LicenseCategory, ids as string[]);
  }
  return lists;
}

function readCategories(): Map<string, LicenseCategory> {
  const categories = new Map<string, LicenseCategory>();
  for (const [category, ids] of readCategoryLists()) {
    for (const id of ids) if (!categories.has(id)) categories.set(id, category);
  }
  return categories;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
