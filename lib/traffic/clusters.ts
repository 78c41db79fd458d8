import { ExplainedDestination } from './explanation';
import { sourceNamespaceOf } from './match-request';
import { RequestSource } from './request';
import { ROOT_NAMESPACE, TrafficModel } from './traffic-model';
import { destinationRuleOf, serviceNamespaceOf } from './workload';

/**
 * Why the sender's proxy has no cluster for a destination's subset, or
 * undefined when it has one (or the YAML cannot tell). Istio builds the
 * subset clusters `outbound|<port>|<subset>|<host>` of a proxy from the one
 * DestinationRule that proxy applies to the host; a route to a subset that
 * rule lacks names a cluster Envoy does not have, and Envoy answers 503.
 */
export function missingSubsetCluster(model: TrafficModel, source: RequestSource, destination: ExplainedDestination): string | undefined {
  if (destination.subset === null) return undefined;
  const lookup = destinationRuleOf(model, source, destination.host);
  if (!lookup.certain) return undefined;
  const proxy = `the ${source.kind === 'sidecar' ? 'sidecar' : `gateway ${source.gateway}`} in namespace ${sourceNamespaceOf(source)}`;
  const wanted = `subset "${destination.subset}" of ${destination.host}`;
  if (lookup.rule === undefined) {
    const serviceNamespace = serviceNamespaceOf(model, destination.host);
    return `${proxy} has no cluster for ${wanted}: no DestinationRule for the host applies there (Istio looks in the caller's namespace, then the service's (${serviceNamespace}), then ${ROOT_NAMESPACE}, as exportTo allows); Envoy answers 503`;
  }
  if (lookup.rule.subsets.some((s) => s.name === destination.subset)) return undefined;
  const rules = lookup.rule.refs.join(' + ');
  return `${proxy} has no cluster for ${wanted}: the DestinationRule that applies there (${rules}) defines no such subset; Envoy answers 503`;
}
