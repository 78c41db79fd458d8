// Our traffic simulator, as the simulation phase calls it: lib/traffic through the
// bundle .build/explain.js (rebuilt first when the sources changed, as
// scripts/validate.mjs does for the validator).
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { HarnessError } from './harness-error.mjs';
import { REPO_ROOT } from './paths.mjs';

/** { buildTrafficModel(objects), explainRequest(model, request) } from .build/explain.js. */
export async function loadOurSimulator() {
  const { buildIfStale } = await import(path.join(REPO_ROOT, 'scripts', 'build.mjs'));
  buildIfStale();
  const bundle = path.join(REPO_ROOT, '.build', 'explain.js');
  if (!fs.existsSync(bundle)) throw new HarnessError(`our simulator cannot run: ${bundle} was not built (is bin/explain.ts missing?)`);
  const ours = createRequire(import.meta.url)(bundle);
  for (const fn of ['buildTrafficModel', 'explainRequest']) {
    if (typeof ours[fn] !== 'function') throw new HarnessError(`our simulator cannot run: ${bundle} does not export ${fn}`);
  }
  return ours;
}
