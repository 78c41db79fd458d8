// Phase "analyze corpus": <corpus>/analyze/*.yaml, one case per file, each a set of
// objects (routing objects plus the Gateways, Services, ServiceEntries, Pods... they
// reference). What istioctl analyze says about the routing objects (VirtualServices,
// DestinationRules) must equal the case's `# analyze:` lines, and our validator must
// say exactly the same: same levels, codes, objects and messages.
//
// The judge is istio-analyze (tools/istioctl/istio-analyze): istioctl analyze's own
// analyzers, reading the file as a cluster's content. `istioctl analyze
// --use-kube=false` never runs the analyzers that read Services or Pods, so for a case
// without Kubernetes objects the real istioctl binary is run too, and must agree.
import fs from 'node:fs';
import path from 'node:path';
import { mapConcurrently } from './concurrency.mjs';
import { HarnessError } from './harness-error.mjs';
import { analyzeNamespaceArgs, istioctlAnalyze } from './istioctl.mjs';
import { indent, info, log, rel } from './log.mjs';
import { REPO_ROOT } from './paths.mjs';
import { run } from './processes.mjs';
import { phase } from './report.mjs';
import { toolEnv } from './workspace.mjs';
import { listYamlFiles, readKubernetesObjects } from './yaml-files.mjs';

const ROUTING_KINDS = new Set(['VirtualService', 'DestinationRule']);
const KUBERNETES_KINDS = new Set(['v1/Service', 'v1/Pod', 'v1/Node', 'apps/v1/Deployment']);
const NONE = 'none';

/** `<Level> <code> <Kind> <namespace>/<name>: <message>`, as the `# analyze:` lines and our report's `istioctl` field. */
const lineOf = (m) => `${m.level} ${m.code} ${m.origin}: ${m.message}`;

/** istioctl analyze -o json output, reduced to the lines about routing objects, sorted. */
function routingLines(stdout, what) {
  let messages;
  try {
    messages = JSON.parse(stdout);
  } catch {
    throw new HarnessError(`${what} gave no JSON: ${String(stdout).trim().split('\n')[0]}`);
  }
  return (messages ?? []).filter((m) => ROUTING_KINDS.has(String(m.origin).split(' ')[0])).map(lineOf).sort();
}

/** The case's `# analyze: <line>` comments (`# analyze: none` for a case with nothing to report). */
function expectedLines(file) {
  const lines = [...fs.readFileSync(file, 'utf8').matchAll(/^# analyze: (.*)$/gm)].map((m) => m[1].trimEnd());
  if (lines.length === 1 && lines[0] === NONE) return [];
  return lines.length ? lines.sort() : undefined;
}

function listCases(corpusDir) {
  const dir = path.join(corpusDir, 'analyze');
  if (!fs.existsSync(dir)) return [];
  return listYamlFiles(dir).map((file) => {
    const { objects } = readKubernetesObjects(file);
    const namespaces = new Set(objects.map(({ obj }) => obj.metadata?.namespace).filter(Boolean));
    const kubernetes = objects.some(({ obj }) => KUBERNETES_KINDS.has(`${obj.apiVersion}/${obj.kind}`));
    // A case may hold documents istioctl cannot decode (and leaves out of analysis): it says so in `# undecodable:` lines.
    const undecodable = /^# undecodable: /m.test(fs.readFileSync(file, 'utf8'));
    return { file, id: path.relative(corpusDir, file), expected: expectedLines(file), namespaceArgs: analyzeNamespaceArgs(namespaces), kubernetes, undecodable };
  });
}

const sameLines = (a, b) => a.length === b.length && a.every((line, i) => line === b[i]);

function difference(label, actual, reference) {
  const missing = reference.filter((l) => !actual.includes(l)).map((l) => `missing: ${l}`);
  const extra = actual.filter((l) => !reference.includes(l)).map((l) => `extra:   ${l}`);
  return `${label}\n${indent([...missing, ...extra].join('\n'), '      ')}`;
}

export async function checkAnalyzeCorpus({ bins, ourValidator, options, summary }) {
  const cases = listCases(options.corpusDir);
  if (!cases.length) {
    summary.notes.push(`no ${rel(path.join(options.corpusDir, 'analyze'))}/*.yaml cases: analyze corpus skipped`);
    return;
  }
  info(`  ${cases.length} analyze case(s) from ${rel(path.join(options.corpusDir, 'analyze'))}`);

  await phase('analyze corpus: istio-analyze (and istioctl analyze without Kubernetes objects) per case', () =>
    mapConcurrently(cases, options.jobs, async (c) => {
      const judged = await run(bins['istio-analyze'], [...c.namespaceArgs, c.file], { env: toolEnv(), name: 'istio-analyze' });
      if (judged.code !== 0) throw new HarnessError(`istio-analyze failed on ${rel(c.file)} (exit ${judged.code}):\n${indent(judged.stderr)}`);
      if (/Error\(s\) adding files/.test(judged.stderr) && !c.undecodable) throw new HarnessError(`istio-analyze could not read ${rel(c.file)}:\n${indent(judged.stderr)}`);
      c.istio = routingLines(judged.stdout, `istio-analyze ${rel(c.file)}`);
      if (!c.kubernetes) {
        const real = await istioctlAnalyze(bins.istioctl, [c.file], c.namespaceArgs);
        if (/Error\(s\) adding files/.test(real.stderr) && !c.undecodable) throw new HarnessError(`istioctl analyze could not read ${rel(c.file)}:\n${indent(real.stderr)}`);
        c.istioctl = routingLines(real.stdout, `istioctl analyze ${rel(c.file)}`);
      }
    }));

  if (ourValidator?.batch) {
    await phase('analyze corpus: our validator (one run, --each-file)', async () => {
      const [cmd, ...args] = ourValidator;
      const r = await run(cmd, [...args, '--each-file', '--output', 'json', ...cases.map((c) => c.file)], { cwd: REPO_ROOT, env: process.env, name: 'ours' });
      let report;
      try {
        report = JSON.parse(r.stdout);
      } catch {
        throw new HarnessError(`our validator gave no JSON report (exit ${r.code}): ${(r.stderr || r.stdout).trim().split('\n')[0]}`);
      }
      if (report.inputErrors.length) throw new HarnessError(`our validator could not read analyze cases:\n${indent(report.inputErrors.join('\n'))}`);
      for (const c of cases) {
        const ofCase = report.diagnostics.filter((d) => path.resolve(REPO_ROOT, d.file) === path.resolve(c.file));
        c.ours = ofCase.filter((d) => d.istioctl && ROUTING_KINDS.has(d.kind)).map((d) => d.istioctl).sort();
      }
    });
  } else {
    summary.notes.push('analyze corpus: our messages not compared (a custom --ours command gives verdicts only)');
  }

  const failures = [];
  for (const c of cases) {
    c.result = 'ok';
    if (c.expected === undefined) {
      c.result = 'UNLABELED';
      failures.push(`${c.id}: no "# analyze:" lines (istio-analyze says:\n${indent(c.istio.map((l) => `# analyze: ${l}`).join('\n') || `# analyze: ${NONE}`, '      ')})`);
    } else if (!sameLines(c.istio, c.expected)) {
      c.result = 'MISLABELED';
      failures.push(difference(`${c.id}: its "# analyze:" lines differ from istio-analyze`, c.expected, c.istio));
    } else if (c.istioctl && !sameLines(c.istioctl, c.istio)) {
      c.result = 'JUDGE';
      failures.push(difference(`${c.id}: istio-analyze differs from istioctl analyze --use-kube=false`, c.istio, c.istioctl));
    } else if (c.ours && !sameLines(c.ours, c.istio)) {
      c.result = 'DIFF';
      failures.push(difference(`${c.id}: our messages differ from istioctl analyze's`, c.ours, c.istio));
    }
  }
  printTable(cases, options.verbose);
  if (failures.length) for (const f of failures) summary.failures.push(`analyze corpus: ${f}`);
  else summary.passed.push(`analyze corpus (${cases.length} cases, ${cases.reduce((n, c) => n + c.istio.length, 0)} messages, identical)`);
}

function printTable(cases, verbose) {
  const rows = [['case', 'istio', 'istioctl', 'ours', 'result'], ...cases.map((c) => [
    c.id,
    codes(c.istio),
    c.istioctl ? codes(c.istioctl) : '(needs cluster kinds)',
    c.ours ? codes(c.ours) : '-',
    c.result,
  ])];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  log();
  for (const [i, row] of rows.entries()) {
    log(`  ${row.map((cell, j) => cell.padEnd(widths[j])).join('  ')}`.trimEnd());
    if (i === 0) log(`  ${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  }
  log();
  if (verbose) for (const c of cases) for (const line of c.istio) log(`  ${c.id}: ${line}`);
}

/** The codes of a case's messages, e.g. `IST0101 IST0132`, or `-`. */
const codes = (lines) => (lines.length ? lines.map((l) => l.split(' ')[1]).join(' ') : '-');
