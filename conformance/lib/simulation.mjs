// Phase "simulation": our traffic simulator (lib/traffic) against Istio's own config
// generation. Requests are generated from each set's match values (simulation-requests.mjs);
// the Go harness (tools/istioctl/simulate) routes them through the Envoy routes pilot
// generates for a sidecar and for the gateway; every answer of ours must agree
// (simulation-compare.mjs) or be a documented difference (simulation-differences.yaml).
import fs from 'node:fs';
import path from 'node:path';
import { HarnessError } from './harness-error.mjs';
import { indent, info, log, rel } from './log.mjs';
import { loadOurSimulator } from './our-simulator.mjs';
import { TOOL_CACHE_DIR } from './paths.mjs';
import { run } from './processes.mjs';
import { phase } from './report.mjs';
import { compareAnswers } from './simulation-compare.mjs';
import { describeSource, findDifference, parseDifferences } from './simulation-differences.mjs';
import { generateRequests } from './simulation-requests.mjs';
import { collectSimulationSets } from './simulation-sets.mjs';
import { workspacePath } from './workspace.mjs';
import YAML from './yaml.mjs';

const SHOWN_PER_GROUP = 15; // disagreements printed in full; all are in the report file
export const REPORT_FILE = path.join(TOOL_CACHE_DIR, '..', 'simulation-report.json');

export async function checkSimulation({ simulate, options, summary }) {
  const differences = loadDifferences(options);
  const { sets, skipped } = collectSimulationSets(options);
  if (options.samplesExplicit && !fs.existsSync(options.samplesDir)) summary.failures.push(`simulation: samples dir ${rel(options.samplesDir)} not found`);
  for (const set of sets) set.requests = generateRequests(set.objects);
  const total = sets.reduce((n, s) => n + s.requests.length, 0);
  info(`  ${sets.length} set(s), ${total} requests`);

  const envoy = await phase('simulation: Istio config generation + Envoy route matching', () => runHarness(simulate, sets));
  const ours = await loadOurSimulator();
  const outcome = await phase('simulation: our simulator and comparison', async () => compareAll(sets, envoy, ours, differences));

  for (const s of [...skipped, ...outcome.skipped]) summary.notes.push(`simulation: skipped ${s.name}: ${s.reason}`);
  for (const d of differences.filter((x) => !x.used)) summary.notes.push(`simulation: unused documented difference: ${JSON.stringify(d.entry)}`);
  fs.mkdirSync(path.dirname(REPORT_FILE), { recursive: true });
  fs.writeFileSync(REPORT_FILE, `${JSON.stringify({ disagreements: outcome.disagreements, documented: outcome.documented }, null, 2)}\n`);

  for (const group of ['dist', 'corpus', 'samples']) {
    const inGroup = sets.filter((s) => s.group === group && !outcome.skipped.some((k) => k.name === s.name));
    if (!inGroup.length) continue;
    const count = inGroup.reduce((n, s) => n + s.requests.length, 0);
    const bad = outcome.disagreements.filter((d) => d.group === group);
    if (!bad.length) {
      summary.passed.push(`simulation ${group} (${inGroup.length} set(s), ${count} requests agree with Istio's Envoy routes)`);
      continue;
    }
    const shown = bad.slice(0, SHOWN_PER_GROUP).map(formatDisagreement).join('\n');
    const more = bad.length > SHOWN_PER_GROUP ? `\n... and ${bad.length - SHOWN_PER_GROUP} more (all in ${rel(REPORT_FILE)})` : '';
    summary.failures.push(`simulation ${group}: ${bad.length} of ${count} requests disagree with Istio's Envoy routes:\n${indent(shown + more)}`);
  }
  const statuses = Object.entries(outcome.statuses).map(([status, n]) => `${n}x ${status}`).join(', ');
  info(`  Envoy's answers: ${statuses} (${outcome.viaGateway} routed through a gateway); ${outcome.documented.length} documented differences`);
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

/** One run of the Go harness for every set; { set name: { error?, synthesized, results } }. */
async function runHarness(simulate, sets) {
  const job = workspacePath('simulation-job.json');
  const out = workspacePath('simulation-results.json');
  const yamlFiles = (s) => s.files.map((f) => path.resolve(f));
  fs.writeFileSync(job, JSON.stringify({ sets: sets.map((s) => ({ name: s.name, yamlFiles: yamlFiles(s), requests: s.requests })) }));
  const r = await run(simulate, [job, out], { name: 'simulate', timeoutMs: 10 * 60_000 });
  if (r.code !== 0) throw new HarnessError(`simulate exited ${r.code}:\n${indent(r.stderr.trim() || r.stdout.trim())}`);
  const results = JSON.parse(fs.readFileSync(out, 'utf8'));
  return new Map(results.sets.map((s) => [s.name, s]));
}

/** Our answers compared with Envoy's, request by request. */
function compareAll(sets, envoy, ours, differences) {
  const outcome = { judged: 0, statuses: {}, viaGateway: 0, disagreements: [], documented: [], skipped: [] };
  for (const set of sets) {
    const theirs = envoy.get(set.name);
    if (!theirs || theirs.error) {
      outcome.skipped.push({ name: set.name, reason: `Istio's config generation cannot load it: ${theirs?.error ?? 'no result'}` });
      continue;
    }
    let model;
    try {
      model = ours.buildTrafficModel(set.objects);
    } catch (e) {
      outcome.disagreements.push({ group: set.group, set: set.name, error: `our simulator cannot load the set: ${e.message}` });
      continue;
    }
    set.requests.forEach((request, i) => {
      const e = theirs.results[i];
      if (e.error) {
        const doc = findDifference(differences, set.name, request, 'error');
        if (doc) outcome.documented.push({ set: set.name, request, field: 'error', reason: doc.entry.reason });
        else outcome.disagreements.push({ group: set.group, set: set.name, request, error: `harness: ${e.error}` });
        return;
      }
      outcome.judged += 1;
      outcome.statuses[e.status] = (outcome.statuses[e.status] ?? 0) + 1;
      if (request.from.kind === 'gateway' && e.status === 200) outcome.viaGateway += 1;
      let answer;
      try {
        answer = ours.explainRequest(model, request);
      } catch (err) {
        outcome.disagreements.push({ group: set.group, set: set.name, request, envoy: e, error: `our simulator threw: ${err.message}` });
        return;
      }
      const diffs = compareAnswers(request, e, answer);
      const unlisted = diffs.filter((d) => {
        const doc = findDifference(differences, set.name, request, d.field);
        if (doc) outcome.documented.push({ set: set.name, request, field: d.field, reason: doc.entry.reason });
        return !doc;
      });
      if (unlisted.length) outcome.disagreements.push({ group: set.group, set: set.name, request, diffs: unlisted, envoy: e, ours: answer });
    });
  }
  return outcome;
}

/** A request in curl-like words. */
export function describeRequest(r) {
  const extras = [
    ...Object.entries(r.headers ?? {}).map(([k, v]) => `-H '${k}: ${v}'`),
    ...Object.entries(r.cookies ?? {}).map(([k, v]) => `--cookie '${k}=${v}'`),
  ];
  return `${r.method ?? 'GET'} ${r.host}${r.port ? `:${r.port}` : ''}${r.path} ${extras.join(' ')} from ${describeSource(r.from)}`.replace(/ +from/, ' from');
}

function formatDisagreement(d) {
  const head = `${d.set}: ${d.request ? describeRequest(d.request) : ''}`;
  if (d.error) return `${head}\n  ${d.error}`;
  const route = d.envoy.envoy ? ` (Envoy: route config ${d.envoy.envoy.routeConfig || '-'}, virtual host ${d.envoy.envoy.virtualHost ?? '-'}, route ${d.envoy.envoy.route ?? '-'})` : '';
  const lines = d.diffs.map((x) => `  ${x.field}: Envoy ${JSON.stringify(x.envoy)}, ours ${JSON.stringify(x.ours)}`);
  return `${head}${route}\n${lines.join('\n')}`;
}
