// Builds the pinned Go tools (conformance/tools/*/go.mod) into .cache/conformance/bin.
// A stamp per module records what the binaries were built from; a module is
// rebuilt only when that changes.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { HarnessError } from './harness-error.mjs';
import { indent, info, secs } from './log.mjs';
import { CONFORMANCE_DIR, TOOL_CACHE_DIR } from './paths.mjs';
import { run } from './processes.mjs';
import { which } from './which.mjs';

// Separate modules, so that MVS cannot unify istioctl's dependency graph with etcd's.
const TOOL_MODULES = [
  {
    dir: 'istioctl',
    bins: [
      { name: 'istioctl', pkg: 'istio.io/istio/istioctl/cmd/istioctl' },
      // istioctl analyze's analyzers over files as a cluster's content (see istio-analyze/main.go).
      { name: 'istio-analyze', pkg: './istio-analyze' },
    ],
    sources: ['istio-analyze/main.go'],
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
];

// -buildvcs=false: the modules live inside the project's git work tree; do not
// let go run git to stamp VCS info (nor depend on it).
const BUILD_FLAGS = ['-trimpath', '-buildvcs=false', '-ldflags=-s -w'];

/** Builds what is stale (everything with `rebuild`); returns { binary name: path }. */
export async function buildTools({ rebuild }) {
  const env = goEnv();
  const goVersion = await goVersionOf(env);
  fs.mkdirSync(TOOL_CACHE_DIR, { recursive: true });
  const paths = {};
  for (const mod of TOOL_MODULES) {
    const modDir = path.join(CONFORMANCE_DIR, 'tools', mod.dir);
    const stampFile = path.join(TOOL_CACHE_DIR, `${mod.dir}.stamp`);
    const hash = moduleHash(modDir, goVersion, mod);
    for (const b of mod.bins) paths[b.name] = path.join(TOOL_CACHE_DIR, b.name);
    const upToDate =
      fs.existsSync(stampFile) &&
      fs.readFileSync(stampFile, 'utf8').trim() === hash &&
      mod.bins.every((b) => fs.existsSync(paths[b.name]));
    if (upToDate && !rebuild) {
      info(`  ${mod.dir}: cached (${hash.slice(0, 12)})`);
      continue;
    }
    for (const b of mod.bins) await goBuild(modDir, b, env);
    // go.sum may have been completed by -mod=mod: stamp the final state.
    fs.writeFileSync(stampFile, `${moduleHash(modDir, goVersion, mod)}\n`);
  }
  return paths;
}

async function goBuild(modDir, { name, pkg }, env) {
  const t0 = performance.now();
  const tmpOut = path.join(TOOL_CACHE_DIR, `.${name}.${process.pid}.tmp`);
  info(`  building ${name} (${pkg}) ...${name === 'istioctl' ? ' (from scratch: ~4 min on 2 cores)' : ''}`);
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

/** The cache key: toolchain, platform, flags, packages, the module files and our own Go sources. */
function moduleHash(modDir, goVersion, { bins, sources = [] }) {
  const h = crypto.createHash('sha256');
  h.update(`${goVersion}\n${process.platform}/${process.arch}\n${BUILD_FLAGS.join(' ')}\n`);
  for (const b of bins) h.update(`${b.name}=${b.pkg}\n`);
  for (const f of ['go.mod', 'go.sum', 'tools.go', ...sources]) {
    const p = path.join(modDir, f);
    h.update(`--${f}--\n`);
    if (fs.existsSync(p)) h.update(fs.readFileSync(p));
  }
  return h.digest('hex');
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
