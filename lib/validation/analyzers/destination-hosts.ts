import { childPath } from '../core/field-path';
import { fullName, goList, goQuote, type AnalysisSet, type CrossObjectFinding } from './analysis-set';
import { ServiceRegistry, type KnownService } from './service-lookup';

interface AnnotatedDestination {
  readonly kind: 'host' | 'mirror host';
  readonly destination: any;
  /** Field path of the destination (its `host` is reported). */
  readonly path: string;
}

const arrayOf = (value: unknown): any[] => (Array.isArray(value) ? value : []);

/**
 * virtualservice.DestinationHostAnalyzer: every route and mirror destination must name a Service or
 * ServiceEntry visible to the VirtualService (IST0101 `host` / `mirror host`), on a port it exposes
 * (IST0101 `host:port`), with a port when it exposes several (IST0112); and IST0140 for gateway routes
 * without a subset to a host that a VirtualService routes by subset.
 */
export function analyzeDestinationHosts(set: AnalysisSet): CrossObjectFinding[] {
  const registry = new ServiceRegistry(set);
  const subsetRoutes = subsetRoutedHosts(set);
  const findings: CrossObjectFinding[] = [];
  for (const vs of set.reported('VirtualService')) {
    const exportTo = arrayOf(vs.spec?.exportTo);
    for (const d of [...routeDestinations(vs.spec), ...mirrorDestinations(vs.spec)]) {
      const host = String(d.destination?.host ?? '');
      const path = childPath(d.path, 'host');
      const service = registry.lookup(vs.namespace, exportTo, host);
      if (!service) {
        findings.push({ objectIndex: vs.index, path, severity: 'error', code: 'IST0101', rule: 'analyzer.host-not-found',
          message: `Referenced ${d.kind} not found: ${goQuote(host)}` });
        continue;
      }
      const problem = portProblem(d.destination, host, service);
      if (problem) findings.push({ objectIndex: vs.index, path, ...problem });
    }
    findings.push(...ingressRoutesWithoutSubset(vs, subsetRoutes));
  }
  return findings;
}

function portProblem(destination: any, host: string, service: KnownService) {
  const port = destination?.port;
  if (port === undefined || port === null) {
    if (service.ports.length <= 1) return undefined;
    return { severity: 'error' as const, code: 'IST0112', rule: 'analyzer.port-selector-required',
      message: `This VirtualService routes to a service ${goQuote(host)} that exposes multiple ports ${goList(service.ports)}. Specifying a port in the destination is required to disambiguate.` };
  }
  const number = Number(port.number ?? 0);
  if (service.ports.includes(number)) return undefined;
  return { severity: 'error' as const, code: 'IST0101', rule: 'analyzer.host-port-not-found',
    message: `Referenced host:port not found: ${goQuote(`${host}:${number}`)}` };
}

/** getRouteDestinations: tcp, then tls, then http routes. */
function routeDestinations(spec: any): AnnotatedDestination[] {
  return ['tcp', 'tls', 'http'].flatMap((protocol) =>
    arrayOf(spec?.[protocol]).flatMap((rule: any, i: number) =>
      arrayOf(rule?.route).map((entry: any, j: number) => ({
        kind: 'host' as const,
        destination: entry?.destination,
        path: `spec.${protocol}[${i}].route[${j}].destination`,
      }))));
}

/** getHTTPMirrorDestinations: each http rule's mirror, then its mirrors. */
function mirrorDestinations(spec: any): AnnotatedDestination[] {
  return arrayOf(spec?.http).flatMap((rule: any, i: number) => [
    ...(rule?.mirror ? [{ kind: 'mirror host' as const, destination: rule.mirror, path: `spec.http[${i}].mirror` }] : []),
    ...arrayOf(rule?.mirrors).map((mirror: any, j: number) => ({
      kind: 'mirror host' as const,
      destination: mirror?.destination,
      path: `spec.http[${i}].mirrors[${j}].destination`,
    })),
  ]);
}

/** initVirtualServiceDestinations: per VirtualService, the hosts of its own that it routes to by subset. */
function subsetRoutedHosts(set: AnalysisSet): Map<string, Set<string>> {
  const byVirtualService = new Map<string, Set<string>>();
  for (const vs of set.all('VirtualService')) {
    const hosts = arrayOf(vs.spec?.hosts).map(String);
    for (const rule of arrayOf(vs.spec?.http)) {
      for (const entry of arrayOf(rule?.route)) {
        const destination = entry?.destination;
        if (!destination?.subset || !hosts.includes(String(destination.host ?? ''))) continue;
        const routed = byVirtualService.get(fullName(vs)) ?? new Set<string>();
        routed.add(String(destination.host));
        byVirtualService.set(fullName(vs), routed);
      }
    }
  }
  return byVirtualService;
}

/** analyzeSubset (IST0140): a gateway-bound route without a subset, to a host another (or the same) VirtualService routes by subset. */
function ingressRoutesWithoutSubset(vs: { index: number; namespace: string; name: string; spec: any }, subsetRoutes: Map<string, Set<string>>): CrossObjectFinding[] {
  if (arrayOf(vs.spec?.gateways).length === 0) return [];
  const findings: CrossObjectFinding[] = [];
  arrayOf(vs.spec?.http).forEach((rule: any, i: number) => {
    arrayOf(rule?.route).forEach((entry: any, j: number) => {
      if (entry?.destination?.subset) return;
      const host = String(entry?.destination?.host ?? '');
      for (const [other, hosts] of [...subsetRoutes].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
        if (!hosts.has(host)) continue;
        findings.push({ objectIndex: vs.index, path: `spec.http[${i}].route[${j}].destination.host`, severity: 'warning', code: 'IST0140',
          rule: 'analyzer.ingress-subset-ignored', message: `Subset in virtual service ${other} has no effect on ingress gateway ${fullName(vs)} requests` });
      }
    });
  });
  return findings;
}
