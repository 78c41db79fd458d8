import { domainMatch } from './hosts';
import { RoutedVirtualService, TrafficModel } from './traffic-model';

/**
 * The VirtualServices a proxy in `proxyNamespace` takes for one binding
 * (`mesh`, or a Gateway `ns/name`), in the order Istio tries them
 * (SelectVirtualServices, VirtualServicesForGateway): those private to the
 * proxy's namespace (`exportTo: ["."]`), then those exported to it by name,
 * then public ones; in each group, those converted from HTTPRoutes in the
 * proxy's namespace first (a consumer's routes override the producer's),
 * then oldest first, then by name and namespace.
 */
export function virtualServicesFor(model: TrafficModel, binding: string, proxyNamespace: string): RoutedVirtualService[] {
  const ranked: Array<[number, RoutedVirtualService]> = [];
  for (const vs of model.virtualServices) {
    if (vs.hosts.length === 0 || !vs.bindings.includes(binding)) continue;
    const rank = visibilityRank(vs, proxyNamespace);
    const consumerFirst = vs.semantics === 'gateway' && vs.namespace === proxyNamespace ? 0 : 1;
    if (rank !== undefined) ranked.push([rank * 2 + consumerFirst, vs]);
  }
  // Array.prototype.sort is stable: the model's order holds within a group.
  return ranked.sort((a, b) => a[0] - b[0]).map(([, vs]) => vs);
}

function visibilityRank(vs: RoutedVirtualService, proxyNamespace: string): number | undefined {
  const exportTo = vs.exportTo.length ? vs.exportTo : ['*'];
  if (exportTo.includes('*')) return 2;
  if (exportTo.includes('~')) return undefined;
  if (vs.namespace === proxyNamespace && (exportTo.includes('.') || exportTo.includes(vs.namespace))) return 0;
  if (exportTo.includes(proxyNamespace)) return 1;
  return undefined;
}

/**
 * Envoy's virtual host selection: an exact domain, else the longest
 * `*.suffix`, else `*`; the first virtual host listed wins a tie. Exact
 * domains are looked up in an index built once per list of virtual hosts.
 */
export function findVirtualHost<T extends { readonly domains: readonly string[] }>(virtualHosts: readonly T[], authority: string): T | undefined {
  const index = indexOf(virtualHosts);
  const exact = index.exact.get(authority);
  if (exact) return exact;
  let best: [number, number] = [0, 0];
  let found: T | undefined;
  for (const [domain, vhost] of index.wildcards) {
    const rank = domainMatch(domain, authority);
    if (rank[0] > best[0] || (rank[0] === best[0] && rank[1] > best[1])) {
      best = rank;
      found = vhost;
    }
  }
  return found;
}

interface DomainIndex<T> {
  readonly exact: Map<string, T>;
  readonly wildcards: Array<[string, T]>;
}

const indexes = new WeakMap<readonly object[], DomainIndex<any>>();

function indexOf<T extends { readonly domains: readonly string[] }>(virtualHosts: readonly T[]): DomainIndex<T> {
  let index = indexes.get(virtualHosts) as DomainIndex<T> | undefined;
  if (!index) {
    index = { exact: new Map(), wildcards: [] };
    for (const vhost of virtualHosts) {
      for (const domain of vhost.domains) {
        if (domain.startsWith('*')) index.wildcards.push([domain, vhost]);
        else if (!index.exact.has(domain)) index.exact.set(domain, vhost);
      }
    }
    indexes.set(virtualHosts, index);
  }
  return index;
}
