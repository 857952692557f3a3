import { startServerChild } from './server-child.js';

export { serverPhase } from './server-child.js';

/** `GET /@scope%2fname 200 51.2ms`, the line the standalone registry prints per request. */
const REQUEST_LINE = /^(\S+) (\S+) (-?\d+) (\d+(?:\.\d+)?)ms/;

/** The fixture registry (test/servers/npm-registry.js) in a child process: requests `{ at, ms, status, path }`. */
export function startRegistryChild(script, { dir, latencyMs }) {
  return startServerChild({
    label: 'fixture registry',
    script,
    args: ['--dir', dir, '--port', '0', '--latency', String(latencyMs)],
    startTimeoutMs: 15_000,
    parseLine: (line) => {
      const match = REQUEST_LINE.exec(line);
      return match && { ms: Number(match[4]), status: Number(match[3]), path: match[2] };
    },
  });
}
