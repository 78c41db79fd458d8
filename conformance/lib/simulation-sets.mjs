// The inputs of the traffic simulation, one "set" per configuration that stands alone:
// all of dist/ together, each valid corpus case, each Istio sample file, each file of
// testdata/simulation/. Only sets with a
// VirtualService that has http rules can route anything; the others are listed as skipped.
import fs from 'node:fs';
import path from 'node:path';
import { CONFORMANCE_DIR } from './paths.mjs';
import { listYamlFiles, readKubernetesObjects } from './yaml-files.mjs';

const SIMULATION_TESTDATA = path.join(CONFORMANCE_DIR, 'testdata', 'simulation');

/** { sets: [{ name, group, files, objects }], skipped: [{ name, reason }] } */
export function collectSimulationSets({ distDir, corpusDir, samplesDir, testdataDir = SIMULATION_TESTDATA }) {
  const sets = [];
  const skipped = [];
  const consider = (group, name, files) => {
    const objects = [];
    for (const f of files) {
      const { errors, objects: found } = readKubernetesObjects(f);
      if (errors.length) {
        skipped.push({ name, reason: `YAML errors in ${path.basename(f)}: ${errors[0]}` });
        return;
      }
      objects.push(...found.map((o) => o.obj));
    }
    const routing = objects.some((o) => o.kind === 'VirtualService' && o.spec?.http?.length);
    if (routing) sets.push({ name, group, files, objects });
    else if (objects.some((o) => o.kind === 'VirtualService')) skipped.push({ name, reason: 'its VirtualServices have no http rules (tcp/tls only)' });
  };

  if (fs.existsSync(distDir)) {
    const files = listYamlFiles(distDir).filter((f) => path.basename(f) !== 'kustomization.yaml');
    consider('dist', 'dist', files);
  }
  const validDir = path.join(corpusDir, 'valid');
  if (fs.existsSync(validDir)) {
    for (const f of listYamlFiles(validDir)) consider('corpus', `corpus/${path.relative(corpusDir, f)}`, [f]);
  }
  // Cases written for the simulation, for semantics the others do not exercise.
  if (fs.existsSync(testdataDir)) {
    for (const f of listYamlFiles(testdataDir)) consider('testdata', `testdata/${path.basename(f)}`, [f]);
  }
  if (fs.existsSync(samplesDir)) {
    // Only files that mention a VirtualService: the samples also hold Helm templates.
    for (const f of listYamlFiles(samplesDir).filter((file) => fs.readFileSync(file, 'utf8').includes('kind: VirtualService'))) {
      consider('samples', `samples/${path.relative(samplesDir, f)}`, [f]);
    }
  }
  return { sets, skipped };
}
