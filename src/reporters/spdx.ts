/**
 * SPDX 2.3 JSON from an Inventory. Valid against the SPDX 2.3 JSON schema (test/schemas/spdx-2.3.json)
 * and the rules the schema cannot say (SPDXIDs, license expressions, LicenseRefs declared once).
 *
 * Shape:
 * - one package per first-party project (`SPDXRef-Project-...`), which the document DESCRIBES, and one per
 *   component (`SPDXRef-Package-...`); SPDXIDs are the project id or the purl with every character but
 *   letters, digits, `.` and `-` made `-`, suffixed `-2`, `-3`... when two would be equal (in id, then purl
 *   order, so the same inventory always gives the same ids);
 * - `downloadLocation`: the component's resolved URL without credentials (a git one written `...git@COMMIT`
 *   as SPDX writes a VCS location), a GitHub project's repository at the commit read (`#FOLDER` for a
 *   project below the root); NOASSERTION when there is none or it is not a public URL (a local path or
 *   address);
 * - `licenseConcluded`: the inventory's concluded expression; `licenseDeclared`: the same when it is a
 *   faithful reading of what the package declares (valid SPDX as declared, a misspelt id corrected, a name
 *   or URL the alias table or the organisation's mappings translate), NOASSERTION when nothing is declared
 *   or the license came from elsewhere (a license file's text, a curation, GitHub). NOASSERTION too when
 *   the expression is not valid SPDX. `licenseComments` says where the license was read and how it was
 *   mapped. Every `LicenseRef-` used (unmapped names, npm's UNLICENSED) is declared once in
 *   `hasExtractedLicensingInfos`, its text being the raw declared values;
 * - checksums from the SRI `integrity`; the purl as a PACKAGE-MANAGER external reference; the registry's
 *   homepage when it is a public URL;
 * - relationships: DOCUMENT DESCRIBES each project; a project's direct dependencies by the scope through
 *   which it uses them: DEPENDS_ON for runtime and peer, else PROVIDED_DEPENDENCY_OF, else
 *   OPTIONAL_DEPENDENCY_OF, else DEV_DEPENDENCY_OF; each component DEPENDS_ON what it depends on;
 * - `documentNamespace`: the tool's home page, the document name and a UUID v5 of the inventory's content
 *   (without its generation time and run), so the same inventory gives the same document byte for byte;
 *   `created` is the inventory's generation time (SOURCE_DATE_EPOCH).
 */
import type { Component, ComponentLicense, Inventory, Project, Scope, Subject } from '../core/model.js';
import { isLicenseRef, parseSpdxExpression, spdxLicenses } from '../core/spdx-expression.js';
import { TOOL_HOMEPAGE } from '../tool.js';
import {
  canonicalJson,
  compareCodeUnits,
  publishableUrl,
  sriToHexDigests,
  uuidV5,
} from './cyclonedx-values.js';
import { packageName } from './report-values.js';

const NOASSERTION = 'NOASSERTION';
const DOCUMENT_ID = 'SPDXRef-DOCUMENT';
const MAX_ID_LENGTH = 150;
const RFC4122_URL_NAMESPACE = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';
const NAMESPACE_UUID = uuidV5(RFC4122_URL_NAMESPACE, 'urn:oss-inventory:spdx-document-namespace');

interface SpdxPackage {
  SPDXID: string;
  name: string;
  versionInfo?: string;
  downloadLocation: string;
  filesAnalyzed: false;
  homepage?: string;
  sourceInfo?: string;
  checksums?: { algorithm: string; checksumValue: string }[];
  licenseConcluded: string;
  licenseDeclared: string;
  licenseComments?: string;
  comment?: string;
  externalRefs?: { referenceCategory: string; referenceType: string; referenceLocator: string }[];
  primaryPackagePurpose?: string;
}

interface Relationship {
  spdxElementId: string;
  relationshipType: string;
  relatedSpdxElement: string;
}

interface ExtractedLicense {
  licenseId: string;
  name: string;
  extractedText: string;
  comment?: string;
}

export function renderSpdxJson(inventory: Inventory): string {
  return `${JSON.stringify(buildSpdxDocument(inventory), null, 2)}\n`;
}

export function buildSpdxDocument(inventory: Inventory): Record<string, unknown> {
  const projects = [...inventory.projects].sort((a, b) => compareCodeUnits(a.id, b.id));
  const components = [...inventory.components].sort((a, b) => compareCodeUnits(a.purl, b.purl));
  const ids = new SpdxIds();
  const projectIds = new Map(projects.map((p) => [p.id, ids.claim('Project', p.id)] as const));
  const componentIds = new Map(
    components.map((c) => [c.purl, ids.claim('Package', readablePurl(c.purl))] as const),
  );
  const subjects = new Map(inventory.subjects.map((s) => [s.name, s]));
  const refs = new LicenseRefs();

  const packages: SpdxPackage[] = [
    ...projects.map((p) => projectPackage(p, projectIds.get(p.id)!, subjects.get(p.subject), refs)),
    ...components.map((c) => componentPackage(c, componentIds.get(c.purl)!, refs)),
  ];
  const name = documentName(inventory, projects);
  const uuid = uuidV5(
    NAMESPACE_UUID,
    canonicalJson({ ...inventory, generatedAt: undefined, run: undefined }),
  );
  const document: Record<string, unknown> = {
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: DOCUMENT_ID,
    name,
    documentNamespace: `${TOOL_HOMEPAGE}/spdx/${safeId(name) || 'inventory'}-${uuid}`,
    creationInfo: {
      created: spdxTimestamp(inventory.generatedAt),
      creators: [`Tool: ${inventory.tool.name}-${inventory.tool.version}`],
    },
    comment: documentComment(inventory),
  };
  const extracted = refs.extracted();
  if (extracted.length > 0) document.hasExtractedLicensingInfos = extracted;
  document.packages = packages;
  document.relationships = relationships(projects, components, projectIds, componentIds);
  return document;
}

function documentName(inventory: Inventory, projects: readonly Project[]): string {
  if (projects.length === 1) return projects[0]!.name ?? projects[0]!.id;
  const subjects = inventory.subjects.map((s) => s.name).sort(compareCodeUnits);
  if (subjects.length === 1) return subjects[0]!;
  return subjects.length === 0 ? inventory.tool.name : `${subjects.length} subjects`;
}

function documentComment(inventory: Inventory): string {
  const subjects = inventory.subjects.map((s) => s.name).sort(compareCodeUnits);
  const problems = inventory.problems.length;
  return (
    `Inventory of ${subjects.join(', ') || 'nothing'} by ${inventory.tool.name}.` +
    (problems > 0
      ? ` ${problems} problem${problems === 1 ? ' was' : 's were'} met while reading it (listed in the inventory): this SBOM may be incomplete.`
      : '')
  );
}

/** `2024-05-01T08:30:00Z`: SPDX wants UTC to the second. */
function spdxTimestamp(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '1970-01-01T00:00:00Z' : `${date.toISOString().slice(0, 19)}Z`;
}

function projectPackage(
  project: Project,
  id: string,
  subject: Subject | undefined,
  refs: LicenseRefs,
): SpdxPackage {
  const pkg: SpdxPackage = {
    SPDXID: id,
    name: project.name ?? project.id,
    ...(project.version !== undefined ? { versionInfo: project.version } : {}),
    downloadLocation: projectLocation(project, subject),
    filesAnalyzed: false,
    sourceInfo: `first-party project ${project.id}, described by ${[...project.manifests].sort(compareCodeUnits).join(', ')}`,
    ...licenseFields(project.license, refs),
  };
  const purls = (project.publishes ?? []).filter(isPublishablePurl).sort(compareCodeUnits);
  if (purls.length > 0) pkg.externalRefs = purls.map(purlRef);
  return pkg;
}

/** A GitHub project's repository at the commit read, as an SPDX VCS location; else NOASSERTION. */
function projectLocation(project: Project, subject: Subject | undefined): string {
  const sha = subject?.repository?.headSha;
  if (subject?.type !== 'github' || !sha || !isPublicUrl(subject.location)) return NOASSERTION;
  const folder = project.path === '.' ? '' : `#${project.path.split('/').map(encodeURIComponent).join('/')}`;
  return `git+${subject.location.replace(/\/+$/, '')}.git@${sha}${folder}`;
}

function componentPackage(component: Component, id: string, refs: LicenseRefs): SpdxPackage {
  const homepage = component.registry?.status === 'found' ? component.registry.homepage : undefined;
  const checksums = sriToHexDigests(component.integrity).map(([alg, hex]) => ({
    algorithm: alg.replace('-', ''),
    checksumValue: hex,
  }));
  return {
    SPDXID: id,
    name: packageName(component) || component.purl,
    versionInfo: component.version,
    downloadLocation: componentLocation(component),
    filesAnalyzed: false,
    ...(homepage !== undefined && isPublicUrl(homepage) ? { homepage } : {}),
    ...(checksums.length > 0 ? { checksums } : {}),
    ...licenseFields(component.license, refs),
    ...(isPublishablePurl(component.purl) ? { externalRefs: [purlRef(component.purl)] } : {}),
    primaryPackagePurpose: 'LIBRARY',
  };
}

function componentLocation(component: Component): string {
  const url = publishableUrl(component.resolved);
  if (url === undefined || !isPublicUrl(url)) return NOASSERTION;
  if (component.sourceKind !== 'git') return url;
  // npm writes the commit as the fragment; SPDX writes it after `@` and keeps `#` for a sub-path
  const parsed = new URL(url);
  const commit = parsed.hash.slice(1);
  parsed.hash = '';
  return commit === '' ? parsed.toString() : `${parsed.toString()}@${commit}`;
}

/**
 * A URL a validator accepts as a download location or home page: http(s), ssh, git or a `git+` form, with
 * a host name that has a top-level domain. Local paths, IP addresses and `localhost` are not.
 */
function isPublicUrl(value: string): boolean {
  if (/\s/.test(value)) return false;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  const scheme = url.protocol.replace(/:$/, '').replace(/^(git|hg|svn|bzr)\+/, '');
  if (!['http', 'https', 'ssh', 'git', 'svn', 'sftp', 'ftp'].includes(scheme)) return false;
  return /^[a-z0-9]+([.-][a-z0-9]+)*\.[a-z]{2,5}$/i.test(url.hostname);
}

function isPublishablePurl(purl: string): boolean {
  return /^pkg:[a-z][a-z0-9.+-]*\/\S+$/i.test(purl);
}

function purlRef(purl: string): NonNullable<SpdxPackage['externalRefs']>[number] {
  return { referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: purl };
}

// ---------------------------------------------------------------------------------------------------
// Licenses

function licenseFields(
  license: ComponentLicense | undefined,
  refs: LicenseRefs,
): Pick<SpdxPackage, 'licenseConcluded' | 'licenseDeclared' | 'licenseComments'> {
  if (license === undefined) return { licenseConcluded: NOASSERTION, licenseDeclared: NOASSERTION };
  const concluded = refs.use(license.expression, license);
  const fields: ReturnType<typeof licenseFields> = {
    licenseConcluded: concluded,
    licenseDeclared: declaredFaithfully(license) ? concluded : NOASSERTION,
  };
  const comments = licenseComments(license);
  if (comments !== '') fields.licenseComments = comments;
  return fields;
}

/** An expression as SPDX writes it, with its LicenseRefs; undefined when it does not parse or needs a DocumentRef. */
function writable(expression: string): { expression: string; refs: string[] } | undefined {
  const parsed = parseSpdxExpression(expression);
  if (!parsed.ok) return undefined;
  const refs = spdxLicenses(parsed.node)
    .map((l) => l.id)
    .filter((id) => id.includes('LicenseRef-'));
  // a DocumentRef- needs an external document reference this document cannot give
  if (refs.some((id) => !isLicenseRef(id) || id.startsWith('DocumentRef-'))) return undefined;
  return { expression: parsed.expression, refs: [...new Set(refs)] };
}

/** True when the concluded expression only translates what the package itself declares. */
function declaredFaithfully(license: ComponentLicense): boolean {
  if (license.declared.length === 0 || license.source === 'curation') return false;
  if (license.source === 'license-file' || license.source === 'github') return false;
  return (license.mappings ?? []).every(
    (m) => m === 'spdx' || m === 'corrected' || m === 'alias' || m === 'organisation',
  );
}

function licenseComments(license: ComponentLicense): string {
  const parts: string[] = [];
  if (license.source !== undefined) {
    parts.push(`read from ${license.source}${license.evidence !== undefined ? `: ${license.evidence}` : ''}`);
  }
  if (license.declared.length > 0)
    parts.push(`declared ${license.declared.map((d) => JSON.stringify(d)).join(', ')}`);
  const mappings = [...new Set(license.mappings ?? [])];
  if (mappings.length > 0) parts.push(`mapped by ${mappings.join(', ')}`);
  if (license.curated !== undefined) parts.push(`curated: ${license.curated.reason}`);
  if (license.reason !== undefined) parts.push(`unknown: ${license.reason}`);
  return parts.join('; ');
}

/**
 * The LicenseRefs the document uses, each declared once with the raw values it stands for (the
 * unmapped values of the components that carry it, else their declared values).
 */
class LicenseRefs {
  readonly #texts = new Map<string, Set<string>>();
  /** Per expression: how SPDX writes it and the LicenseRefs in it, or undefined when it cannot be written. */
  readonly #parsed = new Map<string, { expression: string; refs: string[] } | undefined>();

  /** The expression as SPDX writes it, its LicenseRefs noted; NOASSERTION when it is not valid SPDX. */
  use(expression: string | undefined, license: ComponentLicense): string {
    if (expression === undefined) return NOASSERTION;
    if (!this.#parsed.has(expression)) this.#parsed.set(expression, writable(expression));
    const parsed = this.#parsed.get(expression);
    if (parsed === undefined) return NOASSERTION;
    const raw =
      license.unmapped !== undefined && license.unmapped.length > 0 ? license.unmapped : license.declared;
    for (const id of parsed.refs) {
      let texts = this.#texts.get(id);
      if (!texts) this.#texts.set(id, (texts = new Set()));
      for (const value of raw) if (value.trim() !== '') texts.add(value);
    }
    return parsed.expression;
  }

  extracted(): ExtractedLicense[] {
    return [...this.#texts]
      .sort((a, b) => compareCodeUnits(a[0], b[0]))
      .map(([licenseId, values]) => {
        const texts = [...values].sort(compareCodeUnits);
        if (licenseId === 'LicenseRef-UNLICENSED') {
          return {
            licenseId,
            name: 'UNLICENSED',
            extractedText: 'UNLICENSED',
            comment: "npm's UNLICENSED: the author does not license the package for use by others.",
          };
        }
        return {
          licenseId,
          name: texts[0] ?? licenseId,
          extractedText: texts.length > 0 ? texts.join('\n') : licenseId,
          comment:
            'The license as the package declares it, which no SPDX id was found for; the inventory has no license text.',
        };
      });
  }
}

// ---------------------------------------------------------------------------------------------------
// Relationships

/** The most demanding scope decides how a project depends on a direct dependency. */
const SCOPE_RELATIONSHIP: readonly [Scope, string, 'forward' | 'backward'][] = [
  ['runtime', 'DEPENDS_ON', 'forward'],
  ['peer', 'DEPENDS_ON', 'forward'],
  ['provided', 'PROVIDED_DEPENDENCY_OF', 'backward'],
  ['optional', 'OPTIONAL_DEPENDENCY_OF', 'backward'],
  ['dev', 'DEV_DEPENDENCY_OF', 'backward'],
];

function relationships(
  projects: readonly Project[],
  components: readonly Component[],
  projectIds: ReadonlyMap<string, string>,
  componentIds: ReadonlyMap<string, string>,
): Relationship[] {
  const out: Relationship[] = projects.map((p) => ({
    spdxElementId: DOCUMENT_ID,
    relationshipType: 'DESCRIBES',
    relatedSpdxElement: projectIds.get(p.id)!,
  }));
  if (projects.length === 0) {
    out.push({ spdxElementId: DOCUMENT_ID, relationshipType: 'DESCRIBES', relatedSpdxElement: 'NONE' });
  }
  const directScopes = directUsageScopes(components);
  for (const project of projects) {
    const from = projectIds.get(project.id)!;
    for (const purl of [...new Set(project.dependsOn)].sort(compareCodeUnits)) {
      const to = componentIds.get(purl);
      if (to === undefined) continue;
      const scopes = directScopes.get(`${project.id}\u0000${purl}`) ?? new Set<Scope>(['runtime']);
      const [, type, direction] =
        SCOPE_RELATIONSHIP.find(([scope]) => scopes.has(scope)) ?? SCOPE_RELATIONSHIP[0]!;
      out.push(
        direction === 'forward'
          ? { spdxElementId: from, relationshipType: type, relatedSpdxElement: to }
          : { spdxElementId: to, relationshipType: type, relatedSpdxElement: from },
      );
    }
  }
  for (const component of components) {
    const from = componentIds.get(component.purl)!;
    for (const purl of [...new Set(component.dependsOn)].sort(compareCodeUnits)) {
      const to = componentIds.get(purl);
      if (to !== undefined)
        out.push({ spdxElementId: from, relationshipType: 'DEPENDS_ON', relatedSpdxElement: to });
    }
  }
  return out;
}

/** The scopes of each project's direct usage of each component, by `project NUL purl`. */
function directUsageScopes(components: readonly Component[]): Map<string, Set<Scope>> {
  const scopes = new Map<string, Set<Scope>>();
  for (const component of components) {
    for (const usage of component.usedBy) {
      if (!usage.direct) continue;
      const key = `${usage.project}\u0000${component.purl}`;
      let set = scopes.get(key);
      if (!set) scopes.set(key, (set = new Set()));
      for (const scope of usage.scopes) set.add(scope);
    }
  }
  return scopes;
}

// ---------------------------------------------------------------------------------------------------
// Identifiers

/** The purl without `pkg:` and its percent-encoding, for a readable SPDXID (`npm-babel-runtime-7.24.0`). */
function readablePurl(purl: string): string {
  const body = purl.replace(/^pkg:/, '');
  try {
    return decodeURIComponent(body);
  } catch {
    return body;
  }
}

function safeId(value: string): string {
  return value
    .replace(/[^A-Za-z0-9.-]+/g, '-')
    .slice(0, MAX_ID_LENGTH)
    .replace(/^[.-]+|[.-]+$/g, '');
}

/** SPDXIDs (`SPDXRef-` and letters, digits, `.` and `-`), unique within the document. */
class SpdxIds {
  readonly #taken = new Set<string>([DOCUMENT_ID]);

  claim(kind: 'Project' | 'Package', value: string): string {
    const base = `SPDXRef-${kind}-${safeId(value) || 'x'}`;
    let id = base;
    for (let n = 2; this.#taken.has(id); n++) id = `${base}-${n}`;
    this.#taken.add(id);
    return id;
  }
}
