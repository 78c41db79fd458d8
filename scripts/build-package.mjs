// Builds the npm package into out/ (`npm pack` runs it as prepack):
// - index.js: the construct library (lib/index.ts), traffic.js: the traffic
//   model (lib/traffic/index.ts), each one CommonJS bundle of our code and
//   our dependencies, except cdk8s and constructs: those are peer
//   dependencies, the user's own copy, so that the Chart and App a user
//   creates are the classes the library checks with instanceof;
// - cli.js: the `ml-routing` binary; validate.js, explain.js, diff.js and
//   diagram.js: its commands, each loaded only when it runs;
// - istio-schema-validators.js and gateway-api-schema-validators.js (the
//   precompiled validators, made self-contained),
//   synth-worker.js and synth-worker-code.js (synth's second thread), beside
//   index.js where the library looks for them;
// - types/: the .d.ts of the public API, from tsc.
import { build, buildSync } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUNDLE, GATEWAY_API_PRECOMPILED_FILE, PRECOMPILED_FILE, precompileSchemaValidators } from './build.mjs';

const root = resolve(import.meta.dirname, '..');
const out = join(root, 'out');
const PEERS = ['cdk8s', 'constructs'];
/** The commands cli.js loads on demand (bin/ml-routing.ts requires them by these paths). */
const COMMANDS = ['validate', 'explain', 'diff', 'diagram'];

const LIBRARY = {
  index: 'lib/index.ts',
  traffic: 'lib/traffic/index.ts',
  'synth-worker': 'lib/synth/output-check/worker-entry.ts',
  'synth-worker-code': 'lib/synth/output-check/worker.ts',
  ...Object.fromEntries(COMMANDS.map((name) => [name, `bin/${name}.ts`])),
};

/** bin/ml-routing.ts's `require('./validate')` stays a require of out/validate.js. */
const commandsStayExternal = {
  name: 'commands-stay-external',
  setup(build) {
    build.onResolve({ filter: new RegExp(`^\\./(${COMMANDS.join('|')})$`) }, (args) => ({ path: `${args.path}.js`, external: true }));
  },
};

export async function buildPackage() {
  rmSync(out, { recursive: true, force: true });
  buildSync({ ...BUNDLE, entryPoints: LIBRARY, outdir: out, external: PEERS });
  await build({ ...BUNDLE, entryPoints: { cli: 'bin/ml-routing.ts' }, outdir: out, external: PEERS, plugins: [commandsStayExternal] });
  bundleSchemaValidators();
  mkdirSync(join(out, 'types'), { recursive: true });
  execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.package.json'], { cwd: root, stdio: 'inherit' });
}

/** ajv's standalone code requires parts of ajv and ajv-formats, which the package does not install: bundle them in. */
function bundleSchemaValidators() {
  const generated = [PRECOMPILED_FILE, GATEWAY_API_PRECOMPILED_FILE].map((file) => join(out, `generated-${file}`));
  precompileSchemaValidators(...generated);
  try {
    for (const file of [PRECOMPILED_FILE, GATEWAY_API_PRECOMPILED_FILE]) buildSync({ ...BUNDLE, entryPoints: [join(out, `generated-${file}`)], outfile: join(out, file) });
  } finally {
    for (const file of generated) rmSync(file, { force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildPackage();
