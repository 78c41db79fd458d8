import type { AnalysisSet } from './analysis-set';

/**
 * istioctl analyze's service registry (pkg/config/analysis/analyzers/util/service_lookup.go): ServiceEntry
 * hosts and Kubernetes Services, each keyed by the namespace scope it is visible in and its FQDN.
 */

const ALL_NAMESPACES = '*';
const LOCAL_NAMESPACE = '.';
const CLUSTER_DOMAIN = 'svc.cluster.local';

/** A service as the analyzers see it: a ServiceEntry, or a Service converted to one (hosts, ports, no selector). */
export interface KnownService {
  readonly ports: readonly number[];
  readonly workloadSelector: Readonly<Record<string, string>>;
}

/**
 * util.ConvertHostToFQDN: a host without dots (and not a wildcard) is a Service in `namespace`; anything
 * else is kept as written (so `reviews.ml` is not `reviews.ml.svc.cluster.local` for istioctl).
 */
export function convertHostToFqdn(namespace: string, host: string): string {
  return !host.startsWith('*') && !host.includes('.') ? `${host}.${namespace}.${CLUSTER_DOMAIN}` : host;
}

const scoped = (scope: string, namespace: string, host: string) => `${scope}/${convertHostToFqdn(namespace, host)}`;

export class ServiceRegistry {
  private readonly hosts = new Map<string, KnownService>();

  /** util.InitServiceEntryHostMap */
  constructor(set: AnalysisSet) {
    for (const se of set.all('ServiceEntry')) {
      const spec = se.spec ?? {};
      const service: KnownService = {
        ports: arrayOf(spec.ports).map((p: any) => Number(p?.number ?? 0)),
        workloadSelector: labelsOf(spec.workloadSelector?.labels),
      };
      const exportTo: string[] = arrayOf(spec.exportTo).map(String);
      let exportsToAll = false;
      for (const host of arrayOf(spec.hosts).map(String)) {
        if (exportTo.length === 0 || exportsToAll) {
          this.hosts.set(scoped(ALL_NAMESPACES, se.namespace, host), service);
          continue;
        }
        for (const ns of exportTo) {
          if (ns === ALL_NAMESPACES) {
            this.hosts.set(scoped(ALL_NAMESPACES, se.namespace, host), service);
            exportsToAll = true;
          } else this.hosts.set(scoped(ns === LOCAL_NAMESPACE ? se.namespace : ns, se.namespace, host), service);
          if (exportsToAll) break;
        }
      }
    }
    for (const svc of set.all('Service')) {
      const service: KnownService = { ports: arrayOf(svc.spec?.ports).map((p: any) => Number(p?.port ?? 0)), workloadSelector: {} };
      for (const scope of visibleNamespaces(svc.annotations['networking.istio.io/exportTo'], svc.namespace)) {
        this.hosts.set(scoped(scope, svc.namespace, svc.name), service);
      }
    }
  }

  /** util.GetDestinationHost: the service `host` names, as seen from `sourceNamespace` with the source's exportTo. */
  lookup(sourceNamespace: string, exportTo: readonly unknown[], host: string): KnownService | undefined {
    const everywhere = this.hosts.get(scoped(ALL_NAMESPACES, sourceNamespace, host));
    if (everywhere) return everywhere;
    const scopes = exportTo.length === 0 ? [sourceNamespace] : exportTo.map((e) => (e === LOCAL_NAMESPACE ? sourceNamespace : String(e)));
    for (const scope of scopes) {
      const found = this.hosts.get(scoped(scope, sourceNamespace, host));
      if (found) return found;
    }
    const bare = host.startsWith('*') ? host.slice(1) : host;
    for (const [key, service] of this.hosts) {
      const slash = key.indexOf('/');
      const scope = key.slice(0, slash);
      const serviceHost = key.slice(slash + 1);
      if (!serviceHost.startsWith('*')) continue;
      if (scope !== ALL_NAMESPACES && scope !== sourceNamespace) continue;
      if (bare.endsWith(serviceHost.slice(1))) return service;
    }
    return undefined;
  }
}

/** The networking.istio.io/exportTo annotation of a Service: comma-separated namespaces, `.` for its own; none is everywhere. */
function visibleNamespaces(annotation: string | undefined, namespace: string): string[] {
  if (annotation === undefined || annotation === '') return [ALL_NAMESPACES];
  return annotation.split(',').map((ns) => ns.trim()).map((ns) => (ns === LOCAL_NAMESPACE ? namespace : ns));
}

function arrayOf(value: unknown): any[] {
  return Array.isArray(value) ? value : [];
}

function labelsOf(value: unknown): Record<string, string> {
  if (value === null || typeof value !== 'object') return {};
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)]));
}
