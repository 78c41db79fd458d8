// Phase "analyzer inputs": Istio's own analyzer test inputs (pkg/config/analysis/analyzers/
// testdata, read from the pinned istio.io/istio in the Go module cache, never copied here),
// one input set per test case of analyzers_test.go. istio-analyze (istioctl analyze's
// analyzers, the files as a cluster's content) and our validator judge each set; what they
// say about the kinds we implement must be identical, message by message, except for the
// reviewed differences of analyzer-inputs-allowed.yaml.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  compareInputSet, comparedIstioLines, comparedOurLines, mayBeUnused, parseAllowList, parseTestGrid,
} from './analyzer-inputs-compare.mjs';
import { mapConcurrently } from './concurrency.mjs';
import { HarnessError } from './harness-error.mjs';
import { indent, info, log, rel } from './log.mjs';
import { CONFORMANCE_DIR, REPO_ROOT } from './paths.mjs';
import { run } from './processes.mjs';
import { phase } from './report.mjs';
import { toolEnv, workspacePath } from './workspace.mjs';
import YAML from './yaml.mjs';

/**
 * istio.io/istio's folder in the module cache, at the version tools/istioctl/go.mod pins
 * (there after istioctl's build). Found without running go: $GOMODCACHE, else
 * $GOPATH/pkg/mod, else ~/go/pkg/mod, as go itself decides.
 */
export function istioModuleDir() {
  const goMod = fs.readFileSync(path.join(CONFORMANCE_DIR, 'tools', 'istioctl', 'go.mod'), 'utf8');
  const version = /^\s*(?:require\s+)?istio\.io\/istio\s+(\S+)/m.exec(goMod)?.[1];
  if (!version) throw new HarnessError('tools/istioctl/go.mod does not require istio.io/istio');
  const gopath = (process.env.GOPATH || path.join(os.homedir(), 'go')).split(path.delimiter)[0];
  const cache = process.env.GOMODCACHE || path.join(gopath, 'pkg', 'mod');
  const dir = path.join(cache, 'istio.io', `istio@${version}`);
  if (!fs.existsSync(dir)) throw new HarnessError(`istio.io/istio@${version} is not in the module cache (${cache}); build the tools first`);
  return dir;
}

export async function checkAnalyzerInputs({ bins, ourValidator, options, summary }) {
  const analyzersDir = path.join(istioModuleDir(), 'pkg', 'config', 'analysis', 'analyzers');
  const sets = parseTestGrid(fs.readFileSync(path.join(analyzersDir, 'analyzers_test.go'), 'utf8'));
  const allowListFile = options.analyzerAllowList;
  const allowList = parseAllowList(YAML.parse(fs.readFileSync(allowListFile, 'utf8')), rel(allowListFile));
  const inputFiles = new Set(sets.flatMap((s) => s.files));
  info(`  ${sets.length} input sets (${inputFiles.size} files) from ${analyzersDir}`);

  // One file per set for our validator (its files joined as one YAML stream), so that one
  // run with --each-file judges every set on its own.
  const setDir = workspacePath('analyzer-inputs');
  fs.mkdirSync(setDir, { recursive: true });
  sets.forEach((s, i) => {
    s.input = s.files.map((f) => path.basename(f)).join(' + ');
    s.paths = s.files.map((f) => path.join(analyzersDir, f));
    s.joined = path.join(setDir, `${String(i).padStart(3, '0')}.yaml`);
    fs.writeFileSync(s.joined, s.paths.map((p) => fs.readFileSync(p, 'utf8')).join('\n---\n'));
  });

  await phase('analyzer inputs: istio-analyze per input set', () =>
    mapConcurrently(sets, options.jobs, async (s) => {
      // As `kubectl apply` would put the files in a cluster (no namespace: default), every namespace reported.
      const r = await run(bins['istio-analyze'], ['--default-namespace', 'default', ...s.paths], { env: toolEnv(), name: 'istio-analyze' });
      if (r.code !== 0) throw new HarnessError(`istio-analyze failed on ${s.input} (exit ${r.code}):\n${indent(r.stderr)}`);
      // istioctl leaves a document it cannot decode out of analysis; so does istio-analyze, and so must we.
      if (/Error\(s\) adding files/.test(r.stderr)) summary.notes.push(`analyzer inputs: ${s.input}: istioctl could not read every document:\n${indent(r.stderr.trim(), '      ')}`);
      try {
        s.istio = comparedIstioLines(JSON.parse(r.stdout));
      } catch {
        throw new HarnessError(`istio-analyze gave no JSON for ${s.input}: ${r.stdout.trim().split('\n')[0]}`);
      }
    }));

  await phase('analyzer inputs: our validator (one run, --each-file)', async () => {
    const [cmd, ...args] = ourValidator;
    const r = await run(cmd, [...args, '--each-file', '--output', 'json', ...sets.map((s) => s.joined)], { cwd: REPO_ROOT, env: process.env, name: 'ours' });
    let report;
    try {
      report = JSON.parse(r.stdout);
    } catch {
      throw new HarnessError(`our validator gave no JSON report (exit ${r.code}): ${(r.stderr || r.stdout).trim().split('\n')[0]}`);
    }
    if (report.inputErrors.length) throw new HarnessError(`our validator could not read analyzer inputs:\n${indent(report.inputErrors.join('\n'))}`);
    for (const s of sets) s.ours = comparedOurLines(report.diagnostics.filter((d) => path.resolve(REPO_ROOT, d.file) === s.joined));
  });

  const differences = sets.flatMap((s) => compareInputSet(s, allowList));
  const unexplained = differences.filter((d) => !d.allowedBy);
  const stale = allowList.filter((entry) => entry.used === 0 && !mayBeUnused(entry));
  const messages = sets.reduce((n, s) => n + s.istio.length, 0);
  const line = `analyzer inputs: ${inputFiles.size} files, ${messages} messages, ${unexplained.length} differences`
    + ` (${differences.length - unexplained.length} allowed by ${rel(allowListFile)})`;
  log();
  log(`  ${line}`);
  for (const d of differences) {
    const mark = d.allowedBy ? 'allowed' : 'DIFF   ';
    if (!d.allowedBy || options.verbose) log(`  ${mark} ${describe(d)}`);
  }
  log();
  if (unexplained.length) summary.failures.push(`${line}:\n${indent(unexplained.map(describe).join('\n'), '      ')}`);
  else summary.passed.push(line);
  for (const entry of stale) {
    summary.failures.push(`${rel(allowListFile)}: stale entry (no difference matches it): ${entry.side} ${entry.code} ${entry.resource}${entry.message ? ` ${entry.message}` : ''}`);
  }
}

function describe(d) {
  if (d.side === 'text') return `${d.input}: other words:\n      istioctl: ${d.line}\n      ours:     ${d.ours}`;
  return `${d.input}: ${d.side === 'istio' ? 'only istioctl' : 'only ours'}: ${d.line}`;
}
