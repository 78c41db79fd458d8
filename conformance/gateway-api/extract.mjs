#!/usr/bin/env node
// Extracts the Gateway API conformance suite's HTTPRoute cases into
// conformance/gateway-api/cases.json (`node conformance/gateway-api/extract.mjs`),
// from the module Istio 1.30.3 builds against: sigs.k8s.io/gateway-api/conformance
// at the version conformance/tools/istioctl/go.mod requires for sigs.k8s.io/gateway-api.
// The Go tool conformance/tools/gateway-api-cases reads the tests' Go sources
// with go/ast; the JSON records the module's go.sum hash and each file's sha256.
// `--check` exits 1 when the committed file differs from a fresh extraction.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
const MODULE = 'sigs.k8s.io/gateway-api/conformance';
const OUTPUT = path.join(root, 'conformance/gateway-api/cases.json');

export function pinnedVersion() {
  const goMod = fs.readFileSync(path.join(root, 'conformance/tools/istioctl/go.mod'), 'utf8');
  const version = goMod.match(/^\s*sigs\.k8s\.io\/gateway-api (v\S+)/m)?.[1];
  if (!version) throw new Error('conformance/tools/istioctl/go.mod requires no sigs.k8s.io/gateway-api');
  return version;
}

export function extractCases() {
  const version = pinnedVersion();
  const env = { ...process.env, GOFLAGS: '-mod=mod' };
  const toolDir = path.join(root, 'conformance/tools/gateway-api-cases');
  const download = JSON.parse(execFileSync('go', ['mod', 'download', '-json', `${MODULE}@${version}`], { cwd: toolDir, env, encoding: 'utf8' }));
  const extracted = JSON.parse(execFileSync('go', ['run', '.', download.Dir], { cwd: toolDir, env, encoding: 'utf8', maxBuffer: 64 << 20 }));
  const data = { module: MODULE, version, sum: download.Sum, extractedBy: 'conformance/tools/gateway-api-cases', ...extracted };
  return `${JSON.stringify(data, null, 1)}\n`;
}

if (process.argv[1] === import.meta.filename) {
  const text = extractCases();
  if (process.argv.includes('--check')) {
    const same = fs.existsSync(OUTPUT) && fs.readFileSync(OUTPUT, 'utf8') === text;
    const { module, version, tests } = JSON.parse(text);
    const counts = `${tests.length} tests, ${tests.reduce((n, t) => n + t.cases.length, 0)} cases`;
    console.log(same
      ? `gateway-api cases: conformance/gateway-api/cases.json is what ${module}@${version} gives (${counts})`
      : `gateway-api cases: conformance/gateway-api/cases.json differs from what ${module}@${version} gives (${counts}): run node conformance/gateway-api/extract.mjs`);
    process.exitCode = same ? 0 : 1;
  } else {
    fs.writeFileSync(OUTPUT, text);
    console.log(`wrote ${path.relative(root, OUTPUT)}`);
  }
}
