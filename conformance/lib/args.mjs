// Command-line options, resolved once into absolute paths and numbers.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CONFORMANCE_DIR, ISTIO_VERSION, REPO_ROOT } from './paths.mjs';

const USAGE = `usage: node conformance/run.mjs [options]

  --dist DIR        synthesized YAML to check (default: dist)
  --corpus DIR      differential corpus with valid/ and invalid/ (default: test/corpus)
  --ours CMD        our validator; the case file is appended as last argument
                    (default: "node scripts/validate.mjs"; exit 0 = accepted, 1 = rejected,
                    anything else fails the run)
  --context DIR     objects dist/ references but does not own (e.g. the ingress Gateway), given to
                    istioctl analyze beside dist/ and never reported on (default: conformance/context)
  --suppressions F  istioctl analyze suppressions (default: conformance/analyze-suppressions.yaml)
  --stricter F      cases where we are deliberately stricter (default: conformance/stricter.yaml)
  --analyzer-allowed F  reviewed differences on Istio's analyzer test inputs
                    (default: conformance/analyzer-inputs-allowed.yaml)
  --shared DIR      shared folder with istio/${ISTIO_VERSION}/ (default: <repo>/../shared)
  --differences F   documented differences of the traffic simulation
                    (default: conformance/simulation-differences.yaml)
  --samples DIR     Istio samples for the traffic simulation (default: <shared>/istio/${ISTIO_VERSION}/samples)
  --jobs N          parallel API-server dry-runs for the corpus (default: 2)
  --skip-dist       skip the dist phase
  --skip-corpus     skip the corpus phase
  --skip-simulation skip the traffic simulation (our simulator against Istio's generated Envoy routes)
  --skip-gateway-api  skip explain's Gateway API judges: the Gateway API conformance suite's
                    HTTPRoute cases, and Istio's own conversion and Envoy routes (gateway-api)
  --gateway-api-apps N  generated apps (contract seed) rendered with api: 'gateway-api' for the
                    latter, besides its fixtures (default: 300; 0: none)
  --skip-contracts  skip the option contracts on generated apps (against explain)
  --contract-apps N generated apps for the contracts (default: 2000, 100 requests each)
  --contract-seed N fast-check seed for the contracts (default: 22)
  --contract-istio-apps N  apps (same seed) Istio's routes also judge (default: 2000; 0: none)
  --skip-release-gate  skip the release gate against Prometheus (local runs only; refused under CI=true)
  --rebuild         rebuild the Go tools even if the cache stamp matches
  --keep            keep the temp dir (logs, kubeconfig) and print its path
  --serve           start the API server with the CRDs, print a kubeconfig, wait for Ctrl-C
  -v, --verbose     print tool output for passing checks too
  -h, --help`;

/** Parses process.argv; prints usage and exits for --help (0) and for bad flags (2). */
export function parseOptions() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        dist: { type: 'string', default: 'dist' },
        corpus: { type: 'string' },
        ours: { type: 'string' },
        shared: { type: 'string' },
        suppressions: { type: 'string' },
        context: { type: 'string' },
        stricter: { type: 'string' },
        'analyzer-allowed': { type: 'string' },
        differences: { type: 'string' },
        samples: { type: 'string' },
        jobs: { type: 'string', default: '2' },
        'skip-dist': { type: 'boolean', default: false },
        'skip-corpus': { type: 'boolean', default: false },
        'skip-simulation': { type: 'boolean', default: false },
        'gateway-api-apps': { type: 'string', default: '300' },
        'skip-contracts': { type: 'boolean', default: false },
        'skip-gateway-api': { type: 'boolean', default: false },
        'contract-apps': { type: 'string', default: '2000' },
        'contract-seed': { type: 'string', default: '22' },
        'contract-istio-apps': { type: 'string', default: '2000' },
        'skip-release-gate': { type: 'boolean', default: false },
        rebuild: { type: 'boolean', default: false },
        keep: { type: 'boolean', default: false },
        serve: { type: 'boolean', default: false },
        verbose: { type: 'boolean', short: 'v', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    console.error(`conformance: ${e.message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }

  if (values['skip-release-gate'] && process.env.CI) {
    console.error('conformance: --skip-release-gate is for local runs; under CI the release gate must run');
    process.exit(2);
  }

  const sharedDir = path.resolve(values.shared ?? path.join(REPO_ROOT, '..', 'shared'));
  return {
    distDir: path.resolve(values.dist),
    corpusDir: path.resolve(values.corpus ?? path.join(REPO_ROOT, 'test', 'corpus')),
    // A missing default corpus is a note; a missing corpus someone asked for is a failure.
    corpusExplicit: values.corpus !== undefined,
    oursCommand: values.ours,
    contextDir: path.resolve(values.context ?? path.join(CONFORMANCE_DIR, 'context')),
    contextExplicit: values.context !== undefined,
    suppressionsFile: path.resolve(values.suppressions ?? path.join(CONFORMANCE_DIR, 'analyze-suppressions.yaml')),
    suppressionsExplicit: Boolean(values.suppressions),
    stricterFile: path.resolve(values.stricter ?? path.join(CONFORMANCE_DIR, 'stricter.yaml')),
    stricterExplicit: Boolean(values.stricter),
    analyzerAllowList: path.resolve(values['analyzer-allowed'] ?? path.join(CONFORMANCE_DIR, 'analyzer-inputs-allowed.yaml')),
    differencesFile: path.resolve(values.differences ?? path.join(CONFORMANCE_DIR, 'simulation-differences.yaml')),
    differencesExplicit: Boolean(values.differences),
    samplesDir: path.resolve(values.samples ?? path.join(sharedDir, 'istio', ISTIO_VERSION, 'samples')),
    samplesExplicit: Boolean(values.samples),
    crdFile: path.join(sharedDir, 'istio', ISTIO_VERSION, 'crd-all.gen.yaml'),
    jobs: Math.max(1, Number.parseInt(values.jobs, 10) || 2),
    skipDist: values['skip-dist'],
    skipCorpus: values['skip-corpus'],
    skipSimulation: values['skip-simulation'],
    gatewayApiApps: wholeNumber('--gateway-api-apps', values['gateway-api-apps']),
    skipContracts: values['skip-contracts'],
    skipGatewayApi: values['skip-gateway-api'],
    contractApps: wholeNumber('--contract-apps', values['contract-apps']),
    contractSeed: wholeNumber('--contract-seed', values['contract-seed']),
    contractIstioApps: wholeNumber('--contract-istio-apps', values['contract-istio-apps']),
    skipReleaseGate: values['skip-release-gate'],
    rebuild: values.rebuild,
    keep: values.keep,
    serve: values.serve,
    verbose: values.verbose,
  };
}

/** A flag's whole number; exits 2 naming the flag otherwise. */
function wholeNumber(flag, value) {
  if (!/^\d+$/.test(value)) {
    console.error(`conformance: ${flag} must be a whole number, received "${value}"`);
    process.exit(2);
  }
  return Number(value);
}
