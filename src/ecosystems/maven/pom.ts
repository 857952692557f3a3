import type { Problem } from '../../core/model.js';
import type {
  Activation,
  Dependency,
  Exclusion,
  License,
  ParentRef,
  Profile,
  RawPom,
  Relocation,
  Repository,
  Scm,
} from './pom-model.js';
import { parseXml, type XmlElement } from './xml.js';

export type PomParseResult = { ok: true; pom: RawPom; problems: Problem[] } | { ok: false; problem: Problem };

const CODE = 'maven.pom';
const POM_REFERENCE = 'https://maven.apache.org/pom.html';
const SCOPES = new Set(['compile', 'provided', 'runtime', 'test', 'system', 'import']);

/*
 * The elements of the POM 4.0.0 schema at each level this parser reads. Maven refuses a project POM
 * with any other element there ("Unrecognised tag") or with one of them twice ("Duplicated tag"); here
 * both are warnings, so a typo such as <dependancy> is reported instead of silently dropping a dependency.
 */
const PROJECT = names(
  'modelVersion parent groupId artifactId version packaging name description url inceptionYear organization ' +
    'licenses developers contributors mailingLists prerequisites modules scm issueManagement ciManagement ' +
    'distributionManagement properties dependencyManagement dependencies repositories pluginRepositories build ' +
    'reports reporting profiles',
);
const PARENT = names('groupId artifactId version relativePath');
const DEPENDENCY = names('groupId artifactId version type classifier scope systemPath exclusions optional');
const EXCLUSION = names('groupId artifactId');
const REPOSITORY = names('releases snapshots id name url layout');
const REPOSITORY_POLICY = names('enabled updatePolicy checksumPolicy');
const LICENSE = names('name url distribution comments');
const SCM = names('connection developerConnection tag url');
const ORGANIZATION = names('name url');
const DISTRIBUTION = names('repository snapshotRepository site downloadUrl relocation status');
const RELOCATION = names('groupId artifactId version message');
const DEPENDENCY_MANAGEMENT = names('dependencies');
const PROFILE = names(
  'id activation build modules distributionManagement properties dependencyManagement dependencies ' +
    'repositories pluginRepositories reports reporting',
);
const ACTIVATION = names('activeByDefault jdk os property file');
const ACTIVATION_PROPERTY = names('name value');
const ACTIVATION_OS = names('name family arch version');
const ACTIVATION_FILE = names('missing exists');

function names(list: string): ReadonlySet<string> {
  return new Set(list.split(' '));
}

/**
 * Reads one POM file into a RawPom: every value as written (no inheritance, no interpolation, no
 * defaults), each dependency, repository, license and profile with its line. Only the project's own
 * <dependencies> and <dependencyManagement> (and those of its profiles) are read: dependencies of build
 * plugins are not project dependencies. Pure and never throws; the XML is parsed safely (no DOCTYPE,
 * bounded size and depth). A POM whose root is not <project> is an error; oddities Maven would warn
 * about or refuse (unknown or duplicated elements, a dependency without coordinates) are warnings.
 */
export function parsePom(content: string, source: string): PomParseResult {
  const xml = parseXml(content, source, `${CODE}.invalid-xml`);
  if (!xml.ok) return xml;
  const root = xml.root;
  if (root.name !== 'project') {
    return {
      ok: false,
      problem: {
        severity: 'error',
        code: `${CODE}.not-a-project`,
        message: `${source}:${root.line}:${root.column}: the root element is <${root.name}>, not <project>: this is not a POM`,
        file: source,
        line: root.line,
        column: root.column,
        hint: 'A pom.xml must have <project> as its root element; check that the file is a Maven POM.',
      },
    };
  }
  const reader = new PomReader(source);
  const pom = reader.project(root);
  const problems = reader.problems.sort((a, b) => a.line - b.line || a.column - b.column);
  return { ok: true, pom, problems };
}

/** The first occurrence of each known child element of one element. */
class Fields {
  constructor(private readonly found: Map<string, XmlElement>) {}

  element(name: string): XmlElement | undefined {
    return this.found.get(name);
  }

  /** The trimmed text; undefined when the element is absent or empty. */
  text(name: string): string | undefined {
    const value = this.found.get(name)?.text;
    return value === undefined || value === '' ? undefined : value;
  }
}

type Warning = Problem & { line: number; column: number };

class PomReader {
  readonly problems: Warning[] = [];

  constructor(private readonly source: string) {}

  project(root: XmlElement): RawPom {
    const f = this.fields(root, PROJECT);
    const distribution = this.optionalFields(f.element('distributionManagement'), DISTRIBUTION);
    const scm = f.element('scm');
    const pom: RawPom = {
      source: this.source,
      modelVersion: f.text('modelVersion'),
      groupId: f.text('groupId'),
      artifactId: f.text('artifactId'),
      version: f.text('version'),
      packaging: f.text('packaging'),
      name: f.text('name'),
      description: f.text('description'),
      url: f.text('url'),
      parent: this.parent(f.element('parent')),
      properties: this.properties(f.element('properties')),
      dependencies: this.dependencies(f.element('dependencies'), 'dependencies', false),
      dependencyManagement: this.managed(f.element('dependencyManagement'), 'dependencyManagement'),
      profiles: this.profiles(f.element('profiles')),
      modules: this.modules(f.element('modules')),
      repositories: this.repositories(f.element('repositories'), 'repository'),
      pluginRepositories: this.repositories(f.element('pluginRepositories'), 'pluginRepository'),
      licenses: this.items(f.element('licenses'), 'license').map((e) => this.license(e)),
      scm: scm && this.scm(scm),
      organization: this.organization(f.element('organization')),
      developers: this.items(f.element('developers'), 'developer').length,
      contributors: this.items(f.element('contributors'), 'contributor').length,
      relocation: this.relocation(distribution?.element('relocation')),
      inheritAppendPath: withoutUndefined({
        url: attribute(root, 'child.project.url.inherit.append.path'),
        scm: scm && attribute(scm, 'child.scm.url.inherit.append.path'),
      }),
    };
    return withoutUndefined(pom);
  }

  private parent(element: XmlElement | undefined): ParentRef | undefined {
    if (!element) return undefined;
    const f = this.fields(element, PARENT);
    const parent: ParentRef = {
      groupId: f.text('groupId'),
      artifactId: f.text('artifactId'),
      version: f.text('version'),
      // An empty <relativePath/> means "do not look in the tree", unlike an absent one (../pom.xml).
      relativePath: f.element('relativePath')?.text,
      line: element.line,
    };
    const missing = (['groupId', 'artifactId', 'version'] as const).filter(
      (key) => parent[key] === undefined,
    );
    if (missing.length > 0) {
      this.warn(
        'incomplete-parent',
        element,
        `<parent> has no ${missing.join(', ')}: it cannot be resolved`,
        'Give the parent its groupId, artifactId and version, as Maven requires.',
      );
    }
    return withoutUndefined(parent);
  }

  private properties(element: XmlElement | undefined): Map<string, string> {
    const properties = new Map<string, string>();
    for (const property of element?.children ?? []) {
      if (property.children.length > 0) {
        this.warn(
          'nested-property',
          property,
          `property <${property.name}> contains elements; only its text is kept`,
          'A property is plain text: Maven refuses a property with child elements.',
        );
      }
      properties.set(property.name, property.text);
    }
    return properties;
  }

  private managed(element: XmlElement | undefined, where: string): Dependency[] {
    const f = this.optionalFields(element, DEPENDENCY_MANAGEMENT);
    return this.dependencies(f?.element('dependencies'), `${where}/dependencies`, true);
  }

  private dependencies(element: XmlElement | undefined, where: string, managed: boolean): Dependency[] {
    const list: Dependency[] = [];
    const seen = new Map<string, number>();
    for (const item of this.items(element, 'dependency')) {
      const dependency = this.dependency(item, where, managed);
      if (!dependency) continue;
      this.checkUnique(dependency, item, seen, where, managed);
      list.push(dependency);
    }
    return list;
  }

  private dependency(element: XmlElement, where: string, managed: boolean): Dependency | undefined {
    const f = this.fields(element, DEPENDENCY);
    const dependency: Dependency = {
      groupId: f.text('groupId'),
      artifactId: f.text('artifactId'),
      version: f.text('version'),
      type: f.text('type'),
      classifier: f.text('classifier'),
      scope: f.text('scope'),
      optional: f.text('optional'),
      systemPath: f.text('systemPath'),
      exclusions: this.exclusions(f.element('exclusions')),
      line: element.line,
    };
    if (dependency.groupId === undefined || dependency.artifactId === undefined) {
      const missing = [
        dependency.groupId === undefined && 'groupId',
        dependency.artifactId === undefined && 'artifactId',
      ]
        .filter(Boolean)
        .join(' nor ');
      const known = dependency.groupId ?? dependency.artifactId;
      this.warn(
        'incomplete-dependency',
        element,
        `a <dependency> in ${where} has no ${missing}${known ? ` (${known})` : ''}; it is left out`,
        'Give every dependency both a groupId and an artifactId.',
      );
      return undefined;
    }
    this.checkScope(dependency, element, where, managed);
    return withoutUndefined(dependency);
  }

  private checkScope(dependency: Dependency, element: XmlElement, where: string, managed: boolean): void {
    const scope = dependency.scope;
    if (scope === undefined || scope.includes('${')) return;
    const id = `${dependency.groupId}:${dependency.artifactId}`;
    if (!SCOPES.has(scope)) {
      this.warn(
        'unknown-scope',
        element,
        `${id} in ${where} has the unknown scope "${scope}"; it is kept as written`,
        'Use one of compile, provided, runtime, test, system (or import in dependencyManagement).',
      );
    } else if (scope === 'import' && !managed) {
      this.warn(
        'unknown-scope',
        element,
        `${id} in ${where} has the scope "import", which only dependencyManagement understands`,
        'Move the BOM import into <dependencyManagement>, or give the dependency a real scope.',
      );
    }
  }

  /** Maven keeps the last of two declarations with the same groupId:artifactId:type:classifier. */
  private checkUnique(
    dependency: Dependency,
    element: XmlElement,
    seen: Map<string, number>,
    where: string,
    managed: boolean,
  ): void {
    const classifier = dependency.classifier ? `:${dependency.classifier}` : '';
    const key = `${dependency.groupId}:${dependency.artifactId}:${dependency.type ?? 'jar'}${classifier}`;
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, dependency.line);
      return;
    }
    const outcome = managed ? '' : '; Maven keeps the last declaration at the place of the first';
    this.warn(
      'duplicate-dependency',
      element,
      `${key} is declared twice in ${where} (first at line ${first})${outcome}`,
      'Remove one of the two declarations.',
    );
  }

  private exclusions(element: XmlElement | undefined): Exclusion[] {
    const list: Exclusion[] = [];
    for (const item of this.items(element, 'exclusion')) {
      const f = this.fields(item, EXCLUSION);
      const groupId = f.text('groupId');
      const artifactId = f.text('artifactId');
      if (groupId === undefined || artifactId === undefined) {
        this.warn(
          'incomplete-exclusion',
          item,
          `an <exclusion> has no ${groupId === undefined ? 'groupId' : 'artifactId'}; it is ignored`,
          'Give the exclusion both a groupId and an artifactId (`*` excludes any).',
        );
        continue;
      }
      list.push({ groupId, artifactId });
    }
    return list;
  }

  private repositories(element: XmlElement | undefined, itemName: string): Repository[] {
    return this.items(element, itemName).map((item) => {
      const f = this.fields(item, REPOSITORY);
      const repository: Repository = {
        id: f.text('id'),
        url: f.text('url'),
        releases: this.optionalFields(f.element('releases'), REPOSITORY_POLICY)?.text('enabled'),
        snapshots: this.optionalFields(f.element('snapshots'), REPOSITORY_POLICY)?.text('enabled'),
        line: item.line,
      };
      return withoutUndefined(repository);
    });
  }

  private license(element: XmlElement): License {
    const f = this.fields(element, LICENSE);
    return withoutUndefined({
      name: f.text('name'),
      url: f.text('url'),
      distribution: f.text('distribution'),
      comments: f.text('comments'),
      line: element.line,
    });
  }

  private scm(element: XmlElement): Scm {
    const f = this.fields(element, SCM);
    return withoutUndefined({
      url: f.text('url'),
      connection: f.text('connection'),
      developerConnection: f.text('developerConnection'),
      tag: f.text('tag'),
    });
  }

  private organization(element: XmlElement | undefined): RawPom['organization'] {
    const f = this.optionalFields(element, ORGANIZATION);
    return f && withoutUndefined({ name: f.text('name'), url: f.text('url') });
  }

  private relocation(element: XmlElement | undefined): Relocation | undefined {
    const f = this.optionalFields(element, RELOCATION);
    return (
      f &&
      withoutUndefined({
        groupId: f.text('groupId'),
        artifactId: f.text('artifactId'),
        version: f.text('version'),
        message: f.text('message'),
      })
    );
  }

  private modules(element: XmlElement | undefined): string[] {
    const modules: string[] = [];
    for (const item of this.items(element, 'module')) {
      if (item.text === '') {
        this.warn(
          'empty-module',
          item,
          'an empty <module> is ignored',
          'Remove it, or write the folder of the module.',
        );
      } else modules.push(item.text);
    }
    return modules;
  }

  private profiles(element: XmlElement | undefined): Profile[] {
    const ids = new Map<string, number>();
    return this.items(element, 'profile').map((item) => {
      const profile = this.profile(item);
      const id = profile.id ?? 'default';
      const first = ids.get(id);
      if (first !== undefined) {
        this.warn(
          'duplicate-profile',
          item,
          `profile "${id}" is declared twice (first at line ${first})`,
          'Give each profile a unique <id>: Maven refuses duplicate profile ids.',
        );
      } else ids.set(id, item.line);
      return profile;
    });
  }

  private profile(element: XmlElement): Profile {
    const f = this.fields(element, PROFILE);
    const id = f.text('id');
    const where = `profile ${id ?? `at line ${element.line}`}`;
    return withoutUndefined({
      id,
      activation: this.activation(f.element('activation')),
      properties: this.properties(f.element('properties')),
      dependencies: this.dependencies(f.element('dependencies'), `${where} dependencies`, false),
      dependencyManagement: this.managed(f.element('dependencyManagement'), `${where} dependencyManagement`),
      repositories: this.repositories(f.element('repositories'), 'repository'),
      modules: this.modules(f.element('modules')),
      line: element.line,
    });
  }

  private activation(element: XmlElement | undefined): Activation | undefined {
    const f = this.optionalFields(element, ACTIVATION);
    if (!f) return undefined;
    const property = this.optionalFields(f.element('property'), ACTIVATION_PROPERTY);
    const os = this.optionalFields(f.element('os'), ACTIVATION_OS);
    const file = this.optionalFields(f.element('file'), ACTIVATION_FILE);
    return withoutUndefined({
      activeByDefault: f.text('activeByDefault'),
      jdk: f.text('jdk'),
      property: property && withoutUndefined({ name: property.text('name'), value: property.text('value') }),
      os:
        os &&
        withoutUndefined({
          name: os.text('name'),
          family: os.text('family'),
          arch: os.text('arch'),
          version: os.text('version'),
        }),
      file: file && withoutUndefined({ exists: file.text('exists'), missing: file.text('missing') }),
    });
  }

  /** The children of a list element (e.g. <dependencies>) named like its items; other children are reported. */
  private items(element: XmlElement | undefined, itemName: string): XmlElement[] {
    if (!element) return [];
    const items: XmlElement[] = [];
    for (const item of element.children) {
      if (item.name === itemName) items.push(item);
      else this.unknown(item, element);
    }
    return items;
  }

  private optionalFields(element: XmlElement | undefined, known: ReadonlySet<string>): Fields | undefined {
    return element && this.fields(element, known);
  }

  private fields(element: XmlElement, known: ReadonlySet<string>): Fields {
    const found = new Map<string, XmlElement>();
    for (const item of element.children) {
      if (!known.has(item.name)) {
        this.unknown(item, element);
        continue;
      }
      const first = found.get(item.name);
      if (first === undefined) {
        found.set(item.name, item);
        continue;
      }
      this.warn(
        'duplicate-element',
        item,
        `<${item.name}> appears twice in <${element.name}> (first at line ${first.line}); the first is used`,
        'Remove the duplicate: Maven refuses a POM with a duplicated element.',
      );
    }
    return new Fields(found);
  }

  private unknown(item: XmlElement, parent: XmlElement): void {
    this.warn(
      'unknown-element',
      item,
      `<${item.name}> is not a POM element inside <${parent.name}>; it is ignored`,
      `Check the spelling against the POM reference (${POM_REFERENCE}): Maven refuses an unrecognised element in a project POM.`,
    );
  }

  private warn(what: string, at: XmlElement, message: string, hint: string): void {
    this.problems.push({
      severity: 'warning',
      code: `${CODE}.${what}`,
      message: `${this.source}:${at.line}:${at.column}: ${message}`,
      file: this.source,
      line: at.line,
      column: at.column,
      hint,
    });
  }
}

function attribute(element: XmlElement, name: string): string | undefined {
  return Object.hasOwn(element.attributes, name) ? element.attributes[name] : undefined;
}

/** Drops the keys whose value is undefined, so a RawPom holds only what the file says. */
function withoutUndefined<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) {
    if (value[key] === undefined) delete value[key];
  }
  return value;
}
