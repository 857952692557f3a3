// License coverage of inventories: the share of components whose license is a known SPDX expression, overall
// and per ecosystem, and every declared string that stayed unmapped with the number of components that
// declare it, most frequent first (the work queue of data/license-aliases.yaml).
//
//   npm run build && node scripts/license-coverage.js [--renormalise] [--config FILE] INVENTORY.json...
//
// --renormalise  normalise the raw `license.declared` values again with the current data/ (an inventory made
//                before the license pass, or with older alias data)
// --config FILE  with --renormalise: the organisation mappings (`licenses.mappings`) of this .oss-inventory.yaml
// --json         print the figures as JSON
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { load } from 'js-yaml';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const { concludeLicense } = await import(path.join(root, 'dist/core/license-conclusion.js'));
const { displayLicenseValue } = await import(path.join(root, 'dist/core/license.js'));
const { loadLicenseKnowledge } = await import(path.join(root, 'dist/licenses/knowledge.js'));

const USAGE =
  'usage: node scripts/license-coverage.js [--renormalise] [--config FILE] [--json] INVENTORY.json...';

function parseArgs(argv) {
  const options = { renormalise: false, json: false, config: undefined, files: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--renormalise' || arg === '--renormalize') options.renormalise = true;
    else if (arg === '--json') options.json = true;
    else if (arg === '--config') options.config = argv[++i];
    else if (arg === '--help' || arg === '-h') return { help: true };
    else if (arg.startsWith('-')) return { error: `unknown option ${arg}` };
    else options.files.push(arg);
  }
  if (options.files.length === 0) return { error: 'give at least one inventory JSON file' };
  if (options.config === undefined && argv.includes('--config')) return { error: '--config needs a file' };
  return options;
}

function organisationMappings(file) {
  if (!file) return [];
  const config = load(readFileSync(file, 'utf8'));
  const mappings = config?.licenses?.mappings;
  return Array.isArray(mappings) ? mappings : [];
}

/** Components, one per purl, and projects with a declared license, one per id: the first inventory wins. */
function read(files) {
  const byPurl = new Map();
  const projects = new Map();
  for (const file of files) {
    const inventory = JSON.parse(readFileSync(file, 'utf8'));
    for (const component of inventory.components ?? []) {
      if (!byPurl.has(component.purl)) byPurl.set(component.purl, component);
    }
    for (const project of inventory.projects ?? []) {
      if (project.license?.declared?.length && !projects.has(project.id)) projects.set(project.id, project);
    }
  }
  return { components: [...byPurl.values()], projects: [...projects.values()] };
}

function projectCoverage(projects, knowledge) {
  let known = 0;
  const unmapped = new Map();
  for (const project of projects) {
    const license = knowledge ? concludeLicense(project.license, knowledge, false) : project.license;
    if (license.status === 'known') known++;
    for (const value of new Set(license.unmapped ?? [])) {
      const shown = displayLicenseValue(value);
      unmapped.set(shown, (unmapped.get(shown) ?? 0) + 1);
    }
  }
  return {
    projects: projects.length,
    known,
    unmapped: [...unmapped]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([value, count]) => ({ value, count })),
  };
}

function coverage(list, knowledge) {
  const total = { components: 0, known: 0, nothingDeclared: 0, unmappedComponents: 0 };
  const perEcosystem = new Map();
  const unmapped = new Map();
  const mappings = new Map();
  for (const component of list) {
    const license = knowledge ? concludeLicense(component.license, knowledge) : component.license;
    const eco = perEcosystem.get(component.ecosystem) ?? { components: 0, known: 0 };
    perEcosystem.set(component.ecosystem, eco);
    total.components++;
    eco.components++;
    if (license.status === 'known') {
      total.known++;
      eco.known++;
    } else if (license.declared.length === 0) total.nothingDeclared++;
    if (license.unmapped?.length) total.unmappedComponents++;
    for (const value of new Set(license.unmapped ?? [])) {
      const shown = displayLicenseValue(value);
      unmapped.set(shown, (unmapped.get(shown) ?? 0) + 1);
    }
    for (const mapping of license.mappings ?? []) mappings.set(mapping, (mappings.get(mapping) ?? 0) + 1);
  }
  return {
    ...total,
    ecosystems: Object.fromEntries([...perEcosystem].sort(([a], [b]) => a.localeCompare(b))),
    mappings: Object.fromEntries([...mappings].sort((a, b) => b[1] - a[1])),
    unmapped: [...unmapped]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([value, count]) => ({ value, count })),
  };
}

function percent(part, whole) {
  return whole === 0 ? '-' : `${((100 * part) / whole).toFixed(1)}%`;
}

function print(result) {
  const lines = [];
  lines.push(
    `components with a known SPDX license: ${result.known} of ${result.components} (${percent(result.known, result.components)})`,
  );
  for (const [ecosystem, eco] of Object.entries(result.ecosystems)) {
    lines.push(`  ${ecosystem}: ${eco.known} of ${eco.components} (${percent(eco.known, eco.components)})`);
  }
  const other = result.components - result.known - result.nothingDeclared - result.unmappedComponents;
  lines.push(
    `unknown: ${result.components - result.known} (nothing declared: ${result.nothingDeclared}, an unmapped value: ${result.unmappedComponents}${other > 0 ? `, other: ${other}` : ''})`,
  );
  lines.push(
    `mappings used: ${
      Object.entries(result.mappings)
        .map(([m, n]) => `${m} ${n}`)
        .join(', ') || 'none'
    }`,
  );
  lines.push(`unmapped declared strings (${result.unmapped.length}), by number of components:`);
  for (const { value, count } of result.unmapped)
    lines.push(`  ${String(count).padStart(6)}  ${JSON.stringify(value)}`);
  const p = result.projectLicenses;
  lines.push(
    `projects with a declared license that is a known SPDX expression: ${p.known} of ${p.projects} (${percent(p.known, p.projects)})`,
  );
  for (const { value, count } of p.unmapped)
    lines.push(`  ${String(count).padStart(6)}  ${JSON.stringify(value)}`);
  return lines.join('\n');
}

const options = parseArgs(process.argv.slice(2));
if (options.help) {
  console.log(USAGE);
} else if (options.error) {
  console.error(`${options.error}\n${USAGE}`);
  process.exitCode = 2;
} else {
  const knowledge = options.renormalise
    ? loadLicenseKnowledge(organisationMappings(options.config))
    : undefined;
  const { components, projects } = read(options.files);
  if (!knowledge && !components.some((c) => c.license?.expression !== undefined || c.license?.mappings)) {
    console.error(
      'note: these inventories hold no concluded licenses (made before the license pass): use --renormalise',
    );
  }
  const result = {
    ...coverage(components, knowledge),
    projectLicenses: projectCoverage(projects, knowledge),
  };
  console.log(options.json ? JSON.stringify(result, null, 2) : print(result));
}
