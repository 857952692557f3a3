import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** The page size the crawl lists repositories with (GitHub's largest). */
export const LISTING_PAGE_SIZE = 100;

/**
 * The fewest requests a crawl of the corpus folder `githubDir` (ORG/REPO/repo.json) can make through REST,
 * read from the corpus itself: one listing page per 100 repositories of each organisation (at least one), one tree
 * per repository the default filters keep (not archived, not a fork) that has a commit and a non-empty
 * tree, and one blob per distinct sha among the manifests the default excludes keep in those trees and
 * their license files (root and manifest folders). Both are chosen by the built ManifestSelector with the
 * CLI's defaults (MANIFEST_NAMES, DEFAULT_EXCLUDES), the rule a local scan of the same files applies.
 */
export async function crawlLowerBound(githubDir, repoRoot) {
  const dist = (relative) => import(pathToFileURL(path.join(repoRoot, 'dist', relative)).href);
  const { ManifestSelector } = await dist('sources/github-tree.js');
  const { GRAPHQL_PAGE_SIZE, REPOSITORIES_PER_QUERY } = await dist('sources/github-graphql.js');
  const { DEFAULT_EXCLUDES } = await dist('sources/local.js');
  const { MANIFEST_NAMES } = await dist('ecosystems/index.js');

  const orgs = [];
  const blobShas = new Set();
  const repoBlobs = new Set();
  let manifests = 0;
  let licenseFiles = 0;
  for (const org of subfolders(githubDir)) {
    const repos = subfolders(path.join(githubDir, org)).map((name) =>
      JSON.parse(readFileSync(path.join(githubDir, org, name, 'repo.json'), 'utf8')),
    );
    const summary = {
      org,
      repositories: repos.length,
      skipped: 0,
      empty: 0,
      trees: 0,
      manifests: 0,
      licenseFiles: 0,
    };
    for (const repo of repos) {
      if (repo.archived || repo.fork) {
        summary.skipped++;
        continue;
      }
      const tree = Array.isArray(repo.tree) ? repo.tree : [];
      if (!repo.head_sha || tree.length === 0) {
        summary.empty++;
        continue;
      }
      summary.trees++;
      const selector = new ManifestSelector({
        manifestNames: MANIFEST_NAMES,
        excludes: [...DEFAULT_EXCLUDES],
      });
      const shaOf = new Map(tree.map((e) => [e.path, e.sha]));
      const selected = selector.select(tree);
      // License files (root and manifest folders, up to 1 MB) are read with the manifests.
      const licenses = (selected.licenseFiles ?? []).filter(
        (l) => l.size === undefined || l.size <= 1024 * 1024,
      );
      for (const file of [...selected.manifests, ...licenses.map((l) => l.path)]) {
        const sha = shaOf.get(file).toLowerCase();
        blobShas.add(sha);
        repoBlobs.add(`${repo.full_name}@${sha}`);
      }
      summary.manifests += selected.manifests.length;
      summary.licenseFiles += licenses.length;
    }
    summary.listingPages = Math.max(1, Math.ceil(repos.length / LISTING_PAGE_SIZE));
    manifests += summary.manifests;
    licenseFiles += summary.licenseFiles;
    orgs.push(summary);
  }
  const listingPages = orgs.reduce((n, o) => n + o.listingPages, 0);
  const trees = orgs.reduce((n, o) => n + o.trees, 0);
  // GraphQL reads REPOSITORIES_PER_QUERY / GRAPHQL_PAGE_SIZE pages a query, one page of an owner at a time.
  const pagesPerQuery = REPOSITORIES_PER_QUERY / GRAPHQL_PAGE_SIZE;
  const graphqlQueries = Math.max(
    Math.ceil(listingPages / pagesPerQuery),
    ...orgs.map((o) => o.listingPages),
  );
  return {
    orgs,
    listingPages,
    /** The GraphQL queries the crawl's batching needs to list every organisation with its HEADs. */
    graphqlQueries,
    pagesPerQuery,
    trees,
    manifests,
    licenseFiles,
    blobShas,
    /** Distinct (repository, sha): a blob can only be asked for through a repository holding it. */
    repoBlobs: repoBlobs.size,
    total: listingPages + trees + blobShas.size,
  };
}

function subfolders(dir) {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}
