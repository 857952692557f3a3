import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { Ajv2019 } from 'ajv/dist/2019.js';
import schema from '../schemas/spdx-2.3.json' with { type: 'json' };

// An SPDX expression parser other than the project's own, so that the check is independent of it.
const parseExpression = createRequire(import.meta.url)('spdx-expression-parse') as (text: string) => unknown;

let validator: ReturnType<Ajv2019['compile']> | undefined;

/** Errors of the document against the official SPDX 2.3 JSON schema (test/schemas/spdx-2.3.json). */
export function spdxSchemaErrors(document: unknown): string[] {
  validator ??= new Ajv2019({ allErrors: true, strict: true }).compile(schema);
  if (validator(document)) return [];
  return (validator.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword}`);
}

interface Document {
  SPDXID: string;
  creationInfo: { created: string };
  documentNamespace: string;
  hasExtractedLicensingInfos?: { licenseId: string; extractedText: string }[];
  packages?: {
    SPDXID: string;
    downloadLocation: string;
    licenseConcluded?: string;
    licenseDeclared?: string;
    checksums?: { algorithm: string; checksumValue: string }[];
    externalRefs?: { referenceCategory: string; referenceType: string; referenceLocator: string }[];
  }[];
  relationships?: { spdxElementId: string; relationshipType: string; relatedSpdxElement: string }[];
}

const DIGEST_LENGTH: Record<string, number> = { SHA1: 40, SHA256: 64, SHA384: 96, SHA512: 128 };

// The download location pattern of the SPDX reference validator (spdx-tools 0.8, validation/uri_validators.py).
const URL_PATTERN =
  "(http:\\/\\/www\\.|https:\\/\\/www\\.|http:\\/\\/|https:\\/\\/|ssh:\\/\\/|git:\\/\\/|svn:\\/\\/|sftp:\\/\\/|ftp:\\/\\/)?([\\w\\-.!~*'()%;:&=+$,]+@)?[a-z0-9]+([\\-\\.]{1}[a-z0-9]+){0,100}\\.[a-z]{2,5}(:[0-9]{1,5})?(\\/.*)?";
const DOWNLOAD_LOCATION = new RegExp(
  `^((((git|hg|svn|bzr)\\+)?${URL_PATTERN})|(git\\+git@[a-zA-Z0-9\\.\\-]+:[a-zA-Z0-9/\\\\.@\\-]+)|(bzr\\+lp:[a-zA-Z0-9\\.\\-]+))$`,
);

/**
 * What the SPDX 2.3 specification requires and its JSON schema does not say: SPDXIDs well formed and
 * unique, relationships between elements of the document, a DESCRIBES, license expressions valid, every
 * LicenseRef used declared (once, with a text) and every one declared used, the creation time in UTC to
 * the second, a namespace without `#`, checksums in lower-case hex of the right length, download
 * locations the reference validator accepts, purls as external references.
 */
export function spdxRuleErrors(input: unknown): string[] {
  const document = input as Document;
  const errors: string[] = [];
  const ids = new Set<string>([document.SPDXID]);
  if (document.SPDXID !== 'SPDXRef-DOCUMENT') errors.push(`document SPDXID ${document.SPDXID}`);
  for (const pkg of document.packages ?? []) {
    if (!/^SPDXRef-[A-Za-z0-9.-]+$/.test(pkg.SPDXID)) errors.push(`bad SPDXID ${pkg.SPDXID}`);
    if (ids.has(pkg.SPDXID)) errors.push(`duplicate SPDXID ${pkg.SPDXID}`);
    ids.add(pkg.SPDXID);
  }
  const relationships = document.relationships ?? [];
  for (const r of relationships) {
    if (!ids.has(r.spdxElementId)) errors.push(`relationship from unknown ${r.spdxElementId}`);
    if (!ids.has(r.relatedSpdxElement) && !['NONE', 'NOASSERTION'].includes(r.relatedSpdxElement)) {
      errors.push(`relationship to unknown ${r.relatedSpdxElement}`);
    }
  }
  if (!relationships.some((r) => r.spdxElementId === document.SPDXID && r.relationshipType === 'DESCRIBES')) {
    errors.push('the document DESCRIBES nothing');
  }
  const declared = new Map<string, number>();
  for (const info of document.hasExtractedLicensingInfos ?? []) {
    if (!/^LicenseRef-[A-Za-z0-9.-]+$/.test(info.licenseId)) errors.push(`bad licenseId ${info.licenseId}`);
    if (info.extractedText.trim() === '') errors.push(`${info.licenseId} has no extractedText`);
    declared.set(info.licenseId, (declared.get(info.licenseId) ?? 0) + 1);
  }
  for (const [id, n] of declared) if (n > 1) errors.push(`${id} declared ${n} times`);
  const used = new Set<string>();
  for (const pkg of document.packages ?? []) {
    for (const expression of [pkg.licenseConcluded, pkg.licenseDeclared]) {
      if (expression === undefined || expression === 'NOASSERTION' || expression === 'NONE') continue;
      try {
        parseExpression(expression);
      } catch {
        errors.push(`${pkg.SPDXID}: invalid expression ${expression}`);
      }
      for (const ref of expression.match(/LicenseRef-[A-Za-z0-9.-]+/g) ?? []) used.add(ref);
    }
    if (pkg.downloadLocation !== 'NOASSERTION' && pkg.downloadLocation !== 'NONE') {
      if (!DOWNLOAD_LOCATION.test(pkg.downloadLocation)) {
        errors.push(`${pkg.SPDXID}: download location ${pkg.downloadLocation}`);
      }
    }
    for (const c of pkg.checksums ?? []) {
      if (!new RegExp(`^[0-9a-f]{${DIGEST_LENGTH[c.algorithm] ?? 0}}$`).test(c.checksumValue)) {
        errors.push(`${pkg.SPDXID}: ${c.algorithm} ${c.checksumValue}`);
      }
    }
    for (const ref of pkg.externalRefs ?? []) {
      if (ref.referenceType === 'purl' && !/^pkg:[^/\s]+\/\S+$/.test(ref.referenceLocator)) {
        errors.push(`${pkg.SPDXID}: purl ${ref.referenceLocator}`);
      }
    }
  }
  for (const ref of used) if (!declared.has(ref)) errors.push(`${ref} is used but not declared`);
  for (const ref of declared.keys()) if (!used.has(ref)) errors.push(`${ref} is declared but not used`);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(document.creationInfo.created)) {
    errors.push(`created ${document.creationInfo.created}`);
  }
  if (!/^[a-z][a-z0-9+.-]*:[^#\s]+$/i.test(document.documentNamespace)) {
    errors.push(`documentNamespace ${document.documentNamespace}`);
  }
  return errors;
}

/**
 * The SPDX reference validator (`pyspdxtools` of the PyPI package spdx-tools), when installed: the
 * PYSPDXTOOLS environment variable, else `pyspdxtools` on the PATH. Undefined when there is none.
 */
export function spdxTools(): string | undefined {
  const candidate = process.env.PYSPDXTOOLS || 'pyspdxtools';
  const run = spawnSync(candidate, ['--help'], { encoding: 'utf8' });
  return run.error === undefined && run.status === 0 ? candidate : undefined;
}

/** Runs `pyspdxtools -i FILE`: valid when it exits 0; `output` holds what it said. */
export function validateWithSpdxTools(tool: string, file: string): { valid: boolean; output: string } {
  const run = spawnSync(tool, ['-i', file], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { valid: run.status === 0, output: `${run.stdout}${run.stderr}`.trim() };
}
