/**
 * A plain-text table: the header row, a rule, then the rows; columns padded to their widest cell, the
 * columns in `rightAligned` (indexes) padded on the left.
 */
export function alignTable(rows, rightAligned) {
  const widths = rows[0].map((_, col) => Math.max(...rows.map((r) => r[col].length)));
  const render = (row) =>
    row
      .map((cell, col) => (rightAligned.has(col) ? cell.padStart(widths[col]) : cell.padEnd(widths[col])))
      .join('  ')
      .trimEnd();
  return [render(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(render)];
}
