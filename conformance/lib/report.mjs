// Phase timings and the closing summary. CI greps the last line,
// `conformance: N passed, N failed`.
import { info, log, secs } from './log.mjs';

const startedAt = performance.now();
const timings = []; // [phase name, ms], in order

/** Announces a phase, runs it and records its wall-clock time (also when it throws). */
export async function phase(name, fn) {
  const t0 = performance.now();
  info(`${name} ...`);
  try {
    return await fn();
  } finally {
    timings.push([name, performance.now() - t0]);
  }
}

export const anyPhaseRan = () => timings.length > 0;

export function printTimings() {
  log();
  log('timings');
  for (const [name, ms] of timings) log(`  ${secs(ms).padStart(7)}  ${name}`);
  log(`  ${secs(performance.now() - startedAt).padStart(7)}  total`);
  log();
}

/** What the checks found: one entry per passed check, failure (may span lines) and note. */
export class Summary {
  passed = [];
  failures = [];
  notes = [];

  /** Prints the summary, the timings and the count line; returns the exit code. */
  print() {
    log();
    log('conformance summary');
    for (const p of this.passed) log(`  pass  ${p}`);
    for (const n of this.notes) log(`  note  ${n}`);
    for (const f of this.failures) log(`  FAIL  ${f}`);
    printTimings();
    log(`conformance: ${this.passed.length} passed, ${this.failures.length} failed`);
    return this.failures.length ? 1 : 0;
  }
}
