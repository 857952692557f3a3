import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Repository } from '../src/ecosystems/maven/pom-model.js';
import {
  createMavenRepositories,
  MAVEN_CENTRAL,
  snapshotPomVersion,
  type MavenRepositoriesOptions,
} from '../src/ecosystems/maven/repository.js';
import { parseSettings, type MavenSettings } from '../src/ecosystems/maven/settings.js';
import { child, children, parseXml, text } from '../src/ecosystems/maven/xml.js';
import { createHttpClient, type HttpClientOptions } from '../src/net/http-client.js';
import { HttpError, type HttpClient } from '../src/net/types.js';
import {
  startMavenRepository,
  type MavenRepositoryServer,
  type MavenRepositoryServerOptions,
} from './servers/maven-repository.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/maven/repository');
const temp = mkdtempSync(path.join(tmpdir(), 'maven-repository-'));
let folders = 0;
const newFolder = () => path.join(temp, `folder-${++folders}`);

const PASSWORD = 'nexus-Passw0rd-9f8e7d';

const opened: { close(): Promise<void> }[] = [];
const servers: MavenRepositoryServer[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((o) => o.close()));
});
afterAll(() => {
  rmSync(temp, { recursive: true, force: true });
  // never a directory listing: no request of any test asked for a folder
  expect(servers.flatMap((s) => s.requests.map((r) => r.path)).filter((p) => p.endsWith('/'))).toEqual([]);
});

async function serve(options: Partial<MavenRepositoryServerOptions> = {}): Promise<MavenRepositoryServer> {
  const server = await startMavenRepository({ dir: fixtures, ...options });
  opened.push(server);
  servers.push(server);
  return server;
}

/** A real HttpClient that fails, like a refused connection, any request to a host other than the test servers'. */
function client(cacheDir: string | null = null, overrides: Partial<HttpClientOptions> = {}): HttpClient {
  const created = createHttpClient({
    cacheDir,
    userAgent: 'oss-inventory-test/1.0',
    env: {},
    retries: 0,
    sleep: async () => {},
    ...overrides,
  });
  opened.push(created);
  return {
    get: async (request) => {
      if (!/^https?:\/\/(127\.0\.0\.1|\[::1\]):/.test(request.url)) {
        throw new HttpError(`test guard: no request to ${request.url}`, request.url, 'network');
      }
      return created.get(request);
    },
    ledger: () => created.ledger(),
  };
}

function repositories(options: Partial<MavenRepositoriesOptions> = {}) {
  return createMavenRepositories({
    client: options.client ?? client(),
    settings: null,
    localRepository: null,
    allowHttp: false,
    ...options,
  });
}

function repo(id: string, url: string, extra: Partial<Repository> = {}): Repository {
  return { id, url, line: 1, ...extra };
}

function settings(xml: string, env: Record<string, string> = {}): MavenSettings {
  const parsed = parseSettings(`<settings>${xml}</settings>`, 'settings.xml', { env });
  expect(parsed.problems).toEqual([]);
  return parsed.settings;
}

/** Writes files (path → content) under a new folder laid out like a repository. */
function layout(files: Record<string, string | Buffer>): string {
  const root = newFolder();
  for (const [file, content] of Object.entries(files)) {
    const full = path.join(root, file);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
  return root;
}

function fixture(file: string): string {
  return readFileSync(path.join(fixtures, file), 'utf8');
}

const JSR305 = { groupId: 'com.google.code.findbugs', artifactId: 'jsr305', version: '3.0.2' };
const JSR305_POM = 'com/google/code/findbugs/jsr305/3.0.2/jsr305-3.0.2.pom';

/** A port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function canListenOnIpv6(): Promise<boolean> {
  const server = createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '::1', resolve);
    });
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return true;
  } catch {
    return false;
  }
}

describe('plan: repositories in Maven order', () => {
  it('puts settings profile repositories first, then the given ones in order, then Maven Central', () => {
    const fromSettings = settings(`
      <profiles><profile><id>corp</id><repositories><repository>
        <id>corp</id><url>https://corp.example.org/maven</url>
      </repository></repositories></profile></profiles>
      <activeProfiles><activeProfile>corp</activeProfile></activeProfiles>`);
    const plan = repositories({ settings: fromSettings }).plan([
      repo('lutece', 'https://dev.lutece.paris.fr/maven_repository', { snapshots: 'false' }),
      repo('luteceSnapshot', 'https://dev.lutece.paris.fr/snapshot_repository', { releases: 'false' }),
      repo('lutece', 'https://elsewhere.example.org/ignored'),
    ]);
    expect(plan.repositories).toEqual([
      { id: 'corp', url: 'https://corp.example.org/maven/', releases: true, snapshots: true },
      {
        id: 'lutece',
        url: 'https://dev.lutece.paris.fr/maven_repository/',
        releases: true,
        snapshots: false,
      },
      {
        id: 'luteceSnapshot',
        url: 'https://dev.lutece.paris.fr/snapshot_repository/',
        releases: false,
        snapshots: true,
      },
      { id: 'central', url: MAVEN_CENTRAL.url, releases: true, snapshots: false },
    ]);
    expect(plan.skipped).toEqual([]);
  });

  it('lets a repository with id central replace Maven Central', () => {
    const plan = repositories().plan([repo('central', 'https://central-proxy.example.org/maven2')]);
    expect(plan.repositories.map((r) => r.url)).toEqual(['https://central-proxy.example.org/maven2/']);
  });

  it('skips a URL still holding ${serverUrl}, a non-http URL and a repository without id, saying why', () => {
    const plan = repositories().plan([
      repo('lutece', 'https://${serverUrl}/maven_repository'),
      repo('files', 'file:///srv/maven'),
      { url: 'https://no-id.example.org/', line: 3 },
    ]);
    expect(plan.repositories.map((r) => r.id)).toEqual(['central']);
    expect(plan.skipped).toEqual([
      {
        id: 'lutece',
        url: 'https://${serverUrl}/maven_repository/',
        reason:
          'its URL https://${serverUrl}/maven_repository/ still holds ${serverUrl} after interpolation ' +
          '(define the property, e.g. in a settings profile)',
      },
      {
        id: 'files',
        url: 'file:///srv/maven/',
        reason: 'its URL file:///srv/maven/ is not an http(s) URL; only http(s) repositories are read',
      },
      { id: '', url: 'https://no-id.example.org/', reason: 'a repository without id' },
    ]);
  });

  it('substitutes mirrors: one mirror stands in for every repository it covers, once', () => {
    const mirrored = settings(`<mirrors>
      <mirror><id>lutece-mirror</id><url>https://mirror.example.org/lutece</url><mirrorOf>lutece</mirrorOf></mirror>
      <mirror><id>nexus</id><url>https://nexus.example.org/public</url><mirrorOf>external:*,!lutece</mirrorOf></mirror>
    </mirrors>`);
    const plan = repositories({ settings: mirrored }).plan([
      repo('lutece', 'http://dev.lutece.paris.fr/maven_repository', { snapshots: 'false' }),
      repo('jboss', 'https://repository.jboss.org/nexus/content/groups/public', { releases: 'false' }),
      repo('in-house', 'http://localhost:8081/repository/'),
    ]);
    expect(plan.repositories).toEqual([
      {
        id: 'lutece-mirror',
        url: 'https://mirror.example.org/lutece/',
        releases: true,
        snapshots: false,
        mirrorOf: ['lutece'],
      },
      {
        id: 'nexus',
        url: 'https://nexus.example.org/public/',
        releases: true,
        snapshots: true,
        mirrorOf: ['jboss', 'central'],
      },
      { id: 'in-house', url: 'http://localhost:8081/repository/', releases: true, snapshots: true },
    ]);
  });

  it('skips a repository whose mirror is blocked', () => {
    const blocked = settings(`<mirrors><mirror><id>maven-default-http-blocker</id><url>http://0.0.0.0/</url>
      <mirrorOf>external:http:*</mirrorOf><blocked>true</blocked></mirror></mirrors>`);
    const plan = repositories({ settings: blocked }).plan([repo('old', 'http://old.example.org/maven2')]);
    expect(plan.skipped).toEqual([
      {
        id: 'old',
        url: 'http://old.example.org/maven2',
        reason: 'settings mirror maven-default-http-blocker (http://0.0.0.0/) blocks it',
      },
    ]);
  });
});

describe('fetchPom', () => {
  it('fetches a released POM through the repositories in order, the first that has it winning', async () => {
    const empty = await serve({ dir: layout({}) });
    const central = await serve();
    const result = await repositories().fetchPom(JSR305, [
      repo('empty', empty.url),
      repo('central', central.url),
    ]);
    expect(result).toEqual({
      ok: true,
      content: fixture(JSR305_POM),
      url: `${central.url}${JSR305_POM}`,
      repositoryId: 'central',
      origin: { kind: 'repository', url: `${central.url}${JSR305_POM}`, repositoryId: 'central' },
    });
    expect(empty.requests.map((r) => [r.path, r.status])).toEqual([[`/${JSR305_POM}`, 404]]);
    expect(central.requests.map((r) => [r.path, r.status])).toEqual([[`/${JSR305_POM}`, 200]]);
  });

  it('goes through the mirror, sending the mirror server credentials to the mirror only', async () => {
    const mirror = await serve({ basePath: '/nexus/public/', auth: { username: 'ci', password: PASSWORD } });
    const direct = await serve({ dir: layout({}) });
    const mirrored = settings(
      `<servers><server><id>nexus</id><username>ci</username><password>\${env.NEXUS_PASSWORD}</password></server></servers>
       <mirrors><mirror><id>nexus</id><url>${mirror.url}</url><mirrorOf>*,!direct</mirrorOf></mirror></mirrors>`,
      { NEXUS_PASSWORD: PASSWORD },
    );
    const result = await repositories({ settings: mirrored }).fetchPom(JSR305, [repo('direct', direct.url)]);
    expect(result).toMatchObject({ ok: true, repositoryId: 'nexus', url: `${mirror.url}${JSR305_POM}` });
    expect(direct.requests.map((r) => [r.path, r.authorization])).toEqual([[`/${JSR305_POM}`, false]]);
    expect(mirror.requests.map((r) => [r.path, r.authorization, r.status])).toEqual([
      [`/nexus/public/${JSR305_POM}`, true, 200],
    ]);
  });

  it('sends credentials only to the repository of their server id, and custom headers too', async () => {
    const secured = await serve({ dir: layout({}), auth: { username: 'ci', password: PASSWORD } });
    const open = await serve();
    const withServers = settings(
      `<servers>
        <server><id>secured</id><username>ci</username><password>${PASSWORD}</password>
          <configuration><httpHeaders><property><name>X-Api-Key</name><value>key-123</value></property></httpHeaders></configuration>
        </server>
        <server><id>unrelated</id><username>other</username><password>other-password</password></server>
      </servers>`,
    );
    const result = await repositories({ settings: withServers }).fetchPom(JSR305, [
      repo('secured', secured.url),
      repo('open', open.url),
    ]);
    expect(result).toMatchObject({ ok: true, repositoryId: 'open' });
    expect(secured.requests.map((r) => [r.status, r.authorization, r.headers['x-api-key']])).toEqual([
      [404, true, 'key-123'],
    ]);
    expect(open.requests.map((r) => [r.status, r.authorization, r.headers['x-api-key']])).toEqual([
      [200, false, undefined],
    ]);
  });

  it('explains a 401 with and without credentials, and never shows the password', async () => {
    const secured = await serve({ auth: { username: 'ci', password: PASSWORD } });
    const central = await serve({ dir: layout({}) });
    const declared = [repo('secured', secured.url), repo('central', central.url)];
    const wrong = settings(
      `<servers><server><id>secured</id><username>ci</username><password>nope</password></server></servers>`,
    );
    const refused = await repositories({ settings: wrong }).fetchPom(JSR305, declared);
    const missing = await repositories().fetchPom(JSR305, declared);
    expect(refused).toMatchObject({ ok: false });
    expect(!refused.ok && refused.reason).toContain(
      'secured: HTTP 401 Unauthorized: the credentials of settings server secured were refused',
    );
    expect(!missing.ok && missing.reason).toContain(
      'secured: HTTP 401 Unauthorized: add a <server> with id secured and credentials to settings.xml',
    );
    expect(JSON.stringify([refused, missing])).not.toContain(PASSWORD);
  });

  it('reads the local repository first for a release: no request at all', async () => {
    const central = await serve();
    const local = layout({ [JSR305_POM]: '<project><!-- from ~/.m2 --></project>' });
    const result = await repositories({ localRepository: local }).fetchPom(JSR305, [
      repo('central', central.url),
    ]);
    const file = path.join(local, ...JSR305_POM.split('/'));
    expect(result).toEqual({
      ok: true,
      content: '<project><!-- from ~/.m2 --></project>',
      url: file,
      repositoryId: 'local',
      origin: { kind: 'local-repository', path: file },
    });
    expect(central.requests).toEqual([]);
  });

  it('asks the repositories before the local repository for a SNAPSHOT, falling back to the local copy', async () => {
    const central = await serve();
    const local = layout({
      'org/example/demo-lib/1.1.0-SNAPSHOT/demo-lib-1.1.0-SNAPSHOT.pom':
        '<project><!-- local build --></project>',
      'org/example/local-only/1.0-SNAPSHOT/local-only-1.0-SNAPSHOT.pom':
        '<project><!-- mvn install --></project>',
    });
    const maven = repositories({ localRepository: local });
    const remote = await maven.fetchPom(
      { groupId: 'org.example', artifactId: 'demo-lib', version: '1.1.0-SNAPSHOT' },
      [repo('central', central.url)],
    );
    expect(remote).toMatchObject({ ok: true, repositoryId: 'central' });
    const localOnly = await maven.fetchPom(
      { groupId: 'org.example', artifactId: 'local-only', version: '1.0-SNAPSHOT' },
      [repo('central', central.url)],
    );
    expect(localOnly).toMatchObject({
      ok: true,
      repositoryId: 'local',
      content: '<project><!-- mvn install --></project>',
    });
  });

  it('resolves a SNAPSHOT through its maven-metadata.xml to the timestamped POM of the latest build', async () => {
    const central = await serve();
    const result = await repositories().fetchPom(
      { groupId: 'org.example', artifactId: 'demo-lib', version: '1.1.0-SNAPSHOT' },
      [repo('central', central.url)],
    );
    const file = 'org/example/demo-lib/1.1.0-SNAPSHOT/demo-lib-1.1.0-20240611.093015-2.pom';
    expect(result).toMatchObject({ ok: true, url: `${central.url}${file}` });
    expect(result.ok && result.content).toContain('SNAPSHOT build 2 of 1.1.0');
    expect(central.requests.map((r) => r.path)).toEqual([
      '/org/example/demo-lib/1.1.0-SNAPSHOT/maven-metadata.xml',
      `/${file}`,
    ]);
  });

  it('fetches a timestamped SNAPSHOT version directly from its -SNAPSHOT folder', async () => {
    const central = await serve();
    const result = await repositories().fetchPom(
      { groupId: 'org.example', artifactId: 'demo-lib', version: '1.1.0-20240610.170412-1' },
      [repo('central', central.url)],
    );
    expect(result.ok && result.content).toContain('SNAPSHOT build 1 of 1.1.0');
    expect(central.requests.map((r) => r.path)).toEqual([
      '/org/example/demo-lib/1.1.0-SNAPSHOT/demo-lib-1.1.0-20240610.170412-1.pom',
    ]);
  });

  it('falls back to -SNAPSHOT.pom when a SNAPSHOT has no metadata, decoding its declared ISO-8859-1', async () => {
    const central = await serve();
    const result = await repositories().fetchPom(
      { groupId: 'org.example', artifactId: 'legacy-lib', version: '2.0-SNAPSHOT' },
      [repo('central', central.url)],
    );
    expect(result).toMatchObject({
      ok: true,
      url: `${central.url}org/example/legacy-lib/2.0-SNAPSHOT/legacy-lib-2.0-SNAPSHOT.pom`,
    });
    expect(result.ok && result.content).toContain('(Réseau)');
    expect(central.requests.map((r) => [r.path, r.status])).toEqual([
      ['/org/example/legacy-lib/2.0-SNAPSHOT/maven-metadata.xml', 404],
      ['/org/example/legacy-lib/2.0-SNAPSHOT/legacy-lib-2.0-SNAPSHOT.pom', 200],
    ]);
  });

  it('does not ask a releases-only repository for a SNAPSHOT, nor a snapshots-only one for a release', async () => {
    const releases = await serve();
    const snapshots = await serve();
    const declared = [
      repo('releases', releases.url, { snapshots: 'false' }),
      repo('snapshots', snapshots.url, { releases: 'false' }),
    ];
    const maven = repositories();
    await maven.fetchPom(JSR305, declared);
    await maven.fetchPom(
      { groupId: 'org.example', artifactId: 'demo-lib', version: '1.1.0-SNAPSHOT' },
      declared,
    );
    expect(releases.requests.map((r) => r.path)).toEqual([`/${JSR305_POM}`]);
    expect(snapshots.requests.map((r) => r.path)).toEqual([
      '/org/example/demo-lib/1.1.0-SNAPSHOT/maven-metadata.xml',
      '/org/example/demo-lib/1.1.0-SNAPSHOT/demo-lib-1.1.0-20240611.093015-2.pom',
    ]);
  });

  it('sends one request per distinct POM however many lookups run at once', async () => {
    const central = await serve({ latencyMs: 20 });
    const maven = repositories();
    const declared = [repo('central', central.url)];
    const versions = ['3.0.1', '3.0.2', '3.0.1', '3.0.2', '3.0.2', '3.0.1', '3.0.2'];
    const results = await Promise.all(
      versions.map((version) => maven.fetchPom({ ...JSR305, version }, declared)),
    );
    expect(results.map((r) => r.ok)).toEqual(versions.map(() => true));
    expect(central.requests.map((r) => r.path).sort()).toEqual([
      '/com/google/code/findbugs/jsr305/3.0.1/jsr305-3.0.1.pom',
      `/${JSR305_POM}`,
    ]);
  });

  it('remembers a 404 for the run: the same artifact is never asked twice from a repository', async () => {
    const central = await serve();
    const other = await serve({ dir: layout({}) });
    const maven = repositories();
    const missing = { groupId: 'org.example', artifactId: 'absent', version: '1.0' };
    const first = await maven.fetchPom(missing, [repo('central', central.url)]);
    const again = await maven.fetchPom(missing, [repo('central', central.url)]);
    const otherList = await maven.fetchPom(missing, [repo('other', other.url), repo('central', central.url)]);
    expect([first.ok, again.ok, otherList.ok]).toEqual([false, false, false]);
    expect(central.count('org/example/absent')).toBe(1);
    expect(other.count('org/example/absent')).toBe(1);
  });

  it('fails with every URL tried and why, including a ${serverUrl} repository skipped', async () => {
    const central = await serve();
    const lutece = await serve({ dir: layout({}), basePath: '/maven_repository/' });
    const parent = { groupId: 'fr.paris.lutece.tools', artifactId: 'lutece-global-pom', version: '6.0.0' };
    const result = await repositories().fetchPom(parent, [
      repo('luteceTemplate', 'https://${serverUrl}/maven_repository'),
      repo('lutece', lutece.url),
      repo('central', central.url),
    ]);
    const file = 'fr/paris/lutece/tools/lutece-global-pom/6.0.0/lutece-global-pom-6.0.0.pom';
    expect(result).toEqual({
      ok: false,
      tried: [`${lutece.url}${file}`, `${central.url}${file}`],
      reason:
        'fr.paris.lutece.tools:lutece-global-pom:6.0.0 was not found: luteceTemplate skipped: its URL ' +
        'https://${serverUrl}/maven_repository/ still holds ${serverUrl} after interpolation (define the ' +
        'property, e.g. in a settings profile); lutece: not found (HTTP 404 Not Found); central: not found ' +
        '(HTTP 404 Not Found)',
    });
  });

  it('does not ask again, in the run, a repository that could not be reached', async () => {
    const port = await closedPort();
    const central = await serve();
    const maven = repositories();
    const declared = [repo('down', `http://127.0.0.1:${port}/maven2/`), repo('central', central.url)];
    const first = await maven.fetchPom(JSR305, declared);
    const second = await maven.fetchPom({ ...JSR305, version: '3.0.1' }, declared);
    expect(first).toMatchObject({ ok: true, repositoryId: 'central' });
    expect(second).toMatchObject({ ok: true, repositoryId: 'central' });
    const missing = await maven.fetchPom({ ...JSR305, version: '9.9' }, declared);
    expect(missing).toMatchObject({
      ok: false,
      tried: [`${central.url}com/google/code/findbugs/jsr305/9.9/jsr305-9.9.pom`],
    });
    expect(!missing.ok && missing.reason).toContain(
      `down: not asked: http://127.0.0.1:${port}/maven2/ was unreachable earlier in this run (GET http://127.0.0.1:${port}/maven2/com/google/code/findbugs/jsr305/3.0.2/jsr305-3.0.2.pom failed: connection refused (ECONNREFUSED))`,
    );
  });

  it('refuses coordinates that could escape the repository layout, and ranges, without a request', async () => {
    const central = await serve();
    const maven = repositories({ localRepository: layout({}) });
    const declared = [repo('central', central.url)];
    const cases = [
      [
        { groupId: 'org.example', artifactId: '..', version: '1.0' },
        'artifactId ".." is not a valid Maven id',
      ],
      [
        { groupId: 'org..example', artifactId: 'x', version: '1.0' },
        'groupId "org..example" is not a valid Maven id',
      ],
      [
        { groupId: 'org.example', artifactId: 'x', version: '../../etc' },
        'version "../../etc" cannot name a file',
      ],
      [{ groupId: 'org.example', artifactId: 'x', version: '[1.0,2.0)' }, 'the version is a range'],
      [
        { groupId: 'org.example', artifactId: 'x', version: '${lutece.version}' },
        'still holds a ${...} expression',
      ],
    ] as const;
    for (const [coordinates, why] of cases) {
      const result = await maven.fetchPom(coordinates, declared);
      expect(result).toMatchObject({ ok: false, tried: [] });
      expect(!result.ok && result.reason).toContain(why);
    }
    expect(central.requests).toEqual([]);
  });

  it('refuses a POM larger than an XML manifest may be', async () => {
    const huge = Buffer.alloc(17 * 1024 * 1024, ' ');
    huge.write('<project>');
    const central = await serve({ dir: layout({ 'org/example/huge/1.0/huge-1.0.pom': huge }) });
    const result = await repositories().fetchPom(
      { groupId: 'org.example', artifactId: 'huge', version: '1.0' },
      [repo('central', central.url)],
    );
    expect(result).toMatchObject({ ok: false });
    expect(!result.ok && result.reason).toContain(`is ${huge.length} bytes, more than a POM may have`);
  });
});

describe('plain http repositories', () => {
  it('reads an http repository on localhost/127.0.0.1 directly (not external, so Maven does not block it)', async () => {
    const central = await serve();
    const maven = repositories();
    const result = await maven.fetchPom(JSR305, [repo('central', central.url)]);
    expect(central.url.startsWith('http://127.0.0.1:')).toBe(true);
    expect(result).toMatchObject({ ok: true, url: `${central.url}${JSR305_POM}` });
    expect(maven.notices()).toEqual([]);
  });

  it('tries https first on another host, and uses plain http only when allowed', async () => {
    if (!(await canListenOnIpv6())) {
      console.warn('skipping: cannot listen on ::1, needed for an "external" plain-http repository');
      return;
    }
    // [::1] is not localhost or 127.0.0.1: an external repository for Maven's http blocker
    const old = await serve({ host: '::1', basePath: '/maven_repository/' });
    expect(old.url.startsWith('http://[::1]:')).toBe(true);
    const https = old.url.replace('http:', 'https:');
    const central = await serve({ dir: layout({}) });
    const declared = [repo('lutece', old.url), repo('central', central.url)];

    const blocked = await repositories().fetchPom(JSR305, declared);
    expect(blocked).toMatchObject({
      ok: false,
      tried: [`${https}${JSR305_POM}`, `${central.url}${JSR305_POM}`],
    });
    expect(!blocked.ok && blocked.reason).toContain(
      `lutece: ${old.url} is plain http, which Maven 3.8+ blocks, and https failed (GET ${https}${JSR305_POM} failed: `,
    );
    expect(!blocked.ok && blocked.reason).toContain('allow plain http repositories to read it');
    expect(old.requests).toEqual([]);

    const allowed = repositories({ allowHttp: true });
    const first = await allowed.fetchPom(JSR305, declared);
    expect(first).toMatchObject({ ok: true, url: `${old.url}${JSR305_POM}`, repositoryId: 'lutece' });
    const second = await allowed.fetchPom({ ...JSR305, version: '9.9' }, declared);
    expect(second).toMatchObject({
      ok: false,
      tried: [
        `${old.url}com/google/code/findbugs/jsr305/9.9/jsr305-9.9.pom`,
        `${central.url}com/google/code/findbugs/jsr305/9.9/jsr305-9.9.pom`,
      ],
    });
    expect(allowed.notices()).toEqual([
      {
        repositoryId: 'lutece',
        url: old.url,
        message: `declared with plain http (${old.url}); https failed, read over plain http`,
      },
    ]);
    expect(old.requests.map((r) => r.path)).toEqual([
      `/maven_repository/${JSR305_POM}`,
      '/maven_repository/com/google/code/findbugs/jsr305/9.9/jsr305-9.9.pom',
    ]);

    // lookups running at once wait for the first one's https attempt instead of each making their own
    const concurrent = repositories({ allowHttp: true });
    const together = await Promise.all(
      ['9.7', '9.8', '9.9'].map((version) => concurrent.fetchPom({ ...JSR305, version }, declared)),
    );
    const triedOverHttps = together
      .flatMap((r) => (r.ok ? [] : r.tried))
      .filter((u) => u.startsWith('https:'));
    expect(triedOverHttps).toEqual([`${https}com/google/code/findbugs/jsr305/9.7/jsr305-9.7.pom`]);
  });
});

describe('plain http repositories answering over https', () => {
  it('uses https when the host answers it, and reports the upgrade once', async () => {
    if (!(await canListenOnIpv6())) {
      console.warn('skipping: cannot listen on ::1, needed for an "external" plain-http repository');
      return;
    }
    const server = await serve({ host: '::1' });
    const real = client();
    const https = server.url.replace('http:', 'https:');
    const seen: string[] = [];
    // the test server speaks http only: this client stands for a host that also answers https
    const tlsTerminating: HttpClient = {
      get: (request) => {
        seen.push(request.url);
        const url = request.url.startsWith(https)
          ? `${server.url}${request.url.slice(https.length)}`
          : request.url;
        return real.get({ ...request, url }).then((response) => ({ ...response, url: request.url }));
      },
      ledger: () => real.ledger(),
    };
    const maven = repositories({ client: tlsTerminating });
    const central = await serve({ dir: layout({}) });
    const declared = [repo('old', server.url), repo('central', central.url)];
    const first = await maven.fetchPom(JSR305, declared);
    const second = await maven.fetchPom({ ...JSR305, version: '3.0.1' }, declared);
    expect(first).toMatchObject({ ok: true, url: `${https}${JSR305_POM}` });
    expect(second).toMatchObject({
      ok: true,
      url: `${https}com/google/code/findbugs/jsr305/3.0.1/jsr305-3.0.1.pom`,
    });
    expect(seen.every((url) => url.startsWith(https))).toBe(true);
    expect(maven.notices()).toEqual([
      {
        repositoryId: 'old',
        url: server.url,
        message: `declared with plain http (${server.url}): read over https instead`,
      },
    ]);
  });
});

describe('caching', () => {
  it('caches a released POM for good, and revalidates SNAPSHOT metadata (304) in a later run', async () => {
    const central = await serve();
    const cacheDir = newFolder();
    const declared = [repo('central', central.url)];
    const snapshot = { groupId: 'org.example', artifactId: 'demo-lib', version: '1.1.0-SNAPSHOT' };
    const run = async () => {
      const maven = repositories({ client: client(cacheDir), updateIntervalMs: 0 });
      return [await maven.fetchPom(JSR305, declared), await maven.fetchPom(snapshot, declared)];
    };
    const cold = await run();
    central.resetLog();
    const warm = await run();
    expect(warm).toEqual(cold);
    expect(central.requests.map((r) => [r.path, r.status, r.ifNoneMatch !== undefined])).toEqual([
      ['/org/example/demo-lib/1.1.0-SNAPSHOT/maven-metadata.xml', 304, true],
    ]);
  });

  it('serves metadata from cache without a request within the update interval (daily by default)', async () => {
    const central = await serve();
    const cacheDir = newFolder();
    const declared = [repo('central', central.url)];
    await repositories({ client: client(cacheDir) }).fetchMetadata(
      'com.google.code.findbugs',
      'jsr305',
      declared,
    );
    central.resetLog();
    const warm = await repositories({ client: client(cacheDir) }).fetchMetadata(
      'com.google.code.findbugs',
      'jsr305',
      declared,
    );
    expect(warm.versions.map((v) => v.version)).toEqual(['3.0.1', '3.0.2']);
    expect(central.requests).toEqual([]);
  });
});

describe('fetchMetadata', () => {
  it('merges the versions of the local repository and every repository, saying where each came from', async () => {
    const central = await serve();
    const snapshots = await serve({
      dir: layout({
        'com/google/code/findbugs/jsr305/maven-metadata.xml': `<metadata><groupId>com.google.code.findbugs</groupId>
          <artifactId>jsr305</artifactId><versioning><latest>3.0.3-SNAPSHOT</latest>
          <versions><version>3.0.2</version><version>3.0.3-SNAPSHOT</version></versions>
          <lastUpdated>20240101120000</lastUpdated></versioning></metadata>`,
      }),
    });
    const releasesOnly = await serve({
      dir: layout({
        'com/google/code/findbugs/jsr305/maven-metadata.xml': `<metadata><versioning><versions>
          <version>2.0.1</version><version>4.0-SNAPSHOT</version></versions></versioning></metadata>`,
      }),
    });
    const local = layout({
      'com/google/code/findbugs/jsr305/maven-metadata-local.xml': `<metadata><versioning><versions>
        <version>3.0.2-patched</version></versions></versioning></metadata>`,
    });
    const result = await repositories({ localRepository: local }).fetchMetadata(
      'com.google.code.findbugs',
      'jsr305',
      [
        repo('snapshots', snapshots.url),
        repo('releases-only', releasesOnly.url, { snapshots: 'false' }),
        repo('central', central.url),
      ],
    );
    expect(result.versions).toEqual([
      { version: '2.0.1', repositoryIds: ['releases-only'] },
      { version: '3.0.1', repositoryIds: ['central'] },
      { version: '3.0.2', repositoryIds: ['snapshots', 'central'] },
      { version: '3.0.2-patched', repositoryIds: ['local'] },
      { version: '3.0.3-SNAPSHOT', repositoryIds: ['snapshots'] },
    ]);
    const metadata = 'com/google/code/findbugs/jsr305/maven-metadata.xml';
    expect(result.sources).toEqual([
      {
        repositoryId: 'local',
        url: path.join(local, 'com/google/code/findbugs/jsr305/maven-metadata-local.xml'),
      },
      {
        repositoryId: 'snapshots',
        url: `${snapshots.url}${metadata}`,
        latest: '3.0.3-SNAPSHOT',
        lastUpdated: '20240101120000',
      },
      { repositoryId: 'releases-only', url: `${releasesOnly.url}${metadata}` },
      {
        repositoryId: 'central',
        url: `${central.url}${metadata}`,
        latest: '3.0.2',
        release: '3.0.2',
        lastUpdated: '20170331211455',
      },
    ]);
    expect(result.tried).toEqual([
      `${snapshots.url}${metadata}`,
      `${releasesOnly.url}${metadata}`,
      `${central.url}${metadata}`,
    ]);
    expect(result.failures).toEqual([]);
  });

  it('reports malformed metadata and an unreachable repository, and keeps what the others say', async () => {
    const port = await closedPort();
    const broken = await serve({
      dir: layout({ 'org/example/demo-lib/maven-metadata.xml': '<metadata><versioning><versions>' }),
    });
    const central = await serve();
    const result = await repositories().fetchMetadata('org.example', 'demo-lib', [
      repo('broken', broken.url),
      repo('down', `http://127.0.0.1:${port}/`),
      repo('central', central.url),
    ]);
    expect(result.versions).toEqual([
      { version: '1.0.0', repositoryIds: ['central'] },
      { version: '1.1.0-SNAPSHOT', repositoryIds: ['central'] },
    ]);
    expect(result.failures.map((f) => [f.id, f.reason.replace(/:\d+:\d+:/, ':L:C:')])).toEqual([
      ['broken', `${broken.url}org/example/demo-lib/maven-metadata.xml:L:C: unclosed tag: versions`],
      [
        'down',
        `GET http://127.0.0.1:${port}/org/example/demo-lib/maven-metadata.xml failed: connection refused (ECONNREFUSED)`,
      ],
    ]);
  });

  it('drops listed versions that could not name a file', async () => {
    const hostile = await serve({
      dir: layout({
        'org/example/demo-lib/maven-metadata.xml': `<metadata><versioning><versions>
          <version>../../../etc/passwd</version><version>__proto__</version><version>1.0</version>
          <version>2.0 beta</version></versions></versioning></metadata>`,
      }),
    });
    const result = await repositories().fetchMetadata('org.example', 'demo-lib', [
      repo('central', hostile.url),
    ]);
    expect(result.versions).toEqual([
      { version: '__proto__', repositoryIds: ['central'] },
      { version: '1.0', repositoryIds: ['central'] },
    ]);
  });

  it('asks nothing for an invalid id', async () => {
    const central = await serve();
    const result = await repositories().fetchMetadata('org.example', '../x', [repo('central', central.url)]);
    expect(result.versions).toEqual([]);
    expect(result.failures[0]?.reason).toContain('artifactId "../x" is not a valid Maven id');
    expect(central.requests).toEqual([]);
  });
});

describe('snapshotPomVersion', () => {
  it('reads the pom entry of snapshotVersions', () => {
    expect(snapshotPomVersion(fixture('org/example/demo-lib/1.1.0-SNAPSHOT/maven-metadata.xml'))).toBe(
      '1.1.0-20240611.093015-2',
    );
  });

  it('builds the file version from timestamp and buildNumber when there are no snapshotVersions', () => {
    const metadata = `<metadata><groupId>g</groupId><artifactId>a</artifactId><version>2.1-SNAPSHOT</version>
      <versioning><snapshot><timestamp>20231130.101010</timestamp><buildNumber>17</buildNumber></snapshot></versioning></metadata>`;
    expect(snapshotPomVersion(metadata)).toBe('2.1-20231130.101010-17');
  });

  it('gives undefined for a local copy, a non-unique deployment or malformed XML', () => {
    expect(
      snapshotPomVersion(
        '<metadata><version>1-SNAPSHOT</version><versioning><snapshot><localCopy>true</localCopy></snapshot></versioning></metadata>',
      ),
    ).toBeUndefined();
    expect(snapshotPomVersion('<metadata><version>1-SNAPSHOT</version></metadata>')).toBeUndefined();
    expect(snapshotPomVersion('<metadata><versioning>')).toBeUndefined();
  });
});

const corpus = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../shared/corpus/github/lutece-platform',
);
const hasCorpus = existsSync(corpus);
if (!hasCorpus) console.warn('skipping: ../shared/corpus is absent');

describe.skipIf(!hasCorpus)('corpus: the repositories declared by the Lutece POMs', () => {
  it('are each planned for use or skipped with a reason', () => {
    const poms: string[] = [];
    const stack = [corpus];
    while (stack.length > 0) {
      const dir = stack.pop()!;
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (entry.isDirectory()) stack.push(path.join(dir, entry.name));
        else if (entry.name === 'pom.xml') poms.push(path.join(dir, entry.name));
      }
    }
    const maven = repositories();
    let declaredCount = 0;
    let templated = 0;
    let templatedCounted = 0;
    for (const file of poms) {
      const content = readFileSync(file, 'utf8');
      const xml = parseXml(content, file, 'test.invalid-xml');
      if (!xml.ok) continue;
      const declared = children(child(xml.root, 'repositories'), 'repository').map((element) => ({
        id: text(element, 'id'),
        url: text(element, 'url'),
        line: element.line,
      }));
      declaredCount += declared.length;
      // independent count of the same thing: <repository> elements inside <repositories>, by text search
      const section = /<repositories>([\s\S]*?)<\/repositories>/.exec(
        content.replace(/<!--[\s\S]*?-->/g, ''),
      );
      expect(declared.length).toBe(section ? section[1]!.split('<repository>').length - 1 : 0);
      templatedCounted += section ? section[1]!.split('${serverUrl}').length - 1 : 0;
      const plan = maven.plan(declared);
      const ids = new Set(declared.map((r) => r.id));
      const accounted = new Set([...plan.repositories.map((r) => r.id), ...plan.skipped.map((r) => r.id)]);
      for (const id of ids) expect(accounted.has(id!)).toBe(true);
      for (const skipped of plan.skipped) {
        expect(skipped.reason).toContain('still holds ${serverUrl} after interpolation');
        templated++;
      }
      expect(plan.repositories.at(-1)?.id).toBe('central');
    }
    expect(declaredCount).toBeGreaterThan(50);
    expect(templated).toBe(templatedCounted);
    expect(templated).toBeGreaterThan(0);
  });
});
