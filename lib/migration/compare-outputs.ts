import { isDeepStrictEqual } from 'node:util';
import { buildTrafficModel, explainRequest, Explanation, TrafficModel, TrafficRequest } from '../traffic';
import { generateRequests } from '../traffic/boundary-requests.mjs';
import { clusterContext } from './cluster-context';
import { millis } from '../values/duration-millis';
import { gatewayApiVersionKeys, istioVersionKeys, subsetsOf, VersionKeys } from './version-keys';

/** What a request gets, in terms both outputs share: versions instead of hosts and subsets. */
export interface MigrationOutcome {
  readonly status: number;
  /** `ns/service@version` → percent. */
  readonly shares: Readonly<Record<string, number>>;
  readonly mirrors: Readonly<Record<string, number>>;
  /** The path the version receives (after a rewrite). */
  readonly receivedPath: string | null;
  /** In milliseconds: the two outputs spell one duration differently (`1500ms`, `1s500ms`). */
  readonly timeoutMs: number | null;
  readonly retries: { readonly attempts: number; readonly perTryTimeoutMs?: number; readonly retryOn: readonly string[] } | null;
  readonly headers: unknown;
  readonly fault: unknown;
}

export interface MigrationDifference {
  readonly request: TrafficRequest;
  readonly istio: MigrationOutcome;
  readonly gatewayApi: MigrationOutcome;
  /** The rule that answered on each side: `ns/name` rule, or HTTPRoute `ns/name` rule. */
  readonly answeredBy: { readonly istio: string; readonly gatewayApi: string };
  /** Set when the change is one the Gateway API mapping names (lib/render/gateway-api/mappings.ts): its id and why. */
  readonly named?: { readonly id: string; readonly why: string };
}

export interface MigrationComparison {
  readonly requests: number;
  /** Every request whose outcome differs; those with `named` are changes the mapping states. */
  readonly differences: readonly MigrationDifference[];
  /** Requests not asked: to hosts only the Gateway API output has (the per-version Services), which no caller names before the migration. */
  readonly newHosts: number;
}

/**
 * Asks both outputs of one app the same requests (the boundary requests of
 * either output's routes), in a cluster that also has the Services and
 * Gateways the HTTPRoutes attach to, and returns every request whose outcome differs.
 */
export function compareOutputs(istioOutput: readonly unknown[], gatewayApiOutput: readonly unknown[]): MigrationComparison {
  const cluster = clusterContext(istioOutput, gatewayApiOutput);
  const declaredIstioGateways = new Set((istioOutput as Json[]).filter((o) => o?.kind === 'Gateway' && o.apiVersion?.startsWith('networking.istio.io/')).map((o) => `${o.metadata?.namespace}/${o.metadata?.name}`));
  const istioGateways = cluster.istioGateways.filter((g) => !declaredIstioGateways.has(`${g.metadata.namespace}/${g.metadata.name}`));
  const istioObjects = [...istioOutput, ...cluster.services, ...istioGateways];
  const gatewayApiObjects = [...gatewayApiOutput, ...cluster.services, ...cluster.gateways];
  const istio = { model: buildTrafficModel(istioObjects), keys: istioVersionKeys() };
  const gatewayApi = { model: buildTrafficModel(gatewayApiObjects), keys: gatewayApiVersionKeys(gatewayApiObjects, subsetsOf(istioObjects)) };
  const newServices = servicesOnlyIn(gatewayApiOutput, istioOutput);
  const externalHosts = gatewayHostnames(gatewayApiOutput);
  const requests = new Map<string, TrafficRequest>();
  let newHosts = 0;
  for (const request of [...generateRequests(istioObjects), ...generateRequests(gatewayApiObjects)]) {
    const key = JSON.stringify(request);
    if (requests.has(key)) continue;
    if (namesOneOf(request, newServices)) newHosts++;
    else requests.set(key, request);
  }
  const differences: MigrationDifference[] = [];
  for (const request of requests.values()) {
    const a = answer(istio.model, istio.keys, request);
    const b = answer(gatewayApi.model, gatewayApi.keys, request);
    if (isDeepStrictEqual(a.outcome, b.outcome)) continue;
    const named = namedChange(request, externalHosts, a.outcome, b.outcome);
    differences.push({ request, istio: a.outcome, gatewayApi: b.outcome, answeredBy: { istio: a.by, gatewayApi: b.by }, ...(named && { named }) });
  }
  return { requests: requests.size, differences, newHosts };
}

function answer(model: TrafficModel, keys: VersionKeys, request: TrafficRequest): { outcome: MigrationOutcome; by: string } {
  const e = explainRequest(model, request);
  return { outcome: outcomeOf(e, keys), by: answeredBy(e) };
}

export function outcomeOf(e: Explanation, keys: VersionKeys): MigrationOutcome {
  const shares: Record<string, number> = {};
  for (const d of e.destinations) shares[keys.keyOf(d)] = (shares[keys.keyOf(d)] ?? 0) + d.weight;
  const mirrors: Record<string, number> = {};
  for (const m of e.mirrors) mirrors[keys.keyOf(m)] = m.percentage;
  return {
    status: e.status,
    shares,
    mirrors,
    receivedPath: e.received?.path ?? null,
    timeoutMs: e.timeout === null ? null : millis(e.timeout),
    retries: e.retries && e.retries.attempts > 0
      ? {
        attempts: e.retries.attempts,
        ...(e.retries.perTryTimeout !== undefined && { perTryTimeoutMs: millis(e.retries.perTryTimeout) }),
        retryOn: [...new Set((e.retries.retryOn ?? '').split(',').filter(Boolean))].sort(),
      }
      : null,
    headers: e.headers ?? null,
    fault: e.fault ?? null,
  };
}

function answeredBy(e: Explanation): string {
  if (e.httpRoute) return `HTTPRoute ${e.httpRoute.ref} rule ${e.httpRoute.ruleName ?? e.httpRoute.rule}`;
  if (e.virtualService) return `VirtualService ${e.virtualService} rule ${e.rule}`;
  return 'no route';
}

type Json = Record<string, any>;

/**
 * The names of the Kubernetes Services one output declares and the other does
 * not, as callers may write them: `name.ns`, `name.ns.svc`, the FQDN, and
 * `ns/name` for the short name, which only callers in `ns` resolve.
 */
function servicesOnlyIn(objects: readonly unknown[], other: readonly unknown[]): ReadonlySet<string> {
  const refs = (list: readonly unknown[]) => new Set((list as Json[]).filter((o) => o?.kind === 'Service' && o.apiVersion === 'v1').map((o) => `${o.metadata?.namespace ?? 'default'}/${o.metadata?.name}`));
  const before = refs(other);
  const names = new Set<string>();
  for (const ref of refs(objects)) {
    if (before.has(ref)) continue;
    const [namespace, name] = ref.split('/');
    for (const n of [ref, `${name}.${namespace}`, `${name}.${namespace}.svc`, `${name}.${namespace}.svc.cluster.local`]) names.add(n);
  }
  return names;
}

/** Whether a request's Host names one of those Services. */
function namesOneOf(request: TrafficRequest, names: ReadonlySet<string>): boolean {
  const host = request.host.toLowerCase().replace(/\.$/, '');
  return names.has(host) || (request.from.kind === 'sidecar' && !host.includes('.') && names.has(`${request.from.namespace}/${host}`));
}

/** The hostnames of routes at Gateways: external names. */
function gatewayHostnames(objects: readonly unknown[]): Set<string> {
  const hosts = new Set<string>();
  for (const o of objects as Json[]) {
    if (o?.kind === 'HTTPRoute' && (o.spec?.parentRefs ?? []).some((p: Json) => (p.kind ?? 'Gateway') === 'Gateway')) for (const h of o.spec?.hostnames ?? []) hosts.add(String(h).toLowerCase());
  }
  return hosts;
}

/** Retry conditions Istio adds to every HTTPRoute rule that retries (its default policy, or any `retry`). */
const ISTIO_GATEWAY_API_RETRY_ON = new Set(['connect-failure', 'refused-stream', 'unavailable', 'cancelled', 'retriable-status-codes']);

/**
 * A difference the Gateway API mapping states (lib/render/gateway-api/mappings.ts),
 * so the migration report names it instead of counting it: and only that
 * difference, everything else about the request being equal.
 */
function namedChange(request: TrafficRequest, externalHosts: ReadonlySet<string>, istio: MigrationOutcome, gatewayApi: MigrationOutcome): MigrationDifference['named'] {
  if (request.from.kind === 'sidecar' && externalHosts.has(request.host.toLowerCase().replace(/\.$/, ''))) {
    return { id: 'exposureIngress', why: 'an in-mesh caller naming an external host: the VirtualService, bound to the mesh and the gateway, routed it inside the mesh; an HTTPRoute at a Gateway serves the gateway only, so the request leaves for the external name' };
  }
  const added = widenedRetries(istio.retries, gatewayApi.retries);
  if (added && isDeepStrictEqual({ ...istio, retries: null }, { ...gatewayApi, retries: null })) {
    return { id: 'retriesDefault', why: `Istio's retries for HTTPRoute rules also retry ${added.join(', ')}` };
  }
  return undefined;
}

/** The conditions the Gateway API side adds, when that is all that differs in the retries and Istio adds them on every HTTPRoute rule. */
function widenedRetries(istio: MigrationOutcome['retries'], gatewayApi: MigrationOutcome['retries']): string[] | undefined {
  if (!istio || !gatewayApi || istio.attempts !== gatewayApi.attempts || istio.perTryTimeoutMs !== gatewayApi.perTryTimeoutMs) return undefined;
  if (!istio.retryOn.every((c) => gatewayApi.retryOn.includes(c))) return undefined;
  const added = gatewayApi.retryOn.filter((c) => !istio.retryOn.includes(c));
  return added.length && added.every((c) => ISTIO_GATEWAY_API_RETRY_ON.has(c)) ? added : undefined;
}
