import pLimit from 'p-limit';
import { compareProblems, distinct } from '../core/inventory.js';
import { detectLicenseText, type DetectedText, type PreparedTemplates } from '../core/license-text.js';
import type {
  DetectedLicense,
  Inventory,
  LicenseCategory,
  Problem,
  Project,
  ProjectLicense,
  Subject,
} from '../core/model.js';
import { dirname } from '../core/paths.js';
import type { SubjectReader } from '../ecosystems/types.js';
import { spdxLicenseTemplates } from '../licenses/spdx-texts.js';
import type { LicenseFileEntry } from '../sources/local.js';

/** Larger license files are not read (the longest SPDX text, the LGPL-3.0 with the GPL, is 42 kB). */
export const MAX_LICENSE_FILE_BYTES = 1024 * 1024;
const FILES_AT_ONCE = 8;

/** What a subject's source gives: a LocalTree, or a GitHub subject's tree. */
export interface LicenseFileAccess {
  reader: SubjectReader;
  /** The license files of the subject's root folder and of its manifest folders. */
  licenseFiles?: readonly LicenseFileEntry[];
}

export interface ProjectLicenseOptions {
  /** The prepared SPDX texts, loaded only when a license file is met (default: spdx-license-list). */
  templates?: () => Promise<PreparedTemplates>;
  /** The category of an SPDX expression, for a license concluded from a file or GitHub. */
  categorise?: (expression: string) => LicenseCategory | undefined;
}

type FileResult = { detected?: DetectedText; problem?: Problem };

/**
 * Reads the license files of every project and records what they hold. A project's files are those of
 * its own folder, else of the nearest folder above it that has any, up to the subject's root (a module
 * without a LICENSE of its own is covered by its repository's). Sets `license.detected`; concludes the
 * license from the files when nothing is declared (from GitHub's detection when no file says either);
 * sets `license.conflict` when a file holds a license the declaration does not name; sets
 * `license.github` on the root project of a GitHub subject. Each file is read once per run.
 */
export async function detectProjectLicenses(
  inventory: Inventory,
  subjects: ReadonlyMap<string, LicenseFileAccess>,
  options: ProjectLicenseOptions = {},
): Promise<Inventory> {
  const loadTemplates = options.templates ?? spdxLicenseTemplates;
  let templates: Promise<PreparedTemplates | undefined> | undefined;
  const problems: Problem[] = [];
  const templatesOnce = (): Promise<PreparedTemplates | undefined> => {
    templates ??= loadTemplates().catch((error: unknown) => {
      problems.push(textsUnavailable(error));
      return undefined;
    });
    return templates;
  };

  const limit = pLimit(FILES_AT_ONCE);
  const results = new Map<string, Promise<FileResult>>();
  const resultOf = (subject: string, access: LicenseFileAccess, entry: LicenseFileEntry) => {
    const key = `${subject}\u0000${entry.path}`;
    let result = results.get(key);
    if (!result) {
      result = limit(() => examineFile(subject, access.reader, entry, templatesOnce));
      results.set(key, result);
    }
    return result;
  };

  const folders = new Map<string, Map<string, LicenseFileEntry[]>>();
  for (const [name, access] of subjects) folders.set(name, byFolder(access.licenseFiles ?? []));
  const subjectsByName = new Map(inventory.subjects.map((s) => [s.name, s]));

  await Promise.all(
    inventory.projects.map(async (project) => {
      const access = subjects.get(project.subject);
      const files = access ? filesOf(project.path, folders.get(project.subject)!) : [];
      const found = await Promise.all(files.map((f) => resultOf(project.subject, access!, f)));
      const detected: DetectedLicense[] = [];
      found.forEach((result, i) => {
        if (result.detected) detected.push(detectedIn(files[i]!.path, result.detected));
      });
      const prepared = detected.length > 0 ? await templatesOnce() : undefined;
      applyToProject(project, detected, subjectsByName.get(project.subject), prepared, options);
    }),
  );
  for (const result of results.values()) {
    const problem = (await result).problem;
    if (problem) problems.push(problem);
  }
  inventory.problems = distinct([...inventory.problems, ...problems]).sort(compareProblems);
  return inventory;
}

function byFolder(files: readonly LicenseFileEntry[]): Map<string, LicenseFileEntry[]> {
  const map = new Map<string, LicenseFileEntry[]>();
  for (const file of files) {
    const folder = dirname(file.path);
    const list = map.get(folder);
    if (list) list.push(file);
    else map.set(folder, [file]);
  }
  for (const list of map.values()) list.sort((a, b) => compare(a.path, b.path));
  return map;
}

/** The license files of the project's folder, else of the nearest folder above it that has some. */
function filesOf(path: string, folders: ReadonlyMap<string, LicenseFileEntry[]>): LicenseFileEntry[] {
  let folder = path === '' ? '.' : path;
  for (let depth = 0; depth < 256; depth++) {
    const files = folders.get(folder);
    if (files) return files;
    if (folder === '.') return [];
    folder = dirname(folder);
  }
  return [];
}

async function examineFile(
  subject: string,
  reader: SubjectReader,
  entry: LicenseFileEntry,
  templates: () => Promise<PreparedTemplates | undefined>,
): Promise<FileResult> {
  if (entry.size !== undefined && entry.size > MAX_LICENSE_FILE_BYTES) {
    return { problem: tooLarge(subject, entry.path, entry.size) };
  }
  let text: string;
  try {
    text = await reader.read(entry.path);
  } catch (error) {
    return {
      problem: {
        severity: 'warning',
        code: 'license.file-unreadable',
        message: `license file ${entry.path} could not be read: ${error instanceof Error ? error.message : String(error)}`,
        subject,
        file: entry.path,
        hint: 'Check the file permissions; the project license is concluded without it.',
      },
    };
  }
  if (text.length > MAX_LICENSE_FILE_BYTES) return { problem: tooLarge(subject, entry.path, text.length) };
  const prepared = await templates();
  if (!prepared) return {};
  const detected = detectLicenseText(text, prepared);
  if (detected) return { detected };
  return {
    problem: {
      severity: 'info',
      code: 'license.file-unrecognised',
      message: `license file ${entry.path} matches no SPDX license text closely enough`,
      subject,
      file: entry.path,
      hint: 'Declare the license in the manifest, or set it with a curation in the policy.',
    },
  };
}

function detectedIn(file: string, found: DetectedText): DetectedLicense {
  return { expression: found.expression, file, confidence: Math.round(found.confidence * 100) / 100 };
}

function applyToProject(
  project: Project,
  detected: DetectedLicense[],
  subject: Subject | undefined,
  templates: PreparedTemplates | undefined,
  options: ProjectLicenseOptions,
): void {
  const github = githubLicense(project, subject);
  if (!project.license && detected.length === 0 && github === undefined) return;
  const license: ProjectLicense = project.license ?? {
    status: 'unknown',
    declared: [],
    detected: [],
    reason: 'no license is declared in its manifests',
  };
  license.detected = detected;
  if (github !== undefined) license.github = github;
  if (license.declared.length === 0 && detected.length > 0) {
    concludeFromFiles(license, detected, options);
  } else if (license.declared.length === 0 && github !== undefined && subject) {
    conclude(license, github, 'github', subject.location, options);
  } else if (detected.length > 0) {
    const conflict = conflictOf(license, detected, templates);
    if (conflict !== undefined) license.conflict = conflict;
  }
  project.license = license;
}

function githubLicense(project: Project, subject: Subject | undefined): string | undefined {
  const id = subject?.type === 'github' && project.path === '.' ? subject.repository?.license : undefined;
  return id && id !== 'NOASSERTION' ? id : undefined;
}

/** LGPL-3.0 is the GPL-3.0 plus permissions: its projects ship both texts, and the license is the LGPL. */
function withoutGplUnderLgpl(detected: readonly DetectedLicense[]): DetectedLicense[] {
  const families = new Set(detected.flatMap((d) => idsOf(d.expression)).map(family));
  if (!families.has('lgpl-3.0')) return [...detected];
  return detected.filter((d) => !idsOf(d.expression).every((id) => family(id) === 'gpl-3.0'));
}

function concludeFromFiles(
  license: ProjectLicense,
  detected: readonly DetectedLicense[],
  options: ProjectLicenseOptions,
): void {
  const used = withoutGplUnderLgpl(detected);
  const expressions = [...new Set(used.map((d) => d.expression))].sort(compare);
  const expression =
    expressions.length === 1
      ? expressions[0]!
      : expressions.map((e) => (/ OR /.test(e) ? `(${e})` : e)).join(' AND ');
  const evidence = [...new Set(used.map((d) => d.file))].join(', ');
  conclude(license, expression, 'license-file', evidence, options);
  license.mappings = ['license-file'];
}

function conclude(
  license: ProjectLicense,
  expression: string,
  source: 'license-file' | 'github',
  evidence: string,
  options: ProjectLicenseOptions,
): void {
  license.status = 'known';
  license.expression = expression;
  license.source = source;
  license.evidence = evidence;
  const category = options.categorise?.(expression);
  if (category !== undefined) license.category = category;
  delete license.reason;
}

/**
 * A file holding a license the declaration does not name. Ids compare by family (`GPL-3.0-only`,
 * `GPL-3.0-or-later`, `GPL-3.0+` alike: a text cannot tell them apart without a notice). Before the
 * declared values are normalised, a raw value counts as SPDX when each of its ids names a known text.
 */
function conflictOf(
  license: ProjectLicense,
  detected: readonly DetectedLicense[],
  templates: PreparedTemplates | undefined,
): string | undefined {
  const { families, unmapped } = declaredFamilies(license, templates);
  if (families.has('lgpl-3.0')) families.add('gpl-3.0');
  const disagreeing = detected.filter((d) => idsOf(d.expression).some((id) => !families.has(family(id))));
  if (disagreeing.length === 0) return undefined;
  const declared =
    families.size === 0 && unmapped.length > 0
      ? `declared ${unmapped.map((u) => JSON.stringify(u)).join(', ')} (unmapped)`
      : `declared ${license.expression ?? license.declared.join(' OR ')}`;
  const files = disagreeing.map((d) => `${d.file} is ${d.expression} (${d.confidence.toFixed(2)})`);
  return `${declared} but ${files.join(', ')}`;
}

function declaredFamilies(
  license: ProjectLicense,
  templates: PreparedTemplates | undefined,
): { families: Set<string>; unmapped: string[] } {
  const families = new Set<string>();
  if (license.expression !== undefined) {
    for (const id of idsOf(license.expression)) {
      if (!id.startsWith('LicenseRef-unmapped-')) families.add(family(id));
    }
    const unmapped = license.unmapped ?? [];
    return {
      families,
      unmapped: unmapped.length > 0 ? unmapped : families.size === 0 ? license.declared : [],
    };
  }
  const known = knownFamilies(templates);
  const unmapped: string[] = [];
  for (const raw of license.declared) {
    const ids = /^[\sA-Za-z0-9.+:()-]+$/.test(raw) ? idsOf(raw) : [];
    if (ids.length > 0 && ids.every((id) => known.has(family(id))))
      ids.forEach((id) => families.add(family(id)));
    else unmapped.push(raw);
  }
  return { families, unmapped };
}

const knownCache = new WeakMap<PreparedTemplates, Set<string>>();

function knownFamilies(templates: PreparedTemplates | undefined): Set<string> {
  if (!templates) return new Set();
  let known = knownCache.get(templates);
  if (!known) {
    known = new Set(templates.fingerprints.flatMap((f) => idsOf(f.id)).map(family));
    knownCache.set(templates, known);
  }
  return known;
}

/** The license ids of an expression, exceptions (after WITH) left out. */
function idsOf(expression: string): string[] {
  const ids: string[] = [];
  const tokens = expression.split(/[\s()]+/).filter(Boolean);
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const upper = token.toUpperCase();
    if (upper === 'AND' || upper === 'OR') continue;
    if (upper === 'WITH') {
      i++;
      continue;
    }
    ids.push(token);
  }
  return ids;
}

function family(id: string): string {
  return id.replace(/(?:-only|-or-later|\+)$/i, '').toLowerCase();
}

function tooLarge(subject: string, file: string, size: number): Problem {
  return {
    severity: 'warning',
    code: 'license.file-too-large',
    message: `license file ${file} (${size} bytes) is larger than ${MAX_LICENSE_FILE_BYTES} bytes and was not read`,
    subject,
    file,
    hint: 'A license text is a few kilobytes: check what the file holds, or set the license with a curation.',
  };
}

function textsUnavailable(error: unknown): Problem {
  return {
    severity: 'error',
    code: 'license.texts-unavailable',
    message: `the SPDX license texts could not be loaded, so no license file was read: ${
      error instanceof Error ? error.message : String(error)
    }`,
    hint: 'Reinstall oss-inventory (the spdx-license-list package is missing or damaged).',
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
