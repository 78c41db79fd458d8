#!/usr/bin/env node
// Conformance harness: checks the synthesized Istio YAML (dist/) and a corpus of
// valid/invalid cases against real Istio 1.30 tooling and a real Kubernetes API
// server that has Istio's CRDs installed.
//
//   node conformance/run.mjs [--dist dist] [--corpus test/corpus] [--ours "<cmd>"]
//
// See conformance/README.md. Plain Node ESM; only node builtins plus the
// project's `yaml` dependency.

import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

let YAML;
try {
  YAML = (await import('yaml')).default;
} catch {
  console.error('conformance: FAILED: the "yaml" package is not installed (run npm ci)');
  process.exit(1);
}

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..');
const ISTIO_VERSION = '1.30.3';
const CI = /^(true|1)$/i.test(process.env.CI ?? '');

// ---------------------------------------------------------------------------
// options

const USAGE = `usage: node conformance/run.mjs [options]

  --dist DIR        synthesized YAML to check (default: dist)
  --corpus DIR      differential corpus with valid/ and invalid/ (default: test/corpus)
  --ours CMD        our validator; the case file is appended as last argument
                    (default: "node .build/validate.js"; exit 0 = accepted, 1 = rejected)
  --suppressions F  istioctl analyze suppressions (default: conformance/analyze-suppressions.yaml)
  --stricter F      cases where we are deliberately stricter (default: conformance/stricter.yaml)
  --shared DIR      shared folder with istio/${ISTIO_VERSION}/ (default: <repo>/../shared)
  --jobs N          parallel API-server dry-runs for the corpus (default: 2)
  --skip-dist       only run the corpus phase
  --skip-corpus     only run the dist phase
  --rebuild         rebuild the Go tools even if the cache stamp matches
  --keep            keep the temp dir (logs, kubeconfig) and print its path
  --serve           start the API server with the CRDs, print a kubeconfig, wait for Ctrl-C
  -v, --verbose     print tool output for passing checks too
  -h, --help`;

let opts;
try {
  ({ values: opts } = parseArgs({
    options: {
      dist: { type: 'string', default: 'dist' },
      corpus: { type: 'string' },
      ours: { type: 'string' },
      shared: { type: 'string' },
      suppressions: { type: 'string' },
      stricter: { type: 'string' },
      jobs: { type: 'string', default: '2' },
      'skip-dist': { type: 'boolean', default: false },
      'skip-corpus': { type: 'boolean', default: false },
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
if (opts.help) {
  console.log(USAGE);
  process.exit(0);
}

const JOBS = Math.max(1, Number.parseInt(opts.jobs, 10) || 2);
const SHARED = path.resolve(opts.shared ?? path.join(ROOT, '..', 'shared'));
const ISTIO_DIR = path.join(SHARED, 'istio', ISTIO_VERSION);
const CRD_FILE = path.join(ISTIO_DIR, 'crd-all.gen.yaml');
const CACHE_BIN = path.join(ROOT, '.cache', 'conformance', 'bin');
const DIST = path.resolve(opts.dist);
const CORPUS_EXPLICIT = opts.corpus !== undefined;
const CORPUS = path.resolve(opts.corpus ?? path.join(ROOT, 'test', 'corpus'));
const SUPPRESSIONS_FILE = path.resolve(opts.suppressions ?? path.join(HERE, 'analyze-suppressions.yaml'));
const STRICTER_FILE = path.resolve(opts.stricter ?? path.join(HERE, 'stricter.yaml'));

// ---------------------------------------------------------------------------
// output helpers

const log = (msg = '') => console.log(msg);
const info = (msg) => console.log(`[conformance] ${msg}`);
const indent = (text, pad = '    ') =>
  String(text)
    .trimEnd()
    .split('\n')
    .map((l) => pad + l)
    .join('\n');
const rel = (p) => {
  const r = path.relative(process.cwd(), p);
  return r && !r.startsWith('..') ? r : p;
};
const secs = (ms) => `${(ms / 1000).toFixed(1)}s`;

class HarnessError extends Error {}

const timings = [];
async function phase(name, fn) {
  const t0 = performance.now();
  info(`${name} ...`);
  try {
    return await fn();
  } finally {
    const ms = performance.now() - t0;
    timings.push([name, ms]);
  }
}

function skipOrFail(reason) {
  if (CI) {
    console.error(`conformance: FAILED: ${reason} (CI=true, so conformance cannot be skipped)`);
    process.exit(1);
  }
  console.log(`conformance: skipped: ${reason}`);
  process.exit(0);
}

// ---------------------------------------------------------------------------
// process bookkeeping: every child runs in its own process group and is
// tracked until it exits, so cleanup can kill the whole group by PID.

const live = new Map(); // pid -> { name, child, exited: Promise }
const shims = new Set(); // in-process HTTP servers
let tmpDir = null;
let cleaningUp = null;

function track(child, name) {
  if (!child.pid) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  live.set(child.pid, { name, child, exited });
  exited.then(() => live.delete(child.pid));
}

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      /* already gone */
    }
  }
}

async function stopAll(graceMs = 5000) {
  // Reverse start order (API server before etcd); SIGTERM, then SIGKILL after graceMs.
  for (const [pid, e] of [...live.entries()].reverse()) {
    killGroup(pid, 'SIGTERM');
    const t0 = performance.now();
    const timer = new Promise((r) => setTimeout(() => r('timeout'), graceMs).unref());
    if ((await Promise.race([e.exited, timer])) === 'timeout') {
      killGroup(pid, 'SIGKILL');
      await Promise.race([e.exited, new Promise((r) => setTimeout(r, 2000).unref())]);
    }
    if (opts.verbose) info(`  stopped ${e.name} (pid ${pid}) in ${secs(performance.now() - t0)}`);
  }
}

function removeTmp() {
  if (!tmpDir) return;
  if (opts.keep) {
    info(`kept temp dir: ${tmpDir}`);
  } else {
    fs.rmSync(tmpDir, { recursive: true, force: true, maxRetries: 3 });
  }
  tmpDir = null;
}

async function cleanup() {
  cleaningUp ??= (async () => {
    for (const srv of shims) {
      srv.closeAllConnections?.();
      srv.close();
    }
    shims.clear();
    await stopAll();
    removeTmp();
  })();
  return cleaningUp;
}

// Last resort (process.exit from anywhere, crash): synchronous.
process.on('exit', () => {
  for (const [pid] of live) killGroup(pid, 'SIGKILL');
  if (tmpDir && !opts.keep) {
    try {
      fs.rmSync(tmpDir, { recursive: true, force: true });
    } catch {
      /* best effort */
    }
  }
});
let interrupted = null; // signal name once one arrived: later errors are its consequence
const signalExit = (sig) => 128 + (os.constants.signals[sig] ?? 1);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    if (interrupted) return;
    interrupted = sig;
    console.error(`\nconformance: ${sig} received, stopping ${live.size} process(es) and cleaning up`);
    cleanup().finally(() => process.exit(signalExit(sig)));
  });
}
process.on('uncaughtException', (e) => {
  console.error('conformance: internal error:', e);
  cleanup().finally(() => process.exit(1));
});
process.on('unhandledRejection', (e) => {
  console.error('conformance: internal error (unhandled rejection):', e);
  cleanup().finally(() => process.exit(1));
});

// ---------------------------------------------------------------------------
// running commands

function which(cmd) {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const p = path.join(dir, cmd);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      if (fs.statSync(p).isFile()) return p;
    } catch {
      /* next */
    }
  }
  return null;
}

/** Runs a command to completion; never throws for a non-zero exit. */
function run(cmd, args, { cwd, env, input, timeoutMs = 10 * 60_000, name } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd,
      env: env ?? process.env,
      detached: true, // own process group, killed as a group on cleanup
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    track(child, name ?? path.basename(cmd));
    const out = [];
    const err = [];
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => err.push(d));
    const timer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new HarnessError(`cannot run ${cmd}: ${e.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        code: code ?? (signal ? 128 : 1),
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
    child.stdin.end(input ?? '');
  });
}

/** Starts a long-running server whose output goes to a log file. */
function startDaemon(name, cmd, args, { env, logFile }) {
  const fd = fs.openSync(logFile, 'a');
  const child = spawn(cmd, args, { env, detached: true, stdio: ['ignore', fd, fd] });
  fs.closeSync(fd);
  track(child, name);
  let exitInfo = null;
  child.on('exit', (code, signal) => {
    exitInfo = { code, signal };
  });
  child.on('error', (e) => {
    exitInfo = { code: -1, signal: null, error: e };
  });
  return { child, logFile, name, exited: () => exitInfo };
}

function tail(file, lines = 30) {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

async function pool(items, n, fn) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
  return results;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

// ---------------------------------------------------------------------------
// phase 1: build the pinned Go tools into <repo>/.cache/conformance/bin

const TOOL_MODULES = [
  {
    dir: 'istioctl',
    bins: [{ name: 'istioctl', pkg: 'istio.io/istio/istioctl/cmd/istioctl' }],
  },
  {
    dir: 'apiserver',
    bins: [
      { name: 'etcd', pkg: 'go.etcd.io/etcd/server/v3' },
      { name: 'apiextensions-apiserver', pkg: 'k8s.io/apiextensions-apiserver' },
    ],
  },
];
// -buildvcs=false: the modules live inside the project's git work tree; do not
// let go run git to stamp VCS info (nor depend on it).
const BUILD_FLAGS = ['-trimpath', '-buildvcs=false', '-ldflags=-s -w'];

function goEnv() {
  // -mod=mod: resolve from go.mod/go.sum without a vendor dir; keep any other GOFLAGS.
  const flags = (process.env.GOFLAGS ?? '')
    .split(/\s+/)
    .filter((f) => f && !f.startsWith('-mod='));
  return { ...process.env, GOFLAGS: [...flags, '-mod=mod'].join(' ') };
}

function moduleHash(modDir, goVersion, bins) {
  const h = crypto.createHash('sha256');
  h.update(`${goVersion}\n${process.platform}/${process.arch}\n${BUILD_FLAGS.join(' ')}\n`);
  for (const b of bins) h.update(`${b.name}=${b.pkg}\n`);
  for (const f of ['go.mod', 'go.sum', 'tools.go']) {
    const p = path.join(modDir, f);
    h.update(`--${f}--\n`);
    if (fs.existsSync(p)) h.update(fs.readFileSync(p));
  }
  return h.digest('hex');
}

// The toolchain version, part of the cache key. Read from $GOROOT/VERSION when
// possible so that a cached run does not invoke go at all (go writes telemetry
// counters under ~/.config/go on every invocation).
async function goVersionOf(env) {
  try {
    const goroot = path.dirname(path.dirname(fs.realpathSync(which('go'))));
    const v = fs.readFileSync(path.join(goroot, 'VERSION'), 'utf8').split('\n')[0].trim();
    if (/^go\d/.test(v) && !process.env.GOTOOLCHAIN) return v;
  } catch {
    /* fall through */
  }
  const gv = await run('go', ['env', 'GOVERSION'], { env, name: 'go env' });
  if (gv.code !== 0) throw new HarnessError(`go env failed:\n${gv.stderr}`);
  return gv.stdout.trim();
}

async function buildTools() {
  const env = goEnv();
  const goVersion = await goVersionOf(env);
  fs.mkdirSync(CACHE_BIN, { recursive: true });
  const paths = {};
  for (const mod of TOOL_MODULES) {
    const modDir = path.join(HERE, 'tools', mod.dir);
    const stampFile = path.join(CACHE_BIN, `${mod.dir}.stamp`);
    const hash = moduleHash(modDir, goVersion, mod.bins);
    const have =
      fs.existsSync(stampFile) &&
      fs.readFileSync(stampFile, 'utf8').trim() === hash &&
      mod.bins.every((b) => fs.existsSync(path.join(CACHE_BIN, b.name)));
    for (const b of mod.bins) paths[b.name] = path.join(CACHE_BIN, b.name);
    if (have && !opts.rebuild) {
      info(`  ${mod.dir}: cached (${hash.slice(0, 12)})`);
      continue;
    }
    for (const b of mod.bins) {
      const t0 = performance.now();
      const tmpOut = path.join(CACHE_BIN, `.${b.name}.${process.pid}.tmp`);
      info(`  building ${b.name} (${b.pkg}) ...${b.name === 'istioctl' ? ' (from scratch: ~4 min on 2 cores)' : ''}`);
      const r = await run('go', ['build', ...BUILD_FLAGS, '-o', tmpOut, b.pkg], {
        cwd: modDir,
        env,
        timeoutMs: 60 * 60_000,
        name: `go build ${b.name}`,
      });
      if (r.code !== 0) {
        fs.rmSync(tmpOut, { force: true });
        throw new HarnessError(`go build ${b.pkg} failed (exit ${r.code}):\n${indent(r.stderr)}`);
      }
      fs.renameSync(tmpOut, path.join(CACHE_BIN, b.name)); // atomic: concurrent runs are safe
      info(`  built ${b.name} in ${secs(performance.now() - t0)}`);
    }
    // go.sum may have been completed by -mod=mod: stamp the final state.
    fs.writeFileSync(stampFile, `${moduleHash(modDir, goVersion, mod.bins)}\n`);
  }
  return paths;
}

// ---------------------------------------------------------------------------
// phase 2: throwaway PKI, etcd, apiextensions-apiserver, Istio CRDs

async function makeCerts(dir) {
  const o = (args) =>
    run('openssl', args, { cwd: dir, env: toolEnv(), name: 'openssl' }).then((r) => {
      if (r.code !== 0) throw new HarnessError(`openssl ${args[0]} failed:\n${r.stderr}`);
    });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  await o(['req', '-x509', ...ec, '-days', '2', '-subj', '/CN=conformance-ca',
    '-keyout', 'ca.key', '-out', 'ca.crt']);
  fs.writeFileSync(path.join(dir, 'server.ext'),
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n');
  fs.writeFileSync(path.join(dir, 'client.ext'),
    'keyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n');
  for (const [name, subj] of [
    ['server', '/CN=127.0.0.1'],
    // system:masters is always authorized by the delegating authorizer (no webhook call).
    ['client', '/O=system:masters/CN=conformance-admin'],
  ]) {
    await o(['req', '-new', ...ec, '-subj', subj, '-keyout', `${name}.key`, '-out', `${name}.csr`]);
    await o(['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key',
      '-set_serial', `0x${crypto.randomBytes(8).toString('hex')}`, '-days', '2',
      '-extfile', `${name}.ext`, '-out', `${name}.crt`]);
  }
  const f = (n) => path.join(dir, n);
  return {
    ca: f('ca.crt'), serverCert: f('server.crt'), serverKey: f('server.key'),
    clientCert: f('client.crt'), clientKey: f('client.key'),
  };
}

let HOME_DIR = null; // isolated $HOME for kubectl/istioctl/openssl (no ~/.kube cache etc.)
function toolEnv(extra = {}) {
  const env = { ...process.env, ...extra };
  if (HOME_DIR) env.HOME = HOME_DIR;
  delete env.KUBECONFIG;
  return { ...env, ...extra };
}

function httpGet(url, tlsOpts) {
  return new Promise((resolve) => {
    const mod = url.startsWith('https:') ? https : http;
    const req = mod.get(url, { ...tlsOpts, timeout: 3000 }, (res) => {
      const chunks = [];
      res.on('data', (d) => chunks.push(d));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString() }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e) => resolve({ status: 0, body: e.message }));
  });
}

async function waitFor(what, daemon, probe, timeoutMs) {
  const t0 = Date.now();
  let last = '';
  while (Date.now() - t0 < timeoutMs) {
    const ex = daemon?.exited();
    if (ex) {
      throw new HarnessError(
        `${daemon.name} exited (code ${ex.code}, signal ${ex.signal}) while waiting for ${what}; ` +
          `last log lines:\n${indent(tail(daemon.logFile))}`,
      );
    }
    const r = await probe();
    if (r === true) return Date.now() - t0;
    last = r;
    await sleep(200);
  }
  throw new HarnessError(
    `timed out after ${secs(timeoutMs)} waiting for ${what} (last: ${last})` +
      (daemon ? `; last log lines of ${daemon.name}:\n${indent(tail(daemon.logFile))}` : ''),
  );
}

async function startEtcd(bin, dir) {
  for (let attempt = 1; ; attempt++) {
    const [clientPort, peerPort] = [await freePort(), await freePort()];
    const client = `http://127.0.0.1:${clientPort}`;
    const peer = `http://127.0.0.1:${peerPort}`;
    const d = startDaemon('etcd', bin, [
      '--name', 'conformance',
      '--data-dir', path.join(dir, 'etcd-data'),
      '--listen-client-urls', client, '--advertise-client-urls', client,
      '--listen-peer-urls', peer, '--initial-advertise-peer-urls', peer,
      '--initial-cluster', `conformance=${peer}`,
      '--initial-cluster-state', 'new',
      '--unsafe-no-fsync', // throwaway data: skip fsync for speed
      '--log-level', 'warn',
    ], { env: toolEnv(), logFile: path.join(dir, 'etcd.log') });
    try {
      await waitFor('etcd /health', d, async () => {
        const r = await httpGet(`${client}/health`);
        return (r.status === 200 && /"health":\s*"true"/.test(r.body)) || `${r.status} ${r.body}`;
      }, 30_000);
      return { url: client, daemon: d };
    } catch (e) {
      // A port taken between freePort() and bind: retry with new ports.
      if (attempt < 3 && d.exited() && /address already in use/.test(tail(d.logFile, 50))) continue;
      throw e;
    }
  }
}

function writeKubeconfig(file, server, { ca, cert, key, insecure = false }) {
  const cluster = { server };
  if (insecure) cluster['insecure-skip-tls-verify'] = true;
  else if (ca) cluster['certificate-authority'] = ca;
  const user = cert ? { 'client-certificate': cert, 'client-key': key } : {};
  fs.writeFileSync(file, YAML.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'conformance', cluster }],
    users: [{ name: 'conformance', user }],
    contexts: [{ name: 'conformance', context: { cluster: 'conformance', user: 'conformance', namespace: 'default' } }],
    'current-context': 'conformance',
  }));
}

async function startApiserver(bin, dir, etcdUrl, certs) {
  // The standalone apiextensions-apiserver delegates authn/authz and reads core
  // resources from a "real" kube-apiserver. There is none: point those clients
  // at a closed port. Our client certificate (CA = --client-ca-file, group
  // system:masters) is authenticated locally and authorized without a
  // SubjectAccessReview; admission plugins and APF that would wait for core
  // informers are disabled. Hence poll /healthz (informer sync is only in /readyz).
  const fake = path.join(dir, 'nowhere.kubeconfig');
  writeKubeconfig(fake, 'https://127.0.0.1:1', { insecure: true });
  const tlsOpts = { ca: fs.readFileSync(certs.ca), cert: fs.readFileSync(certs.clientCert), key: fs.readFileSync(certs.clientKey) };
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const d = startDaemon('apiextensions-apiserver', bin, [
      '--etcd-servers', etcdUrl,
      '--etcd-prefix', '/conformance',
      '--bind-address', '127.0.0.1',
      '--secure-port', String(port),
      '--tls-cert-file', certs.serverCert,
      '--tls-private-key-file', certs.serverKey,
      '--cert-dir', path.join(dir, 'apiserver-certs'),
      '--client-ca-file', certs.ca,
      '--authentication-kubeconfig', fake,
      '--authentication-skip-lookup',
      '--authorization-kubeconfig', fake,
      '--kubeconfig', fake,
      '--enable-priority-and-fairness=false',
      '--disable-admission-plugins', 'NamespaceLifecycle,MutatingAdmissionPolicy,MutatingAdmissionWebhook,ValidatingAdmissionPolicy,ValidatingAdmissionWebhook',
      '--v', '1',
    ], { env: toolEnv(), logFile: path.join(dir, 'apiserver.log') });
    const base = `https://127.0.0.1:${port}`;
    try {
      await waitFor('apiextensions-apiserver /healthz', d, async () => {
        const r = await httpGet(`${base}/healthz`, tlsOpts);
        return (r.status === 200 && r.body.trim() === 'ok') || `${r.status} ${r.body.slice(0, 300)}`;
      }, 90_000);
    } catch (e) {
      if (attempt < 3 && d.exited() && /address already in use/.test(tail(d.logFile, 50))) continue;
      throw e;
    }
    const shim = await startDiscoveryShim(base, tlsOpts);
    const kubeconfig = path.join(dir, 'kubeconfig');
    writeKubeconfig(kubeconfig, shim.url, {});
    return { base, kubeconfig, tlsOpts, daemon: d, shim };
  }
}

// The standalone apiextensions-apiserver lacks two things kube-apiserver has
// (there, the aggregator and the core API provide them):
//  1. the root discovery documents /api and /apis (its Complete() sets
//     EnableDiscovery=false), so kubectl cannot map kinds to resources;
//  2. OpenAPI for CRDs and for core/v1 (it has no OpenAPI v2 config, so its CRD
//     OpenAPI controllers never run). `kubectl apply --validate=strict` decides
//     whether the server supports fieldValidation=Strict for a CRD kind by
//     looking at the PATCH operation of core/v1 Namespace in /openapi/v3/api/v1
//     (cli-runtime query_param_verifier_v3.go); without it kubectl falls back to
//     client-side validation against /openapi/v2 and fails.
// This in-process proxy on a loopback port adds /api, /apis (built from the
// upstream's per-group discovery), the "api/v1" entry of /openapi/v3 with a
// minimal Namespace PATCH operation declaring fieldValidation (as every
// kube-apiserver >= 1.27 does), and forwards everything else (with our client
// certificate) unchanged: validation itself is entirely the upstream's.
function startDiscoveryShim(base, tlsOpts) {
  const upstream = new URL(base);
  const agent = new https.Agent({ ...tlsOpts, keepAlive: true });
  const getJSON = (p) =>
    new Promise((resolve, reject) => {
      https
        .get(new URL(p, upstream), { agent, headers: { accept: 'application/json' } }, (res) => {
          const chunks = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => {
            const body = Buffer.concat(chunks).toString();
            if (res.statusCode !== 200) reject(new Error(`GET ${p}: ${res.statusCode} ${body.slice(0, 200)}`));
            else resolve(JSON.parse(body));
          });
        })
        .on('error', reject);
    });
  const rootApis = async () => {
    const crds = await getJSON('/apis/apiextensions.k8s.io/v1/customresourcedefinitions');
    const groups = ['apiextensions.k8s.io', ...new Set(crds.items.map((c) => c.spec.group))];
    const list = [];
    for (const g of groups) {
      try {
        const { kind, apiVersion, ...group } = await getJSON(`/apis/${g}`);
        list.push(group);
      } catch {
        /* group not served yet */
      }
    }
    return { kind: 'APIGroupList', apiVersion: 'v1', groups: list };
  };
  const coreV1OpenAPI = {
    openapi: '3.0.0',
    info: { title: 'conformance shim: core/v1 stand-in for kubectl field-validation detection', version: 'v1' },
    paths: {
      '/api/v1/namespaces/{name}': {
        patch: {
          'x-kubernetes-group-version-kind': { group: '', version: 'v1', kind: 'Namespace' },
          parameters: ['dryRun', 'fieldManager', 'fieldValidation', 'force'].map((name) => ({ name, in: 'query', schema: { type: name === 'force' ? 'boolean' : 'string' } })),
          responses: {},
        },
      },
    },
  };
  const server = http.createServer(async (req, res) => {
    const { pathname } = new URL(req.url, 'http://shim');
    const json = (obj) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(obj));
    };
    try {
      if (req.method === 'GET' && pathname === '/openapi/v3') {
        const root = await getJSON('/openapi/v3');
        root.paths['api/v1'] = { serverRelativeURL: '/openapi/v3/api/v1?hash=conformance-shim' };
        json(root);
        return;
      }
      if (req.method === 'GET' && pathname === '/openapi/v3/api/v1') {
        json(coreV1OpenAPI);
        return;
      }
      if (req.method === 'GET' && (pathname === '/api' || pathname === '/api/')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ kind: 'APIVersions', versions: [], serverAddressByClientCIDRs: [] }));
        return;
      }
      if (req.method === 'GET' && (pathname === '/apis' || pathname === '/apis/')) {
        const body = JSON.stringify(await rootApis());
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(body);
        return;
      }
    } catch (e) {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`conformance discovery shim: ${e.message}`);
      return;
    }
    const headers = { ...req.headers, host: upstream.host };
    const up = https.request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers, agent },
      (ur) => {
        res.writeHead(ur.statusCode, ur.headers);
        res.flushHeaders(); // watches: the client must see the status before the first event
        ur.pipe(res);
      },
    );
    up.on('error', (e) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`conformance discovery shim: ${e.message}`);
    });
    res.on('close', () => up.destroy());
    req.pipe(up);
  });
  return new Promise((resolve, reject) => {
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const url = `http://127.0.0.1:${server.address().port}`;
      shims.add(server);
      resolve({
        url,
        close: () => {
          shims.delete(server);
          agent.destroy();
          server.closeAllConnections?.();
          return new Promise((r) => server.close(() => r()));
        },
      });
    });
  });
}

function kubectl(api, args, name = 'kubectl') {
  return run('kubectl', ['--kubeconfig', api.kubeconfig, '--cache-dir', path.join(tmpDir, 'kube-cache'), ...args], {
    env: toolEnv(),
    name,
  });
}

async function installCrds(api) {
  const crds = YAML.parseAllDocuments(fs.readFileSync(CRD_FILE, 'utf8'))
    .map((d) => d.toJS())
    .filter((o) => o?.kind === 'CustomResourceDefinition');
  const r = await kubectl(api, ['apply', '--server-side', '--field-manager', 'conformance', '-f', CRD_FILE]);
  if (r.code !== 0) throw new HarnessError(`installing Istio CRDs failed:\n${indent(r.stderr || r.stdout)}`);
  const w = await kubectl(api, ['wait', '--for', 'condition=Established', '--timeout', '60s', '-f', CRD_FILE]);
  if (w.code !== 0) throw new HarnessError(`Istio CRDs did not become Established:\n${indent(w.stderr || w.stdout)}`);
  // Established can precede discovery serving the new group/versions: wait for those.
  const groups = new Map(); // group -> {kind -> plural}
  for (const c of crds) {
    for (const v of c.spec.versions.filter((x) => x.served)) {
      const gv = `${c.spec.group}/${v.name}`;
      if (!groups.has(gv)) groups.set(gv, new Set());
      groups.get(gv).add(c.spec.names.plural);
    }
  }
  for (const [gv, plurals] of groups) {
    await waitFor(`discovery of ${gv}`, api.daemon, async () => {
      const r = await httpGet(`${api.base}/apis/${gv}`, api.tlsOpts);
      if (r.status !== 200) return `${r.status}`;
      const served = new Set(JSON.parse(r.body).resources.map((x) => x.name));
      return [...plurals].every((p) => served.has(p)) || 'resources missing';
    }, 30_000);
  }
  return {
    count: crds.length,
    groups: new Set(crds.map((c) => c.spec.group)),
    kinds: new Set(crds.map((c) => `${c.spec.group}/${c.spec.names.kind}`)),
  };
}

// ---------------------------------------------------------------------------
// YAML inputs

function listYaml(dir) {
  const out = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && /\.ya?ml$/i.test(e.name)) out.push(p);
    }
  };
  walk(dir);
  return out;
}

const groupOf = (apiVersion) => (String(apiVersion).includes('/') ? String(apiVersion).split('/')[0] : '');

/** Classifies the documents of a file. */
function readObjects(file) {
  const docs = YAML.parseAllDocuments(fs.readFileSync(file, 'utf8'));
  const errors = docs.flatMap((d) => d.errors.map((e) => e.message));
  const objects = [];
  const other = [];
  for (const d of docs) {
    const v = d.toJS();
    if (v == null) continue;
    if (typeof v === 'object' && !Array.isArray(v) && v.apiVersion && v.kind) objects.push({ doc: d, obj: v });
    else other.push(v);
  }
  return { errors, objects, other };
}

// ---------------------------------------------------------------------------
// phase 3: dist

function globToRegExp(glob) {
  return new RegExp(`^${glob.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 's');
}

function loadSuppressions() {
  if (!fs.existsSync(SUPPRESSIONS_FILE)) {
    if (opts.suppressions) throw new HarnessError(`suppressions file ${rel(SUPPRESSIONS_FILE)} not found`);
    return [];
  }
  const data = YAML.parse(fs.readFileSync(SUPPRESSIONS_FILE, 'utf8')) ?? {};
  const list = data.suppressions ?? [];
  if (!Array.isArray(list)) throw new HarnessError(`${rel(SUPPRESSIONS_FILE)}: "suppressions" must be a list`);
  return list.map((s, i) => {
    const where = `${rel(SUPPRESSIONS_FILE)} entry #${i + 1}`;
    if (!s || typeof s !== 'object') throw new HarnessError(`${where}: must be a mapping`);
    for (const k of ['code', 'resource', 'reason']) {
      if (typeof s[k] !== 'string' || !s[k].trim()) throw new HarnessError(`${where}: "${k}" is required`);
    }
    return {
      ...s,
      used: 0,
      match: (m) =>
        m.code === s.code &&
        globToRegExp(s.resource).test(m.origin ?? '') &&
        (s.message === undefined || globToRegExp(String(s.message)).test(m.message ?? '')),
    };
  });
}

async function checkDist(api, crdInfo, bins, summary) {
  if (!fs.existsSync(DIST) || !fs.statSync(DIST).isDirectory()) {
    throw new HarnessError(`dist dir ${rel(DIST)} not found (synthesize first, or pass --dist DIR)`);
  }
  const files = listYaml(DIST);
  const objectFiles = []; // every file with k8s objects (istioctl)
  const applyFiles = []; // files/filtered copies with objects the CRD API server serves
  const origOf = new Map(); // filtered copy -> dist file
  const notes = [];
  let parseFailures = 0;
  let objectCount = 0;
  const namespaces = new Set();
  let unnamespaced = 0;
  for (const f of files) {
    const base = path.basename(f).toLowerCase();
    if (base === 'kustomization.yaml' || base === 'kustomization.yml') {
      notes.push(`skipped ${rel(f)}: kustomization, not a Kubernetes object`);
      continue;
    }
    const { errors, objects, other } = readObjects(f);
    if (errors.length) {
      parseFailures++;
      summary.failures.push(`dist: ${rel(f)} is not valid YAML: ${errors[0]}`);
      continue;
    }
    if (other.length) notes.push(`${rel(f)}: ${other.length} document(s) without apiVersion/kind ignored`);
    if (!objects.length) {
      notes.push(`skipped ${rel(f)}: no Kubernetes objects`);
      continue;
    }
    objectCount += objects.length;
    objectFiles.push(f);
    for (const { obj } of objects) {
      if (obj.metadata?.namespace) namespaces.add(obj.metadata.namespace);
      else unnamespaced++;
    }
    const served = objects.filter(({ obj }) => crdInfo.groups.has(groupOf(obj.apiVersion)));
    for (const { obj } of objects.filter((o) => !served.includes(o))) {
      notes.push(`${rel(f)}: ${obj.apiVersion} ${obj.kind} ${obj.metadata?.name ?? ''} not dry-run (the CRD-only API server does not serve it)`);
    }
    if (served.length === objects.length && !other.length) applyFiles.push(f);
    else if (served.length) {
      const copy = path.join(tmpDir, 'dist-filtered', path.relative(DIST, f));
      fs.mkdirSync(path.dirname(copy), { recursive: true });
      fs.writeFileSync(copy, served.map(({ doc }) => doc.toString()).join('---\n'));
      applyFiles.push(copy);
      origOf.set(copy, f);
    }
  }
  for (const n of notes) info(`  note: ${n}`);
  if (!objectFiles.length && !parseFailures) {
    summary.failures.push(`dist: no Kubernetes objects found under ${rel(DIST)}`);
    return;
  }
  info(`  ${objectFiles.length} file(s), ${objectCount} object(s) in ${rel(DIST)}`);

  await phase('dist: API server dry-run (kubectl apply --server-side --dry-run=server)', async () => {
    if (!applyFiles.length) {
      info('  nothing to dry-run');
      return;
    }
    const args = ['apply', '--server-side', '--dry-run=server', '--validate=strict', '--field-manager', 'conformance'];
    for (const f of applyFiles) args.push('-f', f);
    const r = await kubectl(api, args);
    assertApiserverReachable(r);
    if (r.code === 0) {
      const n = r.stdout.trim().split('\n').filter(Boolean).length;
      info(`  ok: ${n} object(s) accepted`);
      if (opts.verbose) log(indent(r.stdout));
      summary.passed.push(`dist dry-run (${n} objects)`);
    } else {
      // kubectl's messages do not always name the file: re-run per file to attribute them.
      const perFile = await pool(applyFiles, JOBS, async (f) => {
        const one = await kubectl(api, [...args.filter((a) => a !== '-f' && !applyFiles.includes(a)), '-f', f]);
        assertApiserverReachable(one);
        const name = origOf.has(f) ? `${rel(origOf.get(f))} (its Istio objects)` : rel(f);
        return one.code === 0 ? null : `${name}:\n${indent(one.stderr.trim() || one.stdout.trim())}`;
      });
      const bad = perFile.filter(Boolean);
      const text = bad.length ? bad.join('\n') : r.stderr.trim() || r.stdout.trim();
      summary.failures.push(`dist: API server rejected objects in ${bad.length || '?'} file(s):\n${indent(text)}`);
      log(indent(text));
    }
  });

  await phase('dist: istioctl validate', async () => {
    const args = ['validate'];
    for (const f of objectFiles) args.push('-f', f);
    const r = await run(bins.istioctl, args, { env: toolEnv(), name: 'istioctl validate' });
    const warnings = (r.stdout.match(/has warnings:/g) ?? []).length;
    if (r.code === 0) {
      info(`  ok: ${objectFiles.length} file(s) valid${warnings ? `, ${warnings} with warnings` : ''}`);
      if (warnings || opts.verbose) log(indent(r.stdout.split('\n').filter((l) => !/ is valid$/.test(l)).join('\n')));
      summary.passed.push(`dist istioctl validate (${objectFiles.length} files)`);
    } else {
      summary.failures.push(`dist: istioctl validate exited ${r.code}:\n${indent(r.stderr.trim() || r.stdout.trim())}`);
      log(indent(r.stderr.trim() || r.stdout.trim()));
    }
  });

  await phase('dist: istioctl analyze --use-kube=false', async () => {
    const suppressions = loadSuppressions();
    // Without -A, messages for objects outside the selected namespace (default:
    // "default") are silently dropped. With -A, objects without a namespace are
    // analysed in namespace "" instead of "default". So: all objects namespaced
    // -> -A; none -> -n default (what kubectl apply would use); mixed -> -A.
    const nsArgs = unnamespaced === 0 ? ['--all-namespaces'] : namespaces.size === 0 ? ['--namespace', 'default'] : ['--all-namespaces'];
    if (unnamespaced && namespaces.size) {
      info(`  note: ${unnamespaced} object(s) have no metadata.namespace: analysed with namespace "" (-A)`);
    }
    // -o json: the exit code is then always 0, so the verdict is computed here.
    const r = await run(bins.istioctl, ['analyze', '--use-kube=false', ...nsArgs, '-o', 'json', ...objectFiles], {
      env: toolEnv(),
      name: 'istioctl analyze',
    });
    let messages;
    try {
      messages = JSON.parse(r.stdout);
    } catch {
      summary.failures.push(`dist: istioctl analyze failed (exit ${r.code}):\n${indent(r.stderr.trim() || r.stdout.trim())}`);
      log(indent(r.stderr.trim() || r.stdout.trim()));
      return;
    }
    if (r.code !== 0 || /Error\(s\) adding files/.test(r.stderr)) {
      summary.failures.push(`dist: istioctl analyze could not read the files (exit ${r.code}):\n${indent(r.stderr.trim())}`);
    }
    const kept = [];
    let suppressed = 0;
    for (const m of messages) {
      const s = suppressions.find((x) => x.match(m));
      if (s) {
        s.used++;
        suppressed++;
      } else kept.push(m);
    }
    const errors = kept.filter((m) => m.level === 'Error');
    const fmt = (m) => `${m.level} [${m.code}] (${m.origin}${m.reference ? ` ${rel(m.reference)}` : ''}) ${m.message}`;
    for (const m of kept) log(indent(fmt(m)));
    for (const s of suppressions.filter((x) => !x.used)) {
      info(`  note: suppression ${s.code} "${s.resource}" matched nothing (stale? reason: ${s.reason})`);
    }
    const tally = `${messages.length} message(s): ${errors.length} error(s), ${kept.length - errors.length} warning/info, ${suppressed} suppressed`;
    if (errors.length) summary.failures.push(`dist: istioctl analyze reported ${errors.length} error(s):\n${indent(errors.map(fmt).join('\n'))}`);
    else summary.passed.push(`dist istioctl analyze (${tally})`);
    info(`  ${errors.length ? 'FAIL' : 'ok'}: ${tally}`);
  });
}

function assertApiserverReachable(r) {
  // Failures of the harness itself, never a verdict on the YAML.
  if (r.code !== 0 && /Unable to connect to the server|connection refused|couldn't get current server API group list|failed to download openapi|conformance discovery shim/.test(r.stderr)) {
    throw new HarnessError(`kubectl could not talk to the API server properly:\n${indent(r.stderr)}`);
  }
}

// ---------------------------------------------------------------------------
// phase 4: differential corpus

function tokenize(cmd) {
  const out = [];
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
  let m;
  while ((m = re.exec(cmd))) out.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] ?? m[3]));
  return out;
}

function resolveOurs() {
  const argv = tokenize(opts.ours ?? 'node .build/validate.js');
  if (!argv.length) throw new HarnessError('--ours is empty');
  const missing = [];
  const looksLikePath = (a) => !a.startsWith('-') && (a.includes('/') || /\.(c|m)?[jt]s$/.test(a));
  // Paths are taken relative to the current directory, else to the repo root
  // (so the default `.build/validate.js` works from anywhere).
  const resolved = argv.map((a, i) => {
    if (!looksLikePath(a)) {
      if (i === 0 && !which(a)) missing.push(a);
      return a;
    }
    const p = path.isAbsolute(a) ? a : [path.resolve(a), path.join(ROOT, a)].find((x) => fs.existsSync(x)) ?? path.join(ROOT, a);
    if (!fs.existsSync(p)) missing.push(p);
    return p;
  });
  return { argv: resolved, missing };
}

function loadStricter() {
  if (!fs.existsSync(STRICTER_FILE)) {
    if (opts.stricter) throw new HarnessError(`stricter file ${rel(STRICTER_FILE)} not found`);
    return new Map();
  }
  const data = YAML.parse(fs.readFileSync(STRICTER_FILE, 'utf8')) ?? {};
  const list = data.stricter ?? [];
  if (!Array.isArray(list)) throw new HarnessError(`${rel(STRICTER_FILE)}: "stricter" must be a list`);
  const map = new Map();
  list.forEach((e, i) => {
    const where = `${rel(STRICTER_FILE)} entry #${i + 1}`;
    if (!e || typeof e.file !== 'string' || !e.file.trim()) throw new HarnessError(`${where}: "file" is required`);
    if (typeof e.reason !== 'string' || !e.reason.trim()) throw new HarnessError(`${where} (${e.file}): "reason" is required`);
    map.set(path.normalize(e.file), { ...e, seen: false });
  });
  return map;
}

/** The most telling line of a tool's complaint: the first error line, else the first line. */
function firstLine(s) {
  const lines = String(s)
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^Error: \d+ errors? occurred:$/.test(l))
    .map((l) => l.replace(/^\* /, ''));
  return lines.find((l) => /\berror\b/i.test(l)) ?? lines[0] ?? '';
}

async function checkCorpus(api, bins, summary) {
  if (!fs.existsSync(CORPUS)) {
    const msg = `corpus dir ${rel(CORPUS)} not found`;
    if (CORPUS_EXPLICIT) summary.failures.push(`corpus: ${msg}`);
    else summary.notes.push(`${msg}: differential phase skipped`);
    info(`  ${msg}: skipped`);
    return;
  }
  const cases = [];
  for (const label of ['valid', 'invalid']) {
    const d = path.join(CORPUS, label);
    if (!fs.existsSync(d)) continue;
    for (const f of listYaml(d)) cases.push({ file: f, id: path.relative(CORPUS, f), expected: label === 'valid' ? 'accept' : 'reject' });
  }
  if (!cases.length) {
    summary.failures.push(`corpus: no cases in ${rel(CORPUS)}/{valid,invalid}/*.yaml`);
    return;
  }
  const stricter = loadStricter();
  const ours = resolveOurs();
  const oursBuilt = ours.missing.length === 0;
  if (!oursBuilt) {
    info(`  ours: not built (${ours.missing.map(rel).join(', ')} missing): column skipped`);
    summary.notes.push(`ours: not built (${ours.missing.map(rel).join(', ')}); our verdicts were not compared`);
  }
  info(`  ${cases.length} case(s) from ${rel(CORPUS)}`);

  const verdict = (r) => (r.code === 0 ? 'accept' : 'reject');
  await phase('corpus: API server dry-run per case', async () => {
    await pool(cases, JOBS, async (c) => {
      const r = await kubectl(api, ['apply', '--server-side', '--dry-run=server', '--validate=strict', '--field-manager', 'conformance', '-f', c.file]);
      assertApiserverReachable(r);
      c.api = verdict(r);
      c.apiMsg = r.code === 0 ? '' : firstLine(r.stderr || r.stdout);
    });
  });
  await phase('corpus: istioctl validate per case', async () => {
    await pool(cases, JOBS, async (c) => {
      const r = await run(bins.istioctl, ['validate', '-f', c.file], { env: toolEnv(), name: 'istioctl validate' });
      c.istioctl = verdict(r);
      c.istioctlMsg = r.code === 0 ? '' : firstLine(r.stderr || r.stdout);
    });
  });
  if (oursBuilt) {
    await phase('corpus: our validator per case', async () => {
      await pool(cases, JOBS, async (c) => {
        const [cmd, ...args] = ours.argv;
        const r = await run(cmd, [...args, c.file], { cwd: ROOT, env: process.env, name: 'ours' });
        c.ours = r.code === 0 ? 'accept' : r.code === 1 ? 'reject' : `error(${r.code})`;
        c.oursMsg = r.code === 0 ? '' : firstLine(r.stderr || r.stdout);
      });
    });
  }

  // Verdicts: reference = Istio rejects (webhook rules) OR the API server rejects (schema/CEL).
  const failures = [];
  for (const c of cases) {
    c.reference = c.istioctl === 'reject' || c.api === 'reject' ? 'reject' : 'accept';
    const s = stricter.get(path.normalize(c.id));
    if (s) s.seen = true;
    c.result = 'ok';
    if (c.reference !== c.expected) {
      c.result = 'MISLABELED';
      failures.push(`${c.id}: filed under ${c.expected === 'accept' ? 'valid' : 'invalid'}/ but Istio ${c.reference}s it ` +
        `(istioctl: ${c.istioctl}${c.istioctlMsg ? ` - ${c.istioctlMsg}` : ''}; apiserver: ${c.api}${c.apiMsg ? ` - ${c.apiMsg}` : ''})`);
      continue;
    }
    if (!oursBuilt) continue;
    if (c.ours === c.reference) {
      if (s) {
        c.result = 'STALE';
        failures.push(`${c.id}: listed in ${rel(STRICTER_FILE)} but our verdict now equals Istio's (${c.ours}): remove the entry`);
      }
    } else if (s && c.ours === 'reject' && c.reference === 'accept') {
      c.result = 'stricter';
    } else {
      c.result = 'DIFF';
      failures.push(`${c.id}: ours ${c.ours}${c.oursMsg ? ` (${c.oursMsg})` : ''}, Istio ${c.reference}` +
        (c.reference === 'accept' ? ' (add to stricter.yaml with a reason if this is deliberate)' : ` (istioctl: ${c.istioctlMsg || c.istioctl}; apiserver: ${c.apiMsg || c.api})`));
    }
  }
  for (const [file, s] of stricter) {
    if (!s.seen) failures.push(`${rel(STRICTER_FILE)}: entry ${file} matches no corpus case`);
  }

  // Table of all verdicts.
  const rows = [['case', 'expected', 'ours', 'istioctl', 'apiserver', 'result']];
  for (const c of cases) rows.push([c.id, c.expected, oursBuilt ? c.ours : '-', c.istioctl, c.api, c.result]);
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  log();
  rows.forEach((r, i) => {
    log(`  ${r.map((cell, j) => cell.padEnd(widths[j])).join('  ')}`.trimEnd());
    if (i === 0) log(`  ${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  });
  log();
  if (opts.verbose) {
    for (const c of cases) {
      for (const [who, msg] of [['ours', c.oursMsg], ['istioctl', c.istioctlMsg], ['apiserver', c.apiMsg]]) {
        if (msg) log(`  ${c.id}: ${who}: ${msg}`);
      }
    }
    log();
  }
  if (failures.length) {
    for (const f of failures) summary.failures.push(`corpus: ${f}`);
  } else {
    summary.passed.push(`corpus (${cases.length} cases${oursBuilt ? '' : ', ours not built'})`);
  }
  summary.corpus = { total: cases.length, failed: failures.length };
}

// ---------------------------------------------------------------------------
// main

const T0 = performance.now();
function printTimings() {
  log();
  log('timings');
  for (const [name, ms] of timings) log(`  ${secs(ms).padStart(7)}  ${name}`);
  log(`  ${secs(performance.now() - T0).padStart(7)}  total`);
  log();
}

async function main() {
  if (!which('go')) skipOrFail('go not found on PATH (install Go 1.26+ to run it)');
  if (!which('kubectl')) skipOrFail('kubectl not found on PATH (install kubectl 1.32+ to run it)');
  if (!which('openssl')) skipOrFail('openssl not found on PATH (needed for throwaway certificates)');
  if (!fs.existsSync(CRD_FILE)) {
    throw new HarnessError(`Istio CRDs not found at ${CRD_FILE} (expected <repo>/../shared/istio/${ISTIO_VERSION}/; or pass --shared DIR)`);
  }

  const summary = { passed: [], failures: [], notes: [] };
  const bins = await phase('build tools', buildTools);

  tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'conformance-'));
  HOME_DIR = path.join(tmpDir, 'home');
  fs.mkdirSync(HOME_DIR);
  info(`temp dir ${tmpDir}`);

  const pki = path.join(tmpDir, 'pki');
  fs.mkdirSync(pki);
  const certs = await phase('certificates (openssl)', () => makeCerts(pki));
  const etcd = await phase('start etcd', () => startEtcd(bins.etcd, tmpDir));
  info(`  etcd at ${etcd.url} (pid ${etcd.daemon.child.pid})`);
  const api = await phase('start apiextensions-apiserver', () => startApiserver(bins['apiextensions-apiserver'], tmpDir, etcd.url, certs));
  info(`  API server at ${api.base} (pid ${api.daemon.child.pid})`);
  const crdInfo = await phase(`install Istio ${ISTIO_VERSION} CRDs`, () =>
    installCrds(api).catch((e) => {
      if (!opts.serve) throw e;
      console.error(`conformance: ${e.message}`);
      return { count: 0 };
    }));
  info(`  ${crdInfo.count} CRDs established`);

  if (opts.serve) {
    info(`serving; try: kubectl --kubeconfig ${api.kubeconfig} get crd   (Ctrl-C stops and cleans up)`);
    await new Promise(() => {});
  }
  if (!opts['skip-dist']) await checkDist(api, crdInfo, bins, summary);
  if (!opts['skip-corpus']) {
    info('corpus ...');
    await checkCorpus(api, bins, summary);
  }

  await phase('teardown', cleanup);

  log();
  log('conformance summary');
  for (const p of summary.passed) log(`  pass  ${p}`);
  for (const n of summary.notes) log(`  note  ${n}`);
  for (const f of summary.failures) log(`  FAIL  ${f.split('\n')[0]}${f.includes('\n') ? `\n${f.split('\n').slice(1).join('\n')}` : ''}`);
  printTimings();
  const passed = summary.passed.length;
  const failed = summary.failures.length;
  log(`conformance: ${passed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}

main()
  .then(async (code) => {
    await cleanup();
    process.exit(interrupted ? signalExit(interrupted) : code);
  })
  .catch(async (e) => {
    if (interrupted) {
      await cleanup();
      process.exit(signalExit(interrupted));
    }
    if (e instanceof HarnessError) console.error(`conformance: FAILED: ${e.message}`);
    else console.error('conformance: internal error:', e);
    await cleanup();
    if (timings.length) printTimings();
    process.exit(1);
  });
