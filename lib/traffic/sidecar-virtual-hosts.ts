/**
 * A sidecar's outbound virtual hosts on one port, as Istio builds them
 * (BuildSidecarOutboundVirtualHosts): one per host of each VirtualService
 * with routes for this proxy, then one default route per service that has
 * none. A host name claimed once is not claimed again: the first
 * VirtualService for it wins.
 */
import { RouteEntry, routesOf } from './evaluate-rules';
import { CLUSTER_DOMAIN } from './hosts';
import { RequestSource } from './request';
import { virtualServicesFor } from './select-virtual-service';
import { concreteHostOf, ModelService } from './service-registry';
import { RoutedVirtualService, TrafficModel, visibleFrom } from './traffic-model';
import { hostsMatch } from '../validation/core/hosts';

export interface SidecarVirtualHost {
  readonly domains: readonly string[];
  /** The VirtualService whose routes apply, with those routes. */
  readonly virtualService?: RoutedVirtualService;
  readonly routes: readonly RouteEntry[];
  /** Without a VirtualService: the host every request goes to (an ExternalName Service's target, for its names). */
  readonly defaultHost?: string;
}

type Sidecar = Extract<RequestSource, { kind: 'sidecar' }>;

const cache = new WeakMap<TrafficModel, Map<string, SidecarVirtualHost[]>>();

export function sidecarVirtualHosts(model: TrafficModel, source: Sidecar, port: number): SidecarVirtualHost[] {
  if (!cache.has(model)) cache.set(model, new Map());
  const perProxy = cache.get(model)!;
  const key = JSON.stringify([source.namespace, source.labels ?? {}, port]);
  if (!perProxy.has(key)) perProxy.set(key, build(model, source, port));
  return perProxy.get(key)!;
}

function build(model: TrafficModel, source: Sidecar, port: number): SidecarVirtualHost[] {
  const namespace = source.namespace;
  const visible = model.services.filter((s) => visibleFrom(s.exportTo, s.namespace, namespace));
  // The services on this port (Istio's servicesByName), whatever its protocol: they decide which
  // VirtualService hosts are services; only HTTP ones get virtual hosts.
  const onPort = new Map<string, ModelService>();
  for (const s of visible) if (s.ports.includes(port) && !onPort.has(s.host)) onPort.set(s.host, s);
  const routesHttp = (s: ModelService) => s.httpPorts.includes(port);
  // No HTTP service on the port: the sidecar has no HTTP listener there, so no route table at all
  // (what it forwards there, it forwards as TCP).
  if (!visible.some(routesHttp)) return [];
  let virtualServices = virtualServicesFor(model, 'mesh', namespace);
  // Off port 80, only VirtualServices for a service on that port get routes (Istio's "hack" for hosts without a service).
  if (port !== 80) {
    const wildcardServices = [...onPort.keys()].filter((h) => h.startsWith('*'));
    const namesAService = (h: string) => (h.startsWith('*') ? [...onPort.keys()] : wildcardServices).some((s) => hostsMatch(h, s)) || onPort.has(h);
    virtualServices = virtualServices.filter((vs) => vs.hosts.some(namesAService));
  }
  const mostSpecific = mostSpecificVirtualService(virtualServices, visible);
  const aliases = aliasesByTarget(visible);
  const domainsOf = (service: ModelService) => serviceDomains(service, aliases.get(service.host) ?? [], namespace);

  const hosts: SidecarVirtualHost[] = [];
  const claimed = new Set<string>();
  const add = (domains: string[], vhost: Omit<SidecarVirtualHost, 'domains'>) => {
    const fresh = domains.filter((d) => !claimed.has(d));
    fresh.forEach((d) => claimed.add(d));
    if (fresh.length) hosts.push({ domains: fresh, ...vhost });
  };
  const routed = new Set<string>();
  for (const vs of virtualServices) {
    const routes = routesOf(model, vs, port, source, 'mesh');
    if (routes.length === 0) continue;
    const { plainHosts, services: all } = separateHosts(vs, onPort, mostSpecific);
    const services = all.filter(routesHttp);
    if (services.length === 0 && port !== 80) continue;
    // Routes converted from HTTPRoutes apply to a proxy in their namespace, or to a service in their namespace (a producer route).
    if (vs.semantics === 'gateway' && namespace !== vs.namespace && !all.some((s) => s.namespace === vs.namespace)) continue;
    for (const host of plainHosts) add([host], { virtualService: vs, routes });
    for (const service of services) {
      add(domainsOf(service), { virtualService: vs, routes });
      routed.add(service.host);
    }
  }
  for (const service of onPort.values()) {
    // An ExternalName Service has no route of its own: its names are the target's.
    if (routed.has(service.host) || service.aliasOf !== undefined || !routesHttp(service)) continue;
    add(domainsOf(service), { routes: [], defaultHost: service.host });
  }
  return hosts;
}

/**
 * Istio's separateVSHostsAndServices: the VirtualService's hosts that are
 * services on this port, and those that are not (kept as plain domains). A
 * wildcard host that covers some service is no domain of its own: it applies
 * to the services whose most specific VirtualService it is.
 */
function separateHosts(vs: RoutedVirtualService, onPort: ReadonlyMap<string, ModelService>, mostSpecific: ReadonlyMap<string, RoutedVirtualService>) {
  const plainHosts: string[] = [];
  const services: ModelService[] = [];
  for (const host of vs.hosts) {
    if (!host.startsWith('*')) {
      const service = onPort.get(host);
      if (service) services.push(service);
      else plainHosts.push(host);
      continue;
    }
    let coversAService = false;
    for (const service of onPort.values()) {
      if (!hostsMatch(service.host, host)) continue;
      coversAService = true;
      if (mostSpecific.get(service.host) === vs) services.push(service);
    }
    if (!coversAService) plainHosts.push(host);
  }
  return { plainHosts, services };
}

/** Each service's VirtualService: the first with its exact host, else the first with the most specific wildcard covering it. */
function mostSpecificVirtualService(virtualServices: readonly RoutedVirtualService[], services: readonly ModelService[]): Map<string, RoutedVirtualService> {
  const exact = new Map<string, RoutedVirtualService>();
  const wildcard = new Map<string, RoutedVirtualService>();
  for (const vs of virtualServices) {
    for (const host of vs.hosts) {
      const index = host.startsWith('*') ? wildcard : exact;
      if (!index.has(host)) index.set(host, vs);
    }
  }
  const result = new Map<string, RoutedVirtualService>();
  for (const { host } of services) {
    const found = host.startsWith('*') ? wildcard.get(host) : exact.get(host);
    if (found) {
      result.set(host, found);
      continue;
    }
    const needle = host.startsWith('*') ? host.slice(1) : host;
    let best: string | undefined;
    for (const w of wildcard.keys()) if (needle.endsWith(w.slice(1)) && (best === undefined || w.length > best.length)) best = w;
    if (best !== undefined) result.set(host, wildcard.get(best)!);
  }
  return result;
}

/** The ExternalName Services that stand for each host, sorted by namespace and name as Istio sorts them. */
function aliasesByTarget(services: readonly ModelService[]): Map<string, ModelService[]> {
  const byTarget = new Map<string, ModelService[]>();
  for (const alias of services.filter((s) => s.aliasOf !== undefined)) {
    const target = concreteHostOf(services, alias);
    if (target === undefined) continue;
    if (!byTarget.has(target)) byTarget.set(target, []);
    byTarget.get(target)!.push(alias);
  }
  for (const list of byTarget.values()) list.sort((a, b) => (a.namespace < b.namespace ? -1 : a.namespace > b.namespace ? 1 : a.host < b.host ? -1 : 1));
  return byTarget;
}

/**
 * The Host header values a sidecar in `proxyNamespace` routes to a service
 * (Istio's generateVirtualHostDomains): its host, absolute (`host.`), the
 * Kubernetes short forms, the same for each ExternalName Service that
 * aliases it, and its addresses.
 */
function serviceDomains(service: ModelService, aliases: readonly ModelService[], proxyNamespace: string): string[] {
  const domains: string[] = [];
  for (const name of [service.host, ...aliases.map((a) => a.host)]) {
    domains.push(name, ...(isIp(name) ? [] : [`${name}.`]), ...kubernetesShortNames(name, proxyNamespace));
  }
  if (service.headless) domains.push(...domains.map((d) => `*.${d}`));
  domains.push(...service.addresses.filter((a) => a !== '0.0.0.0'));
  return domains;
}

/** `name.ns.svc.cluster.local` is also `name.ns` and `name.ns.svc`, and `name` from its own namespace. */
function kubernetesShortNames(host: string, proxyNamespace: string): string[] {
  const svc = host.indexOf('.svc.');
  if (svc < 0 || !host.endsWith(`.svc.${CLUSTER_DOMAIN}`)) return [];
  const dot = host.indexOf('.');
  if (dot + 1 >= host.length || dot + 1 > svc) return [];
  const nameAndNamespace = host.slice(0, svc);
  if (host.slice(dot + 1, svc) === proxyNamespace) return [host.slice(0, dot), `${nameAndNamespace}.svc`, nameAndNamespace];
  return [nameAndNamespace, `${nameAndNamespace}.svc`];
}

const isIp = (name: string) => /^[0-9.]+$/.test(name) || name.includes(':');
