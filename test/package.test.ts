// The package as a user gets it: `npm pack`, installed from the tarball into
// empty folders, with cdk8s and constructs at this repository's versions.
// npm install --prefer-offline: `npm ci` left every dependency in npm's cache.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const root = join(__dirname, '..');
const ours = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const bin = (name: string) => join(root, 'node_modules', '.bin', name);

/** Runs a program to its end: its stdout and stderr; rejects with both when it fails. */
async function output(file: string, args: string[], cwd: string): Promise<{ stdout: string; stderr: string }> {
  try {
    return await promisify(execFile)(file, args, { cwd, env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' }, maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${file} ${args.join(' ')} (in ${cwd}) failed:\n${stdout ?? ''}${stderr ?? ''}`);
  }
}

const run = async (file: string, args: string[], cwd: string) => (await output(file, args, cwd)).stdout;

const npmInstall = (cwd: string, specs: string[] = []) => run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', ...specs], cwd);

/** The seed service of this repository's main.ts, written against the package. */
const SEED_APP = `import { Chart } from 'cdk8s';
import { ModelService, Percent, RequestMatch, RoutingApp, RoutingAppProps, runApp, Strategy } from 'ml-mesh-routing';

export function buildApp(props: RoutingAppProps = {}): RoutingApp {
  const app = new RoutingApp(props);
  const ml = new Chart(app, 'ml', { namespace: 'ml', disableResourceNameHashes: true });
  new ModelService(ml, 'ml-service', {
    versions: { v1: {}, v2: {} },
    routes: [{
      name: 'predict',
      match: RequestMatch.uriPrefix('/predict'),
      strategy: Strategy.canary({ v1: Percent.of(90), v2: Percent.of(10) }),
    }],
  });
  return app;
}

if (require.main === module) void runApp(buildApp);
`;

/** A progressive release, for the release CLI (ModelService and RoutingApp checked with the package's own classes). */
const PROGRESSIVE_APP = `import { Chart, Duration } from 'cdk8s';
import { ModelService, Percent, RoutingApp, RoutingAppProps, runApp, Strategy } from 'ml-mesh-routing';

function buildApp(props: RoutingAppProps = {}): RoutingApp {
  // Its own output and positions, beside the init'd app's: a move writes the two as one pair.
  const app = new RoutingApp({ outdir: 'forecast-dist', releasesFile: 'forecast-releases.yaml', ...props });
  new ModelService(new Chart(app, 'ml', { namespace: 'ml', disableResourceNameHashes: true }), 'forecast', {
    versions: { v1: {}, v2: {} },
    traffic: Strategy.progressive({
      from: 'v1', to: 'v2', steps: [Percent.of(10), Percent.of(100)],
      analysis: { minRequests: 100, successRate: Percent.of(99), p99Latency: Duration.millis(500), interval: Duration.minutes(5) },
    }),
  });
  return app;
}

void runApp(buildApp);
`;

let work: string;
let tarball: string;
let packed: string[];
let app: string;
let repo: string;
/** The init'd repository's npm install, under way while the tests of the plain app run. */
let repoInstalled: Promise<string>;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'package-test-'));
  // npm pack runs prepack: scripts/build-package.mjs builds out/.
  const [pack] = JSON.parse(await run('npm', ['pack', '--json', '--pack-destination', work], root));
  tarball = join(work, pack.filename);
  packed = pack.files.map((file: { path: string }) => file.path).sort();
  app = join(work, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), '{ "name": "app", "private": true }\n');
  await npmInstall(app, [tarball, `cdk8s@${ours.devDependencies.cdk8s}`, `constructs@${ours.devDependencies.constructs}`]);
  // ml-routing init from the installed package, into a new folder.
  repo = join(work, 'repo');
  await run(join(app, 'node_modules', '.bin', 'ml-routing'), ['init', repo, '--package', `file:${tarball}`], work);
  repoInstalled = npmInstall(repo);
  repoInstalled.catch(() => undefined); // awaited by its test
}, 300_000);

afterAll(async () => {
  await repoInstalled?.catch(() => undefined);
  rmSync(work, { recursive: true, force: true });
});

test('the tarball holds the bundles, their declarations, the init templates and nothing else', () => {
  expect(packed.filter((path) => !path.startsWith('out/types/'))).toEqual([
    'README.md',
    'out/cli.js',
    'out/diagram.js',
    'out/diff.js',
    'out/explain.js',
    'out/index.js',
    'out/istio-schema-validators.js',
    'out/synth-worker-code.js',
    'out/synth-worker.js',
    'out/traffic.js',
    'out/validate.js',
    'package.json',
    ...readdirSync(join(root, 'templates/gitops-repo'), { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name).slice(root.length + 1)),
  ].sort());
  expect(packed).toEqual(expect.arrayContaining(['out/types/lib/index.d.ts', 'out/types/lib/traffic/index.d.ts']));
  expect(packed.filter((path) => path.endsWith('.test.d.ts') || path.includes('.v8-cache'))).toEqual([]);
  // cdk8s and constructs are the user's: required, never bundled.
  const library = readFileSync(join(app, 'node_modules/ml-mesh-routing/out/index.js'), 'utf8');
  expect(library).toContain('require("cdk8s")');
  expect(library).not.toMatch(/^\/\/ node_modules\/(cdk8s|constructs)\//m);
  expect(readdirSync(join(app, 'node_modules')).sort()).toEqual(['.bin', '.package-lock.json', 'cdk8s', 'constructs', 'ml-mesh-routing']);
});

test('a cdk8s app with the seed service synthesizes dist/ml.ml-service.yaml byte for byte', async () => {
  writeFileSync(join(app, 'main.ts'), SEED_APP);
  writeFileSync(join(app, 'cdk8s.yaml'), [
    'language: typescript',
    `app: ${bin('esbuild')} main.ts --bundle --platform=node --packages=external --log-level=warning --outfile=.build/main.js && node .build/main.js`,
    'output: .cdk8s.out',
    '',
  ].join('\n'));
  await run(bin('cdk8s'), ['synth', '--check-upgrade=false'], app);
  expect(readdirSync(join(app, 'dist'))).toEqual(['ml.ml-service.yaml']);
  expect(readFileSync(join(app, 'dist/ml.ml-service.yaml'), 'utf8')).toBe(readFileSync(join(root, 'dist/ml.ml-service.yaml'), 'utf8'));
}, 120_000);

test('the installed library loads its precompiled validators and runs synth\'s second thread from the package', async () => {
  const out = join(app, 'node_modules/ml-mesh-routing/out');
  // Self-contained: no ajv is installed beside the package.
  const validators = await run('node', ['-p', `Object.keys(require(${JSON.stringify(join(out, 'istio-schema-validators.js'))})).sort().join(' ')`], app);
  // The kinds the library writes: Istio's, and the Gateway API's per channel (its output, and LLM services' InferencePools).
  expect(validators.trim().split(' ')).toEqual([
    'experimental:gateway.networking.k8s.io/v1/HTTPRoute', 'networking.istio.io/v1/DestinationRule', 'networking.istio.io/v1/VirtualService',
    'security.istio.io/v1/AuthorizationPolicy', 'security.istio.io/v1/PeerAuthentication', 'standard:gateway.networking.k8s.io/v1/Gateway',
    'standard:gateway.networking.k8s.io/v1/HTTPRoute', 'standard:gateway.networking.k8s.io/v1/ReferenceGrant',
    'standard:gateway.networking.k8s.io/v1beta1/ReferenceGrant', 'standard:inference.networking.k8s.io/v1/InferencePool',
  ]);
  const parallel = `
    const { buildApp } = require('./.build/main.js');
    process.stdout.write(buildApp({ parallel: true }).synthesize().files.get('ml.ml-service.yaml'));`;
  expect(await run('node', ['-e', parallel], app)).toBe(readFileSync(join(root, 'dist/ml.ml-service.yaml'), 'utf8'));
  // The worker keeps V8's code beside its bundle once it has run: it ran from the package.
  expect(readdirSync(out).filter((name) => name.startsWith('synth-worker-code.js.') && name.endsWith('.v8-cache'))).toHaveLength(1);
}, 120_000);

test('ml-routing init writes a repository whose behaviour tests and synth pass with the installed package', async () => {
  await repoInstalled;
  // Its tests type-check main.ts against the package's declarations, then ask the traffic model where requests go.
  expect((await output('npm', ['test', '--silent'], repo)).stderr).toMatch(/^Tests: +3 passed, 3 total$/m);
  await run('npm', ['run', 'synth', '--silent'], repo);
  expect(readdirSync(join(repo, 'dist'))).toEqual(['ml.my-model.yaml']);
  const explained = JSON.parse(await run(join(repo, 'node_modules/.bin/ml-routing'), ['explain', '--host', 'my-model', '--path', '/predict', '--json'], repo));
  expect(explained.destinations.map((d: { subset: string; weight: number }) => [d.subset, d.weight])).toEqual([['v1', 90], ['v2', 10]]);
}, 300_000);

test('ml-routing release moves a progressive release of the user\'s app, run by the app\'s own command', async () => {
  await repoInstalled;
  writeFileSync(join(repo, 'forecast.ts'), PROGRESSIVE_APP);
  const app = 'esbuild forecast.ts --bundle --platform=node --packages=external --log-level=warning --outfile=.build/forecast.js && node .build/forecast.js';
  const moved = await run(join(repo, 'node_modules/.bin/ml-routing'), ['release', '--app', app, 'promote', 'ml/forecast'], repo);
  expect(moved).toBe('ml/forecast: v2 0% → 10%, v1 100% → 90% (step 1 of 2)\n');
  expect(readFileSync(join(repo, 'forecast-releases.yaml'), 'utf8')).toContain('ml/forecast:\n  from: v1\n  to: v2\n  state: progressing\n  step: 1\n');
  expect(readFileSync(join(repo, 'forecast-dist/ml.forecast.yaml'), 'utf8')).toContain('subset: v2\n          weight: 10\n');
}, 120_000);
