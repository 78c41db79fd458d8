import { ProbeCaller, ServiceDecl } from './declaration';

/** How a caller meets the service's routes. */
export type Reach =
  /** The routes apply; test rules (previews, fault tests) only when `testRulesApply`. */
  | { readonly kind: 'routes'; readonly testRulesApply: boolean }
  /** No route applies: the caller reaches any pod of the service, every version. */
  | { readonly kind: 'unrouted' }
  /** Nothing serves this host for this caller: 404. */
  | { readonly kind: 'none' };

/**
 * Contract of `exposure` and `testRulesFromGateways`:
 * - `Exposure.mesh()` (the default): in-mesh callers use the routes, test rules included;
 * - `Exposure.ingress({ gateway, hosts })`: a caller through that gateway with one
 *   of those hosts uses the routes; in-mesh callers keep them too (`mesh` defaults to
 *   true); any other gateway, or another host, gets 404;
 * - `mesh: false`: in-mesh callers get no routes and reach every pod;
 * - test rules (a blue/green preview, a fault test) answer in-mesh callers only,
 *   unless `testRulesFromGateways` lets gateway callers use them too.
 */
export function reachOf(decl: ServiceDecl, caller: ProbeCaller, host: string): Reach {
  const ingress = decl.ingress ?? [];
  if (caller.kind === 'gateway') {
    const served = ingress.some((i) => i.gateway === caller.gateway && i.hosts.includes(host.toLowerCase()));
    return served ? { kind: 'routes', testRulesApply: decl.testRulesFromGateways ?? false } : { kind: 'none' };
  }
  const meshRouted = ingress.every((i) => i.mesh ?? true);
  if (!meshRouted) return { kind: 'unrouted' };
  return { kind: 'routes', testRulesApply: true };
}
