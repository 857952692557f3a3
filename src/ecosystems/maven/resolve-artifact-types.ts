/**
 * What a dependency `<type>` stands for, as Maven's artifact handlers say: the file extension, the
 * classifier it implies when the dependency declares none, and whether the artifact bundles its own
 * dependencies (a war, an ear: then they are not followed, Maven's FatArtifactTraverser). The resolver keys
 * conflicts and dependencyManagement by `groupId:artifactId:extension:classifier`, as Maven does, so a
 * `test-jar` and a `jar` with classifier `tests` are one artifact.
 */
export interface ArtifactType {
  extension: string;
  classifier: string;
  includesDependencies: boolean;
}

function handler(extension: string, classifier = '', includesDependencies = false): ArtifactType {
  return { extension, classifier, includesDependencies };
}

const JAR = handler('jar');

/** Maven 3.8's artifact-handlers.xml, then the handlers of lutece-maven-plugin (`<extensions>true` in lutece-global-pom). */
const TYPES: ReadonlyMap<string, ArtifactType> = new Map([
  ['pom', handler('pom')],
  ['jar', JAR],
  ['maven-plugin', JAR],
  ['ejb', JAR],
  ['ejb-client', handler('jar', 'client')],
  ['test-jar', handler('jar', 'tests')],
  ['javadoc', handler('jar', 'javadoc')],
  ['java-source', handler('jar', 'sources')],
  ['war', handler('war', '', true)],
  ['ear', handler('ear', '', true)],
  ['rar', handler('rar', '', true)],
  ['par', handler('par', '', true)],
  ['lutece-core', JAR],
  ['lutece-plugin', JAR],
  ['lutece-site', JAR],
]);

/** An unknown type is its own extension, as Maven reads it when no build extension registers a handler. */
export function artifactType(type: string): ArtifactType {
  return TYPES.get(type) ?? handler(type);
}
