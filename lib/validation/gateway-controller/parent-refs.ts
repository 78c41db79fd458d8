import { hostsMatch } from '../core/hosts';
import { asList, type ControllerContext } from './backend-refs';
import { GATEWAY_GROUP, type GatewayApiObject } from './gateway-api-set';
import type { RouteCondition } from './route-condition';

/** One listener of a Gateway as Istio's controller sees it (parentInfo). */
interface Listener {
  readonly sectionName: string;
  readonly port: number;
  /** `namespace/hostname` pairs the listener admits routes for (buildHostnameMatch). */
  readonly hostnames: readonly string[];
  readonly originalHostname: string;
  readonly allowedKinds: readonly { group: string; kind: string }[];
}

const HTTP_ROUTE_KIND = `${GATEWAY_GROUP}/v1/HTTPRoute`;

/**
 * The Accepted condition Istio writes for one parentRef of an HTTPRoute, when it is not Accepted
 * (extractParentReferenceInfo, referenceAllowed and createRouteStatus in pilot/pkg/config/kube/gateway).
 * A Gateway is only judged when the caller said what exists (`gatewaysKnown`); a Service parent (the mesh)
 * when Services were given.
 */
export function parentCondition(ref: any, route: GatewayApiObject, hostnames: readonly string[], context: ControllerContext, gatewaysKnown: boolean): RouteCondition | undefined {
  const group = typeof ref?.group === 'string' ? ref.group : GATEWAY_GROUP;
  const kind = typeof ref?.kind === 'string' ? ref.kind : 'Gateway';
  const name = String(ref?.name ?? '');
  const namespace = typeof ref?.namespace === 'string' && ref.namespace !== '' ? ref.namespace : route.namespace;
  if ((group === '' || group === 'core') && kind === 'Service') {
    if (context.serviceExists && !context.serviceExists(namespace, name)) return { reason: 'NoMatchingParent', message: `parent service: "${name}" not found` };
    return undefined;
  }
  if (group !== GATEWAY_GROUP || kind !== 'Gateway' || !gatewaysKnown) return undefined;
  const gateway = context.set.find('Gateway', namespace, name);
  // Istio writes no status for a parent it does not have; the route attaches nowhere.
  if (!gateway) return { reason: 'NoMatchingParent', message: `parent gateway: "${name}" not found` };
  const results = listenersOf(gateway).map((listener) => denied(listener, ref, hostnames, route.namespace));
  return mostTelling(results);
}

function listenersOf(gateway: GatewayApiObject): Listener[] {
  return asList(gateway.spec.listeners).map((l: any) => {
    const hostname = typeof l?.hostname === 'string' && l.hostname !== '' ? l.hostname : '*';
    return {
      sectionName: String(l?.name ?? ''),
      port: Number(l?.port),
      hostnames: allowedNamespaces(l?.allowedRoutes, gateway.namespace).map((ns) => `${ns}/${hostname}`),
      originalHostname: typeof l?.hostname === 'string' ? l.hostname : '',
      allowedKinds: supportedKinds(l),
    };
  });
}

/**
 * namespacesFromSelector: Same (the default) is the Gateway's namespace, All is any; a label selector
 * needs the namespaces' labels, which the YAML does not hold: read as any.
 */
function allowedNamespaces(allowedRoutes: any, gatewayNamespace: string): string[] {
  const from = allowedRoutes?.namespaces?.from;
  if (from === undefined || from === 'Same') return [gatewayNamespace];
  return ['*'];
}

/** GenerateSupportedKinds: by protocol, narrowed by allowedRoutes.kinds. */
function supportedKinds(listener: any): { group: string; kind: string }[] {
  const byProtocol: Record<string, string[]> = { HTTP: ['HTTPRoute', 'GRPCRoute'], HTTPS: ['HTTPRoute', 'GRPCRoute'], TCP: ['TCPRoute'], TLS: listener?.tls?.mode === 'Terminate' ? ['TLSRoute', 'TCPRoute'] : ['TLSRoute'] };
  const supported = (byProtocol[listener?.protocol] ?? []).map((kind) => ({ group: GATEWAY_GROUP, kind }));
  const allowed = asList(listener?.allowedRoutes?.kinds);
  if (allowed.length === 0) return supported;
  return supported.filter((s) => allowed.some((k: any) => k?.kind === s.kind && (k?.group ?? GATEWAY_GROUP) === s.group));
}

/** referenceAllowed for a Gateway listener: undefined when the route may attach to it. */
function denied(listener: Listener, ref: any, routeHostnames: readonly string[], routeNamespace: string): RouteCondition | undefined {
  if (typeof ref?.port === 'number' && ref.port !== 0 && ref.port !== listener.port) return { reason: 'NoMatchingParent', message: `port ${ref.port} not found` };
  if (typeof ref?.sectionName === 'string' && ref.sectionName !== '' && ref.sectionName !== listener.sectionName) {
    return { reason: 'NoMatchingParent', message: `sectionName "${ref.sectionName}" not found` };
  }
  const hostnames = routeHostnames.length ? routeHostnames : ['*'];
  if (listener.hostnames.length) {
    let hostMatched = false;
    const matched = hostnames.some((routeHostname) => listener.hostnames.some((entry) => {
      const [namespace, parentHostname] = entry.includes('/') ? [entry.slice(0, entry.indexOf('/')), entry.slice(entry.indexOf('/') + 1)] : ['*', entry];
      const hostnameMatch = hostsMatch(parentHostname, routeHostname);
      hostMatched ||= hostnameMatch;
      return hostnameMatch && (namespace === '*' || namespace === routeNamespace);
    }));
    if (!matched) {
      return hostMatched
        ? { reason: 'NotAllowedByListeners', message: `hostnames matched parent hostname "${listener.originalHostname}", but namespace "${routeNamespace}" is not allowed by the parent` }
        : { reason: 'NoMatchingListenerHostname', message: `no hostnames matched parent hostname "${listener.originalHostname}"` };
    }
  }
  if (!listener.allowedKinds.some((k) => k.group === GATEWAY_GROUP && k.kind === 'HTTPRoute')) {
    return { reason: 'NotAllowedByListeners', message: `kind ${HTTP_ROUTE_KIND} is not allowed` };
  }
  return undefined;
}

/** Ranks of createRouteStatus: the route is Accepted when any listener admits it; else the lowest rank is reported. */
const RANK: Record<string, number> = { NotAllowedByListeners: 1, NoMatchingListenerHostname: 2, NoMatchingParent: 4 };

/** createRouteStatus' collapse of one parentRef's results: the lowest-ranked error, messages of equal rank joined by "; ". */
function mostTelling(results: readonly (RouteCondition | undefined)[]): RouteCondition | undefined {
  if (results.length === 0 || results.some((r) => r === undefined)) return undefined;
  let report = results[0] as RouteCondition;
  for (const result of results.slice(1) as RouteCondition[]) {
    if (RANK[result.reason] < RANK[report.reason]) report = result;
    else if (RANK[result.reason] === RANK[report.reason]) report = { reason: report.reason, message: `${report.message}; ${result.message}` };
  }
  return report;
}
