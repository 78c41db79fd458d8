/**
 * The hosts the mesh knows as services, with their ports: what Istio's
 * service registry holds. A sidecar builds routes only for these hosts (and,
 * on port 80, for VirtualService hosts that name none); any other host is
 * passed through unchanged to wherever DNS sends it.
 */
import { CLUSTER_DOMAIN, resolveHost, serviceNamespace } from './hosts';
import type { RoutedVirtualService } from './traffic-model';

export interface ModelService {
  /** Lower case: `name.ns.svc.cluster.local` for a Kubernetes Service, as written for a ServiceEntry (may be a wildcard). */
  readonly host: string;
  readonly namespace: string;
  readonly exportTo: readonly string[];
  /** The ports a sidecar routes HTTP on (declared HTTP, or left for Istio to sniff). */
  readonly httpPorts: readonly number[];
  /** An ExternalName Service: the host it aliases. */
  readonly aliasOf?: string;
  /** Cluster IPs and ServiceEntry addresses: a Host header may name them too. */
  readonly addresses: readonly string[];
  /** A headless Kubernetes Service: its domains also take any one-label prefix. */
  readonly headless: boolean;
}

type Json = { readonly [key: string]: any };

/** Protocols Istio never routes HTTP on; any other port (HTTP, gRPC, or one it sniffs) gets HTTP routes. */
const NOT_HTTP = new Set(['HTTPS', 'TCP', 'TLS', 'UDP', 'SCTP', 'MONGO', 'REDIS', 'MYSQL']);

export function readKubernetesService(metadata: Json, spec: Json): ModelService {
  const namespace: string = metadata.namespace ?? 'default';
  const exportTo = metadata.annotations?.['networking.istio.io/exportTo'];
  const externalName = spec.type === 'ExternalName' && spec.externalName ? String(spec.externalName).toLowerCase() : undefined;
  const clusterIp = spec.clusterIP;
  return {
    host: `${String(metadata.name).toLowerCase()}.${namespace}.svc.${CLUSTER_DOMAIN}`,
    namespace,
    exportTo: exportTo ? String(exportTo).split(',').map((e) => e.trim()) : ['*'],
    httpPorts: (spec.ports ?? []).filter((p: Json) => isHttpPort(kubernetesProtocol(p))).map((p: Json) => Number(p.port)),
    ...(externalName !== undefined && { aliasOf: externalName }),
    addresses: clusterIp && clusterIp !== 'None' ? [String(clusterIp)] : [],
    headless: clusterIp === 'None',
  };
}

/** One service per host of a ServiceEntry, named exactly as written (Istio resolves no short name there). */
export function readServiceEntry(namespace: string, spec: Json): ModelService[] {
  const httpPorts = (spec.ports ?? []).filter((p: Json) => isHttpPort(String(p.protocol ?? '').toUpperCase())).map((p: Json) => Number(p.number));
  return (spec.hosts ?? []).map((host: string) => ({
    host: String(host).toLowerCase(),
    namespace,
    exportTo: spec.exportTo ?? ['*'],
    httpPorts,
    addresses: spec.addresses ?? [],
    headless: false,
  }));
}

/**
 * The registry: the declared Services and ServiceEntries; when the inputs
 * declare neither, every host their VirtualServices serve or route to, on
 * port 80 and on the ports they name (the conformance harness assumes the
 * same), so that `explain` answers for routing YAML alone.
 */
export function buildServiceRegistry(declared: readonly ModelService[], virtualServices: readonly RoutedVirtualService[]): ModelService[] {
  if (declared.length > 0) return [...declared];
  const found = new Map<string, { namespace: string; ports: Set<number> }>();
  const use = (host: string, referrer: string, port: number | undefined) => {
    if (host === '' || host.startsWith('*')) return;
    if (!found.has(host)) found.set(host, { namespace: serviceNamespace(host) ?? referrer, ports: new Set() });
    found.get(host)!.ports.add(port ?? 80);
  };
  for (const vs of virtualServices) {
    for (const host of vs.hosts) use(host, vs.namespace, undefined);
    for (const rule of vs.http) {
      for (const block of rule.match ?? []) if (block.port) for (const host of vs.hosts) use(host, vs.namespace, block.port);
      const destinations = [...(rule.route ?? []).map((r) => r.destination), ...(rule.mirror ? [rule.mirror] : []), ...(rule.mirrors ?? []).map((m) => m.destination)];
      for (const d of destinations) if (d?.host) use(resolveHost(d.host, vs.namespace), vs.namespace, d.port?.number || undefined);
    }
  }
  return [...found].map(([host, { namespace, ports }]) => ({ host, namespace, exportTo: ['*'], httpPorts: [...ports], addresses: [], headless: false }));
}

/**
 * The Service an ExternalName Service stands for, followed through aliases
 * of aliases (Istio's resolveServiceAliases); undefined on a loop.
 */
export function concreteHostOf(services: readonly ModelService[], alias: ModelService): string | undefined {
  const aliasTarget = new Map(services.filter((s) => s.aliasOf !== undefined).map((s) => [s.host, s.aliasOf!]));
  const seen = new Set([alias.host]);
  let host = alias.aliasOf!;
  while (aliasTarget.has(host)) {
    if (seen.has(host)) return undefined;
    seen.add(host);
    host = aliasTarget.get(host)!;
  }
  return host;
}

/**
 * The host a route's destination really reaches: an ExternalName Service's
 * target (Istio's GetDestinationCluster). A sidecar knows the alias only on
 * ports it declares; a gateway looks it up by name.
 */
export function destinationHostOf(services: readonly ModelService[], host: string, port: number, isGateway: boolean): string {
  const alias = services.find((s) => s.host === host && s.aliasOf !== undefined && (isGateway || s.httpPorts.includes(port)));
  return alias ? alias.aliasOf! : host;
}

function isHttpPort(protocol: string): boolean {
  return !NOT_HTTP.has(protocol);
}

/** Istio's protocol of a Kubernetes Service port: UDP/SCTP, else appProtocol, else the name's prefix (`http-api`). */
function kubernetesProtocol(port: Json): string {
  if (port.protocol === 'UDP' || port.protocol === 'SCTP') return port.protocol;
  const appProtocol = String(port.appProtocol ?? '').toLowerCase();
  if (appProtocol === 'kubernetes.io/h2c') return 'HTTP2';
  if (appProtocol !== '') return appProtocol.toUpperCase();
  return String(port.name ?? '').split('-')[0].toUpperCase();
}
