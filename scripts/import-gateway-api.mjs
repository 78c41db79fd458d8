// Regenerates the Gateway API part of imports/ from the CRDs at the versions
// Istio 1.30.3 builds against (its go.mod): sigs.k8s.io/gateway-api v1.5.1 and
// sigs.k8s.io/gateway-api-inference-extension v1.4.0. Writes the cdk8s L1
// constructs (v1 only, to keep type-checks fast) and the JSON Schemas the
// validator uses, per channel, from the same files.
//
//   npm run import:gateway-api     # reads the Go module cache (go mod download fetches it)
//   GATEWAY_API_CRDS=DIR INFERENCE_EXTENSION_CRDS=DIR npm run import:gateway-api
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { crdDefaults } from './gateway-api-crd-defaults.mjs';

const GATEWAY_API = { module: 'sigs.k8s.io/gateway-api', version: 'v1.5.1' };
const INFERENCE = { module: 'sigs.k8s.io/gateway-api-inference-extension', version: 'v1.4.0' };
// The kinds the library writes or reads; the rest of each group stays out of the types.
const KINDS = {
  'gateway.networking.k8s.io': ['HTTPRoute', 'Gateway', 'ReferenceGrant'],
  'inference.networking.k8s.io': ['InferencePool'],
};
const root = resolve(import.meta.dirname, '..');
const importsDir = join(root, 'imports');

function moduleDir({ module, version }, sub) {
  const modcache = execFileSync('go', ['env', 'GOMODCACHE'], { encoding: 'utf8' }).trim();
  const dir = join(modcache, `${module}@${version}`, sub);
  if (!existsSync(dir)) execFileSync('go', ['mod', 'download', `${module}@${version}`], { stdio: 'inherit', cwd: tmpdir() });
  return dir;
}

function readCrds(dir, wantedGroup) {
  const crds = [];
  const texts = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) {
    const text = readFileSync(join(dir, file), 'utf8');
    for (const doc of parseAllDocuments(text)) {
      const crd = doc.toJS();
      if (crd?.kind !== 'CustomResourceDefinition' || crd.spec.group !== wantedGroup) continue;
      if (!KINDS[wantedGroup].includes(crd.spec.names.kind)) continue;
      crds.push(crd);
      texts.push(text);
    }
  }
  if (crds.length !== KINDS[wantedGroup].length) {
    console.error(`import: expected ${KINDS[wantedGroup].join(', ')} in ${dir}, found ${crds.map((c) => c.spec.names.kind).join(', ') || 'none'}`);
    process.exit(2);
  }
  return { crds, digest: createHash('sha256').update(texts.join('')).digest('hex') };
}

function schemasOf(crds) {
  const schemas = {};
  for (const crd of crds) {
    for (const version of crd.spec.versions) {
      if (version.served) schemas[`${crd.spec.group}/${version.name}/${crd.spec.names.kind}`] = version.schema.openAPIV3Schema;
    }
  }
  return schemas;
}

const gatewayDir = process.env.GATEWAY_API_CRDS ?? moduleDir(GATEWAY_API, 'config/crd');
const inferenceDir = process.env.INFERENCE_EXTENSION_CRDS ?? moduleDir(INFERENCE, 'config/crd/bases');
const standard = readCrds(join(gatewayDir, 'standard'), 'gateway.networking.k8s.io');
const experimental = readCrds(join(gatewayDir, 'experimental'), 'gateway.networking.k8s.io');
const inference = readCrds(inferenceDir, 'inference.networking.k8s.io');

// Types from the experimental channel (a superset: HTTPRoute retry lives there);
// the validator checks against the standard channel unless told otherwise.
const work = mkdtempSync(join(tmpdir(), 'gateway-api-import-'));
try {
  for (const [group, crds] of [['gateway.networking.k8s.io', experimental.crds], ['inference.networking.k8s.io', inference.crds]]) {
    const v1Only = crds.map((crd) => ({ ...crd, spec: { ...crd.spec, versions: crd.spec.versions.filter((v) => v.name === 'v1') } }));
    const file = join(work, `${group}.yaml`);
    writeFileSync(file, v1Only.map((crd) => stringify(crd)).join('---\n'));
    execFileSync(join(root, 'node_modules/.bin/cdk8s'),
      ['import', file, '--language', 'typescript', '--output', importsDir, '--check-upgrade=false'],
      { cwd: work, stdio: 'inherit' });
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

const schemaFile = {
  source: {
    [`${GATEWAY_API.module}@${GATEWAY_API.version}`]: { standard: standard.digest, experimental: experimental.digest },
    [`${INFERENCE.module}@${INFERENCE.version}`]: inference.digest,
  },
  channels: {
    standard: { ...schemasOf(standard.crds), ...schemasOf(inference.crds) },
    experimental: { ...schemasOf(experimental.crds), ...schemasOf(inference.crds) },
  },
};
writeFileSync(join(importsDir, 'gateway-api-crd-schemas.json'), JSON.stringify(schemaFile) + '\n');
writeFileSync(join(importsDir, 'gateway-api-crd-defaults.json'), JSON.stringify(crdDefaults(schemaFile), null, 1) + '\n');
console.log(`import: Gateway API ${GATEWAY_API.version} (${KINDS['gateway.networking.k8s.io'].join(', ')}), Inference Extension ${INFERENCE.version} (InferencePool)`);
