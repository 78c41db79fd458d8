import { FaultDecl, MatchDecl, RetriesDecl, RewriteDecl, RouteDecl, ServiceDecl } from './declaration';
import { matchHolds } from './match';
import { FaultOutcome, RetriesOutcome } from './outcome';
import { RequestFacts } from './request-facts';

/** `x-chaos-test: true`, FaultInjection's default condition. */
export const DEFAULT_FAULT_WHEN: MatchDecl = { headers: { 'x-chaos-test': { exact: 'true' } } };
/** RetryPolicy.inferenceSafe(): connection failures and refused streams, twice. */
export const INFERENCE_SAFE = ['connect-failure', 'refused-stream'];

/**
 * Contract of `RouteOptions.match` and `port`: the route takes a request
 * that any one of its matches takes and, from inside the mesh, that arrived
 * on its port: the route's own, else the service's `port` (each port routes
 * to itself; none: any port). A gateway's requests arrive on the gateway's
 * port, not the Service's, so ports narrow in-mesh requests only.
 */
export function routeTakes(route: RouteDecl, decl: ServiceDecl, facts: RequestFacts): boolean {
  if (!onItsPort(route.port ?? decl.port, facts)) return false;
  return firstHoldingMatch(route, facts) !== undefined;
}

/** The default route is on the service's `port` (any port when it has none). */
export function defaultRouteTakes(decl: ServiceDecl, facts: RequestFacts): boolean {
  return (decl.defaultRoute ?? true) && onItsPort(decl.port, facts);
}

/**
 * In-mesh requests on a port that no route (nor the default route) is on
 * meet no rule of the service's table: Istio leaves them to the Service,
 * any pod on that port.
 */
export function portUnrouted(decl: ServiceDecl, facts: RequestFacts): boolean {
  if (facts.request.caller.kind !== 'sidecar') return false;
  const ports = [...decl.routes.map((r) => r.port ?? decl.port), ...((decl.defaultRoute ?? true) ? [decl.port] : [])];
  return ports.length > 0 && ports.every((p) => p !== undefined && p !== facts.request.port);
}

function onItsPort(port: number | undefined, facts: RequestFacts): boolean {
  return port === undefined || facts.request.caller.kind !== 'sidecar' || port === facts.request.port;
}

export function firstHoldingMatch(route: Pick<RouteDecl, 'match'>, facts: RequestFacts): MatchDecl | undefined {
  return route.match.find((m) => matchHolds(m, facts));
}

/**
 * Contract of `port` (the service's and a route's): a request is sent to its
 * route's port; else an in-mesh caller's request goes to the Service port it
 * called (each port to itself), and a gateway's to the service's `port`
 * (undefined: the Service's only port).
 */
export function destinationPort(decl: ServiceDecl, route: RouteDecl | undefined, facts: RequestFacts): number | undefined {
  if (route?.port !== undefined) return route.port;
  return facts.request.caller.kind === 'sidecar' ? facts.request.port : decl.port;
}

/**
 * Contract of `timeout` and `noTimeout`: a route's own timeout, else the
 * service's, else none; `noTimeout` means no deadline at all, per try included.
 */
export function timeoutOf(decl: ServiceDecl, route: RouteDecl | undefined): number | null {
  if (route?.noTimeout) return null;
  return route?.timeoutMs ?? decl.timeoutMs ?? null;
}

/**
 * Contract of `retries`: the route's, else the service's, else
 * RetryPolicy.inferenceSafe() (2 retries of connection failures and refused
 * streams); RetryPolicy.none() retries nothing. A route with `noTimeout`
 * never cuts a try short either.
 */
export function retriesOf(decl: ServiceDecl, route: RouteDecl | undefined): RetriesOutcome | null {
  const policy: RetriesDecl = route?.retries ?? decl.retries ?? { kind: 'inferenceSafe' };
  if (policy.kind === 'none') return null;
  if (policy.kind === 'inferenceSafe') return { attempts: policy.attempts ?? 2, on: [...INFERENCE_SAFE].sort() };
  const on = [...new Set([...policy.on, ...(policy.statusCodes ?? []).map(String)])].sort();
  const perTry = route?.noTimeout ? undefined : policy.perTryTimeoutMs;
  return { attempts: policy.attempts, ...(perTry !== undefined && { perTryTimeoutMs: perTry }), on };
}

/**
 * Contract of `fault`: only requests its condition takes (default
 * `x-chaos-test: true`) get it, and only where test rules apply to the
 * caller; they reach the version they would reach anyway. Envoy's fault
 * filter acts before the router: an abort of every request never meets the
 * route's timeout and retries, while a delayed (or partly aborted) request
 * that goes on is timed and retried as the route says, the delay not counted.
 */
export function faultFor(route: RouteDecl | undefined, facts: RequestFacts, testRulesApply: boolean): FaultOutcome | null {
  const fault = route?.fault;
  if (!fault || !testRulesApply || !matchHolds(fault.onlyWhen ?? DEFAULT_FAULT_WHEN, facts)) return null;
  return faultOutcome(fault);
}

export function faultOutcome(fault: FaultDecl): FaultOutcome {
  const percent = fault.percent ?? 100;
  return fault.kind === 'delay' ? { kind: 'delay', delayMs: fault.delayMs!, percent } : { kind: 'abort', httpStatus: fault.httpStatus!, percent };
}

/** The uri a rewrite names. */
export function rewriteUri(rewrite: RewriteDecl): string {
  if (rewrite.kind === 'to') return rewrite.uri;
  if (rewrite.kind === 'kserveV1') return `/v1/models/${rewrite.model}:predict`;
  return `/v2/models/${rewrite.model}${rewrite.version === undefined ? '' : `/versions/${rewrite.version}`}/infer`;
}

/**
 * Contract of `rewrite`: the part of the path the route's (first holding)
 * match named is replaced: the prefix of a prefix match; the whole path of an
 * exact or regex match; with no uri condition, the leading "/". The query
 * string is kept.
 */
export function receivedPath(route: RouteDecl | undefined, facts: RequestFacts): string {
  if (!route?.rewrite) return facts.path;
  const uri = rewriteUri(route.rewrite);
  const matched = firstHoldingMatch(route, facts)?.uri;
  const query = facts.path.slice(facts.pathOnly.length);
  if (matched === undefined) return uri + facts.path.slice(1);
  if ('prefix' in matched) return uri + facts.path.slice(matched.prefix.length);
  return uri + query;
}

/**
 * The paths the model's pods receive through the routes, as `allowedCallers`
 * restricts them: undefined (any path) when a catch-all default route, a
 * route without a uri condition or with a regex can deliver any path.
 */
export function deliveredPaths(decl: ServiceDecl): Array<{ exact: string } | { prefix: string }> | undefined {
  if (decl.defaultRoute ?? true) return undefined;
  const paths: Array<{ exact: string } | { prefix: string }> = [];
  for (const route of decl.routes) {
    for (const match of route.match) {
      const uri = match.uri;
      if (!uri || 'regex' in uri) return undefined;
      const rewritten = route.rewrite && rewriteUri(route.rewrite);
      paths.push('exact' in uri ? { exact: rewritten ?? uri.exact } : { prefix: rewritten ?? uri.prefix });
    }
  }
  return paths;
}

/** Whether the pods accept this path (query left out) under `allowedCallers`. */
export function isDelivered(decl: ServiceDecl, path: string): boolean {
  const paths = deliveredPaths(decl);
  const pathOnly = path.split('?')[0];
  return paths === undefined || paths.some((p) => ('exact' in p ? pathOnly === p.exact : pathOnly.startsWith(p.prefix)));
}
