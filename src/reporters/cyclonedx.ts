/**
 * CycloneDX 1.6 SBOM (JSON and XML) from an Inventory, built with @cyclonedx/cyclonedx-library.
 *
 * Shape:
 * - metadata: timestamp = inventory.generatedAt; tools = oss-inventory (components form); component = an
 *   application named after the subject when there is exactly one subject, depending on every project.
 * - components: one `application` per Project (bom-ref = project id), then one `library` per Component
 *   (bom-ref = purl). Scope: `required` when any scope is runtime or peer, `optional` when the best is
 *   optional, `excluded` when dev only. Licenses: a known license as its SPDX id or expression
 *   (acknowledgement `declared` when the declared value already was SPDX, `concluded` when it was mapped,
 *   detected or curated); an unknown one as named licenses holding the declared values; nothing when none.
 *   Hashes from the SRI `integrity`; `resolved` as an external reference (`vcs` for git, `distribution`
 *   otherwise; local paths are left out).
 * - dependencies: project -> its dependsOn, component -> its dependsOn, subject -> its projects.
 * - serialNumber: UUID v5 (SHA-1, RFC 4122) of the canonical JSON of the inventory without generatedAt and run,
 *   so the same inventory always gives byte-identical files.
 * - Everything is ordered by code unit (projects by id, components by purl, dependsOn by purl); the
 *   library's own sorting uses localeCompare, which depends on the machine's locale, so it is not used.
 *
 * Properties, for what CycloneDX has no field for (values are strings; booleans are `true`/`false`):
 *   BOM (metadata.properties)
 *     oss-inventory:problemCount          number of problems in the inventory; above 0 the SBOM may be
 *                                         incomplete (the problems themselves are in the inventory)
 *     oss-inventory:inventorySchemaVersion  schemaVersion of the rendered inventory
 *     oss-inventory:subject               one per subject, its name
 *   Subject (metadata.component)
 *     oss-inventory:location              where the subject was read from, as the user gave it
 *   Project (application component)
 *     oss-inventory:subject               the subject it belongs to
 *     oss-inventory:path                  its folder relative to the subject (`.` for the root)
 *     oss-inventory:manifest              one per manifest (package.json, lockfiles) that describes it
 *     oss-inventory:locked                false when no lockfile covers it (its dependencies are ranges)
 *     oss-inventory:license:*             as for a component, plus license:detected (one per license file:
 *                                         `EXPRESSION FILE CONFIDENCE`) and license:conflict
 *     oss-inventory:workspaceRoot         bom-ref of the workspace root project, for a workspace member
 *     oss-inventory:health:*              as for a component, for a project of a GitHub subject
 *   Component (library component)
 *     oss-inventory:scopes                comma-separated union of runtime, optional, peer, dev
 *     oss-inventory:direct                true when at least one project depends on it directly
 *     oss-inventory:locked                false when its version is a declared range, not a locked version
 *     oss-inventory:sourceKind            registry, git, tarball, file, link or unknown
 *     oss-inventory:usedByProjects        number of projects that use it
 *     oss-inventory:license:status        known or unknown
 *     oss-inventory:license:declared      one per raw declared value, as found
 *     oss-inventory:license:category      public-domain, permissive, weak-copyleft, strong-copyleft,
 *                                         network-copyleft, proprietary or unknown
 *     oss-inventory:license:mapping       one per declared value: spdx, corrected, alias, organisation,
 *                                         license-file or curation
 *     oss-inventory:license:unmapped      one per declared value that nothing maps to SPDX
 *     oss-inventory:license:source        lockfile, node_modules, package.json, registry, pom, license-file,
 *                                         github or curation
 *     oss-inventory:license:evidence      the file, registry document or POM that declared it
 *     oss-inventory:license:curation      the reason of the curation that set it
 *     oss-inventory:license:reason        why the license is unknown
 *     oss-inventory:maven:type            the Maven dependency type (jar, test-jar, pom, lutece-plugin...)
 *     oss-inventory:maven:classifier      its classifier, when it has one
 *     oss-inventory:maven:scopes          comma-separated Maven scopes through which it is reached
 *     oss-inventory:maven:optional        true when every project reaches it only as optional
 *     oss-inventory:sourceRepository      the source repository (normalised URL), also a `vcs` reference
 *     oss-inventory:health:class          EOL, ABANDONED, AT_RISK, MAINTAINED, HEALTHY or UNKNOWN
 *     oss-inventory:health:reason         one per reason: `CODE: message` (the values are in the inventory)
 *     oss-inventory:health:score          0-100, for sorting only
 *     oss-inventory:health:priority       plan-B priority, higher first
 *     oss-inventory:health:projects       projects using it; health:directProjects, health:runtimeProjects
 *                                         and health:devOnly complete the exposure
 *     oss-inventory:health:assessedAt     when the signals were read
 *     oss-inventory:planb:status          options, none-found or not-needed
 *     oss-inventory:planb:option          one per option, best first: `KIND CONFIDENCE TARGET-OR-LABEL`, then
 *                                         the target's license and flags when known, e.g.
 *                                         `successor curated pkg:npm/sass (license MIT; flags target-unhealthy)`
 */
import { createRequire } from 'node:module';
import { Enums, Models, Serialize, Spec, SPDX, Contrib } from '@cyclonedx/cyclonedx-library';
import type {
  Component,
  ComponentLicense,
  Health,
  Inventory,
  PlanB,
  PlanBOption,
  Project,
  Scope,
  Subject,
} from '../core/model.js';
import { SCOPES } from '../core/model.js';
import {
  compareCodeUnits,
  deterministicSerialNumber,
  publishableUrl,
  sriToHexDigests,
  xmlSafeText,
} from './cyclonedx-values.js';

const NS = 'oss-inventory';
const JSON_SERIALIZER = new Serialize.JsonSerializer(new Serialize.JSON.Normalize.Factory(Spec.Spec1dot6));
const XML_SERIALIZER = new Serialize.XmlSerializer(new Serialize.XML.Normalize.Factory(Spec.Spec1dot6));
// spdx-expression-parse ships no typings; loading it this way avoids a project-wide `declare module`.
const parseSpdxExpression = createRequire(import.meta.url)('spdx-expression-parse') as (
  value: string,
) => unknown;
const LICENSE_FACTORY = new Contrib.License.Factories.LicenseFactory(parseSpdxExpression);
const SERIALIZE_OPTIONS = { sortLists: false, space: 2 } as const;

type Text = (value: string) => string;
const asIs: Text = (value) => value;

export function renderCycloneDxJson(inventory: Inventory): string {
  return `${JSON_SERIALIZER.serialize(buildBom(inventory, asIs), SERIALIZE_OPTIONS)}\n`;
}

/** XML 1.0 cannot carry control characters or lone surrogates: those are replaced by U+FFFD here only. */
export function renderCycloneDxXml(inventory: Inventory): string {
  return `${XML_SERIALIZER.serialize(buildBom(inventory, xmlSafeText), SERIALIZE_OPTIONS)}\n`;
}

/** Hands out bom-refs, keeping the wanted value when free and suffixing `#2`, `#3`... when not. */
class BomRefs {
  readonly #taken = new Set<string>();

  claim(wanted: string): string {
    let ref = wanted;
    for (let n = 2; this.#taken.has(ref); n++) ref = `${wanted}#${n}`;
    this.#taken.add(ref);
    return ref;
  }
}

function buildBom(inventory: Inventory, text: Text): Models.Bom {
  const bom = new Models.Bom({
    serialNumber: deterministicSerialNumber({ ...inventory, generatedAt: undefined, run: undefined }),
  });
  const refs = new BomRefs();
  const libraries = byKey(inventory.components, (c) => c.purl).map((c) => libraryComponent(c, refs, text));
  const projects = byKey(inventory.projects, (p) => p.id).map((p) => applicationComponent(p, refs, text));
  const libraryByPurl = indexFirst(libraries, (l) => l.source.purl);
  const projectById = indexFirst(projects, (p) => p.source.id);

  for (const { model } of projects) bom.components.add(model);
  for (const { model } of libraries) bom.components.add(model);
  for (const { source, model } of projects) {
    addDependencies(model, source.dependsOn, libraryByPurl);
    addWorkspaceRoot(model, source, projectById, text);
  }
  for (const { source, model } of libraries) addDependencies(model, source.dependsOn, libraryByPurl);

  fillMetadata(bom.metadata, inventory, projects, refs, text);
  return bom;
}

interface Built<T> {
  source: T;
  model: Models.Component;
}

function fillMetadata(
  metadata: Models.Metadata,
  inventory: Inventory,
  projects: Built<Project>[],
  refs: BomRefs,
  text: Text,
): void {
  const timestamp = new Date(inventory.generatedAt);
  if (!Number.isNaN(timestamp.getTime())) metadata.timestamp = timestamp;
  metadata.tools.components.add(
    new Models.Component(Enums.ComponentType.Application, text(inventory.tool.name), {
      version: text(inventory.tool.version),
    }),
  );
  const only = inventory.subjects.length === 1 ? inventory.subjects[0] : undefined;
  if (only) metadata.component = subjectComponent(only, projects, refs, text);
  addProperty(metadata.properties, 'problemCount', String(inventory.problems.length), text);
  addProperty(metadata.properties, 'inventorySchemaVersion', inventory.schemaVersion, text);
  for (const subject of byKey(inventory.subjects, (s) => s.name)) {
    addProperty(metadata.properties, 'subject', subject.name, text);
  }
}

function subjectComponent(
  subject: Subject,
  projects: Built<Project>[],
  refs: BomRefs,
  text: Text,
): Models.Component {
  const model = new Models.Component(Enums.ComponentType.Application, text(subject.name), {
    bomRef: refs.claim(text(`subject:${subject.name}`)),
  });
  addProperty(model.properties, 'location', subject.location, text);
  for (const project of projects) model.dependencies.add(project.model.bomRef);
  return model;
}

function applicationComponent(project: Project, refs: BomRefs, text: Text): Built<Project> {
  const model = new Models.Component(Enums.ComponentType.Application, text(project.name ?? project.id), {
    bomRef: refs.claim(text(project.id)),
    version: project.version === undefined ? undefined : text(project.version),
  });
  const props = model.properties;
  addProperty(props, 'subject', project.subject, text);
  addProperty(props, 'path', project.path, text);
  for (const manifest of [...project.manifests].sort(compareCodeUnits)) {
    addProperty(props, 'manifest', manifest, text);
  }
  addProperty(props, 'locked', String(project.locked), text);
  if (project.license) {
    for (const license of licensesFor(project.license, text)) model.licenses.add(license);
    addLicenseProperties(props, project.license, text);
    for (const d of project.license.detected) {
      addProperty(props, 'license:detected', `${d.expression} ${d.file} ${d.confidence}`, text);
    }
    if (project.license.conflict) addProperty(props, 'license:conflict', project.license.conflict, text);
  }
  if (project.health) addHealthProperties(props, project.health, text);
  return { source: project, model };
}

function addWorkspaceRoot(
  model: Models.Component,
  project: Project,
  projectById: Map<string, Built<Project>>,
  text: Text,
): void {
  if (project.workspaceRoot === undefined) return;
  const root = projectById.get(project.workspaceRoot);
  addProperty(model.properties, 'workspaceRoot', root?.model.bomRef.value ?? project.workspaceRoot, text);
}

function libraryComponent(component: Component, refs: BomRefs, text: Text): Built<Component> {
  const model = new Models.Component(Enums.ComponentType.Library, text(component.name), {
    bomRef: refs.claim(text(component.purl)),
    group: component.group === undefined ? undefined : text(component.group),
    version: text(component.version),
    purl: text(component.purl),
    scope: cyclonedxScope(component.scopes),
  });
  for (const [alg, hex] of sriToHexDigests(component.integrity)) {
    model.hashes.set(Enums.HashAlgorithm[alg], hex);
  }
  for (const license of licensesFor(component.license, text)) model.licenses.add(license);
  const url = publishableUrl(component.resolved);
  if (url !== undefined) {
    const type =
      component.sourceKind === 'git'
        ? Enums.ExternalReferenceType.VCS
        : Enums.ExternalReferenceType.Distribution;
    model.externalReferences.add(new Models.ExternalReference(text(url), type));
  }
  const repository = publishableUrl(component.sourceRepository?.url);
  if (repository !== undefined && repository !== url) {
    model.externalReferences.add(
      new Models.ExternalReference(text(repository), Enums.ExternalReferenceType.VCS),
    );
  }
  addComponentProperties(model.properties, component, text);
  return { source: component, model };
}

function addComponentProperties(props: Models.PropertyRepository, component: Component, text: Text): void {
  const scopes = SCOPES.filter((s) => component.scopes.includes(s));
  if (scopes.length > 0) addProperty(props, 'scopes', scopes.join(','), text);
  addProperty(props, 'direct', String(component.direct), text);
  addProperty(props, 'locked', String(component.locked), text);
  addProperty(props, 'sourceKind', component.sourceKind, text);
  addProperty(props, 'usedByProjects', String(new Set(component.usedBy.map((u) => u.project)).size), text);
  if (component.maven) {
    addProperty(props, 'maven:type', component.maven.type, text);
    if (component.maven.classifier) addProperty(props, 'maven:classifier', component.maven.classifier, text);
    addProperty(props, 'maven:scopes', component.maven.scopes.join(','), text);
    addProperty(props, 'maven:optional', String(component.maven.optional), text);
  }
  addLicenseProperties(props, component.license, text);
  if (component.sourceRepository)
    addProperty(props, 'sourceRepository', component.sourceRepository.url, text);
  if (component.health) addHealthProperties(props, component.health, text);
  if (component.planB) addPlanBProperties(props, component.planB, text);
}

function addPlanBProperties(props: Models.PropertyRepository, planB: PlanB, text: Text): void {
  addProperty(props, 'planb:status', planB.status, text);
  for (const option of planB.options) addProperty(props, 'planb:option', planBOptionValue(option), text);
}

/** `KIND CONFIDENCE TARGET-OR-LABEL`, then `(license EXPRESSION; flags FLAG FLAG)` for what is known. */
function planBOptionValue(option: PlanBOption): string {
  const what = option.target ?? option.label;
  const notes = [
    ...(option.targetLicense ? [`license ${option.targetLicense}`] : []),
    ...(option.flags?.length ? [`flags ${option.flags.join(' ')}`] : []),
  ];
  return [
    option.kind,
    option.confidence,
    ...(what ? [what] : []),
    ...(notes.length ? [`(${notes.join('; ')})`] : []),
  ].join(' ');
}

function addHealthProperties(props: Models.PropertyRepository, health: Health, text: Text): void {
  addProperty(props, 'health:class', health.class, text);
  for (const reason of health.reasons)
    addProperty(props, 'health:reason', `${reason.code}: ${reason.message}`, text);
  addProperty(props, 'health:score', String(health.score), text);
  addProperty(props, 'health:priority', String(health.priority), text);
  addProperty(props, 'health:projects', String(health.exposure.projects), text);
  addProperty(props, 'health:directProjects', String(health.exposure.directProjects), text);
  addProperty(props, 'health:runtimeProjects', String(health.exposure.runtimeProjects), text);
  addProperty(props, 'health:devOnly', String(health.exposure.devOnly), text);
  addProperty(props, 'health:assessedAt', health.assessedAt, text);
}

function addLicenseProperties(props: Models.PropertyRepository, license: ComponentLicense, text: Text): void {
  addProperty(props, 'license:status', license.status, text);
  for (const declared of license.declared) addProperty(props, 'license:declared', declared, text);
  if (license.category !== undefined) addProperty(props, 'license:category', license.category, text);
  for (const mapping of license.mappings ?? []) addProperty(props, 'license:mapping', mapping, text);
  for (const unmapped of license.unmapped ?? []) addProperty(props, 'license:unmapped', unmapped, text);
  if (license.source !== undefined) addProperty(props, 'license:source', license.source, text);
  if (license.evidence !== undefined) addProperty(props, 'license:evidence', license.evidence, text);
  if (license.curated !== undefined) addProperty(props, 'license:curation', license.curated.reason, text);
  if (license.reason !== undefined) addProperty(props, 'license:reason', license.reason, text);
}

function addProperty(props: Models.PropertyRepository, name: string, value: string, text: Text): void {
  props.add(new Models.Property(`${NS}:${name}`, text(value)));
}

/** `provided` must be present at run time, though the platform supplies it: CycloneDX calls that required. */
function cyclonedxScope(scopes: readonly Scope[]): Enums.ComponentScope | undefined {
  if (scopes.includes('runtime') || scopes.includes('peer') || scopes.includes('provided')) {
    return Enums.ComponentScope.Required;
  }
  if (scopes.includes('optional')) return Enums.ComponentScope.Optional;
  if (scopes.includes('dev')) return Enums.ComponentScope.Excluded;
  return undefined;
}

/**
 * A known license is its concluded expression, declared when the manifest already said exactly that. An
 * unknown one keeps what was declared, as names, so the auditor still sees the raw text.
 */
function licensesFor(license: ComponentLicense, text: Text): Models.License[] {
  if (license.status === 'known' && license.expression !== undefined) {
    const concluded = idOrExpressionOrName(license.expression, text);
    const asDeclared = (license.mappings ?? []).every((m) => m === 'spdx');
    concluded.acknowledgement = asDeclared
      ? Enums.LicenseAcknowledgement.Declared
      : Enums.LicenseAcknowledgement.Concluded;
    return [concluded];
  }
  const distinct = [...new Set(license.declared.map((v) => v.trim()).filter((v) => v.length > 0))];
  return distinct.map((value) => {
    const named = new Models.NamedLicense(text(value));
    named.acknowledgement = Enums.LicenseAcknowledgement.Declared;
    return named;
  });
}

function idOrExpressionOrName(value: string, text: Text): Models.License {
  if (spdxId(value) !== undefined) return idOrName(value, text);
  try {
    return LICENSE_FACTORY.makeExpression(text(value));
  } catch {
    // not an expression (the parser throws on anything else, even on absurd nesting): a named license
    return new Models.NamedLicense(text(value));
  }
}

function idOrName(value: string, text: Text): Models.DisjunctiveLicense {
  const id = spdxId(value);
  return id !== undefined ? new Models.SpdxLicense(id) : new Models.NamedLicense(text(value));
}

/**
 * The SPDX id for a value, matched case-insensitively. The library's `fixupSpdxId` looks the value up
 * in a plain object, so `constructor` or `__proto__` come back as functions or objects: only a string
 * that is itself a supported id is accepted.
 */
function spdxId(value: string): string | undefined {
  const fixed: unknown = SPDX.fixupSpdxId(value);
  return typeof fixed === 'string' && SPDX.isSupportedSpdxId(fixed) ? fixed : undefined;
}

function addDependencies(
  model: Models.Component,
  dependsOn: readonly string[],
  libraryByPurl: Map<string, Built<Component>>,
): void {
  for (const purl of [...dependsOn].sort(compareCodeUnits)) {
    const target = libraryByPurl.get(purl);
    if (target !== undefined) model.dependencies.add(target.model.bomRef);
  }
}

function byKey<T>(items: readonly T[], key: (item: T) => string): T[] {
  return [...items].sort((a, b) => compareCodeUnits(key(a), key(b)));
}

function indexFirst<T>(items: readonly T[], key: (item: T) => string): Map<string, T> {
  const index = new Map<string, T>();
  for (const item of items) if (!index.has(key(item))) index.set(key(item), item);
  return index;
}
