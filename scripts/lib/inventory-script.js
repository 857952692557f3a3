import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { distinctComponents } from './inventory-components.js';

/**
 * The command line the corpus scripts share: `[--json] [--top N] INVENTORY.json...` (`--top` only when the
 * script has a default), `--help`, exit 2 on a usage error. Runs only when the module at `url` is the
 * script node was started with, so that tests can import its functions.
 *
 * `summarise` gets the components of the inventories (each purl once); `json` and `text` render its result.
 */
export function runInventoryScript({ url, usage, defaultTop, summarise, json, text }) {
  if (!process.argv[1] || fileURLToPath(url) !== path.resolve(process.argv[1])) return;
  const options = parseArgs(process.argv.slice(2), defaultTop);
  if (options.help || options.error) {
    if (options.error) console.error(options.error);
    console.error(usage);
    process.exitCode = options.error ? 2 : 0;
    return;
  }
  const result = summarise(distinctComponents(options.files));
  console.log(options.json ? JSON.stringify(json(result, options), null, 2) : text(result, options));
}

/** A Map as a plain object, for JSON. */
export function plain(map) {
  return Object.fromEntries(map);
}

function parseArgs(argv, defaultTop) {
  const options = { json: false, files: [], ...(defaultTop !== undefined ? { top: defaultTop } : {}) };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--json') options.json = true;
    else if (arg === '--top' && defaultTop !== undefined) {
      const n = Number(argv[++i]);
      if (!Number.isInteger(n) || n < 0) return { error: '--top takes a whole number' };
      options.top = n;
    } else if (arg === '--help' || arg === '-h') return { help: true };
    else if (arg.startsWith('-')) return { error: `unknown option ${arg}` };
    else options.files.push(arg);
  }
  return options.files.length === 0 ? { error: 'give at least one inventory JSON file' } : options;
}
