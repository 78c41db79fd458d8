import { domainMatch } from './hosts';
import { RoutedVirtualService, TrafficModel } from './traffic-model';

/**
 * The VirtualServices a proxy in `proxyNamespace` takes for one binding
 * (`mesh`, or a Gateway `ns/name`), in the order Istio tries them
 * (SelectVirtualServices, VirtualServicesForGateway): those private to the
 * proxy's namespace (`exportTo: ["."]`), then those exported to it by name,
 * then public ones; each group oldest first, then by name and namespace.
 */
export function virtualServicesFor(model: TrafficModel, binding: string, proxyNamespace: string): RoutedVirtualService[] {
  const ranked: Array<[number, RoutedVirtualService]> = [];
  for (const vs of model.virtualServices) {
    if (vs.hosts.length === 0 || !vs.bindings.includes(binding)) continue;
    const rank = visibilityRank(vs, proxyNamespace);
    if (rank !== undefined) ranked.push([rank, vs]);
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
 * `*.suffix`, else `*`; the first virtual host listed wins a tie.
 */
export function findVirtualHost<T extends { readonly domains: readonly string[] }>(virtualHosts: readonly T[], authority: string): T | undefined {
  let best: [number, number] = [0, 0];
  let found: T | undefined;
  for (const vhost of virtualHosts) {
    for (const domain of vhost.domains) {
      const rank = domainMatch(domain, authority);
      if (rank[0] > best[0] || (rank[0] === best[0] && rank[1] > best[1])) {
        best = rank;
        found = vhost;
      }
    }
  }
  return found;
}
