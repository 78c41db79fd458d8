// Programs the harness needs on PATH. Without them it skips (so `npm test`-style
// runs need no Go), except under CI=true, where skipping would hide a gap.
import fs from 'node:fs';
import { HarnessError } from './harness-error.mjs';
import { ISTIO_VERSION } from './paths.mjs';
import { which } from './which.mjs';

const CI = /^(true|1)$/i.test(process.env.CI ?? '');

const REQUIRED_PROGRAMS = [
  ['go', 'go not found on PATH (install Go 1.26+ to run it)'],
  ['kubectl', 'kubectl not found on PATH (install kubectl 1.32+ to run it)'],
  ['openssl', 'openssl not found on PATH (needed for throwaway certificates)'],
];

/** Exits (0 skipped, 1 under CI) at the first missing program. */
export function requirePrograms() {
  for (const [program, reason] of REQUIRED_PROGRAMS) {
    if (!which(program)) skipOrFail(reason);
  }
}

export function requireCrdFile(crdFile) {
  if (!fs.existsSync(crdFile)) {
    throw new HarnessError(`Istio CRDs not found at ${crdFile} (expected <repo>/../shared/istio/${ISTIO_VERSION}/; or pass --shared DIR)`);
  }
}

function skipOrFail(reason) {
  if (CI) {
    console.error(`conformance: FAILED: ${reason} (CI=true, so conformance cannot be skipped)`);
    process.exit(1);
  }
  console.log(`conformance: skipped: ${reason}`);
  process.exit(0);
}
