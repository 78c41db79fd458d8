import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { writeValidateInput } from './validate-input';

export interface ValidateMeasurement {
  readonly variant: 'validate';
  readonly objects: number;
  /** Wall time of the whole `node scripts/validate.mjs <file>` process, best of the runs. */
  readonly seconds: number;
  readonly runs: readonly number[];
  readonly bytes: number;
  readonly exitCode: number;
}

const VALIDATE = resolve(__dirname, '..', 'scripts', 'validate.mjs');

/** Writes one file of `objects` objects, then times the CLI on it `repeat` times (the first run also rebuilds .build/ if stale, so it is a warm-up). */
export function measureValidate(objects: number, file: string, repeat: number): ValidateMeasurement {
  const bytes = writeValidateInput(file, objects);
  runOnce(file); // warm-up: .build/ rebuild if stale, disk cache
  const runs: number[] = [];
  let exitCode = 0;
  for (let i = 0; i < repeat; i++) {
    const { seconds, status } = runOnce(file);
    runs.push(seconds);
    exitCode = status;
  }
  return { variant: 'validate', objects, seconds: Math.min(...runs), runs, bytes, exitCode };
}

function runOnce(file: string): { seconds: number; status: number } {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [VALIDATE, file], { stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 30 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0) {
    throw new Error(`validate exited ${result.status} on ${file}: ${String(result.stdout).split('\n').slice(-2).join(' ')}${String(result.stderr).slice(0, 500)}`);
  }
  return { seconds, status: result.status };
}


export function formatValidateTable(results: readonly ValidateMeasurement[], machine: Record<string, unknown>): string {
  const rows = [['N objects', 'variant', 'wall s (best)', 'runs s', 'µs/object', 'input bytes']];
  for (const r of results) {
    rows.push([String(r.objects), r.variant, r.seconds.toFixed(2), r.runs.map((s) => s.toFixed(2)).join(' '), ((r.seconds * 1e6) / r.objects).toFixed(0), String(r.bytes)]);
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  const lines = rows.map((row) => row.map((cell, c) => cell.padStart(widths[c])).join('  '));
  return ['', ...lines, '', `machine: ${JSON.stringify(machine)}`, ''].join('\n');
}
