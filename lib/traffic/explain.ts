import { authorize, receivedIdentity } from './authorization';
import { missingSubsetCluster } from './clusters';
import { missingServiceCluster } from './service-clusters';
import { firstMatchingRoute, MatchedRule, RouteEntry } from './evaluate-rules';
import { describeShare, endpointPickerOf, withPools } from './endpoint-picker-view';
import { ExplainedAuthorization, ExplainedDestination, Explanation } from './explanation';
import { gatewayVirtualHosts } from './gateway-virtual-hosts';
import { sourceNamespaceOf } from './match-request';
import { connectionTo } from './mtls';
import { RequestSource, TrafficRequest } from './request';
import { RequestView, viewOf } from './request-view';
import { authoritySetBy, destinationsOf, mirrorsOf, rewrittenRequest } from './route-action';
import { redirectLocation } from './redirect-location';
import { findVirtualHost } from './select-virtual-service';
import { destinationHostOf } from './service-registry';
import { sidecarVirtualHosts } from './sidecar-virtual-hosts';
import { TrafficModel } from './traffic-model';
import { HttpRouteOrigin, HttpRuleSpec } from './specs';
import { workloadOf } from './workload';

type Sidecar = Extract<RequestSource, { kind: 'sidecar' }>;
type GatewaySource = Extract<RequestSource, { kind: 'gateway' }>;

const NOT_JUDGED: ExplainedAuthorization = { allowed: true, policy: null, reason: 'not judged: the request reaches no workload' };

/** Where one request goes, and whether the workload that gets it serves it. */
export function explainRequest(model: TrafficModel, request: TrafficRequest): Explanation {
  const view = viewOf(request);
  return request.from.kind === 'gateway'
    ? throughGateway(model, request, request.from, view)
    : fromSidecar(model, request, request.from, view);
}

/** A sidecar routes by its virtual hosts; a host it has none for is passed through unchanged. */
function fromSidecar(model: TrafficModel, request: TrafficRequest, source: Sidecar, view: RequestView): Explanation {
  const vhost = findVirtualHost(sidecarVirtualHosts(model, source, view.port), view.authority);
  if (!vhost) return passedThrough(model, request, view);
  if (!vhost.virtualService) return defaultRoute(model, request, view, vhost.defaultHost!);
  return routeIn(model, request, source, view, vhost.routes, [vhost.virtualService.ref]);
}

function throughGateway(model: TrafficModel, request: TrafficRequest, entered: GatewaySource, view: RequestView): Explanation {
  const source = { ...entered, labels: entered.labels ?? model.gateways.find((g) => g.ref === entered.gateway)?.selector };
  const config = gatewayVirtualHosts(model, source, sourceNamespaceOf(source), view.port);
  if (!config) return empty(404, `gateway ${source.gateway} has no HTTP server on port ${view.port}: nothing listens there`);
  const vhost = findVirtualHost(config, view.authority);
  if (!vhost) return empty(404, `no VirtualService bound to gateway ${source.gateway} serves host ${view.authority} on port ${view.port}: the gateway answers 404`);
  if (vhost.requireTls) return empty(301, `gateway ${source.gateway} redirects ${view.authority} to https (its server sets tls.httpsRedirect)`);
  const refs = [...new Set(vhost.routes.map((r) => (r.root ?? r.virtualService).ref))];
  return routeIn(model, request, source, view, vhost.routes, refs);
}

function routeIn(
  model: TrafficModel,
  request: TrafficRequest,
  source: RequestSource,
  view: RequestView,
  routes: readonly RouteEntry[],
  refs: readonly string[],
): Explanation {
  const matched = firstMatchingRoute(routes, view, source);
  if (!matched) {
    return {
      ...empty(404, `no rule of ${refs.map((ref) => routesOfRef(model, ref)).join(', ')} matches ${view.method} ${view.path}: the proxy answers 404`),
      virtualService: refs[0] ?? null,
    };
  }
  return routed(model, request, view, matched);
}

function routed(model: TrafficModel, request: TrafficRequest, view: RequestView, matched: MatchedRule): Explanation {
  const { rule, virtualService } = matched;
  const ruleId = rule.name ?? matched.index;
  const abort = rule.fault?.abort;
  // Without a percentage Istio writes none, and Envoy aborts no request (its unset FractionalPercent is 0).
  const abortsAll = abort?.httpStatus !== undefined && (abort.percentage?.value ?? 0) >= 100;
  const base = {
    ...empty(200, ''),
    virtualService: virtualService.ref,
    rule: ruleId,
    // Envoy's fault filter answers before the router, which alone times and retries: an abort of every request leaves neither.
    timeout: abortsAll ? null : rule.timeout ?? null,
    // Istio disables retries when a route's retries set no attempts.
    retries: abortsAll ? null : rule.retries ? { ...rule.retries, attempts: rule.retries.attempts ?? 0 } : ISTIO_DEFAULT_RETRIES,
    fault: rule.fault ?? null,
    headers: rule.headers ?? null,
    ...(rule.origin && { httpRoute: rule.origin }),
  };
  const where = rule.origin ? describeOrigin(rule.origin) : `rule ${JSON.stringify(ruleId)} of ${virtualService.ref}`;
  if (rule.directResponse) return { ...base, status: rule.directResponse.status, summary: `${where} answers ${rule.directResponse.status} itself` };
  if (rule.redirect) {
    const code = rule.redirect.redirectCode ?? 301;
    const location = redirectLocation(rule.redirect, view, view.port, matched.block?.uri, virtualService.semantics === 'gateway');
    return { ...base, status: code, summary: `${where} redirects (${code}) to ${location}`, redirect: { location } };
  }
  const isGateway = request.from.kind === 'gateway';
  const destinations = withPools(model, destinationsOf(rule, virtualService.namespace)
    .map((d) => ({ ...d, host: destinationHostOf(model.services, d.host, d.port ?? view.port, isGateway) })));
  const picker = endpointPickerOf(model, rule, destinations, isGateway);
  const mirrors = mirrorsOf(rule, virtualService.namespace)
    .map((m) => ({ ...m, host: destinationHostOf(model.services, m.host, m.port ?? view.port, isGateway) }));
  const gatewaySemantics = virtualService.semantics === 'gateway';
  const received = rewrittenRequest(rule, matched.block?.uri, view, gatewaySemantics);
  const authority = rule.rewrite?.authority ?? authoritySetBy(rule);
  const rewrite = rule.rewrite || authority !== undefined
    ? { ...(rule.rewrite?.uri !== undefined && { uri: rule.rewrite.uri }), ...(authority !== undefined && { authority }) }
    : null;
  // A destination no service has a cluster for (host or port) fails before any workload judges it;
  // Istio sets cluster_not_found_response_code 500 on routes converted from HTTPRoutes.
  const noService = unresolvedBackend(rule, destinations)
    ?? destinations.map((d) => missingServiceCluster(model, request.from, d, view.port)).find((reason) => reason !== undefined);
  const notFound = gatewaySemantics ? 500 : 503;
  const judged = noService
    ? { status: notFound, authorization: { allowed: true, policy: null, reason: `not judged: ${gatewaySemantics ? noService.replace(/Envoy answers 503$/, 'Envoy answers 500 (the route\'s cluster_not_found_response_code)') : noService}` }, noCluster: noService }
    : judgeDestinations(model, request, view, destinations, received);
  const status = abortsAll ? abort!.httpStatus! : judged.status;
  const shares = destinations.map(describeShare).join(', ');
  const summary = abortsAll
    ? `${where} aborts every request with ${status} (fault injection)`
    : `${where} sends it to ${shares}${received.path !== view.path ? ` as ${received.path}` : ''}${delayNote(rule)}; ${picker ? `${picker.note}; ` : ''}${judged.noCluster ?? judged.authorization.reason}`;
  return { ...base, status, summary, destinations, mirrors, rewrite, received, authorization: judged.authorization, ...(picker && { endpointPicker: picker }) };
}

/** A VirtualService by its ref, or the HTTPRoutes Istio converted into it: `HTTPRoute ml/a, HTTPRoute ml/b`. */
function routesOfRef(model: TrafficModel, ref: string): string {
  const converted = model.virtualServiceByRef.get(ref)?.httpRoutes;
  return converted?.length ? converted.map((r) => `HTTPRoute ${r}`).join(', ') : ref;
}

/** `rule 1 ("canary") of HTTPRoute ml/reviews (routes.yaml), match 0`. */
function describeOrigin(origin: HttpRouteOrigin): string {
  const name = origin.ruleName !== undefined ? ` (${JSON.stringify(origin.ruleName)})` : '';
  return `rule ${origin.rule}${name} of HTTPRoute ${origin.ref}${origin.source !== undefined ? ` (${origin.source})` : ''}, match ${origin.match}`;
}

/** A backendRef Istio kept without resolving it: its share of the requests gets Envoy's 500. */
function unresolvedBackend(rule: HttpRuleSpec, destinations: readonly ExplainedDestination[]): string | undefined {
  const index = (rule.route ?? []).findIndex((r) => r.invalidBackend !== undefined);
  if (index < 0) return undefined;
  const share = destinations.find((d, i) => i === index && d.weight < 100);
  return `${rule.route![index].invalidBackend}: Istio keeps the backend without a cluster; Envoy answers 500${share ? ` to its ${share.weight}% share` : ''}`;
}

/**
 * Each destination's cluster must exist on the sender's proxy; then its
 * workload judges the request it receives: the connection (mTLS against
 * PeerAuthentication), then its AuthorizationPolicies. The first destination
 * that fails decides the answer.
 */
function judgeDestinations(
  model: TrafficModel,
  request: TrafficRequest,
  view: RequestView,
  destinations: readonly ExplainedDestination[],
  received: { path: string; host: string },
): { status: number; authorization: ExplainedAuthorization; noCluster?: string } {
  let verdict: { status: number; authorization: ExplainedAuthorization } | undefined;
  for (const destination of destinations) {
    // No cluster: the request never leaves the sender, so no workload judges it.
    const noCluster = missingSubsetCluster(model, request.from, destination);
    if (noCluster) return { status: 503, authorization: { allowed: true, policy: null, reason: `not judged: ${noCluster}` }, noCluster };
    const workload = workloadOf(model, request.from, destination.host, destination.subset);
    const connection = connectionTo(model, workload);
    if (connection.failure) {
      return { status: 503, authorization: { allowed: false, policy: null, reason: `the connection fails: ${connection.failure}` } };
    }
    const authorization = authorize(model, workload, {
      host: received.host,
      port: destination.port ?? view.port,
      method: view.method,
      path: received.path,
      headers: view.headers,
      ...receivedIdentity(request.from, connection.mutualTls),
    });
    if (!authorization.allowed) return { status: 403, authorization };
    verdict ??= { status: 200, authorization };
  }
  return verdict ?? { status: 200, authorization: NOT_JUDGED };
}

/** A service's default route (no VirtualService for it): all its pods. */
function defaultRoute(model: TrafficModel, request: TrafficRequest, view: RequestView, host: string): Explanation {
  // Istio's default route to a service carries the mesh's default retry policy (BuildDefaultHTTPOutboundRoute); a passed-through request has none.
  return { ...towards(model, request, view, host, `no VirtualService for ${view.authority}: the request goes to service ${host}, any of its pods`), retries: ISTIO_DEFAULT_RETRIES };
}

/**
 * A host the mesh knows no service or VirtualService for (on this port):
 * the sidecar passes the request through as it is (ALLOW_ANY), to wherever
 * DNS resolves the name.
 */
function passedThrough(model: TrafficModel, request: TrafficRequest, view: RequestView): Explanation {
  return towards(model, request, view, request.host, `no service or VirtualService of the mesh is named ${view.authority} on port ${view.port}: the sidecar passes the request through unchanged`);
}

function towards(model: TrafficModel, request: TrafficRequest, view: RequestView, host: string, why: string): Explanation {
  const destinations = [{ host, subset: null, weight: 100 }];
  const judged = judgeDestinations(model, request, view, destinations, { path: view.path, host: view.authority });
  return {
    ...empty(judged.status, `${why}; ${judged.authorization.reason}`),
    destinations,
    received: { host: view.authority, path: view.path },
    authorization: judged.authorization,
  };
}

/**
 * An injected delay comes before the router, so the route's timeout starts
 * after it. Istio gives a delay without `percentage` its deprecated integer
 * `percent`, 0 when unset (TranslateFault).
 */
function delayNote(rule: MatchedRule['rule']): string {
  const delay = rule.fault?.delay as { fixedDelay?: string; percentage?: { value?: number }; percent?: number } | undefined;
  const percent = delay?.percentage ? delay.percentage.value ?? 0 : delay?.percent ?? 0;
  if (!delay?.fixedDelay || percent <= 0) return '';
  return ` after an injected ${delay.fixedDelay} delay${percent < 100 ? ` (${percent}% of requests)` : ''}, which the timeout does not count`;
}

/** Istio's retry policy for a route that sets none. */
const ISTIO_DEFAULT_RETRIES = { attempts: 2, retryOn: 'connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes' };

function empty(status: number, summary: string): Explanation {
  return {
    status,
    summary,
    virtualService: null,
    rule: null,
    destinations: [],
    mirrors: [],
    rewrite: null,
    received: null,
    timeout: null,
    retries: null,
    fault: null,
    headers: null,
    authorization: NOT_JUDGED,
  };
}
