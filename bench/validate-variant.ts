import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { writeValidateInput } from './validate-input';

export interface ValidateMeasurement {
  readonly variant: 'validate';
  readonly objects: number;
  /** Wall time of the whole `node scripts/validate.mjs <file>` process, best of the runs. */
  readonly seconds: number;
  readonly runs: readonly number[];
  /** CPU time (user + system) of the process in the best run; the wall time on a busy machine is more. */
  readonly cpuSeconds: number;
  readonly rssMb: number;
  readonly bytes: number;
}

const VALIDATE = resolve(__dirname, '..', 'scripts', 'validate.mjs');
const USAGE = resolve(__dirname, '..', 'bench', 'process-usage.cjs');

interface Run {
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly rssMb: number;
}

/** Writes one file of `objects` objects, then times the CLI on it `repeat` times (the first run also rebuilds .build/ if stale, so it is a warm-up). */
export function measureValidate(objects: number, file: string, repeat: number): ValidateMeasurement {
  const bytes = writeValidateInput(file, objects);
  runOnce(file); // warm-up: .build/ rebuild if stale, disk cache
  const runs: Run[] = [];
  for (let i = 0; i < repeat; i++) runs.push(runOnce(file));
  const best = runs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
  return { variant: 'validate', objects, seconds: best.seconds, runs: runs.map((r) => r.seconds), cpuSeconds: best.cpuSeconds, rssMb: best.rssMb, bytes };
}

/** One whole process; the input is valid, so anything but exit 0 is a failure of the benchmark. */
function runOnce(file: string): Run {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ['--require', USAGE, VALIDATE, file], { stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 30 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0) {
    throw new Error(`validate exited ${result.status} on ${file}: ${String(result.stdout).split('\n').slice(-2).join(' ')}${String(result.stderr).slice(0, 500)}`);
  }
  const usage = /BENCH-USAGE (\{.*\})/.exec(String(result.stderr));
  if (!usage) throw new Error(`validate on ${file} reported no usage: ${String(result.stderr).slice(0, 500)}`);
  return { seconds, ...(JSON.parse(usage[1]) as { cpuSeconds: number; rssMb: number }) };
}


export function formatValidateTable(results: readonly ValidateMeasurement[], machine: Record<string, unknown>): string {
  const rows = [['N objects', 'variant', 'wall s (best)', 'cpu s', 'runs wall s', 'µs/object', 'peak RSS MB', 'input bytes']];
  for (const r of results) {
    rows.push([
      String(r.objects), r.variant, r.seconds.toFixed(2), r.cpuSeconds.toFixed(2), r.runs.map((s) => s.toFixed(2)).join(' '),
      ((r.seconds * 1e6) / r.objects).toFixed(0), r.rssMb.toFixed(0), String(r.bytes),
    ]);
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  const lines = rows.map((row) => row.map((cell, c) => cell.padStart(widths[c])).join('  '));
  return ['', ...lines, '', `machine: ${JSON.stringify(machine)}`, ''].join('\n');
}
