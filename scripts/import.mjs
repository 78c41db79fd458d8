// Regenerates imports/ from the pinned Istio CRDs: the cdk8s L1 constructs
// (networking and security groups only, to keep type-checks fast) and the
// JSON Schemas the validator uses, from the same source so both always match.
//
//   npm run import                                             # upstream file for the pinned tag
//   ISTIO_CRDS=../shared/istio/1.30.3/crd-all.gen.yaml npm run import   # offline
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';

const ISTIO_VERSION = '1.30.3';
const UPSTREAM = `https://raw.githubusercontent.com/istio/istio/${ISTIO_VERSION}/manifests/charts/base/files/crd-all.gen.yaml`;
const GROUPS = ['networking.istio.io', 'security.istio.io'];
const root = resolve(import.meta.dirname, '..');
const importsDir = join(root, 'imports');

async function readSource(source) {
  if (!/^https?:\/\//.test(source)) return readFileSync(resolve(source), 'utf8');
  const response = await fetch(source);
  if (!response.ok) throw new Error(`download of ${source} failed: HTTP ${response.status}`);
  return response.text();
}

const source = process.env.ISTIO_CRDS ?? UPSTREAM;
let text;
try {
  text = await readSource(source);
} catch (err) {
  console.error(`import: cannot read the Istio CRDs from ${source}: ${err.message}`);
  console.error('import: offline? point ISTIO_CRDS at a local copy of crd-all.gen.yaml');
  process.exit(2);
}
const crds = parseAllDocuments(text)
  .map((doc) => doc.toJS())
  .filter((crd) => crd?.kind === 'CustomResourceDefinition' && GROUPS.includes(crd.spec.group))
  .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
if (crds.length === 0) {
  console.error(`import: no CustomResourceDefinition of ${GROUPS.join(', ')} in ${source}`);
  process.exit(2);
}

const work = mkdtempSync(join(tmpdir(), 'istio-import-'));
try {
  const filtered = join(work, 'istio-crds.yaml');
  writeFileSync(filtered, crds.map((crd) => stringify(crd)).join('---\n'));
  execFileSync(join(root, 'node_modules/.bin/cdk8s'),
    ['import', filtered, '--language', 'typescript', '--output', importsDir, '--check-upgrade=false'],
    { cwd: work, stdio: 'inherit' });
} finally {
  rmSync(work, { recursive: true, force: true });
}

// One schema per served version of each kind, keyed "group/version/Kind".
const schemas = {};
for (const crd of crds) {
  for (const version of crd.spec.versions) {
    if (!version.served) continue;
    schemas[`${crd.spec.group}/${version.name}/${crd.spec.names.kind}`] = version.schema.openAPIV3Schema;
  }
}
const schemaFile = {
  source: process.env.ISTIO_CRDS ? `ISTIO_CRDS (${ISTIO_VERSION} expected)` : UPSTREAM,
  istioVersion: ISTIO_VERSION,
  sha256: createHash('sha256').update(text).digest('hex'),
  schemas,
};
writeFileSync(join(importsDir, 'istio-crd-schemas.json'), JSON.stringify(schemaFile) + '\n');
console.log(`import: ${crds.length} CRDs, ${Object.keys(schemas).length} schemas from ${source}`);
