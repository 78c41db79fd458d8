// Phase "gateway-api": our traffic model (lib/traffic, `explain`) on Gateway API YAML
// (HTTPRoute for the mesh and for Kubernetes Gateways, ReferenceGrant, Services) against
// Istio's own answer: its Gateway API controller converts the objects
// (pilot/pkg/config/kube/gateway) and config generation builds the Envoy routes, in the
// simulate harness (tools/istioctl/simulate/gatewayapi.go). The sets: the hand-written
// fixtures of testdata/gateway-api/, one set per file, given CRD defaults and validation
// first as an API server would (the Gateway API and Inference Extension CRDs Istio requires). Requests come from the routes' own
// match values (gateway-api-requests.mjs). The comparison is the simulation's
// (simulation-compare.mjs), with the route that decided named by kind: "HTTPRoute ns/name"
// or "VirtualService ns/name", so that a rule of the wrong object never passes; and when
// both route a request, the route's timeout and retries (policy-compare.mjs).
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { generateGatewayApiRequests } from './gateway-api-requests.mjs';
import { clusterContext } from './gateway-api-context.mjs';
import { gatewayApiCrdFiles } from './gateway-api-crds.mjs';
import { HarnessError } from './harness-error.mjs';
import { indent, info, log, rel } from './log.mjs';
import { loadOurSimulator } from './our-simulator.mjs';
import { CONFORMANCE_DIR, REPO_ROOT, TOOL_CACHE_DIR } from './paths.mjs';
import { phase } from './report.mjs';
import { formatDisagreement, runHarness } from './simulation.mjs';
import { compareAnswers } from './simulation-compare.mjs';
import { parseDifferences } from './simulation-differences.mjs';
import { comparePolicies } from './policy-compare.mjs';
import { compareEndpointPicker } from './picker-compare.mjs';
import { judgeSets } from './simulation-judge.mjs';
import { workspacePath } from './workspace.mjs';
import { listYamlFiles, readKubernetesObjects } from './yaml-files.mjs';
import YAML from './yaml.mjs';

export const GATEWAY_API_TESTDATA = path.join(CONFORMANCE_DIR, 'testdata', 'gateway-api');
export const GATEWAY_API_DIFFERENCES = path.join(CONFORMANCE_DIR, 'gateway-api-differences.yaml');
const REPORT_FILE = path.join(TOOL_CACHE_DIR, '..', 'gateway-api-report.json');
const SHOWN_KINDS = 20;
const YAML_SHOWN_LINES = 80; // a set's YAML is printed with its first disagreement when it is this short

export async function checkGatewayApi({ simulate, summary, apps = 0, seed = 22, testdataDir = GATEWAY_API_TESTDATA, differencesFile = GATEWAY_API_DIFFERENCES }) {
  const differences = loadDifferences(differencesFile);
  const sets = [...collectSets(testdataDir), ...(await appSets(apps, seed))];
  for (const set of sets) set.requests = generateGatewayApiRequests(set.objects);
  const fromApps = sets.filter((s) => s.group === 'gateway-api apps').length;
  info(`  ${sets.length - fromApps} fixture set(s) and ${fromApps} generated app(s) (of ${apps} asked; the others have options the Gateway API output refuses), ${sets.reduce((n, s) => n + s.requests.length, 0)} requests`);

  const envoy = await phase("gateway-api: Istio's Gateway API controller + config generation + Envoy route matching", async () => {
    // The cluster's CRDs: the experimental channel (a superset of the standard one: HTTPRoute retry) and InferencePool.
    const { experimental } = await gatewayApiCrdFiles();
    return runHarness(simulate, sets, 'gateway-api', { crdFiles: [experimental] });
  });
  const ours = await loadOurSimulator();
  const outcome = await phase('gateway-api: our traffic model and comparison', async () =>
    judgeSets(sets, new Map([...envoy].map(([name, s]) => [name, { ...s, results: (s.results ?? []).map(namedRoute) }])), routesNamed(ours), differences, compareWithPolicies));

  for (const s of outcome.skipped) {
    const decl = sets.find((x) => x.name === s.name)?.decl;
    summary.failures.push(`gateway-api: ${s.name}: ${s.reason}${decl ? `\n  declaration: ${JSON.stringify(decl)}` : ''}`);
  }
  for (const d of differences.filter((x) => !x.used)) summary.failures.push(`gateway-api: stale entry in ${rel(differencesFile)} (explains nothing): ${JSON.stringify(d.entry)}`);
  fs.mkdirSync(path.dirname(REPORT_FILE), { recursive: true });
  fs.writeFileSync(REPORT_FILE, `${JSON.stringify({ disagreements: outcome.disagreements, documented: outcome.documented }, null, 2)}\n`);

  if (outcome.disagreements.length) {
    const kinds = new Map();
    for (const d of outcome.disagreements) {
      const key = `${d.set} ${d.error ? 'error' : d.diffs.map((x) => x.field).join(',')}`;
      if (!kinds.has(key)) kinds.set(key, { example: d, count: 0 });
      kinds.get(key).count += 1;
    }
    const shownYaml = new Set();
    const shown = [...kinds.values()].slice(0, SHOWN_KINDS).map(({ example, count }) => {
      const set = sets.find((s) => s.name === example.set);
      const yaml = set && !shownYaml.has(set.name) ? setYaml(set) : '';
      if (yaml) shownYaml.add(set.name);
      return `${formatDisagreement(example).replace(/^( {2})virtualService:/m, '$1route:')}\n  (${count} request(s) like this)${yaml}`;
    });
    const more = kinds.size > SHOWN_KINDS ? `\n... and ${kinds.size - SHOWN_KINDS} more kinds` : '';
    summary.failures.push(`gateway-api: ${outcome.disagreements.length} of ${outcome.judged} requests disagree with Istio (all in ${rel(REPORT_FILE)}):\n${indent(shown.join('\n') + more)}`);
  } else if (outcome.judged) {
    summary.passed.push(`gateway-api (${sets.length} set(s), ${outcome.judged} requests agree with Istio's conversion and Envoy routes)`);
  }
  const statuses = Object.entries(outcome.statuses).map(([status, n]) => `${n}x ${status}`).join(', ');
  info(`  Envoy's answers: ${statuses} (${outcome.viaGateway} routed through a gateway); ${outcome.documented.length} documented differences`);
  log(`gateway-api: ${outcome.judged} requests, ${outcome.disagreements.length} disagreements`);
}

/**
 * The contract generator's first `count` apps of `seed` (lib/contracts/generate) that the
 * library renders with `api: 'gateway-api'` (the others are refused by its loss report),
 * each a set: its objects, and in a second file what a cluster would hold beside them (the
 * Service a mesh route's parentRef names, the Gateway an ingress route's names), which both
 * judges read.
 */
async function appSets(count, seed) {
  if (!count) return [];
  const { buildIfStale } = await import(path.join(REPO_ROOT, 'scripts', 'build.mjs'));
  buildIfStale();
  const { generatedApps } = createRequire(import.meta.url)(path.join(REPO_ROOT, '.build', 'contracts.js'));
  const dir = workspacePath('gateway-api-apps');
  fs.mkdirSync(dir, { recursive: true });
  // The judge's cluster has the experimental-channel CRDs: apps may use HTTPRoute retry.
  return generatedApps(count, 0, seed, 'gateway-api', { gatewayApiChannel: 'experimental' }).map((app, i) => {
    const context = clusterContext(app.objects);
    const files = [path.join(dir, `app-${i}.yaml`), path.join(dir, `app-${i}.context.yaml`)];
    fs.writeFileSync(files[0], app.objects.map((o) => YAML.stringify(o)).join('---\n'));
    fs.writeFileSync(files[1], context.map((o) => YAML.stringify(o)).join('---\n'));
    return { name: `gateway-api/app-${i}`, group: 'gateway-api apps', files, objects: [...app.objects, ...context], decl: app.decl };
  });
}

/** Each YAML file of the fixtures is one set. */
function collectSets(dir) {
  if (!fs.existsSync(dir)) throw new HarnessError(`gateway-api: fixtures dir ${rel(dir)} not found`);
  return listYamlFiles(dir).map((file) => {
    const { errors, objects } = readKubernetesObjects(file);
    if (errors.length) throw new HarnessError(`gateway-api: YAML errors in ${rel(file)}: ${errors[0]}`);
    return { name: `gateway-api/${path.basename(file)}`, group: 'gateway-api', files: [file], objects: objects.map((o) => o.obj) };
  });
}

function setYaml(set) {
  const text = set.files.map((f) => fs.readFileSync(f, 'utf8')).join('---\n');
  const lines = text.trimEnd().split('\n');
  return lines.length <= YAML_SHOWN_LINES ? `\n  the set (${set.files.map(rel).join(', ')}):\n${indent(indent(lines.join('\n')))}` : `\n  the set: ${set.files.map(rel).join(', ')}`;
}

/** Routing (the simulation's comparison), then the route's timeout and retries. */
const compareWithPolicies = (request, envoy, ours) => [...compareAnswers(request, envoy, ours), ...comparePolicies(envoy, ours), ...compareEndpointPicker(request, envoy, ours)];

/**
 * The route that decided, named with its kind (compared in the field `virtualService`), and
 * its rule by name, else index. The harness names the HTTPRoute "ns/name"; explain names it in
 * httpRoute.ref, with httpRoute.rule and .ruleName.
 */
function namedRoute(answer) {
  const origin = answer.httpRoute;
  if (typeof origin === 'string') return { ...answer, virtualService: `HTTPRoute ${origin}` };
  if (origin) return { ...answer, virtualService: `HTTPRoute ${origin.ref}`, rule: origin.ruleName ?? origin.rule };
  if (answer.virtualService) return { ...answer, virtualService: `VirtualService ${answer.virtualService}` };
  return answer;
}

function routesNamed(ours) {
  return { buildTrafficModel: ours.buildTrafficModel, explainRequest: (model, request) => namedRoute(ours.explainRequest(model, request)) };
}

function loadDifferences(file) {
  if (!fs.existsSync(file)) return [];
  try {
    return parseDifferences(YAML.parse(fs.readFileSync(file, 'utf8')), rel(file));
  } catch (e) {
    throw new HarnessError(e.message);
  }
}
