// The Gateway API CRDs (v1.5.1, standard and experimental channels) and the
// Inference Extension's InferencePool CRD (v1.4.0): the versions Istio 1.30.3
// builds against, read from the Go module cache, where building istioctl (its
// go.mod requires both modules) puts them; `go mod download` fetches them when
// they are not there. Only the CRDs: the channel folders also hold a
// ValidatingAdmissionPolicy, which the CRD-only API server does not serve.
import fs from 'node:fs';
import path from 'node:path';
import { HarnessError } from './harness-error.mjs';
import { installCrds } from './istio-crds.mjs';
import { DRY_RUN_APPLY, kubectl } from './kubectl.mjs';
import { indent } from './log.mjs';
import { CONFORMANCE_DIR, REPO_ROOT } from './paths.mjs';
import { run } from './processes.mjs';
import { waitFor } from './wait-for.mjs';
import { workspacePath } from './workspace.mjs';
import YAML from './yaml.mjs';

export const GATEWAY_API = { module: 'sigs.k8s.io/gateway-api', version: 'v1.5.1', crds: 'config/crd' };
export const INFERENCE_EXTENSION = { module: 'sigs.k8s.io/gateway-api-inference-extension', version: 'v1.4.0', crds: 'config/crd/bases' };
export const CHANNELS = ['standard', 'experimental'];

/** Where a module's CRDs are in the module cache, downloading the module when they are not. */
async function moduleCrdDir({ module, version, crds }) {
  const toolsModule = path.join(CONFORMANCE_DIR, 'tools', 'istioctl');
  const env = await run('go', ['env', 'GOMODCACHE'], { cwd: toolsModule, name: 'go env' });
  if (env.code !== 0) throw new HarnessError(`go env GOMODCACHE failed:\n${indent(env.stderr)}`);
  const dir = path.join(env.stdout.trim(), `${module}@${version}`, crds);
  if (!fs.existsSync(dir)) {
    const r = await run('go', ['mod', 'download', `${module}@${version}`], { cwd: toolsModule, name: 'go mod download', timeoutMs: 10 * 60_000 });
    if (r.code !== 0 || !fs.existsSync(dir)) throw new HarnessError(`${module}@${version} has no ${crds} in the module cache, and go mod download failed:\n${indent(r.stderr)}`);
  }
  return dir;
}

function crdDocuments(dir, accept = () => true) {
  return fs.readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()
    .flatMap((f) => YAML.parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf8')))
    .filter((doc) => doc.toJS()?.kind === 'CustomResourceDefinition' && accept(doc.toJS()));
}

/** Writes one file per channel (its Gateway API CRDs plus the InferencePool CRD); returns { standard, experimental }. */
export async function gatewayApiCrdFiles() {
  const gatewayApi = await moduleCrdDir(GATEWAY_API);
  const inferencePool = crdDocuments(await moduleCrdDir(INFERENCE_EXTENSION), (crd) => crd.spec.group === 'inference.networking.k8s.io');
  // llm-d's InferenceModelRewrite and InferenceObjective (LlmService's adapter rollouts), as imported (npm run import:llm-d).
  inferencePool.push(...YAML.parseAllDocuments(fs.readFileSync(path.join(REPO_ROOT, 'imports', 'llm-d-crds.yaml'), 'utf8')).filter((doc) => doc.toJS()?.kind === 'CustomResourceDefinition'));
  const files = {};
  for (const channel of CHANNELS) {
    files[channel] = workspacePath(`gateway-api-${channel}-crds.yaml`);
    fs.writeFileSync(files[channel], [...crdDocuments(path.join(gatewayApi, channel)), ...inferencePool].map((d) => d.toString()).join('---\n'));
  }
  return files;
}

// An HTTPRoute only the experimental CRDs accept (retry): tells which channel the server applies.
const PROBE = `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: channel-probe, namespace: default}
spec:
  rules:
  - backendRefs: [{name: probe, port: 80}]
    retry: {attempts: 1}
`;

/**
 * Installs (or swaps to) one channel's CRDs and waits until the API server
 * validates with them: a replaced CRD's schema takes effect a little after
 * it is Established. Returns { count, groups }.
 */
export async function installGatewayApiCrds(api, files, channel) {
  const installed = await installCrds(api, files[channel], `Gateway API ${GATEWAY_API.version} ${channel}-channel CRDs`);
  const probe = workspacePath('gateway-api-channel-probe.yaml');
  fs.writeFileSync(probe, PROBE);
  await waitFor(`the ${channel}-channel HTTPRoute schema`, api.daemon, async () => {
    const r = await kubectl(api, [...DRY_RUN_APPLY, '-f', probe]);
    return (r.code === 0) === (channel === 'experimental') || `retry ${r.code === 0 ? 'accepted' : 'rejected'}`;
  }, 60_000);
  return installed;
}
