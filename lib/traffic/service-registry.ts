/**
 * The hosts the mesh knows as services, with their ports: what Istio's
 * service registry holds. A sidecar builds routes only for these hosts (and,
 * on port 80, for VirtualService hosts that name none); any other host is
 * passed through unchanged to wherever DNS sends it.
 */
import { CLUSTER_DOMAIN, resolveHost, serviceNamespace } from './hosts';
import type { RoutedVirtualService } from './traffic-model';

export interface ModelService {
  /** Where the registry has it from: a Service object, a ServiceEntry, or the assumption that a host the config names exists. */
  readonly declaredBy: 'Service' | 'ServiceEntry' | 'assumed';
  /** Lower case: `name.ns.svc.cluster.local` for a Kubernetes Service, as written for a ServiceEntry (may be a wildcard). */
  readonly host: string;
  readonly namespace: string;
  readonly exportTo: readonly string[];
  /** Every declared port. */
  readonly ports: readonly number[];
  /** The ports a sidecar routes HTTP on (declared HTTP, or left for Istio to sniff). */
  readonly httpPorts: readonly number[];
  /** An ExternalName Service: the host it aliases. */
  readonly aliasOf?: string;
  /** Cluster IPs and ServiceEntry addresses: a Host header may name them too. */
  readonly addresses: readonly string[];
  /** A headless Kubernetes Service: its domains also take any one-label prefix. */
  readonly headless: boolean;
  /** A Kubernetes Service's selector: labels every pod it sends to carries. */
  readonly selector?: Readonly<Record<string, string>>;
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
    declaredBy: 'Service',
    host: `${String(metadata.name).toLowerCase()}.${namespace}.svc.${CLUSTER_DOMAIN}`,
    namespace,
    exportTo: exportTo ? String(exportTo).split(',').map((e) => e.trim()) : ['*'],
    ports: (spec.ports ?? []).map((p: Json) => Number(p.port)),
    httpPorts: (spec.ports ?? []).filter((p: Json) => isHttpPort(kubernetesProtocol(p))).map((p: Json) => Number(p.port)),
    ...(externalName !== undefined && { aliasOf: externalName }),
    addresses: clusterIp && clusterIp !== 'None' ? [String(clusterIp)] : [],
    headless: clusterIp === 'None',
    ...(isObject(spec.selector) && { selector: spec.selector }),
  };
}

function isObject(value: unknown): value is Record<string, string> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** One service per host of a ServiceEntry, named exactly as written (Istio resolves no short name there). */
export function readServiceEntry(namespace: string, spec: Json): ModelService[] {
  const ports = (spec.ports ?? []).map((p: Json) => Number(p.number));
  const httpPorts = (spec.ports ?? []).filter((p: Json) => isHttpPort(String(p.protocol ?? '').toUpperCase())).map((p: Json) => Number(p.number));
  return (spec.hosts ?? []).map((host: string) => ({
    declaredBy: 'ServiceEntry' as const,
    host: String(host).toLowerCase(),
    namespace,
    exportTo: spec.exportTo ?? ['*'],
    ports,
    httpPorts,
    addresses: spec.addresses ?? [],
    headless: false,
  }));
}

/**
 * The registry: the declared Services and ServiceEntries, and the hosts the
 * VirtualServices serve or route to, on port 80 and on the ports they name,
 * that the YAML cannot be expected to declare: a Kubernetes name
 * (`name.ns.svc.cluster.local`) unless the YAML declares some Kubernetes
 * Service, any other name unless it declares some ServiceEntry. So routing
 * YAML alone is explained as if its services exist, and YAML that declares
 * its services is taken at its word. The conformance harness assumes the same.
 */
export function buildServiceRegistry(declared: readonly ModelService[], virtualServices: readonly RoutedVirtualService[]): ModelService[] {
  const kubernetesDeclared = declared.some((s) => s.declaredBy === 'Service');
  const entriesDeclared = declared.some((s) => s.declaredBy === 'ServiceEntry');
  const known = new Set(declared.map((s) => s.host));
  const found = new Map<string, { namespace: string; ports: Set<number> }>();
  const use = (host: string, referrer: string, port: number | undefined, parent = false) => {
    if (host === '' || host.startsWith('*') || known.has(host)) return;
    const namespace = serviceNamespace(host);
    if (!parent && (namespace !== undefined ? kubernetesDeclared : entriesDeclared)) return;
    if (!found.has(host)) found.set(host, { namespace: namespace ?? referrer, ports: new Set() });
    found.get(host)!.ports.add(port ?? 80);
  };
  for (const vs of virtualServices) {
    // The Service an HTTPRoute is bound to (GAMMA) exists, declared or not (see http-routes.ts).
    const parent = vs.semantics === 'gateway' && vs.bindings.includes('mesh');
    for (const host of vs.hosts) use(host, vs.namespace, undefined, parent);
    for (const rule of vs.http) {
      for (const block of rule.match ?? []) if (block.port) for (const host of vs.hosts) use(host, vs.namespace, block.port, parent);
      const destinations = [...(rule.route ?? []).map((r) => r.destination), ...(rule.mirror ? [rule.mirror] : []), ...(rule.mirrors ?? []).map((m) => m.destination)];
      for (const d of destinations) if (d?.host) use(resolveHost(d.host, vs.namespace), vs.namespace, d.port?.number || undefined);
    }
  }
  const assumed = [...found].map(([host, { namespace, ports }]): ModelService => ({
    declaredBy: 'assumed', host, namespace, exportTo: ['*'], ports: [...ports], httpPorts: [...ports], addresses: [], headless: false,
  }));
  return [...declared, ...assumed];
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
  const alias = servicesNamed(services, host).find((s) => s.aliasOf !== undefined && (isGateway || s.ports.includes(port)));
  return alias ? alias.aliasOf! : host;
}

const byHost = new WeakMap<readonly ModelService[], Map<string, ModelService[]>>();

/** The registry's services of one host, indexed once per registry: every routed request asks. */
export function servicesNamed(services: readonly ModelService[], host: string): readonly ModelService[] {
  let index = byHost.get(services);
  if (!index) {
    index = new Map();
    for (const service of services) {
      const named = index.get(service.host);
      if (named) named.push(service);
      else index.set(service.host, [service]);
    }
    byHost.set(services, index);
  }
  return index.get(host) ?? [];
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
