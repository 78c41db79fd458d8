import { authorize, receivedIdentity } from './authorization';
import { missingSubsetCluster } from './clusters';
import { firstMatchingRule, hasRulesForProxy, MatchedRule } from './evaluate-rules';
import { ExplainedAuthorization, ExplainedDestination, Explanation } from './explanation';
import { serviceFqdnOf } from './hosts';
import { sourceNamespaceOf } from './match-request';
import { connectionTo } from './mtls';
import { TrafficRequest } from './request';
import { RequestView, viewOf } from './request-view';
import { authoritySetBy, destinationsOf, mirrorsOf, rewrittenRequest } from './route-action';
import { selectVirtualServices } from './select-virtual-service';
import { TrafficModel } from './traffic-model';
import { workloadOf } from './workload';

const NOT_JUDGED: ExplainedAuthorization = { allowed: true, policy: null, reason: 'not judged: the request reaches no workload' };

/** Where one request goes, and whether the workload that gets it serves it. */
export function explainRequest(model: TrafficModel, request: TrafficRequest): Explanation {
  const view = viewOf(request);
  const selection = selectVirtualServices(model, request.from, view.authority);
  const context = { source: request.from, binding: selection.binding };
  if (!selection.virtualServices.some((vs) => hasRulesForProxy(vs, view.port, context))) {
    return withoutVirtualService(model, request, view, selection.binding);
  }
  const matched = firstMatchingRule(model, selection.virtualServices, view, context);
  if (!matched) {
    const refs = selection.virtualServices.map((vs) => vs.ref).join(', ');
    return {
      ...empty(404, `no rule of ${refs} matches ${view.method} ${view.path}: the proxy answers 404`),
      virtualService: selection.virtualServices[0].ref,
    };
  }
  return routed(model, request, view, matched);
}

function routed(model: TrafficModel, request: TrafficRequest, view: RequestView, matched: MatchedRule): Explanation {
  const { rule, virtualService } = matched;
  const ruleId = rule.name ?? matched.index;
  const base = {
    ...empty(200, ''),
    virtualService: virtualService.ref,
    rule: ruleId,
    timeout: rule.timeout ?? null,
    // Istio disables retries when a route's retries set no attempts.
    retries: rule.retries ? { ...rule.retries, attempts: rule.retries.attempts ?? 0 } : ISTIO_DEFAULT_RETRIES,
    fault: rule.fault ?? null,
    headers: rule.headers ?? null,
  };
  const where = `rule ${JSON.stringify(ruleId)} of ${virtualService.ref}`;
  if (rule.directResponse) return { ...base, status: rule.directResponse.status, summary: `${where} answers ${rule.directResponse.status} itself` };
  if (rule.redirect) {
    const code = rule.redirect.redirectCode ?? 301;
    return { ...base, status: code, summary: `${where} redirects (${code})` };
  }
  const destinations = destinationsOf(rule, virtualService.namespace);
  const mirrors = mirrorsOf(rule, virtualService.namespace);
  const received = rewrittenRequest(rule, matched.block?.uri, view);
  const authority = rule.rewrite?.authority ?? authoritySetBy(rule);
  const rewrite = rule.rewrite || authority !== undefined
    ? { ...(rule.rewrite?.uri !== undefined && { uri: rule.rewrite.uri }), ...(authority !== undefined && { authority }) }
    : null;
  const abort = rule.fault?.abort;
  const abortsAll = abort?.httpStatus !== undefined && (abort.percentage?.value ?? 100) >= 100;
  const judged = judgeDestinations(model, request, view, destinations, received);
  const status = abortsAll ? abort!.httpStatus! : judged.status;
  const shares = destinations.map((d) => `${d.weight}% ${d.host}${d.subset ? ` subset ${d.subset}` : ''}`).join(', ');
  const summary = abortsAll
    ? `${where} aborts every request with ${status} (fault injection)`
    : `${where} sends it to ${shares}${received.path !== view.path ? ` as ${received.path}` : ''}; ${judged.noCluster ?? judged.authorization.reason}`;
  return { ...base, status, summary, destinations, mirrors, rewrite, received, authorization: judged.authorization };
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

/**
 * No VirtualService: a sidecar sends the request to the Kubernetes service
 * the Host names (all its pods); a gateway has no route for it.
 */
function withoutVirtualService(model: TrafficModel, request: TrafficRequest, view: RequestView, binding: string): Explanation {
  if (binding !== 'mesh') {
    return empty(404, `no VirtualService bound to gateway ${binding} serves host ${view.authority}: the gateway answers 404`);
  }
  const host = serviceFqdnOf(view.authority.replace(/(.)\.$/, '$1'), sourceNamespaceOf(request.from));
  const destinations = [{ host, subset: null, weight: 100 }];
  const judged = judgeDestinations(model, request, view, destinations, { path: view.path, host: view.authority });
  return {
    ...empty(judged.status, `no VirtualService for ${view.authority}: the request goes to service ${host}, any of its pods; ${judged.authorization.reason}`),
    destinations,
    received: { host: view.authority, path: view.path },
    authorization: judged.authorization,
  };
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
