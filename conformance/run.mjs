#!/usr/bin/env node
// Conformance harness: checks the synthesized Istio YAML (dist/) and a corpus of
// valid/invalid cases against real Istio 1.30 tooling and a real Kubernetes API
// server that has Istio's CRDs installed, and our traffic simulator against the
// Envoy routes Istio generates from the same YAML; then `npm run release`'s gate
// against a real Prometheus.
//
//   node conformance/run.mjs [--dist dist] [--corpus test/corpus] [--ours "<cmd>"]
//
// See conformance/README.md. Plain Node ESM; only node builtins plus the
// project's `yaml` dependency. The steps live in lib/, one file each.

import { startApiserver } from './lib/apiserver.mjs';
import { parseOptions } from './lib/args.mjs';
import { createCertificates } from './lib/certificates.mjs';
import { cleanup, installCleanupHandlers, interruptedBySignal, signalExitCode } from './lib/cleanup.mjs';
import { checkAnalyzeCorpus } from './lib/analyze-corpus.mjs';
import { checkAnalyzerInputs } from './lib/analyzer-inputs.mjs';
import { checkContracts } from './lib/contracts.mjs';
import { checkCorpus } from './lib/corpus.mjs';
import { checkDist } from './lib/dist-checks.mjs';
import { checkGatewayApi } from './lib/gateway-api.mjs';
import { checkGatewayApiCases } from './lib/gateway-api-cases.mjs';
import { startEtcd } from './lib/etcd.mjs';
import { HarnessError } from './lib/harness-error.mjs';
import { checkGatewayApiCorpus } from './lib/gateway-api-corpus.mjs';
import { GATEWAY_API, gatewayApiCrdFiles, INFERENCE_EXTENSION, installGatewayApiCrds } from './lib/gateway-api-crds.mjs';
import { installIstioCrds } from './lib/istio-crds.mjs';
import { info } from './lib/log.mjs';
import { resolveOurValidator } from './lib/our-validator.mjs';
import { ISTIO_VERSION } from './lib/paths.mjs';
import { requireCrdFile, requirePrograms } from './lib/prerequisites.mjs';
import { checkReleaseGate } from './lib/release-gate/checks.mjs';
import { anyPhaseRan, phase, printTimings, Summary } from './lib/report.mjs';
import { checkSimulation } from './lib/simulation.mjs';
import { buildTools } from './lib/tools.mjs';
import { createWorkspace, workspacePath } from './lib/workspace.mjs';
import { checkWorkflows } from './lib/workflows.mjs';

const options = parseOptions();
installCleanupHandlers(options);

async function main() {
  requirePrograms();
  requireCrdFile(options.crdFile);
  // Before any slow work: a validator that cannot run fails the run, it is never skipped.
  const ourValidator = options.skipCorpus ? null : resolveOurValidator(options.oursCommand);

  const summary = new Summary();
  const bins = await phase('build tools', () => buildTools(options));

  info(`temp dir ${createWorkspace()}`);
  await phase('workflows: actionlint', () => checkWorkflows({ actionlint: bins.actionlint, summary }));
  // The API server serves the dist and corpus phases (and --serve); the simulation needs none.
  if (options.serve || !options.skipDist || !options.skipCorpus) {
    const { api, crds } = await startControlPlane(bins);
    if (options.serve) {
      info(`serving; try: kubectl --kubeconfig ${api.kubeconfig} get crd   (Ctrl-C stops and cleans up)`);
      await new Promise(() => {}); // until a signal: its handler cleans up and exits
    }
    const checkInputs = { api, istioctl: bins.istioctl, options, summary };
    if (!options.skipDist) await checkDist({ ...checkInputs, servedGroups: crds.groups });
    if (!options.skipCorpus) {
      info('corpus ...');
      await checkCorpus({ ...checkInputs, ourValidator });
      info('gateway-api corpus ...');
      await checkGatewayApiCorpus({ ...checkInputs, ourValidator, gatewayApiCrds: crds.gatewayApiCrds, installed: crds.gatewayApiChannel, servedGroups: crds.groups });
      info('analyze corpus ...');
      await checkAnalyzeCorpus({ bins, ourValidator, options, summary });
      info("analyzer inputs (Istio's analyzer test inputs) ...");
      if (ourValidator.batch) await checkAnalyzerInputs({ bins, ourValidator, options, summary });
      else summary.notes.push('analyzer inputs: not compared (a custom --ours command gives verdicts only)');
    }
  }
  if (!options.skipSimulation) {
    info('simulation ...');
    await checkSimulation({ simulate: bins.simulate, options, summary });
  }
  if (!options.skipGatewayApi) {
    await phase('gateway-api cases: the Gateway API conformance suite\'s HTTPRoute cases against explain', () => checkGatewayApiCases({ summary }));
    info('gateway-api: HTTPRoutes through Istio\'s Gateway API controller ...');
    await checkGatewayApi({ simulate: bins.simulate, summary, apps: options.gatewayApiApps, seed: options.contractSeed });
  }
  if (!options.skipContracts) {
    await phase('contracts: generated apps, each option\'s contract against explain', () => checkContracts({ options, summary, simulate: bins.simulate }));
  }
  if (!options.skipReleaseGate) {
    info('release gate against a real Prometheus ...');
    await checkReleaseGate({ prometheusBin: bins.prometheus, summary });
  }

  await phase('teardown', cleanup);
  return summary.print();
}

/**
 * etcd, the API server, Istio's CRDs and the Gateway API's (experimental channel: a superset of the
 * standard one, so dist passes whichever channel the app declares): { api, crds }.
 */
async function startControlPlane(bins) {
  const certs = await phase('certificates (openssl)', () => createCertificates(workspacePath('pki')));
  const etcd = await phase('start etcd', () => startEtcd(bins.etcd));
  info(`  etcd at ${etcd.url} (pid ${etcd.daemon.child.pid})`);
  const api = await phase('start apiextensions-apiserver', () =>
    startApiserver(bins['apiextensions-apiserver'], etcd.url, certs));
  info(`  API server at ${api.base} (pid ${api.daemon.child.pid})`);
  const crds = await phase(`install Istio ${ISTIO_VERSION} CRDs`, () =>
    installIstioCrds(api, options.crdFile).catch((e) => {
      if (!options.serve) throw e;
      console.error(`conformance: ${e.message}`); // --serve is for debugging: keep serving
      return { count: 0, groups: new Set() };
    }));
  info(`  ${crds.count} CRDs established`);
  const gatewayApiCrds = await phase('Gateway API CRDs from the Go module cache', () => gatewayApiCrdFiles());
  const gatewayApi = await phase(`install Gateway API ${GATEWAY_API.version} (experimental channel) and Inference Extension ${INFERENCE_EXTENSION.version} CRDs`, () =>
    installGatewayApiCrds(api, gatewayApiCrds, 'experimental'));
  info(`  ${gatewayApi.count} CRDs established`);
  const groups = new Set([...crds.groups, ...gatewayApi.groups]);
  return { api, crds: { count: crds.count + gatewayApi.count, groups, gatewayApiCrds, gatewayApiChannel: 'experimental' } };
}

main()
  .then(async (code) => {
    await cleanup();
    process.exit(interruptedBySignal() ? signalExitCode(interruptedBySignal()) : code);
  })
  .catch(async (e) => {
    // An error after a signal is the signal's doing (killed children): report the signal.
    if (interruptedBySignal()) {
      await cleanup();
      process.exit(signalExitCode(interruptedBySignal()));
    }
    if (e instanceof HarnessError) console.error(`conformance: FAILED: ${e.message}`);
    else console.error('conformance: internal error:', e);
    await cleanup();
    if (anyPhaseRan()) printTimings();
    process.exit(1);
  });
