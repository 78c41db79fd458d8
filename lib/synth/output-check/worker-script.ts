import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The worker's entry, written by scripts/build.mjs beside the app's bundle (see worker-entry.ts). */
export const WORKER_BUNDLE = 'synth-worker.js';

/** The worker's code (worker.ts), which its entry runs from V8's code cache. */
export const WORKER_CODE_BUNDLE = 'synth-worker-code.js';

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
