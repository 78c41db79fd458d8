import { ExplainedDestination } from './explanation';
import { sourceNamespaceOf } from './match-request';
import { RequestSource } from './request';
import { servicesNamed } from './service-registry';
import { TrafficModel, visibleFrom } from './traffic-model';

/**
 * Why the sender's proxy has no cluster `outbound|<port>||<host>` for a
 * route's destination, or undefined when it has one. Istio builds a proxy's
 * clusters from the services it sees, one per service port; a route names the
 * destination's port, else (Istio's GetDestinationCluster) the only port of
 * the service a gateway finds by name, else the port the request came in on.
 * A route to a host no service declares with that port names a cluster Envoy
 * does not have, and Envoy answers 503.
 */
export function missingServiceCluster(model: TrafficModel, source: RequestSource, destination: ExplainedDestination, listenerPort: number): string | undefined {
  const proxyNamespace = sourceNamespaceOf(source);
  const services = servicesNamed(model.services, destination.host).filter((s) => visibleFrom(s.exportTo, s.namespace, proxyNamespace));
  const onlyPort = source.kind === 'gateway' && services[0]?.ports.length === 1 ? services[0].ports[0] : undefined;
  const port = destination.port ?? onlyPort ?? listenerPort;
  if (services.some((s) => s.ports.includes(port))) return undefined;
  const proxy = `the ${source.kind === 'sidecar' ? 'sidecar' : `gateway ${source.gateway}`} in namespace ${proxyNamespace}`;
  const known = services.length === 0
    ? `no service ${destination.host} is known to it`
    : `service ${destination.host} has no port ${port}${services.every((s) => s.declaredBy === 'assumed') ? ' (its ports are those the YAML names: it declares no such service)' : ''}`;
  return `${proxy} has no cluster for ${destination.host} port ${port}: ${known}; Envoy answers 503`;
}
