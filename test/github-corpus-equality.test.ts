import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Inventory } from '../src/core/model.js';
import { runCli } from './helpers/cli.js';
import { startGithubEmulator, type GithubEmulator } from './servers/github-emulator.js';

/**
 * Issue 6, first acceptance test: crawling an organisation through the GitHub API gives, repository by
 * repository, what a local scan of the same files gives. Both runs are one CLI invocation over the whole
 * organisation with the same flags, so that cross-repository facts (a parent POM built by another
 * repository, component scopes merged over every project) are the same on both sides.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const corpus = path.resolve(here, '../../shared/corpus/github');
const ORG = 'lutece-platform';
const has = existsSync(path.join(corpus, ORG));
if (!has) console.warn('skipping: ../shared/corpus is absent');

const TOKEN = 'corpus-equality-token-not-a-real-one';
/** A closed local port: any registry or Maven repository request fails at once instead of going out. */
const NOWHERE = 'http://127.0.0.1:9/';

interface Side {
  inventory: Inventory;
  code: number;
  stderr: string;
  ms: number;
}

/** Per repository (`owner/repo`): its projects and its components' usages, with subject names taken out. */
interface RepositoryView {
  projects: unknown[];
  usages: string[];
  problems: string[];
}

function repositories(): string[] {
  return readdirSync(path.join(corpus, ORG), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => `${ORG}/${e.name}`)
    .sort();
}

/**
 * The subject name of each repository: the GitHub run names it `owner/repo`; the local run names each
 * `files` folder after itself (made unique), so its subject is found by its location.
 */
function subjectNames(inventory: Inventory, local: boolean): Map<string, string> {
  const names = new Map<string, string>();
  for (const subject of inventory.subjects) {
    if (!local) {
      names.set(subject.name, subject.name);
      continue;
    }
    const folder = path.resolve(subject.location);
    const relative = path.relative(corpus, path.dirname(folder)).split(path.sep).join('/');
    names.set(relative, subject.name);
  }
  return names;
}

function views(inventory: Inventory, local: boolean): Map<string, RepositoryView> {
  const names = subjectNames(inventory, local);
  const bySubject = new Map([...names].map(([repo, subject]) => [subject, repo]));
  const repoOf = (projectId: string) => {
    const colon = projectId.lastIndexOf(':');
    return { repo: bySubject.get(projectId.slice(0, colon)), rest: projectId.slice(colon + 1) };
  };
  const relativeId = (projectId: string | undefined) => {
    if (projectId === undefined) return null;
    const { repo, rest } = repoOf(projectId);
    return `${repo ?? '?'}:${rest}`;
  };
  const result = new Map<string, RepositoryView>();
  const viewOf = (repo: string) => {
    let view = result.get(repo);
    if (!view) result.set(repo, (view = { projects: [], usages: [], problems: [] }));
    return view;
  };
  for (const repo of names.keys()) viewOf(repo);
  for (const p of inventory.projects) {
    const repo = bySubject.get(p.subject) ?? `? ${p.subject}`;
    viewOf(repo).projects.push({
      path: p.path,
      ecosystem: p.ecosystem,
      name: p.name,
      version: p.version,
      // what GitHub itself detects is known only to the crawl
      license: p.license && { ...p.license, github: undefined },
      manifests: p.manifests,
      locked: p.locked,
      workspaceRoot: relativeId(p.workspaceRoot),
      publishes: p.publishes,
      dependsOn: p.dependsOn,
    });
  }
  for (const c of inventory.components) {
    for (const u of c.usedBy) {
      const { repo, rest } = repoOf(u.project);
      viewOf(repo ?? `? ${u.project}`).usages.push(
        [c.purl, rest, u.manifest, u.scopes.join(','), u.direct, u.requested ?? '', u.path.join(' > ')].join(
          ' | ',
        ),
      );
    }
  }
  for (const p of inventory.problems) {
    if (p.subject === undefined) continue;
    const repo = bySubject.get(p.subject) ?? `? ${p.subject}`;
    // Messages may name the subject; its name is replaced so that both sides read alike.
    const message = p.message.split(p.subject).join('SUBJECT');
    viewOf(repo).problems.push([p.severity, p.code, p.file ?? '', p.line ?? '', message].join(' | '));
  }
  for (const view of result.values()) {
    view.usages.sort();
    view.problems.sort();
  }
  return result;
}

describe.skipIf(!has)(
  `scan --github-org ${ORG} against a local scan of ../shared/corpus/github/${ORG}`,
  () => {
    let work: string;
    let emulator: GithubEmulator;
    let fromGitHub: Side;
    let fromDisk: Side;

    const scan = async (target: string[], out: string, env: NodeJS.ProcessEnv = {}): Promise<Side> => {
      const started = performance.now();
      const result = await runCli(
        [
          'scan',
          ...target,
          '--registry',
          NOWHERE,
          '--maven-settings',
          path.join(work, 'settings.xml'),
          '--cache-dir',
          path.join(work, `cache-${path.basename(out)}`),
          '-f',
          'inventory-json',
          '-o',
          out,
          '-q',
        ],
        { cwd: work, env: { SOURCE_DATE_EPOCH: '1767225600', ...env } },
      );
      const ms = Math.round(performance.now() - started);
      let inventory: Inventory;
      try {
        inventory = JSON.parse(await readFile(path.join(out, 'inventory.json'), 'utf8')) as Inventory;
      } catch {
        throw new Error(`no inventory: exit ${result.code}: ${result.stderr}`);
      }
      return { inventory, code: result.code, stderr: result.stderr, ms };
    };

    beforeAll(async () => {
      work = await mkdtemp(path.join(tmpdir(), 'oss-inventory-gh-equality-'));
      // Every Maven repository, Central included, is mirrored to a closed port: nothing leaves the machine.
      await writeFile(
        path.join(work, 'settings.xml'),
        `<settings><mirrors><mirror><id>nowhere</id><url>${NOWHERE}</url><mirrorOf>*</mirrorOf></mirror></mirrors></settings>`,
      );
      emulator = await startGithubEmulator({ corpus, token: TOKEN });
      fromGitHub = await scan(
        ['--github-org', ORG, '--github-url', emulator.url],
        path.join(work, 'github'),
        { GITHUB_TOKEN: TOKEN },
      );
      const folders = repositories()
        .map((r) => path.join(corpus, r, 'files'))
        .filter(existsSync);
      fromDisk = await scan(folders, path.join(work, 'local'));
      console.log(
        `github: ${fromGitHub.ms} ms, ${JSON.stringify(emulator.counts())}; local: ${fromDisk.ms} ms; ` +
          `${fromGitHub.inventory.projects.length} projects, ${fromGitHub.inventory.components.length} components, ` +
          `${fromGitHub.inventory.components.reduce((n, c) => n + c.usedBy.length, 0)} usages, ` +
          `${fromGitHub.inventory.problems.length} problems`,
      );
    }, 60_000);
    afterAll(async () => {
      await emulator?.close();
      if (work) await rm(work, { recursive: true, force: true });
    });

    it('crawls every repository of the organisation and scans every files folder', () => {
      expect(fromGitHub.code, fromGitHub.stderr).toBe(fromDisk.code);
      expect(fromGitHub.inventory.subjects.map((s) => s.name)).toEqual(repositories());
      expect(emulator.requests.every((r) => r.authorization && r.status < 400)).toBe(true);
      expect(fromGitHub.inventory.projects.length).toBeGreaterThanOrEqual(30);
      expect(fromGitHub.inventory.components.length).toBeGreaterThan(100);
      const usages = fromGitHub.inventory.components.reduce((n, c) => n + c.usedBy.length, 0);
      expect(usages).toBeGreaterThan(fromGitHub.inventory.components.length);
      expect(fromGitHub.inventory.problems.filter((p) => p.subject !== undefined).length).toBeGreaterThan(0);
    });

    it('gives each repository the same projects and the same component usages', () => {
      const github = views(fromGitHub.inventory, false);
      const local = views(fromDisk.inventory, true);
      for (const repo of repositories()) {
        const empty = { projects: [], usages: [], problems: [] };
        expect(github.get(repo) ?? empty, repo).toEqual(local.get(repo) ?? empty);
      }
      // One real difference: lutece-search-plugin-grafana holds no manifest, so the corpus has no files/
      // folder for it and the local run has no such subject; the crawl finds the repository and its
      // empty view. Every other repository is a subject on both sides.
      const noManifest = `${ORG}/lutece-search-plugin-grafana`;
      expect([...github.keys()].sort()).toEqual(repositories());
      expect(github.get(noManifest)).toEqual({ projects: [], usages: [], problems: [] });
      expect([...github.keys()].filter((r) => r !== noManifest).sort()).toEqual([...local.keys()].sort());
    });

    it('gives the same components with the same scopes and direct flags', () => {
      const summary = (i: Inventory) => i.components.map((c) => [c.purl, c.scopes, c.direct, c.license]);
      expect(summary(fromGitHub.inventory)).toEqual(summary(fromDisk.inventory));
    });
  },
);
