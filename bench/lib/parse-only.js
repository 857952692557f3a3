// Child process of bench/lockfiles.js: times the built parser alone on one lockfile and prints one JSON
// line. Run with --expose-gc so each parse starts from a collected heap and the peak RSS that GNU time
// reports is that of one parse, not of garbage left by the previous runs.
// Usage: node --expose-gc bench/lib/parse-only.js <parser module> <export> <lockfile> <file> <runs>
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { median } from './measure.js';

const [modulePath, exportName, lockfile, file, runsArg] = process.argv.slice(2);
const parse = (await import(pathToFileURL(modulePath).href))[exportName];
if (typeof parse !== 'function') throw new Error(`${modulePath} does not export a function ${exportName}`);

const content = readFileSync(lockfile, 'utf8');
const runs = Number(runsArg);
const times = [];
let graph;
for (let i = 0; i < runs; i++) {
  graph = undefined;
  globalThis.gc?.();
  const start = performance.now();
  graph = parse(content, file, { root: undefined, workspaces: new Map() });
  times.push(performance.now() - start);
}

const purls = new Set();
for (const node of graph.nodes.values()) purls.add(node.purl);
const errors = graph.problems.filter((p) => p.severity === 'error');
const result = {
  medianMs: median(times),
  runsMs: times,
  format: graph.format,
  nodes: graph.nodes.size,
  purls: purls.size,
  errors: errors.length,
  firstError: errors[0]?.message,
};
purls.clear();
// What the graph keeps once the parse's garbage is collected: the heap it holds on its own.
result.retainedBytes = globalThis.gc ? retainedHeapOf(() => (graph = undefined)) : null;
console.log(JSON.stringify(result));

function retainedHeapOf(release) {
  globalThis.gc();
  const withGraph = process.memoryUsage().heapUsed;
  release();
  globalThis.gc();
  return withGraph - process.memoryUsage().heapUsed;
}
