import { ProbeRequest, RouteDecl, ServiceDecl } from './declaration';
import { reachOf } from './exposure';
import { notFound, Outcome } from './outcome';
import { factsOf } from './request-facts';
import { defaultRouteTakes, destinationPort, faultFor, isDelivered, portUnrouted, receivedPath, retriesOf, routeTakes, timeoutOf } from './route-options';
import { securityStatus } from './security';
import { served } from './strategies';

/** Istio's own retry policy for traffic no route of ours governs. */
export const ISTIO_DEFAULT_RETRIES = { attempts: 2, on: ['cancelled', 'connect-failure', 'refused-stream', 'retriable-status-codes', 'unavailable'] };

/**
 * What the declaration promises for one request: the contracts of each
 * option (exposure.ts, route-options.ts, strategies.ts, security.ts)
 * composed in the order a request meets them. Routes are tried in
 * declaration order; the default route (`traffic`, else all to `stable`)
 * takes what none took, unless `defaultRoute: false` (then 404).
 */
export function expectedOutcome(decl: ServiceDecl, request: ProbeRequest): Outcome {
  const facts = factsOf(request);
  const reach = reachOf(decl, request.caller, request.host);
  if (reach.kind === 'none') return notFound();
  if (reach.kind === 'unrouted' || portUnrouted(decl, facts)) {
    const status = securityStatus(decl, request.caller, isDelivered(decl, request.path));
    return { status, shares: { '*': 100 }, mirrors: {}, port: request.port, receivedPath: request.path, timeoutMs: null, retries: ISTIO_DEFAULT_RETRIES, fault: null };
  }
  const route: RouteDecl | undefined = decl.routes.find((r) => routeTakes(r, decl, facts));
  if (!route && !defaultRouteTakes(decl, facts)) return notFound();
  const versions = decl.versions.map((v) => v.name);
  const scope = { versions, stable: decl.stable ?? versions[0], testRulesApply: reach.testRulesApply };
  const strategy = route?.strategy ?? decl.traffic ?? { kind: 'to' };
  const { shares, mirrors } = served(strategy, facts, scope);
  const fault = faultFor(route, facts, reach.testRulesApply);
  const path = receivedPath(route, facts);
  const abortsAll = fault?.kind === 'abort' && fault.percent >= 100;
  const status = abortsAll ? fault.httpStatus : securityStatus(decl, request.caller, isDelivered(decl, path));
  const port = destinationPort(decl, route, facts);
  return {
    status,
    shares,
    mirrors,
    ...(port !== undefined && { port }),
    receivedPath: path,
    timeoutMs: abortsAll ? null : timeoutOf(decl, route),
    retries: abortsAll ? null : retriesOf(decl, route),
    fault,
  };
}
