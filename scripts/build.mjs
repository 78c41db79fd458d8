// Transpiles the app and the CLIs into .build/ with esbuild, and precompiles
// the schema validators of the kinds we emit beside them. No type-check
// here: `npm test` does that. `buildIfStale` skips the work when no source
// file is newer than the last build, so a synth costs one Node start-up.
import { buildSync } from 'esbuild';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(import.meta.dirname, '..');
const ENTRIES = { main: 'main.ts', validate: 'bin/validate.ts', explain: 'bin/explain.ts', diff: 'bin/diff.ts', diagram: 'bin/diagram.ts', release: 'bin/release.ts', contracts: 'bin/contracts.ts', bench: 'bench/bench.ts', 'synth-worker': 'lib/synth/output-check/worker-entry.ts', 'synth-worker-code': 'lib/synth/output-check/worker.ts' };
const SOURCES = ['main.ts', 'lib', 'bin', 'bench', 'imports', 'package-lock.json'];

const presentEntries = () => Object.fromEntries(Object.entries(ENTRIES).filter(([, file]) => existsSync(resolve(root, file))));

export const PRECOMPILED_FILE = 'istio-schema-validators.js';
export const GATEWAY_API_PRECOMPILED_FILE = 'gateway-api-schema-validators.js';

export const BUNDLE = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // Bundling the dependencies too saves resolving and loading hundreds of small files at start-up.
  mainFields: ['module', 'main'],
  logLevel: 'warning',
};

export function build() {
  removeCompileCaches();
  buildSync({
    ...BUNDLE,
    entryPoints: presentEntries(),
    outdir: '.build',
  });
  precompileSchemaValidators(resolve(root, '.build', PRECOMPILED_FILE), resolve(root, '.build', GATEWAY_API_PRECOMPILED_FILE));
}

/** V8's code kept for the bundles of the last build (see lib/synth/output-check/compile-cache.ts): named after their content, they would only pile up. */
function removeCompileCaches() {
  const dir = resolve(root, '.build');
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) if (name.includes('.v8-cache')) rmSync(join(dir, name), { force: true });
}

/**
 * Writes the validators to `outputFile`, e.g. .build/istio-schema-validators.js, and the Gateway API
 * kinds' to `gatewayApiFile` (see lib/validation/schema/schema.ts).
 */
export function precompileSchemaValidators(outputFile, gatewayApiFile) {
  const generator = resolve(root, '.build/precompile-schemas.js');
  buildSync({ ...BUNDLE, entryPoints: ['lib/validation/schema/precompile-schemas.ts'], outfile: generator });
  try {
    const generate = createRequire(import.meta.url)(generator);
    generate.precompileSchemas(outputFile);
    generate.precompileGatewayApiSchemas(gatewayApiFile);
  } finally {
    rmSync(generator, { force: true });
  }
}

export function buildIfStale() {
  const outputs = [...Object.keys(presentEntries()).map((name) => `${name}.js`), PRECOMPILED_FILE, GATEWAY_API_PRECOMPILED_FILE].map((file) => resolve(root, '.build', file));
  const builtAt = Math.min(...outputs.map((file) => (existsSync(file) ? statSync(file).mtimeMs : 0)));
  if (SOURCES.some((source) => newerThan(resolve(root, source), builtAt))) build();
}

function newerThan(path, time) {
  if (!existsSync(path)) return false;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs > time;
  return readdirSync(path).some((name) => !name.endsWith('.test.ts') && newerThan(join(path, name), time));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) build();
