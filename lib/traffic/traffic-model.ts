import { absentGatewayListeners } from './absent-gateways';
import { sourceOf } from './document-sources';
import { ModelGateway, readGateway } from './gateways';
import { resolveHost, serviceNamespace } from './hosts';
import { ReadHttpRoute, virtualServicesFromHttpRoutes } from './http-routes';
import { INFERENCE_GROUP, LLM_D_GROUP, ModelInferencePool, ModelRewrite, poolsNamedByRoutes, readInferencePool, readModelRewrite, shadowServices } from './inference-pools';
import { ListenerParent, NamespaceInfo, readKubeGateway } from './kube-gateways';
import { withCrdDefaults } from './kube-defaults';
import { readReferenceGrant, ReferenceGrantEntry } from './reference-grants';
import { buildServiceRegistry, ModelService, readKubernetesService, readServiceEntry } from './service-registry';
import { AuthorizationRuleSpec, HttpRuleSpec, SubsetSpec } from './specs';

/** Istio's root configuration namespace: policies there apply mesh-wide. */
export const ROOT_NAMESPACE = 'istio-system';

export interface RoutedVirtualService {
  readonly ref: string;
  readonly name: string;
  readonly namespace: string;
  /** `metadata.creationTimestamp` in ms; undefined when the YAML has none (older than any). */
  readonly createdAt?: number;
  /** Hosts resolved to FQDNs (or kept: wildcards, external names). Empty for a delegate. */
  readonly hosts: readonly string[];
  /** `mesh` and gateways as `ns/name`. */
  readonly bindings: readonly string[];
  readonly exportTo: readonly string[];
  readonly http: readonly HttpRuleSpec[];
  /**
   * `gateway`: converted by Istio's gateway controller from HTTPRoutes, and
   * routed with the Gateway API's semantics (PathPrefix on whole segments,
   * 500 for a backend with no cluster, routes in the proxy's namespace first).
   */
  readonly semantics?: 'gateway';
  /** The HTTPRoutes (`ns/name`) merged into it, oldest first. */
  readonly httpRoutes?: readonly string[];
}

export interface ModelDestinationRule {
  readonly ref: string;
  readonly namespace: string;
  readonly host: string;
  readonly exportTo: readonly string[];
  /** `exportTo` as written, [] when absent: Istio merges only DestinationRules with equal sets. */
  readonly exportToAsWritten: readonly string[];
  readonly workloadSelector?: Readonly<Record<string, string>>;
  /** `metadata.creationTimestamp`: Istio merges DestinationRules oldest first. */
  readonly creationTimestamp?: string;
  readonly hasTrafficPolicy: boolean;
  readonly tlsMode?: string;
  /** `trafficPolicy.portLevelSettings`: the client TLS mode per port number, where one is set. */
  readonly portTlsModes: Readonly<Record<string, string>>;
  readonly subsets: readonly SubsetSpec[];
}

export interface ModelAuthorizationPolicy {
  readonly ref: string;
  readonly namespace: string;
  readonly selector?: Readonly<Record<string, string>>;
  readonly action: 'ALLOW' | 'DENY' | 'AUDIT' | 'CUSTOM';
  /** The external authorizer of a CUSTOM policy. */
  readonly provider?: string;
  readonly rules: readonly AuthorizationRuleSpec[];
}

export interface ModelPeerAuthentication {
  readonly ref: string;
  readonly namespace: string;
  readonly selector?: Readonly<Record<string, string>>;
  readonly mode?: string;
  /** `portLevelMtls`: the mode per port number. */
  readonly portModes: Readonly<Record<string, string>>;
}

/**
 * Istio objects indexed once for routing questions, as pilot's PushContext
 * does: every question (`explain`) reads this, never the raw objects.
 */
export interface TrafficModel {
  /** Root VirtualServices (with hosts) and delegates, sorted as Istio sorts them: oldest first, then by name, then namespace. */
  readonly virtualServices: readonly RoutedVirtualService[];
  readonly virtualServiceByRef: ReadonlyMap<string, RoutedVirtualService>;
  /** Gateways, in the same order. */
  readonly gateways: readonly ModelGateway[];
  /** The hosts the mesh knows (Services, ServiceEntries, or the hosts the config names when it declares neither). */
  readonly services: readonly ModelService[];
  /** DestinationRules by their exact host; those with a wildcard host are in `wildcardDestinationRules`. */
  readonly destinationRulesByHost: ReadonlyMap<string, readonly ModelDestinationRule[]>;
  readonly wildcardDestinationRules: readonly ModelDestinationRule[];
  /** The namespace of the first ServiceEntry that declares each host: Istio's service namespace for it. */
  readonly serviceEntryNamespaces: ReadonlyMap<string, string>;
  /** The selector of each Kubernetes Service that has one, by FQDN: labels its pods carry. */
  readonly serviceSelectors: ReadonlyMap<string, Readonly<Record<string, string>>>;
  readonly authorizationPoliciesByNamespace: ReadonlyMap<string, readonly ModelAuthorizationPolicy[]>;
  readonly peerAuthenticationsByNamespace: ReadonlyMap<string, readonly ModelPeerAuthentication[]>;
  readonly destinationRules: readonly ModelDestinationRule[];
  readonly authorizationPolicies: readonly ModelAuthorizationPolicy[];
  readonly peerAuthentications: readonly ModelPeerAuthentication[];
  /** InferencePools: HTTPRoute backends whose pod an endpoint picker chooses. */
  readonly inferencePools: readonly ModelInferencePool[];
  /** llm-d InferenceModelRewrites: adapter shares inside pools. */
  readonly modelRewrites: readonly ModelRewrite[];
}

type Json = { readonly [key: string]: any };

/** The kinds the model reads, by API group; every other object is outside what it can answer for. */
export const MODELLED_KINDS: Readonly<Record<string, readonly string[]>> = {
  'networking.istio.io': ['VirtualService', 'DestinationRule'],
  'security.istio.io': ['AuthorizationPolicy', 'PeerAuthentication'],
  'gateway.networking.k8s.io': ['HTTPRoute'],
  [INFERENCE_GROUP]: ['InferencePool'],
  [LLM_D_GROUP]: ['InferenceModelRewrite'],
};

/** Whether the model reads the object (any served version of a modelled kind). */
export function readsObject(object: unknown): boolean {
  if (!isObject(object)) return false;
  const group = String(object.apiVersion ?? '').split('/')[0];
  return MODELLED_KINDS[group]?.includes(object.kind) ?? false;
}

/** Builds the model from parsed YAML documents; objects of other kinds are ignored. */
export function buildTrafficModel(objects: readonly unknown[]): TrafficModel {
  const virtualServices: RoutedVirtualService[] = [];
  const destinationRules: ModelDestinationRule[] = [];
  const authorizationPolicies: ModelAuthorizationPolicy[] = [];
  const peerAuthentications: ModelPeerAuthentication[] = [];
  const serviceEntryNamespaces = new Map<string, string>();
  const gateways: ModelGateway[] = [];
  const declaredServices: ModelService[] = [];
  const gatewayApi = new GatewayApiObjects();
  const modelRewrites: ModelRewrite[] = [];
  for (const object of objects) {
    if (!isObject(object) || !isObject(object.metadata)) continue;
    const namespace: string = object.metadata.namespace ?? 'default';
    const ref = `${namespace}/${object.metadata.name}`;
    const spec: Json = isObject(object.spec) ? object.spec : {};
    const group = String(object.apiVersion ?? '').split('/')[0];
    gatewayApi.namespaces.add(namespace);
    if (group === 'v1' && object.kind === 'Service') {
      declaredServices.push(readKubernetesService(object.metadata, spec));
    } else if (group === GATEWAY_API_GROUP || (group === 'v1' && object.kind === 'Namespace')) {
      gatewayApi.add(object);
    } else if (group === INFERENCE_GROUP && object.kind === 'InferencePool') {
      gatewayApi.inferencePools.push(readInferencePool(object));
    } else if (group === LLM_D_GROUP && object.kind === 'InferenceModelRewrite') {
      modelRewrites.push(readModelRewrite(object));
    } else if (group === 'networking.istio.io' && object.kind === 'ServiceEntry') {
      declaredServices.push(...readServiceEntry(namespace, spec));
      gatewayApi.serviceEntryHosts.set(ref, (spec.hosts ?? []).map((h: unknown) => String(h).toLowerCase()));
      for (const host of spec.hosts ?? []) {
        const fqdn = resolveHost(String(host), namespace);
        if (!serviceEntryNamespaces.has(fqdn)) serviceEntryNamespaces.set(fqdn, namespace);
      }
    } else if (group === 'networking.istio.io' && object.kind === 'Gateway') {
      gateways.push(readGateway(ref, namespace, createdAt(object.metadata), spec));
    } else if (group === 'networking.istio.io' && object.kind === 'VirtualService') {
      virtualServices.push({
        ref,
        name: String(object.metadata.name),
        namespace,
        createdAt: createdAt(object.metadata),
        hosts: (spec.hosts ?? []).map((h: string) => resolveHost(h, namespace)),
        bindings: gatewayBindings(spec.gateways, namespace),
        exportTo: spec.exportTo ?? ['*'],
        http: spec.http ?? [],
      });
    } else if (group === 'networking.istio.io' && object.kind === 'DestinationRule') {
      destinationRules.push({
        ref,
        namespace,
        host: resolveHost(String(spec.host ?? ''), namespace),
        exportTo: spec.exportTo ?? ['*'],
        exportToAsWritten: spec.exportTo ?? [],
        workloadSelector: spec.workloadSelector?.matchLabels,
        creationTimestamp: object.metadata.creationTimestamp,
        hasTrafficPolicy: isObject(spec.trafficPolicy),
        tlsMode: spec.trafficPolicy?.tls?.mode,
        portTlsModes: portTlsModes(spec.trafficPolicy),
        subsets: spec.subsets ?? [],
      });
    } else if (group === 'security.istio.io' && object.kind === 'AuthorizationPolicy') {
      authorizationPolicies.push({
        ref, namespace, selector: spec.selector?.matchLabels, action: spec.action ?? 'ALLOW',
        ...(spec.provider?.name !== undefined ? { provider: String(spec.provider.name) } : {}),
        rules: spec.rules ?? [],
      });
    } else if (group === 'security.istio.io' && object.kind === 'PeerAuthentication') {
      const portModes = spec.portLevelMtls ? Object.fromEntries(Object.entries(spec.portLevelMtls).map(([port, m]) => [port, String((m as Json)?.mode ?? 'UNSET')])) : NO_PORTS;
      peerAuthentications.push({ ref, namespace, selector: spec.selector?.matchLabels, mode: spec.mtls?.mode, portModes });
    }
  }
  const kubeGateways = gatewayApi.gateways();
  gateways.push(...kubeGateways.map((g) => g.proxy));
  virtualServices.push(...gatewayApi.virtualServices(declaredServices, kubeGateways));
  virtualServices.sort(byCreationTime);
  gateways.sort(byCreationTime);
  return {
    virtualServices,
    virtualServiceByRef: new Map(virtualServices.map((vs) => [vs.ref, vs])),
    gateways,
    // The shadow Services Istio creates for pools are in its registry whether or not the input declares Services.
    services: withShadowServices(buildServiceRegistry(declaredServices, virtualServices), shadowServices(gatewayApi.inferencePools, gatewayApi.shadowedPools())),
    inferencePools: gatewayApi.inferencePools,
    modelRewrites,
    destinationRules,
    authorizationPolicies,
    peerAuthentications,
    destinationRulesByHost: groupBy(destinationRules.filter((dr) => !dr.host.startsWith('*')), (dr) => dr.host),
    wildcardDestinationRules: destinationRules.filter((dr) => dr.host.startsWith('*')),
    serviceEntryNamespaces,
    serviceSelectors: new Map(declaredServices.filter((s) => s.selector).map((s) => [s.host, s.selector!])),
    authorizationPoliciesByNamespace: groupByNamespace(authorizationPolicies),
    peerAuthenticationsByNamespace: groupByNamespace(peerAuthentications),
  };
}

const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';

/**
 * The Gateway API objects of the input, read after all others: Istio's
 * gateway controller converts HTTPRoutes against the Services, Gateways,
 * GatewayClasses, ReferenceGrants and Namespaces of the whole cluster.
 */
class GatewayApiObjects {
  readonly namespaces = new Set<string>();
  readonly serviceEntryHosts = new Map<string, string[]>();
  readonly inferencePools: ModelInferencePool[] = [];

  /** The pools Istio creates a shadow Service for: those a route with a parent names. */
  shadowedPools(): ReadonlySet<string> {
    return poolsNamedByRoutes(this.routes);
  }
  private readonly namespaceLabels = new Map<string, Record<string, string>>();
  private readonly routes: ReadHttpRoute[] = [];
  private readonly kubeGateways: Json[] = [];
  private readonly classes = new Map<string, string>();
  private readonly grants: ReferenceGrantEntry[] = [];

  add(object: Json): void {
    const namespace: string = object.metadata.namespace ?? 'default';
    if (object.kind === 'Namespace') {
      this.namespaceLabels.set(String(object.metadata.name), object.metadata.labels ?? {});
      return;
    }
    const defaulted = withCrdDefaults(object);
    const spec: Json = defaulted.spec ?? {};
    if (object.kind === 'HTTPRoute') this.routes.push({ object: defaulted, createdAt: createdAt(object.metadata), source: sourceOf(object) });
    else if (object.kind === 'Gateway') this.kubeGateways.push(defaulted);
    else if (object.kind === 'GatewayClass') this.classes.set(String(object.metadata.name), String(spec.controllerName ?? ''));
    else if (object.kind === 'ReferenceGrant') this.grants.push(...readReferenceGrant(`${namespace}/${object.metadata.name}`, namespace, spec));
  }

  /** The Gateways Istio programs (of its GatewayClass), with their listeners. */
  gateways() {
    const namespaces: NamespaceInfo[] = [...new Set([...this.namespaces, ...this.namespaceLabels.keys()])]
      .map((name) => ({ name, labels: this.namespaceLabels.get(name) ?? {} }));
    return this.kubeGateways
      .map((g) => readKubeGateway(g, createdAt(g.metadata), this.classes, namespaces))
      .filter((g) => g !== undefined);
  }

  /**
   * The HTTPRoutes as Istio's VirtualServices. Services are taken as the
   * registry takes them: those declared when the input declares some
   * Kubernetes Service (or ServiceEntry, for other hosts), else every one
   * the routes name.
   */
  virtualServices(declared: readonly ModelService[], kubeGateways: ReturnType<GatewayApiObjects['gateways']>): RoutedVirtualService[] {
    if (this.routes.length === 0) return [];
    const kubernetesDeclared = declared.some((s) => s.declaredBy === 'Service');
    const entriesDeclared = declared.some((s) => s.declaredBy === 'ServiceEntry');
    const hosts = new Set(declared.map((s) => s.host));
    const present = new Set(this.kubeGateways.map((g) => `${g.metadata.namespace ?? 'default'}/${g.metadata.name}`));
    const listenersOf = new Map<string, readonly ListenerParent[]>([...absentGatewayListeners(this.routes, present), ...kubeGateways.map((g): [string, readonly ListenerParent[]] => [g.proxy.ref, g.listeners])]);
    return virtualServicesFromHttpRoutes(this.routes, {
      listenersOf,
      serviceExists: (namespace, name) => !kubernetesDeclared || hosts.has(`${name.toLowerCase()}.${namespace}.svc.cluster.local`),
      hostExists: (host) => hosts.has(host.toLowerCase()) || (serviceNamespace(host) === undefined ? !entriesDeclared : !kubernetesDeclared),
      serviceEntryHosts: this.serviceEntryHosts,
      grants: this.grants,
      inferencePools: this.inferencePools,
      shadowedPools: this.shadowedPools(),
    });
  }
}

/** The registry with the pools' shadow Services in place of what it assumed for their hosts. */
function withShadowServices(registry: ModelService[], shadows: readonly ModelService[]): ModelService[] {
  if (shadows.length === 0) return registry;
  const hosts = new Set(shadows.map((s) => s.host));
  return [...registry.filter((s) => !(s.declaredBy === 'assumed' && hosts.has(s.host))), ...shadows];
}

/** Shared by every object without per-port settings: at fleet scale, one object instead of thousands. */
export const NO_PORTS: Readonly<Record<string, string>> = Object.freeze({});

/** The client TLS mode set per port in a traffic policy's `portLevelSettings`. */
export function portTlsModes(trafficPolicy: Json | undefined): Readonly<Record<string, string>> {
  if (!trafficPolicy?.portLevelSettings?.length) return NO_PORTS;
  const modes: Record<string, string> = {};
  for (const setting of trafficPolicy.portLevelSettings) {
    const port = setting?.port?.number;
    const mode = setting?.tls?.mode;
    if (port !== undefined && mode !== undefined) modes[String(port)] = String(mode);
  }
  return modes;
}

/** `gateways` as `mesh` or `ns/name`; a name without namespace is in the VirtualService's. */
export function gatewayBindings(gateways: readonly string[] | undefined, namespace: string): string[] {
  if (!gateways || gateways.length === 0) return ['mesh'];
  return gateways.map((g) => resolveGatewayName(g, namespace));
}

export function resolveGatewayName(gateway: string, namespace: string): string {
  if (gateway === 'mesh' || gateway.includes('/')) return gateway;
  // The legacy form `name.namespace.svc.cluster.local` names the Gateway `name` in `namespace`.
  const parts = gateway.split('.');
  return parts.length > 1 ? `${parts[1]}/${parts[0]}` : `${namespace}/${gateway}`;
}

/** exportTo: `*` everyone, `.` the object's own namespace, else namespace names. */
export function visibleFrom(exportTo: readonly string[], ownNamespace: string, proxyNamespace: string): boolean {
  return exportTo.some((e) => e === '*' || e === proxyNamespace || (e === '.' && ownNamespace === proxyNamespace));
}

function groupByNamespace<T extends { namespace: string }>(items: readonly T[]): Map<string, T[]> {
  return groupBy(items, (item) => item.namespace);
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k)!.push(item);
  }
  return groups;
}

/** Istio's sortConfigByCreationTime: oldest first (no time is oldest), then by name, then namespace. */
function byCreationTime(a: Sorted, b: Sorted): number {
  const at = a.createdAt ?? -Infinity;
  const bt = b.createdAt ?? -Infinity;
  if (at !== bt) return at < bt ? -1 : 1;
  return compare(a.name, b.name) || compare(a.namespace, b.namespace);
}

type Sorted = { readonly name: string; readonly namespace: string; readonly createdAt?: number };

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Creation times count in whole seconds, as Kubernetes stores them. */
function createdAt(metadata: Json): number | undefined {
  const value = metadata.creationTimestamp;
  const time = value instanceof Date ? value.getTime() : typeof value === 'string' ? Date.parse(value) : NaN;
  return Number.isNaN(time) ? undefined : Math.floor(time / 1000) * 1000;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
