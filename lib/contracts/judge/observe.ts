import { buildTrafficModel, explainRequest, Explanation, TrafficModel } from '../../traffic';
import { ProbeRequest, SERVICE_NAME } from '../declaration';
import { millis } from '../../values/duration-millis';
import { FaultOutcome, Outcome, RetriesOutcome, VersionPolicy } from '../outcome';

/** What `explain` (lib/traffic reading the synthesized YAML) answers, in the contracts' terms. */
export function explainedOutcome(model: TrafficModel, request: ProbeRequest): Outcome {
  const from = request.caller.kind === 'sidecar'
    ? { kind: 'sidecar' as const, namespace: request.caller.namespace, serviceAccount: request.caller.serviceAccount }
    : { kind: 'gateway' as const, gateway: request.caller.gateway };
  const e = explainRequest(model, { from, host: request.host, port: request.port, method: request.method, path: request.path, headers: request.headers });
  return outcomeOf(e, request);
}

/** A destination without a port is sent to the port an in-mesh caller called (Istio's rule for a Service with several ports). */
export function outcomeOf(e: Explanation, request: ProbeRequest): Outcome {
  if (e.status === 404 && e.destinations.length === 0) return { status: 404, shares: {}, mirrors: {}, timeoutMs: null, retries: null, fault: null };
  const port = e.destinations[0]?.port ?? (request.caller.kind === 'sidecar' ? request.port : undefined);
  return {
    status: e.status,
    shares: Object.fromEntries(e.destinations.map((d) => [d.subset ?? '*', d.weight])),
    mirrors: Object.fromEntries(e.mirrors.map((m) => [m.subset ?? '*', m.percentage])),
    ...(port !== undefined && { port }),
    ...(e.received && { receivedPath: e.received.path }),
    timeoutMs: e.timeout === null ? null : millis(e.timeout),
    retries: retriesOf(e.retries),
    fault: faultOf(e.fault),
  };
}

export function trafficModelOf(objects: readonly unknown[]): TrafficModel {
  return buildTrafficModel(objects);
}

function retriesOf(retries: Explanation['retries']): RetriesOutcome | null {
  if (!retries || retries.attempts === 0) return null;
  const on = [...new Set((retries.retryOn ?? '').split(',').filter((c) => c !== ''))].sort();
  return { attempts: retries.attempts, ...(retries.perTryTimeout !== undefined && { perTryTimeoutMs: millis(retries.perTryTimeout) }), on };
}

function faultOf(fault: unknown): FaultOutcome | null {
  const f = fault as { delay?: { fixedDelay: string; percentage?: { value: number } }; abort?: { httpStatus: number; percentage?: { value: number } } } | null;
  if (!f) return null;
  if (f.abort) return { kind: 'abort', httpStatus: f.abort.httpStatus, percent: f.abort.percentage?.value ?? 0 };
  if (f.delay) return { kind: 'delay', delayMs: millis(f.delay.fixedDelay), percent: f.delay.percentage?.value ?? 0 };
  return null;
}


type Json = Record<string, any>;

/**
 * Each version's effective policy as Istio applies the DestinationRule: a
 * subset's block (connectionPool, loadBalancer, outlierDetection, tls)
 * replaces the service's block whole.
 */
export function observedVersionPolicies(objects: readonly Json[]): Record<string, VersionPolicy> {
  // In the Service's namespace, which a host in another namespace names; whether every caller finds it there is the cluster-presence judge's question.
  const dr = objects.find((o) => o.kind === 'DestinationRule' && o.metadata?.name === SERVICE_NAME);
  const top: Json = dr?.spec?.trafficPolicy ?? {};
  const policies: Record<string, VersionPolicy> = {};
  for (const subset of dr?.spec?.subsets ?? []) {
    const own: Json = subset.trafficPolicy ?? {};
    const pick = (block: string) => own[block] ?? top[block];
    policies[subset.name] = {
      loadBalancer: loadBalancerOf(pick('loadBalancer')),
      outlierDetection: outlierOf(pick('outlierDetection')),
      connectionPool: poolOf(pick('connectionPool')),
      tls: pick('tls')?.mode ?? null,
    };
  }
  return policies;
}

function loadBalancerOf(lb: Json | undefined): Record<string, unknown> | null {
  if (!lb) return null;
  if (lb.warmup) return { simple: lb.simple, warmupMs: millis(lb.warmup.duration) };
  if (lb.simple) return { simple: lb.simple };
  const hash: Json = lb.consistentHash ?? {};
  if (hash.httpHeaderName !== undefined) return { consistentHash: { header: hash.httpHeaderName } };
  if (hash.httpCookie !== undefined) return { consistentHash: { cookie: hash.httpCookie.name } };
  if (hash.useSourceIp) return { consistentHash: { sourceIp: true } };
  return { consistentHash: { queryParameter: hash.httpQueryParameterName } };
}

function outlierOf(od: Json | undefined): VersionPolicy['outlierDetection'] {
  if (!od) return null;
  return {
    consecutive5xxErrors: od.consecutive5xxErrors,
    intervalMs: millis(od.interval),
    baseEjectionTimeMs: millis(od.baseEjectionTime),
    maxEjectionPercent: od.maxEjectionPercent,
  };
}

function poolOf(pool: Json | undefined): Record<string, number> | null {
  if (!pool) return null;
  const fields: Record<string, number> = {};
  if (pool.tcp?.maxConnections !== undefined) fields.maxConnections = pool.tcp.maxConnections;
  if (pool.tcp?.connectTimeout !== undefined) fields.connectTimeoutMs = millis(pool.tcp.connectTimeout);
  if (pool.http?.http1MaxPendingRequests !== undefined) fields.maxPendingRequests = pool.http.http1MaxPendingRequests;
  if (pool.http?.http2MaxRequests !== undefined) fields.maxRequests = pool.http.http2MaxRequests;
  if (pool.http?.maxRequestsPerConnection !== undefined) fields.maxRequestsPerConnection = pool.http.maxRequestsPerConnection;
  return fields;
}
