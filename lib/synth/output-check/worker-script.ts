import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The worker's bundle, written by scripts/build.mjs beside the app's. */
export const WORKER_BUNDLE = 'synth-worker.js';

let script: string | undefined = join(__dirname, WORKER_BUNDLE);

/**
 * The worker's script when it exists: run from the build, it sits beside
 * the bundle; run from source (jest), there is none unless a test built one.
 */
export function workerScript(): string | undefined {
  return script !== undefined && existsSync(script) ? script : undefined;
}

/** For tests: run the worker from a bundle they built (undefined: none, synth stays on one thread). */
export function useWorkerScript(path: string | undefined): void {
  script = path;
}
