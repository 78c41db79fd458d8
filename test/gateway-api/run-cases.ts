/**
 * The Gateway API conformance suite's HTTPRoute cases (extracted into
 * conformance/gateway-api/cases.json from the pinned module) as data for
 * `explain`: each test's manifests (on the suite's base manifests) form one
 * traffic model; each expected response is one request through it, from the
 * test's Gateway or, for the mesh suite, from the mesh client's sidecar.
 * Compared: the status, the backend (the Deployment that the destination
 * Service selects), the mirrors (backend and percentage), and for weighted
 * cases the share of each backend. Tests and cases listed in
 * conformance/gateway-api/not-compared.yaml are left out, each with its reason.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { buildTrafficModel, explainRequest, TrafficModel } from '../../lib/traffic';
import { Explanation } from '../../lib/traffic/explanation';
import { readDocuments } from '../../lib/traffic/read-documents';
import { RequestSource, TrafficRequest } from '../../lib/traffic/request';

const DIR = join(__dirname, '../../conformance/gateway-api');

type Json = { readonly [key: string]: any };

interface Manifest { readonly path: string; readonly sha256: string; readonly yaml: string }

interface ConformanceTest {
  readonly name: string;
  readonly file: string;
  readonly suite: 'gateway' | 'mesh';
  readonly features: readonly string[];
  readonly manifests: readonly Manifest[];
  readonly gateways: ReadonlyArray<{ variable: string; line: number; value: Json }>;
  readonly addresses: ReadonlyArray<{ variable: string; line: number; gatewayVariable: string }>;
  readonly calls: ReadonlyArray<{ line: number; function: string; address: string }>;
  readonly cases: ReadonlyArray<{ line: number; value: Json }>;
  readonly weights: ReadonlyArray<{ line: number; value: Readonly<Record<string, number>> }>;
  readonly unresolved: readonly string[];
}

export interface CasesFile {
  readonly module: string;
  readonly version: string;
  readonly base: readonly Manifest[];
  readonly tests: readonly ConformanceTest[];
}

export interface NotCompared {
  readonly tests: ReadonlyArray<{ test: string; reason: string }>;
  readonly cases: ReadonlyArray<{ test: string; line: number; reason: string }>;
}

export interface Disagreement {
  readonly test: string;
  readonly line: number;
  readonly request: string;
  readonly expected: string;
  readonly answered: string;
}

export interface CasesResult {
  readonly tests: number;
  readonly requests: number;
  readonly weighted: number;
  readonly disagreements: readonly Disagreement[];
  readonly notCompared: { readonly tests: number; readonly cases: number };
  /** Entries of not-compared.yaml that match no test or case. */
  readonly stale: readonly string[];
}

export function readCasesFile(): CasesFile {
  return JSON.parse(readFileSync(join(DIR, 'cases.json'), 'utf8')) as CasesFile;
}

export function readNotCompared(): NotCompared {
  const parsed = load(readFileSync(join(DIR, 'not-compared.yaml'), 'utf8')) as Partial<NotCompared> | undefined;
  return { tests: parsed?.tests ?? [], cases: parsed?.cases ?? [] };
}

const MESH_NAMESPACE = 'gateway-conformance-mesh';
const INFRA_NAMESPACE = 'gateway-conformance-infra';
/** The suite calls a Gateway by its address: a Host no listener names. */
const GATEWAY_ADDRESS = '192.0.2.1';

export function runCases(data: CasesFile, notCompared: NotCompared): CasesResult {
  const disagreements: Disagreement[] = [];
  const usedTests = new Set<string>();
  const usedCases = new Set<string>();
  let requests = 0;
  let weighted = 0;
  let tests = 0;
  for (const test of data.tests) {
    if (notCompared.tests.some((t) => t.test === test.name)) {
      usedTests.add(test.name);
      continue;
    }
    tests++;
    const model = buildTrafficModel(objectsOf(data, test));
    const backends = backendIndex(model, objectsOf(data, test));
    const skipped = (line: number) => {
      const hit = notCompared.cases.some((c) => c.test === test.name && c.line === line);
      if (hit) usedCases.add(`${test.name}:${line}`);
      return hit;
    };
    for (const { line, value } of test.cases) {
      if (skipped(line)) continue;
      requests++;
      const request = requestOf(test, line, value);
      const explanation = explainRequest(model, request);
      const expected = expectationOf(test, value);
      const answered = answerOf(explanation, backends);
      if (!agrees(expected, answered)) disagreements.push({ test: test.name, line, request: describe(request), expected: JSON.stringify(expected), answered: JSON.stringify(answered) });
    }
    for (const { line, value: weights } of test.weights) {
      if (skipped(line)) continue;
      const preceding = [...test.cases].reverse().find((c) => c.line < line);
      if (!preceding) throw new Error(`${test.name}: expected weights at line ${line} follow no expected response`);
      weighted++;
      const request = requestOf(test, preceding.line, preceding.value);
      const shares = sharesOf(explainRequest(model, request), backends);
      const expected = Object.fromEntries(Object.entries(weights).map(([backend, share]) => [backend, Math.round(share * 1e4) / 1e4]));
      if (!sameShares(expected, shares)) disagreements.push({ test: test.name, line, request: describe(request), expected: JSON.stringify(expected), answered: JSON.stringify(shares) });
    }
  }
  const stale = [
    ...notCompared.tests.filter((t) => !usedTests.has(t.test)).map((t) => `test ${t.test}`),
    ...notCompared.cases.filter((c) => !usedCases.has(`${c.test}:${c.line}`)).map((c) => `case ${c.test} line ${c.line}`),
  ];
  return { tests, requests, weighted, disagreements, notCompared: { tests: usedTests.size, cases: usedCases.size }, stale };
}

/** The suite's base manifests (both, for the mesh suite) and the test's, with the suite's placeholders filled in as Istio's run does. */
function objectsOf(data: CasesFile, test: ConformanceTest): unknown[] {
  const base = data.base.filter((m) => test.suite === 'mesh' || m.path === 'base/manifests.yaml');
  return [...base, ...test.manifests].flatMap((m) => readDocuments(
    m.yaml.replaceAll('{GATEWAY_CLASS_NAME}', 'istio').replaceAll('{GATEWAY_CONTROLLER_NAME}', 'istio.io/gateway-controller'),
    `${data.module}@${data.version}/${m.path}`,
  )).filter((o) => o !== null && o !== undefined);
}

/** The Deployments each Service's selector picks, by the Service's FQDN: the suite names backends by Deployment. */
function backendIndex(model: TrafficModel, objects: readonly unknown[]): ReadonlyMap<string, string[]> {
  void model;
  const deployments = (objects as Json[]).filter((o) => o?.kind === 'Deployment');
  const index = new Map<string, string[]>();
  for (const service of (objects as Json[]).filter((o) => o?.kind === 'Service' && o.apiVersion === 'v1')) {
    const namespace = service.metadata.namespace ?? 'default';
    const selector: Record<string, string> = service.spec?.selector ?? {};
    const picked = deployments
      .filter((d) => (d.metadata.namespace ?? 'default') === namespace)
      .filter((d) => Object.entries(selector).every(([k, v]) => d.spec?.template?.metadata?.labels?.[k] === v))
      .map((d) => `${namespace}/${d.metadata.name}`);
    index.set(`${service.metadata.name}.${namespace}.svc.cluster.local`, picked);
  }
  return index;
}

function requestOf(test: ConformanceTest, line: number, value: Json): TrafficRequest {
  const request = value.Request ?? {};
  const [host, port] = splitHost(String(request.Host ?? ''));
  const headers: Record<string, string> = { ...(request.Headers ?? {}) };
  const method = typeof request.Method === 'string' ? request.Method : request.Method?.$ref?.replace(/^http\.Method/, '').toUpperCase();
  const from = sourceOf(test, line);
  const listenerPort = from.kind === 'gateway' ? undefined : port;
  return {
    // The mesh client calls `echo` when the case names no host (utils/echo/pod.go).
    host: host || (test.suite === 'mesh' ? 'echo' : GATEWAY_ADDRESS),
    port: from.kind === 'gateway' ? gatewayPort(test, from.gateway, port) : listenerPort,
    from,
    method: method ?? 'GET',
    path: String(request.Path ?? '/'),
    headers,
  };
}

function splitHost(host: string): [string, number | undefined] {
  const at = host.lastIndexOf(':');
  if (at < 0 || host.includes(']') && at < host.indexOf(']')) return [host, undefined];
  return [host.slice(0, at), Number(host.slice(at + 1))];
}

/**
 * A mesh case comes from the mesh client (echo-v1's sidecar). A gateway case
 * goes through the Gateway whose address the first request call after it
 * uses (the gateway variable's value where the address was obtained), else
 * through the Gateway the test names last before it.
 */
function sourceOf(test: ConformanceTest, line: number): RequestSource {
  if (test.suite === 'mesh') return { kind: 'sidecar', namespace: MESH_NAMESPACE, serviceAccount: 'default' };
  const call = test.calls.find((c) => c.line > line);
  const address = test.addresses.filter((a) => a.variable === call?.address && a.line < call.line).pop();
  const named = (address
    ? test.gateways.filter((g) => g.variable === address.gatewayVariable && g.line < address.line).pop()
    : undefined) ?? [...test.gateways].filter((g) => g.line < line).pop() ?? test.gateways[0];
  const gateway = named ? `${named.value.Namespace ?? INFRA_NAMESPACE}/${named.value.Name}` : `${INFRA_NAMESPACE}/same-namespace`;
  return { kind: 'gateway', gateway };
}

/** The suite calls the Gateway's address on the port of the Host it sends when a listener has it, else on its HTTP listener's. */
function gatewayPort(test: ConformanceTest, gateway: string, hostPort: number | undefined): number {
  const ports = listenerPorts(test, gateway);
  if (hostPort !== undefined && ports.includes(hostPort)) return hostPort;
  return ports[0] ?? 80;
}

const portCache = new Map<string, number[]>();

function listenerPorts(test: ConformanceTest, gateway: string): number[] {
  const key = `${test.name}|${gateway}`;
  if (!portCache.has(key)) {
    const [namespace, name] = gateway.split('/');
    const docs = [...test.manifests.map((m) => m.yaml)].flatMap((yaml) => yaml.split(/^---$/m)).map((d) => load(d) as Json);
    const found = docs.find((d) => d?.kind === 'Gateway' && d.metadata?.name === name && (d.metadata?.namespace ?? 'default') === namespace);
    const ports = (found?.spec?.listeners ?? []).filter((l: Json) => l.protocol === 'HTTP').map((l: Json) => Number(l.port));
    portCache.set(key, ports.length ? ports : [80]);
  }
  return portCache.get(key)!;
}

interface Outcome {
  readonly status: number;
  readonly backend?: string;
  readonly mirrors?: readonly string[];
  /** A redirect's Location as the suite checks it (setRedirectRequestDefaults, CompareRoundTrip). */
  readonly location?: string;
  /** The path and host the backend receives (after rewrites), where the case expects them. */
  readonly receivedPath?: string;
  readonly receivedHost?: string;
}

function expectationOf(test: ConformanceTest, value: Json): Outcome {
  const status = Number(value.Response?.StatusCode ?? value.Response?.StatusCodes?.[0] ?? 200);
  const namespace = value.Namespace ?? (test.suite === 'mesh' ? MESH_NAMESPACE : INFRA_NAMESPACE);
  const mirrors = (value.MirroredTo ?? []).map((m: Json) => `${m.BackendRef?.Namespace ?? namespace}/${m.BackendRef?.Name} ${m.Percent ?? 100}%`).sort();
  return {
    status,
    ...(value.Backend && status === 200 ? { backend: `${namespace}/${value.Backend}` } : {}),
    ...(mirrors.length ? { mirrors } : {}),
    ...(test.suite === 'gateway' && value.RedirectRequest && { location: expectedLocation(value) }),
    // The mesh client's compareRequest (utils/echo/pod.go) checks no path, host or redirect.
    ...(status === 200 && test.suite === 'gateway' && receivedBy(value)),
  };
}

/**
 * The Location the case expects: its scheme (else `http`), host (else any:
 * `*`), port (else the scheme's default or none) and path (else the request's).
 */
function expectedLocation(value: Json): string {
  const r = value.RedirectRequest;
  const scheme = String(r.Scheme || 'http');
  const port = r.Port ? `:${r.Port}` : '';
  return `${scheme}://${r.Host || '*'}${port}${r.Path || String(value.Request?.Path ?? '/').split('?')[0]}`;
}

/** Our Location in the same terms: a default port left out, the query left out, the host `*` when the case names none. */
function locationAsChecked(location: string, expected: string): string {
  const url = new URL(location);
  const host = new URL(expected.replace('://*', '://any.invalid')).hostname === 'any.invalid' ? '*' : url.hostname;
  return `${url.protocol.slice(0, -1)}://${host}${url.port ? `:${url.port}` : ''}${url.pathname}`;
}

/**
 * CompareRoundTrip: the request the backend gets is the one sent unless the
 * case says otherwise; its path is always compared, its host when not empty
 * (without port, as the model names hosts).
 */
function receivedBy(value: Json): Pick<Outcome, 'receivedPath' | 'receivedHost'> {
  const request = value.ExpectedRequest?.Request ?? value.Request ?? {};
  const path = String(request.Path ?? '');
  const host = splitHost(String(request.Host ?? ''))[0].toLowerCase();
  return { ...(path !== '' && { receivedPath: path }), ...(host !== '' && { receivedHost: host }) };
}

/** Our answer in the suite's terms: a backend only when every destination reaches that one Deployment. */
function answerOf(explanation: Explanation, backends: ReadonlyMap<string, string[]>): Outcome {
  const reached = [...new Set(explanation.destinations.filter((d) => d.weight > 0).flatMap((d) => backends.get(d.host) ?? [`(no Deployment behind ${d.host || 'an unresolved backend'})`]))];
  const mirrors = explanation.mirrors.flatMap((m) => (backends.get(m.host) ?? [m.host]).map((b) => `${b} ${m.percentage}%`)).sort();
  return {
    status: explanation.status,
    ...(reached.length === 1 && explanation.status === 200 ? { backend: reached[0] } : reached.length > 1 ? { backend: reached.join(' or ') } : {}),
    ...(mirrors.length ? { mirrors } : {}),
    ...(explanation.received && { receivedPath: explanation.received.path, receivedHost: explanation.received.host }),
    ...(explanation.redirect && { location: explanation.redirect.location }),
  };
}

function agrees(expected: Outcome, answered: Outcome): boolean {
  if (expected.status !== answered.status) return false;
  if (expected.location !== undefined && (answered.location === undefined || locationAsChecked(answered.location, expected.location) !== expected.location)) return false;
  if (expected.backend !== undefined && expected.backend !== answered.backend) return false;
  if (expected.receivedPath !== undefined && expected.receivedPath !== answered.receivedPath) return false;
  if (expected.receivedHost !== undefined && expected.receivedHost !== answered.receivedHost) return false;
  return JSON.stringify(expected.mirrors ?? []) === JSON.stringify(answered.mirrors ?? []);
}

/** Each backend's share of the requests, from the destinations' weights. */
function sharesOf(explanation: Explanation, backends: ReadonlyMap<string, string[]>): Record<string, number> {
  const shares: Record<string, number> = {};
  for (const d of explanation.destinations) {
    for (const backend of backends.get(d.host) ?? [d.host]) {
      const name = backend.split('/').pop()!;
      shares[name] = Math.round(((shares[name] ?? 0) + d.weight / 100 / (backends.get(d.host)?.length ?? 1)) * 1e4) / 1e4;
    }
  }
  return shares;
}

function sameShares(expected: Record<string, number>, answered: Record<string, number>): boolean {
  const names = new Set([...Object.keys(expected), ...Object.keys(answered)]);
  return [...names].every((n) => Math.abs((expected[n] ?? 0) - (answered[n] ?? 0)) <= 0.01);
}

function describe(request: TrafficRequest): string {
  const from = request.from.kind === 'gateway' ? `gateway ${request.from.gateway}` : `sidecar in ${request.from.namespace}`;
  const headers = Object.entries(request.headers ?? {}).map(([k, v]) => ` ${k}=${v}`).join('');
  return `${request.method} ${request.host}:${request.port ?? 80}${request.path}${headers} from ${from}`;
}
