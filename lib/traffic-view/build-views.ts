import { serviceNamespace } from '../traffic/hosts';
import { SubsetSpec } from '../traffic/specs';
import { ModelDestinationRule, NO_PORTS, portTlsModes, RoutedVirtualService, TrafficModel } from '../traffic/traffic-model';
import { poolViews, rulePickerOf, withPoolNames } from './pool-view';
import { routeView, versionNamer } from './route-view';
import { versionSecurity } from './security-view';
import { ServiceView } from './service-view';

/** One view per VirtualService, sorted by `namespace/name`. */
export function buildServiceViews(model: TrafficModel): ServiceView[] {
  const rulesByHost = new Map<string, ModelDestinationRule[]>();
  for (const dr of model.destinationRules) rulesByHost.set(dr.host, [...(rulesByHost.get(dr.host) ?? []), dr]);
  return model.virtualServices
    .map((vs) => serviceView(model, vs, rulesByHost))
    .sort((a, b) => (a.service < b.service ? -1 : a.service > b.service ? 1 : 0));
}

function serviceView(model: TrafficModel, vs: RoutedVirtualService, rulesByHost: ReadonlyMap<string, ModelDestinationRule[]>): ServiceView {
  const ownHost = primaryHost(vs);
  const rule = ownHost === undefined ? undefined : pickRule(rulesByHost.get(ownHost) ?? [], vs.namespace);
  const namer = withPoolNames(model, vs, versionNamer(ownHost, vs.namespace));
  const routes = vs.http.map((r) => ({ ...routeView(r, namer, vs.namespace), ...rulePickerOf(model, r) }));
  const pools = poolViews(model, vs);
  const subsets = rule?.subsets ?? [];
  const declared = subsets.map((s) => s.name);
  const routed = routes.flatMap((r) => [...r.destinations, ...r.mirrors].map((s) => s.version)).filter((v) => !declared.includes(v));
  const workloadNamespace = ownHost === undefined ? vs.namespace : serviceNamespace(ownHost) ?? vs.namespace;
  return {
    service: vs.ref,
    ...(ownHost === undefined ? {} : { host: ownHost }),
    hosts: [...vs.hosts].sort(),
    gateways: [...vs.bindings].sort(),
    versions: [...declared, ...[...new Set(routed)].sort()],
    routes,
    exportTo: vs.exportTo,
    ...(rule ? { ruleExportTo: rule.exportTo } : {}),
    security: subsets.map((subset) =>
      versionSecurity(model, subset.name, {
        host: ownHost!,
        namespace: workloadNamespace,
        labels: { ...(subset.labels ?? {}) },
        clientTls: subset.trafficPolicy?.tls?.mode ?? rule?.tlsMode,
      }, clientPortTls(rule, subset))),
    ...(pools.length > 0 && { pools }),
    ...(vs.httpRoutes ? { httpRoutes: vs.httpRoutes } : {}),
  };
}

/** The client TLS per port: the subset's settings over the DestinationRule's. */
function clientPortTls(rule: ModelDestinationRule | undefined, subset: SubsetSpec): Readonly<Record<string, string>> {
  const own = portTlsModes(subset.trafficPolicy);
  const inherited = rule?.portTlsModes ?? NO_PORTS;
  if (own === NO_PORTS) return inherited;
  return inherited === NO_PORTS ? own : { ...inherited, ...own };
}

/** The service the VirtualService routes for: its first Kubernetes-service host, else its first host. */
export function primaryHost(vs: RoutedVirtualService): string | undefined {
  return vs.hosts.find((h) => serviceNamespace(h) !== undefined) ?? vs.hosts[0];
}

/** The DestinationRule for the host: the one in the VirtualService's namespace, else the first. */
function pickRule(rules: readonly ModelDestinationRule[], namespace: string): ModelDestinationRule | undefined {
  return rules.find((r) => r.namespace === namespace) ?? rules[0];
}
