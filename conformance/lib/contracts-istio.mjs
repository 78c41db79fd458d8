// The contracts' third answer: Istio's own config generation and Envoy route
// matching (the `simulate` harness of the traffic simulation), for a sample of
// the generated apps, all in one run of the harness. Only routing is asked of
// Istio here: whether a route takes the request (404 or not), an abort, which
// versions share it, the mirrors and the path the pods receive, and whether
// the caller was given the clusters its route names (503 otherwise).
// Authorization and mTLS are not judged by Istio yet.
import fs from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { HarnessError } from './harness-error.mjs';
import { indent, log } from './log.mjs';
import { run } from './processes.mjs';
import { workspacePath } from './workspace.mjs';
import YAML from './yaml.mjs';

/** { apps, requests, disagreements, examples } for `apps` (from the bundle's generatedApps). */
export async function judgeWithIstio(simulate, apps) {
  const dir = workspacePath('contract-apps');
  fs.mkdirSync(dir, { recursive: true });
  const sets = apps.map((app, i) => {
    const file = path.join(dir, `app-${i}.yaml`);
    fs.writeFileSync(file, app.objects.map((o) => YAML.stringify(o)).join('---\n'));
    return { name: `app-${i}`, yamlFiles: [file], requests: app.requests.map(harnessRequest) };
  });
  const job = workspacePath('contract-job.json');
  const out = workspacePath('contract-results.json');
  fs.writeFileSync(job, JSON.stringify({ sets }));
  const r = await run(simulate, [job, out], { name: 'simulate (contracts)', timeoutMs: 30 * 60_000 });
  if (r.code !== 0) throw new HarnessError(`simulate exited ${r.code}:\n${indent(r.stderr.trim() || r.stdout.trim())}`);
  const results = JSON.parse(fs.readFileSync(out, 'utf8')).sets;
  let requests = 0;
  const examples = [];
  const kinds = new Set(); // one example for each set of differing fields
  let disagreements = 0;
  results.forEach((set, i) => {
    const app = apps[i];
    if (set.error) {
      disagreements += 1;
      examples.push(`app-${i}: ${set.error}\n  declaration: ${JSON.stringify(app.decl)}`);
      return;
    }
    set.results.forEach((result, j) => {
      requests += 1;
      const expected = routingOf(app.expected[j]);
      const got = istioRoutingOf(result, app.requests[j]);
      if (isDeepStrictEqual(expected, got)) return;
      disagreements += 1;
      const kind = Object.keys({ ...expected, ...got }).filter((k) => !isDeepStrictEqual(expected[k], got[k])).join(',');
      if (!kinds.has(kind) && kinds.size < 8) {
        kinds.add(kind);
        examples.push([
          `app-${i}: declaration: ${JSON.stringify(app.decl)}`,
          `  request: ${JSON.stringify(app.requests[j])}`,
          `  contract: ${JSON.stringify(expected)}`,
          `  Istio:    ${JSON.stringify(got)}`,
        ].join('\n'));
      }
    });
  });
  for (const e of examples) log(e);
  return { apps: apps.length, requests, disagreements, examples };
}

function harnessRequest(r) {
  const from = r.caller.kind === 'sidecar' ? { kind: 'sidecar', namespace: r.caller.namespace } : { kind: 'gateway', gateway: r.caller.gateway };
  return { host: r.host, port: r.port, from, method: r.method, path: r.path, headers: r.headers };
}

/** The routing part of a contract's outcome: what Istio's routes decide (authorization and mTLS are the pods'). */
function routingOf(o) {
  if (o.status === 404) return { status: 404 };
  const aborted = o.fault?.kind === 'abort' && o.fault.percent >= 100;
  return { status: aborted ? o.fault.httpStatus : 200, shares: o.shares, mirrors: o.mirrors, path: o.receivedPath };
}

function istioRoutingOf(result, request) {
  // A Gateway none of the app's routes binds to serves nothing of it.
  if (result.error?.startsWith(`no Gateway ${request.caller.gateway} in the inputs`)) return { status: 404 };
  if (result.error) return { error: result.error };
  if (result.status === 404) return { status: 404 };
  // A route to a cluster the caller was not given: Envoy answers 503 (no cluster).
  if (result.envoy?.missingClusters?.length) return { status: 503, missingClusters: result.envoy.missingClusters };
  const share = (list, key) => Object.fromEntries(list.map((d) => [d.subset ?? '*', Math.round(d[key] * 1e6) / 1e6]));
  return { status: result.status, shares: share(result.destinations, 'weight'), mirrors: share(result.mirrors, 'percentage'), path: result.rewrite?.uri ?? request.path };
}
