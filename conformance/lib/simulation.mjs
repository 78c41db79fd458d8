// Phase "simulation": our traffic simulator (lib/traffic) against Istio's own config
// generation. Requests are generated from each set's match values (lib/traffic/boundary-requests.mjs);
// the Go harness (tools/istioctl/simulate) routes them through the Envoy routes pilot
// generates for a sidecar and for the gateway; every answer of ours must agree
// (simulation-compare.mjs) or be a documented difference (simulation-differences.yaml).
import fs from 'node:fs';
import path from 'node:path';
import { gatewayApiCrdFiles } from './gateway-api-crds.mjs';
import { HarnessError } from './harness-error.mjs';
import { indent, info, log, rel } from './log.mjs';
import { loadOurSimulator } from './our-simulator.mjs';
import { TOOL_CACHE_DIR } from './paths.mjs';
import { run } from './processes.mjs';
import { phase } from './report.mjs';
import { describeSource, parseDifferences } from './simulation-differences.mjs';
import { judgeSets } from './simulation-judge.mjs';
import { generateRequests } from '../../lib/traffic/boundary-requests.mjs';
import { collectSimulationSets } from './simulation-sets.mjs';
import { workspacePath } from './workspace.mjs';
import YAML from './yaml.mjs';

const SHOWN_KINDS = 20; // kinds of disagreement printed per group, one example each; all are in the report file
export const REPORT_FILE = path.join(TOOL_CACHE_DIR, '..', 'simulation-report.json');

export async function checkSimulation({ simulate, options, summary }) {
  const differences = loadDifferences(options);
  const { sets, skipped } = collectSimulationSets(options);
  if (options.samplesExplicit && !fs.existsSync(options.samplesDir)) summary.failures.push(`simulation: samples dir ${rel(options.samplesDir)} not found`);
  for (const set of sets) set.requests = generateRequests(set.objects);
  const total = sets.reduce((n, s) => n + s.requests.length, 0);
  info(`  ${sets.length} set(s), ${total} requests`);

  // dist/ holds Gateway API objects too (an LlmService's HTTPRoute and InferencePools): the
  // cluster's CRDs give them the API server's defaults before Istio's controller reads them.
  const envoy = await phase('simulation: Istio config generation + Envoy route matching', async () => {
    const { experimental } = await gatewayApiCrdFiles();
    return runHarness(simulate, sets, 'simulation', { crdFiles: [experimental] });
  });
  const ours = await loadOurSimulator();
  const outcome = await phase('simulation: our simulator and comparison', async () => judgeSets(sets, envoy, ours, differences));

  // dist/ is ours: a judge that cannot load it has not judged it, and says so as a failure.
  const distName = new Set(sets.filter((s) => s.group === 'dist').map((s) => s.name));
  for (const s of [...skipped, ...outcome.skipped]) {
    if (distName.has(s.name)) summary.failures.push(`simulation dist: not judged: ${s.reason}`);
    else summary.notes.push(`simulation: skipped ${s.name}: ${s.reason}`);
  }
  for (const d of differences.filter((x) => !x.used)) summary.notes.push(`simulation: unused documented difference: ${JSON.stringify(d.entry)}`);
  fs.mkdirSync(path.dirname(REPORT_FILE), { recursive: true });
  fs.writeFileSync(REPORT_FILE, `${JSON.stringify({ disagreements: outcome.disagreements, documented: outcome.documented }, null, 2)}\n`);

  for (const group of ['dist', 'corpus', 'samples', 'testdata']) {
    const inGroup = sets.filter((s) => s.group === group && !outcome.skipped.some((k) => k.name === s.name));
    if (!inGroup.length) continue;
    const count = inGroup.reduce((n, s) => n + s.requests.length, 0);
    const bad = outcome.disagreements.filter((d) => d.group === group);
    if (!bad.length) {
      summary.passed.push(`simulation ${group} (${inGroup.length} set(s), ${count} requests agree with Istio's Envoy routes)`);
      continue;
    }
    // One example per set and differing fields: the same cause repeats over many requests.
    const kinds = new Map();
    for (const d of bad) {
      const key = `${d.set} ${d.error ? 'error' : d.diffs.map((x) => x.field).join(',')}`;
      if (!kinds.has(key)) kinds.set(key, { example: d, count: 0 });
      kinds.get(key).count += 1;
    }
    const listed = [...kinds.values()].slice(0, SHOWN_KINDS);
    const shown = listed.map(({ example, count }) => `${formatDisagreement(example)}\n  (${count} request(s) like this)`).join('\n');
    const more = kinds.size > SHOWN_KINDS ? `\n... and ${kinds.size - SHOWN_KINDS} more kinds` : '';
    summary.failures.push(`simulation ${group}: ${bad.length} of ${count} requests disagree with Istio's Envoy routes (all in ${rel(REPORT_FILE)}):\n${indent(shown + more)}`);
  }
  const statuses = Object.entries(outcome.statuses).map(([status, n]) => `${n}x ${status}`).join(', ');
  info(`  Envoy's answers: ${statuses} (${outcome.viaGateway} routed through a gateway, ${outcome.passthrough} passed through to a host the mesh does not know); ${outcome.documented.length} documented differences`);
  info(`  report: ${rel(REPORT_FILE)}`);
  log(`simulation: ${outcome.judged} requests, ${outcome.disagreements.length} disagreements`);
}

function loadDifferences({ differencesFile, differencesExplicit }) {
  if (!fs.existsSync(differencesFile)) {
    if (differencesExplicit) throw new HarnessError(`differences file ${rel(differencesFile)} not found`);
    return [];
  }
  try {
    return parseDifferences(YAML.parse(fs.readFileSync(differencesFile, 'utf8')), rel(differencesFile));
  } catch (e) {
    throw new HarnessError(e.message);
  }
}

/**
 * One run of the Go harness for every set; { set name: { error?, synthesized, results } }.
 * `name` names its files in the temp dir; `crdFiles`: the CRDs whose defaults and validation
 * the harness applies to custom resources first, as an API server would.
 */
export async function runHarness(simulate, sets, name = 'simulation', { crdFiles } = {}) {
  const job = workspacePath(`${name}-job.json`);
  const out = workspacePath(`${name}-results.json`);
  const yamlFiles = (s) => s.files.map((f) => path.resolve(f));
  fs.writeFileSync(job, JSON.stringify({ ...(crdFiles ? { crdFiles } : {}), sets: sets.map((s) => ({ name: s.name, yamlFiles: yamlFiles(s), requests: s.requests })) }));
  const r = await run(simulate, [job, out], { name: 'simulate', timeoutMs: 10 * 60_000 });
  if (r.code !== 0) throw new HarnessError(`simulate exited ${r.code}:\n${indent(r.stderr.trim() || r.stdout.trim())}`);
  const results = JSON.parse(fs.readFileSync(out, 'utf8'));
  return new Map(results.sets.map((s) => [s.name, s]));
}

/** A request in curl-like words. */
export function describeRequest(r) {
  const extras = [
    ...Object.entries(r.headers ?? {}).map(([k, v]) => `-H '${k}: ${v}'`),
    ...Object.entries(r.cookies ?? {}).map(([k, v]) => `--cookie '${k}=${v}'`),
  ];
  return `${r.method ?? 'GET'} ${r.host}${r.port ? `:${r.port}` : ''}${r.path} ${extras.join(' ')} from ${describeSource(r.from)}`.replace(/ +from/, ' from');
}

/** One disagreement: the request, what decided in Envoy, and each differing field with both answers. */
export function formatDisagreement(d) {
  const head = `${d.set}: ${d.request ? describeRequest(d.request) : ''}`;
  if (d.error) return `${head}\n  ${d.error}`;
  const missing = d.envoy.envoy?.missingClusters?.length ? `, no cluster ${d.envoy.envoy.missingClusters.join(', ')}` : '';
  const route = d.envoy.envoy ? ` (Envoy: route config ${d.envoy.envoy.routeConfig || '-'}, virtual host ${d.envoy.envoy.virtualHost ?? '-'}, route ${d.envoy.envoy.route ?? '-'}${missing})` : '';
  const lines = d.diffs.map((x) => `  ${x.field}: Envoy ${JSON.stringify(x.envoy)}, ours ${JSON.stringify(x.ours)}`);
  return `${head}${route}\n${lines.join('\n')}`;
}
