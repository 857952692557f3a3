import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  mirrorOfMatches,
  parseSettings,
  proxyEnvironment,
  selectMirror,
  settingsSecrets,
  type MavenMirror,
} from '../src/ecosystems/maven/settings.js';

const PASSWORD = 's3cr3t-Passw0rd-for-nexus';
const TOKEN = 'glpat-HeaderT0ken-0123456789';
const PROXY_PASSWORD = 'pr0xy-Passw0rd';

const FULL = `<?xml version="1.0" encoding="UTF-8"?>
<settings xmlns="http://maven.apache.org/SETTINGS/1.2.0"
          xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
          xsi:schemaLocation="http://maven.apache.org/SETTINGS/1.2.0 https://maven.apache.org/xsd/settings-1.2.0.xsd">
  <localRepository>\${user.home}/m2-cache/repository</localRepository>
  <offline>false</offline>
  <servers>
    <server>
      <id>nexus</id>
      <username>ci-bot</username>
      <password>\${env.NEXUS_PASSWORD}</password>
    </server>
    <server>
      <id>gitlab</id>
      <configuration>
        <httpHeaders>
          <property>
            <name>Private-Token</name>
            <value>\${env.GITLAB_TOKEN}</value>
          </property>
        </httpHeaders>
      </configuration>
    </server>
    <server>
      <id>deploy-ssh</id>
      <username>deployer</username>
      <privateKey>\${user.home}/.ssh/id_ed25519</privateKey>
      <passphrase>not-read</passphrase>
    </server>
    <server>
      <id>encrypted</id>
      <username>someone</username>
      <password>{COQLCE6DU6GtcS5P=}</password>
    </server>
  </servers>
  <mirrors>
    <mirror>
      <id>nexus</id>
      <name>Company Nexus</name>
      <url>https://nexus.example.org/repository/maven-public</url>
      <mirrorOf>external:*,!lutece,!luteceSnapshot</mirrorOf>
    </mirror>
    <mirror>
      <id>lutece-mirror</id>
      <url>https://mirror.example.org/lutece/</url>
      <mirrorOf>lutece</mirrorOf>
    </mirror>
    <mirror>
      <id>no-url</id>
      <mirrorOf>*</mirrorOf>
    </mirror>
  </mirrors>
  <proxies>
    <proxy>
      <id>corporate</id>
      <active>true</active>
      <protocol>http</protocol>
      <host>proxy.example.org</host>
      <port>3128</port>
      <username>proxy-user</username>
      <password>\${env.PROXY_PASSWORD}</password>
      <nonProxyHosts>localhost|*.intranet.example.org|10.*</nonProxyHosts>
    </proxy>
    <proxy>
      <id>off</id>
      <active>false</active>
      <protocol>https</protocol>
      <host>other-proxy.example.org</host>
      <port>8443</port>
    </proxy>
  </proxies>
  <profiles>
    <profile>
      <id>lutece</id>
      <properties>
        <serverUrl>dev.lutece.paris.fr</serverUrl>
        <__proto__>polluted</__proto__>
      </properties>
      <repositories>
        <repository>
          <id>lutece-settings</id>
          <url>https://dev.lutece.paris.fr/maven_repository</url>
          <snapshots><enabled>false</enabled></snapshots>
        </repository>
      </repositories>
    </profile>
    <profile>
      <id>default-on</id>
      <activation><activeByDefault>true</activeByDefault></activation>
      <properties><fromDefault>yes</fromDefault></properties>
    </profile>
    <profile>
      <id>by-jdk</id>
      <activation><jdk>17</jdk></activation>
    </profile>
  </profiles>
  <activeProfiles>
    <activeProfile>lutece</activeProfile>
  </activeProfiles>
</settings>
`;

const ENV = { NEXUS_PASSWORD: PASSWORD, GITLAB_TOKEN: TOKEN, PROXY_PASSWORD };

function parseFull() {
  return parseSettings(FULL, 'settings.xml', { env: ENV, userHome: '/home/ospo' });
}

describe('parseSettings', () => {
  it('reads the local repository with ${user.home} expanded', () => {
    expect(parseFull().settings.localRepository).toBe('/home/ospo/m2-cache/repository');
  });

  it('reads servers: username, password from ${env.X}, headers; a private key is only noted', () => {
    const { servers } = parseFull().settings;
    expect([...servers.keys()]).toEqual(['nexus', 'gitlab', 'deploy-ssh', 'encrypted']);
    const nexus = servers.get('nexus')!;
    expect(nexus.username).toBe('ci-bot');
    expect(nexus.password?.reveal()).toBe(PASSWORD);
    expect(nexus.hasPrivateKey).toBe(false);
    const gitlab = servers.get('gitlab')!;
    expect([...gitlab.headers.keys()]).toEqual(['Private-Token']);
    expect(gitlab.headers.get('Private-Token')?.reveal()).toBe(TOKEN);
    const ssh = servers.get('deploy-ssh')!;
    expect(ssh.hasPrivateKey).toBe(true);
    expect(JSON.stringify(ssh)).not.toContain('id_ed25519');
    expect(JSON.stringify(ssh)).not.toContain('not-read');
  });

  it('does not use an encrypted password, and says why', () => {
    const { settings, problems } = parseFull();
    expect(settings.servers.get('encrypted')?.password).toBeUndefined();
    expect(problems.find((p) => p.code === 'maven.settings.encrypted-password')).toMatchObject({
      severity: 'warning',
      line: 33,
      message: expect.stringContaining(
        'the password of server encrypted is encrypted with settings-security.xml',
      ),
    });
  });

  it('reads mirrors with a trailing slash on their URL, and reports one without a URL', () => {
    const { settings, problems } = parseFull();
    expect(settings.mirrors.map((m) => [m.id, m.url, m.mirrorOf])).toEqual([
      ['nexus', 'https://nexus.example.org/repository/maven-public/', 'external:*,!lutece,!luteceSnapshot'],
      ['lutece-mirror', 'https://mirror.example.org/lutece/', 'lutece'],
    ]);
    expect(problems.find((p) => p.code === 'maven.settings.invalid-mirror')?.message).toBe(
      'settings.xml:48:12: a <mirror> without <url>: ignored',
    );
  });

  it('reads proxies', () => {
    const { proxies } = parseFull().settings;
    expect(
      proxies.map((p) => [p.id, p.active, p.protocol, p.host, p.port, p.username, p.nonProxyHosts]),
    ).toEqual([
      [
        'corporate',
        true,
        'http',
        'proxy.example.org',
        3128,
        'proxy-user',
        ['localhost', '*.intranet.example.org', '10.*'],
      ],
      ['off', false, 'https', 'other-proxy.example.org', 8443, undefined, []],
    ]);
    expect(proxies[0]!.password?.reveal()).toBe(PROXY_PASSWORD);
  });

  it('uses the profiles of <activeProfiles> (not activeByDefault ones then), and notes an unevaluated activation', () => {
    const { settings, problems } = parseFull();
    expect(settings.activeProfiles).toEqual(['lutece']);
    expect([...settings.properties]).toEqual([
      ['serverUrl', 'dev.lutece.paris.fr'],
      ['__proto__', 'polluted'],
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(settings.repositories).toEqual([
      {
        id: 'lutece-settings',
        url: 'https://dev.lutece.paris.fr/maven_repository',
        releases: undefined,
        snapshots: 'false',
        line: 80,
      },
    ]);
    expect(problems.find((p) => p.code === 'maven.settings.profile-activation')).toMatchObject({
      severity: 'info',
      message: expect.stringContaining('settings profile by-jdk has <jdk> activation'),
    });
  });

  it('uses activeByDefault profiles when no profile is listed in <activeProfiles>', () => {
    const content = FULL.replace('<activeProfile>lutece</activeProfile>', '');
    const { settings } = parseSettings(content, 'settings.xml', { env: ENV });
    expect(settings.activeProfiles).toEqual(['default-on']);
    expect([...settings.properties]).toEqual([['fromDefault', 'yes']]);
  });

  it('leaves an unset ${env.X} as written with a warning, and does not use a password that holds one', () => {
    const { settings, problems } = parseSettings(FULL, 'settings.xml', { env: { GITLAB_TOKEN: TOKEN } });
    expect(settings.servers.get('nexus')?.password).toBeUndefined();
    expect(problems.filter((p) => p.code === 'maven.settings.unknown-env').map((p) => p.message)).toEqual([
      'settings.xml:11:16: <password> refers to ${env.NEXUS_PASSWORD}, which is not set: it stays as written',
      'settings.xml:61:16: <password> refers to ${env.PROXY_PASSWORD}, which is not set: it stays as written',
    ]);
    expect(problems.filter((p) => p.code === 'maven.settings.unresolved-password')).toHaveLength(2);
    expect(settings.localRepository).toBe('${user.home}/m2-cache/repository');
  });

  it('never shows a credential: not in JSON, util.inspect, String() or any problem', () => {
    const { settings, problems } = parseFull();
    const shown = [
      JSON.stringify({ ...settings, servers: [...settings.servers.values()] }),
      inspect(settings, { depth: 10 }),
      String(settings.servers.get('nexus')?.password),
      JSON.stringify(problems),
    ].join('\n');
    for (const secret of [PASSWORD, TOKEN, PROXY_PASSWORD]) expect(shown).not.toContain(secret);
    expect(shown).toContain('[redacted]');
    expect(settingsSecrets(settings).sort()).toEqual([PASSWORD, PROXY_PASSWORD, TOKEN].sort());
  });

  it('reports malformed XML with its line and column, and gives empty settings', () => {
    const { settings, problems } = parseSettings(
      '<settings>\n  <mirrors>\n    <mirror><id>x</mirror>\n</settings>\n',
      'settings.xml',
      { env: {} },
    );
    expect(settings.mirrors).toEqual([]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({
      severity: 'error',
      code: 'maven.settings.invalid-xml',
      line: 3,
      column: 26,
    });
  });

  it('reports a truncated file', () => {
    const { settings, problems } = parseSettings(FULL.slice(0, FULL.indexOf('</servers>')), 'settings.xml', {
      env: ENV,
    });
    expect(settings.servers.size).toBe(0);
    expect(problems).toHaveLength(1);
    // the file ends on line 35, inside <servers>
    expect(problems[0]).toMatchObject({ severity: 'error', code: 'maven.settings.invalid-xml', line: 35 });
  });

  it('keeps hostile ids and names as plain data', () => {
    const content = `<settings><servers><server><id>__proto__</id><username>u</username><password>p</password></server>
      <server><id>constructor</id></server></servers></settings>`;
    const { settings } = parseSettings(content, 'settings.xml', { env: {} });
    expect([...settings.servers.keys()]).toEqual(['__proto__', 'constructor']);
    expect(settings.servers.get('__proto__')?.username).toBe('u');
    expect(({} as Record<string, unknown>).username).toBeUndefined();
  });

  it('refuses a DOCTYPE (no entity expansion)', () => {
    const bomb = `<?xml version="1.0"?><!DOCTYPE settings [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>
<settings><localRepository>&b;</localRepository></settings>`;
    const { settings, problems } = parseSettings(bomb, 'settings.xml', { env: {} });
    expect(settings.localRepository).toBeUndefined();
    expect(problems[0]?.message).toContain('a DOCTYPE is not allowed');
  });

  it('reports a file that is not a settings.xml', () => {
    const { problems } = parseSettings('<project><modelVersion>4.0.0</modelVersion></project>', 'pom.xml', {
      env: {},
    });
    expect(problems).toEqual([
      {
        severity: 'error',
        code: 'maven.settings.wrong-root',
        message: 'pom.xml:1:9: the root element is <project>, not <settings>: nothing read',
        file: 'pom.xml',
        line: 1,
        column: 9,
        hint: 'Point the settings option at a Maven settings.xml file.',
      },
    ]);
  });

  it('keeps the later of two servers with the same id, with a warning', () => {
    const content = `<settings><servers>
      <server><id>dup</id><username>first</username></server>
      <server><id>dup</id><username>second</username></server>
    </servers></settings>`;
    const { settings, problems } = parseSettings(content, 'settings.xml', { env: {} });
    expect(settings.servers.get('dup')?.username).toBe('second');
    expect(problems.map((p) => p.code)).toEqual(['maven.settings.duplicate-server']);
  });
});

describe('mirrorOfMatches: each mirrorOf form, as Maven decides', () => {
  const central = { id: 'central', url: 'https://repo.maven.apache.org/maven2/' };
  const lutece = { id: 'lutece', url: 'http://dev.lutece.paris.fr/maven_repository/' };
  const local = { id: 'local-nexus', url: 'http://localhost:8081/repository/' };
  const loopback = { id: 'loopback', url: 'http://127.0.0.1:8081/' };
  const cases: [string, { id: string; url: string }, boolean][] = [
    ['*', central, true],
    ['*', local, true],
    ['central', central, true],
    ['central', lutece, false],
    ['external:*', central, true],
    ['external:*', local, false],
    ['external:*', loopback, false],
    ['external:http:*', lutece, true],
    ['external:http:*', central, false],
    ['external:http:*', local, false],
    ['*,!lutece', lutece, false],
    ['*,!lutece', central, true],
    ['!lutece,*', lutece, false],
    ['central,lutece', lutece, true],
    ['central, lutece', lutece, true],
    ['central,lutece', local, false],
    ['lutece,!lutece', lutece, true],
    ['external:*,!central', central, false],
    ['!', central, false],
  ];
  it.each(cases)('mirrorOf %j covers %j: %s', (mirrorOf, repository, expected) => {
    expect(mirrorOfMatches(mirrorOf, repository)).toBe(expected);
  });
});

describe('selectMirror', () => {
  const mirror = (id: string, mirrorOf: string): MavenMirror => ({
    id,
    url: `https://${id}.example.org/`,
    mirrorOf,
    blocked: false,
    line: 1,
  });

  it('prefers a mirror naming the repository id exactly over an earlier wildcard', () => {
    const mirrors = [mirror('everything', '*'), mirror('for-lutece', 'lutece')];
    expect(
      selectMirror(mirrors, { id: 'lutece', url: 'https://dev.lutece.paris.fr/maven_repository/' })?.id,
    ).toBe('for-lutece');
    expect(selectMirror(mirrors, { id: 'central', url: 'https://repo.maven.apache.org/maven2/' })?.id).toBe(
      'everything',
    );
  });

  it('takes the first matching pattern, and none when nothing matches', () => {
    const mirrors = [mirror('a', 'external:http:*'), mirror('b', 'external:*')];
    expect(selectMirror(mirrors, { id: 'x', url: 'http://repo.example.org/' })?.id).toBe('a');
    expect(selectMirror(mirrors, { id: 'x', url: 'https://repo.example.org/' })?.id).toBe('b');
    expect(selectMirror(mirrors, { id: 'x', url: 'http://localhost/' })).toBeUndefined();
  });
});

describe('proxyEnvironment', () => {
  it('gives the active proxy for http and, lacking an https one, for https too, with its credentials', () => {
    const { settings } = parseFull();
    const { env, problems } = proxyEnvironment(settings, 'settings.xml');
    expect(env).toEqual({
      http_proxy: `http://proxy-user:${PROXY_PASSWORD}@proxy.example.org:3128`,
      https_proxy: `http://proxy-user:${PROXY_PASSWORD}@proxy.example.org:3128`,
      no_proxy: 'localhost,.intranet.example.org',
    });
    expect(problems.map((p) => p.message)).toEqual([
      'settings.xml:54: nonProxyHosts pattern "10.*" cannot be applied: requests to those hosts go through the proxy',
    ]);
    expect(JSON.stringify(problems)).not.toContain(PROXY_PASSWORD);
  });

  it('gives nothing when no proxy is active', () => {
    const content = `<settings><proxies><proxy><active>false</active><host>p</host><port>1</port></proxy></proxies></settings>`;
    const { settings } = parseSettings(content, 'settings.xml', { env: {} });
    expect(proxyEnvironment(settings, 'settings.xml').env).toEqual({});
  });

  it('uses an https proxy for https when there is one', () => {
    const content = `<settings><proxies>
      <proxy><protocol>http</protocol><host>plain.example.org</host><port>80</port></proxy>
      <proxy><protocol>https</protocol><host>secure.example.org</host><port>443</port></proxy>
    </proxies></settings>`;
    const { settings } = parseSettings(content, 'settings.xml', { env: {} });
    expect(proxyEnvironment(settings, 'settings.xml').env).toEqual({
      http_proxy: 'http://plain.example.org:80',
      https_proxy: 'http://secure.example.org:443',
    });
  });
});
