// Builds the pinned Go tools (conformance/tools/*/go.mod) into .cache/conformance/bin.
// A stamp per binary records what it was built from (the module files, and the
// sources of our own packages); a binary is rebuilt only when that changes.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { HarnessError } from './harness-error.mjs';
import { indent, info, secs } from './log.mjs';
import { CONFORMANCE_DIR, TOOL_CACHE_DIR } from './paths.mjs';
import { run } from './processes.mjs';
import { which } from './which.mjs';

// Separate modules, so that MVS cannot unify istioctl's dependency graph with etcd's or Prometheus'.
// `simulate` is our own package inside the istioctl module (so its Istio is exactly
// istioctl's): `sources` is its folder, hashed into its stamp.
const TOOL_MODULES = [
  {
    dir: 'istioctl',
    bins: [
      { name: 'istioctl', pkg: 'istio.io/istio/istioctl/cmd/istioctl', coldMinutes: 4 },
      // istioctl analyze's analyzers over files as a cluster's content (see istio-analyze/main.go).
      { name: 'istio-analyze', pkg: './istio-analyze', sources: 'istio-analyze' },
      { name: 'simulate', pkg: './simulate', sources: 'simulate', coldMinutes: 5, optional: ['skipSimulation', 'skipContracts', 'skipGatewayApi'] },
    ],
  },
  {
    dir: 'apiserver',
    bins: [
      { name: 'etcd', pkg: 'go.etcd.io/etcd/server/v3' },
      { name: 'apiextensions-apiserver', pkg: 'k8s.io/apiextensions-apiserver' },
    ],
  },
  {
    dir: 'actionlint',
    bins: [{ name: 'actionlint', pkg: 'github.com/rhysd/actionlint/cmd/actionlint' }],
  },
  {
    dir: 'prometheus',
    bins: [{ name: 'prometheus', pkg: 'github.com/prometheus/prometheus/cmd/prometheus', coldMinutes: 7, optional: 'skipReleaseGate' }],
  },
];

// -buildvcs=false: the modules live inside the project's git work tree; do not
// let go run git to stamp VCS info (nor depend on it).
const BUILD_FLAGS = ['-trimpath', '-buildvcs=false', '-ldflags=-s -w'];

/**
 * Builds what is stale (everything with `rebuild`), skipping binaries whose `optional`
 * options are all set (e.g. `skipSimulation`: simulate serves the contracts too); returns { binary name: path }.
 */
export async function buildTools(options) {
  const env = goEnv();
  const goVersion = await goVersionOf(env);
  fs.mkdirSync(TOOL_CACHE_DIR, { recursive: true });
  const paths = {};
  for (const mod of TOOL_MODULES) {
    const modDir = path.join(CONFORMANCE_DIR, 'tools', mod.dir);
    for (const b of mod.bins.filter((bin) => !(bin.optional && [bin.optional].flat().every((o) => options[o])))) {
      paths[b.name] = path.join(TOOL_CACHE_DIR, b.name);
      const stampFile = path.join(TOOL_CACHE_DIR, `${b.name}.stamp`);
      const hash = binaryHash(modDir, goVersion, b);
      const upToDate =
        fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8').trim() === hash && fs.existsSync(paths[b.name]);
      if (upToDate && !options.rebuild) {
        info(`  ${b.name}: cached (${hash.slice(0, 12)})`);
        continue;
      }
      const sources = ownSources(modDir, b);
      await goBuild(modDir, b, env);
      // Sources edited while go built may not be in the binary: leave it unstamped, to be rebuilt.
      if (ownSources(modDir, b) !== sources) {
        fs.rmSync(stampFile, { force: true });
        info(`  ${b.name}: its sources changed during the build; it will be rebuilt next time`);
        continue;
      }
      // go.sum may have been completed by -mod=mod: stamp the final state.
      fs.writeFileSync(stampFile, `${binaryHash(modDir, goVersion, b)}\n`);
    }
  }
  return paths;
}

async function goBuild(modDir, { name, pkg, coldMinutes }, env) {
  const t0 = performance.now();
  const tmpOut = path.join(TOOL_CACHE_DIR, `.${name}.${process.pid}.tmp`);
  info(`  building ${name} (${pkg}) ...${coldMinutes ? ` (from scratch: ~${coldMinutes} min on 2 cores)` : ''}`);
  const r = await run('go', ['build', ...BUILD_FLAGS, '-o', tmpOut, pkg], {
    cwd: modDir,
    env,
    timeoutMs: 60 * 60_000,
    name: `go build ${name}`,
  });
  if (r.code !== 0) {
    fs.rmSync(tmpOut, { force: true });
    throw new HarnessError(`go build ${pkg} failed (exit ${r.code}):\n${indent(r.stderr)}`);
  }
  fs.renameSync(tmpOut, path.join(TOOL_CACHE_DIR, name)); // atomic: concurrent runs are safe
  info(`  built ${name} in ${secs(performance.now() - t0)}`);
}

function goEnv() {
  // -mod=mod: resolve from go.mod/go.sum without a vendor dir; keep any other GOFLAGS.
  const flags = (process.env.GOFLAGS ?? '')
    .split(/\s+/)
    .filter((f) => f && !f.startsWith('-mod='));
  return { ...process.env, GOFLAGS: [...flags, '-mod=mod'].join(' ') };
}

/** The cache key: toolchain, platform, flags, package, the module files and our own sources. */
function binaryHash(modDir, goVersion, bin) {
  const h = crypto.createHash('sha256');
  h.update(`${goVersion}\n${process.platform}/${process.arch}\n${BUILD_FLAGS.join(' ')}\n`);
  h.update(`${bin.name}=${bin.pkg}\n`);
  hashFiles(h, modDir, ['go.mod', 'go.sum', 'tools.go']);
  h.update(ownSources(modDir, bin));
  return h.digest('hex');
}

/** A digest of the binary's own .go files ("" for a tool built from its module alone). */
function ownSources(modDir, bin) {
  if (!bin.sources) return '';
  const files = fs.readdirSync(path.join(modDir, bin.sources)).filter((f) => f.endsWith('.go')).sort().map((f) => path.join(bin.sources, f));
  return hashFiles(crypto.createHash('sha256'), modDir, files).digest('hex');
}

function hashFiles(h, modDir, files) {
  for (const f of files) {
    const p = path.join(modDir, f);
    h.update(`--${f}--\n`);
    if (fs.existsSync(p)) h.update(fs.readFileSync(p));
  }
  return h;
}

// Read from $GOROOT/VERSION when possible so that a cached run does not invoke
// go at all (go writes telemetry counters under ~/.config/go on every invocation).
// With GOTOOLCHAIN set, the toolchain that builds may not be that one: ask go.
async function goVersionOf(env) {
  try {
    const goroot = path.dirname(path.dirname(fs.realpathSync(which('go'))));
    const version = fs.readFileSync(path.join(goroot, 'VERSION'), 'utf8').split('\n')[0].trim();
    if (/^go\d/.test(version) && !process.env.GOTOOLCHAIN) return version;
  } catch {
    /* fall through */
  }
  const r = await run('go', ['env', 'GOVERSION'], { env, name: 'go env' });
  if (r.code !== 0) throw new HarnessError(`go env failed:\n${r.stderr}`);
  return r.stdout.trim();
}
