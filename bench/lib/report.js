import { alignTable } from './table.js';
export const SPEED_GOAL = 10;
export const MEMORY_GOAL = 10;

const MiB = 1024 * 1024;
const HEADER = [
  'lockfile',
  'size',
  'tool',
  'seconds',
  'peak MiB',
  'components',
  'peer÷CLI',
  'peer÷parse',
  'peak÷size',
];
const RIGHT_ALIGNED = new Set([1, 3, 4, 5, 6, 7, 8]);

/**
 * The printed report: a table, one row per tool and lockfile, then the notes (failures and details) and the
 * two goals judged file by file. `results`: `[{ testCase, cli, parse, peers: [row] }]`; `idleKiB`: peak RSS
 * of an idle Node.js process, measured the same way, or null.
 */
export function renderReport(results, idleKiB) {
  const lines = [];
  const notes = [];
  const rows = [HEADER];
  for (const result of results) {
    const { testCase, cli, parse, peers } = result;
    const label = `${testCase.repo} ${testCase.parser.name}`;
    [cli, parse, ...peers].forEach((row, i) => {
      rows.push(tableRow(i === 0 ? label : '', i === 0 ? mib(testCase.size) : '', row, result));
      if (!row.ok) notes.push(`${label}, ${row.tool}: FAILED: ${row.reason}`);
      else if (row.detail) notes.push(`${label}, ${row.tool}: ${row.detail}`);
    });
  }
  lines.push(...alignTable(rows, RIGHT_ALIGNED), '');
  lines.push(
    'peer÷CLI, peer÷parse: peer seconds / our seconds (full CLI, parse only); peak÷size: our peak RSS / lockfile size.',
  );
  if (notes.length > 0) lines.push('', 'Notes:', ...notes.map((n) => `  ${n}`));
  lines.push('', ...renderGoals(results, idleKiB));
  return lines.join('\n');
}

function tableRow(label, size, row, { testCase, cli, parse }) {
  const ours = row === cli || row === parse;
  if (!row.ok) return [label, size, row.tool, 'FAILED', '-', '-', '-', '-', '-'];
  return [
    label,
    size,
    row.tool,
    seconds(row.seconds),
    (row.peakKiB / 1024).toFixed(1),
    row.components.toLocaleString('en'),
    !ours && cli.ok ? times(row.seconds / cli.seconds) : '',
    !ours && parse.ok ? times(row.seconds / parse.seconds) : '',
    ours ? times((row.peakKiB * 1024) / testCase.size) : '',
  ];
}

function renderGoals(results, idleKiB) {
  const lines = [
    `Goal 1: at least ${SPEED_GOAL}x faster than the fastest peer on every file (judged on our full CLI)`,
  ];
  let speedMet = 0;
  for (const { testCase, cli, parse, peers } of results) {
    const label = `${testCase.repo} ${testCase.parser.name}`;
    const fastest = peers.filter((p) => p.ok).sort((a, b) => a.seconds - b.seconds)[0];
    if (!cli.ok) {
      lines.push(`  ${label}: not judged: our CLI failed`);
    } else if (!fastest) {
      lines.push(`  ${label}: not judged: no peer finished`);
    } else {
      const ratio = fastest.seconds / cli.seconds;
      const parseNote = parse.ok
        ? `; parse only ${seconds(parse.seconds)} s, ${times(fastest.seconds / parse.seconds)}`
        : '';
      const met = ratio >= SPEED_GOAL;
      if (met) speedMet++;
      lines.push(
        `  ${label}: fastest peer ${fastest.tool} ${seconds(fastest.seconds)} s, ours ${seconds(cli.seconds)} s: ` +
          `${times(ratio)} faster${parseNote}: ${met ? 'met' : 'MISSED'}`,
      );
    }
  }

  lines.push(
    '',
    `Goal 2: our peak memory under ${MEMORY_GOAL}x the lockfile size (judged on our full CLI: peak RSS of the whole process)`,
  );
  let memoryMet = 0;
  for (const { testCase, cli, parse } of results) {
    const label = `${testCase.repo} ${testCase.parser.name} (${mib(testCase.size)})`;
    const judged = [cli, parse].filter((r) => r.ok);
    const parts = judged.map((row) => {
      const ratio = (row.peakKiB * 1024) / testCase.size;
      const net = idleKiB
        ? `, ${times(((row.peakKiB - idleKiB) * 1024) / testCase.size)} net of idle Node.js`
        : '';
      return `${row === cli ? 'full CLI' : 'parse only'} ${mib(row.peakKiB * 1024)} = ${times(ratio)}${net}: ${ratio < MEMORY_GOAL ? 'met' : 'MISSED'}`;
    });
    if (cli.ok && (cli.peakKiB * 1024) / testCase.size < MEMORY_GOAL) memoryMet++;
    lines.push(`  ${label}: ${parts.length > 0 ? parts.join('; ') : 'not judged: our runs failed'}`);
  }
  if (idleKiB) {
    lines.push(
      `  (an idle Node.js process, \`node -e 0\`, already peaks at ${mib(idleKiB * 1024)} RSS here)`,
    );
  }

  lines.push(
    '',
    `Summary: speed goal met on ${speedMet}/${results.length} lockfiles; ` +
      `memory goal met on ${memoryMet}/${results.length} lockfiles.`,
  );
  return lines;
}

function seconds(value) {
  return value < 1 ? value.toFixed(3) : value.toFixed(2);
}

function times(ratio) {
  return `${ratio < 10 ? ratio.toFixed(1) : Math.round(ratio).toLocaleString('en')}x`;
}

function mib(bytes) {
  return `${(bytes / MiB).toFixed(2)} MiB`;
}
