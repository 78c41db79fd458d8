import { log } from './log.mjs';

const COLUMNS = ['case', 'expected', 'ours', 'istioctl', 'apiserver', 'result'];

/** Every case's verdicts as an aligned table; with `verbose`, each tool's message after it. */
export function printVerdictTable(cases, verbose) {
  const rows = [COLUMNS, ...cases.map((c) => [c.id, c.expected, c.ours, c.istioctl, c.api, c.result])];
  const widths = COLUMNS.map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (cells) => log(`  ${cells.map((cell, i) => cell.padEnd(widths[i])).join('  ')}`.trimEnd());
  log();
  line(COLUMNS);
  log(`  ${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  for (const row of rows.slice(1)) line(row);
  log();
  if (!verbose) return;
  for (const c of cases) {
    for (const [tool, msg] of [['ours', c.oursMsg], ['istioctl', c.istioctlMsg], ['apiserver', c.apiMsg]]) {
      if (msg) log(`  ${c.id}: ${tool}: ${msg}`);
    }
  }
  log();
}
