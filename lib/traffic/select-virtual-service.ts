import { domainMatch, serviceFqdnOf, sidecarDomains } from './hosts';
import { RequestSource } from './request';
import { RoutedVirtualService, TrafficModel, visibleFrom } from './traffic-model';
import { sourceNamespaceOf } from './match-request';

/** The VirtualServices whose routes a proxy uses for one Host header, in the order their rules apply. */
export interface HostSelection {
  /** `mesh` for a sidecar, the Gateway `ns/name` for a gateway. */
  readonly binding: string;
  readonly virtualServices: readonly RoutedVirtualService[];
}

export function bindingOf(source: RequestSource): string {
  return source.kind === 'sidecar' ? 'mesh' : source.gateway;
}

/**
 * Picks the VirtualService(s) for a request's authority as the proxy's
 * virtual hosts do: only those bound to the proxy (`mesh`, or this gateway)
 * and exported to its namespace; an exact domain before the longest
 * wildcard. A sidecar uses the first VirtualService for a host; a gateway
 * merges the rules of every VirtualService for it, in order.
 */
export function selectVirtualServices(model: TrafficModel, source: RequestSource, authority: string): HostSelection {
  const binding = bindingOf(source);
  const proxyNamespace = sourceNamespaceOf(source);
  // A sidecar's virtual hosts also list the absolute form of each domain (`name.`); a gateway's do not.
  if (binding === 'mesh') authority = authority.replace(/(.)\.$/, '$1');
  let best: [number, number] = [0, 0];
  let chosen: RoutedVirtualService[] = [];
  for (const vs of candidates(model, authority, proxyNamespace)) {
    if (vs.hosts.length === 0 || !vs.bindings.includes(binding)) continue;
    if (!visibleFrom(vs.exportTo, vs.namespace, proxyNamespace)) continue;
    const rank = bestDomainMatch(vs, binding, proxyNamespace, authority);
    if (rank[0] === 0) continue;
    const order = rank[0] - best[0] || rank[1] - best[1];
    if (order > 0) {
      best = rank;
      chosen = [vs];
    } else if (order === 0) chosen.push(vs);
  }
  if (binding === 'mesh') chosen = chosen.slice(0, 1);
  return { binding, virtualServices: chosen };
}

/**
 * The VirtualServices that may serve an authority: those of the concrete
 * hosts it can name from the proxy's namespace (`a` and `a.ns` forms expand
 * to a service FQDN), and the wildcard ones; in the model's order.
 */
function candidates(model: TrafficModel, authority: string, proxyNamespace: string): RoutedVirtualService[] {
  const hosts = new Set([authority, serviceFqdnOf(authority, proxyNamespace)]);
  const found = new Set<RoutedVirtualService>(model.wildcardVirtualServices);
  for (const host of hosts) for (const vs of model.virtualServicesByHost.get(host) ?? []) found.add(vs);
  const order = model.virtualServiceOrder;
  return [...found].sort((a, b) => order.get(a)! - order.get(b)!);
}

function bestDomainMatch(vs: RoutedVirtualService, binding: string, proxyNamespace: string, authority: string): [number, number] {
  let best: [number, number] = [0, 0];
  for (const host of vs.hosts) {
    const domains = binding === 'mesh' && !host.startsWith('*') ? sidecarDomains(host, proxyNamespace) : [host];
    for (const domain of domains) {
      const rank = domainMatch(domain, authority);
      if (rank[0] > best[0] || (rank[0] === best[0] && rank[1] > best[1])) best = rank;
    }
  }
  return best;
}
