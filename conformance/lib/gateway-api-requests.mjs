// The requests of the gateway-api phase: the simulation's boundary requests
// (lib/traffic/boundary-requests.mjs), generated from the HTTPRoutes' own match values.
// Each HTTPRoute is read as the VirtualService its matches would be in the Istio API, and
// each Kubernetes Gateway as an Istio Gateway with its HTTP listeners; those stand-ins only
// steer the generator, they are never routed:
//   - a Service parent (GAMMA) is a VirtualService for that Service's host bound to the mesh
//     (requests from a sidecar in the route's namespace and from one elsewhere);
//   - a Gateway parent is a VirtualService for the route's hostnames ("*" without) bound to
//     that Gateway (requests through it, on each HTTP listener's port);
//   - Exact/PathPrefix/RegularExpression paths, headers, query parameters and the method are
//     the same conditions in either API, so the same hits and near misses break them;
//   - a rule without matches matches every path (PathPrefix "/").
// Pure (objects in, requests out) and deterministic.
import { generateRequests } from '../../lib/traffic/boundary-requests.mjs';

const GATEWAY_API = 'gateway.networking.k8s.io';
const apiGroup = (o) => String(o?.apiVersion ?? '').split('/').slice(0, -1).join('/');
const isKind = (o, group, kind) => o?.kind === kind && apiGroup(o) === group;

/** TrafficRequest[] for one set of parsed Kubernetes objects holding Gateway API objects. */
export function generateGatewayApiRequests(objects) {
  const standIns = [];
  for (const o of objects) {
    if (isKind(o, GATEWAY_API, 'HTTPRoute')) standIns.push(...virtualServicesOf(o));
    else if (isKind(o, GATEWAY_API, 'Gateway')) standIns.push(istioGatewayOf(o));
    else if (o?.kind === 'Service' && o.apiVersion === 'v1') standIns.push(o);
  }
  const ports = servicePorts(objects);
  return generateRequests(standIns).filter((r) => r.from.kind !== 'sidecar' || reachable(r, ports));
}

/** "name.ns" -> the ports of each Service the set declares. */
function servicePorts(objects) {
  const ports = new Map();
  for (const o of objects.filter((x) => x?.kind === 'Service' && x.apiVersion === 'v1')) {
    ports.set(`${o.metadata?.name}.${o.metadata?.namespace ?? 'default'}`, (o.spec?.ports ?? []).map((p) => p.port));
  }
  return ports;
}

/**
 * A request from a sidecar to a declared Service on a port it does not have connects to
 * nothing (no listener routes it, and the Service's address serves no such port): neither
 * judge's answer would mean anything, so it is not asked.
 */
function reachable(request, ports) {
  const host = request.host.toLowerCase().replace(/\.$/, '');
  const parts = host.split('.');
  const key = parts.length === 1 ? `${host}.${request.from.namespace}` : parts.length === 2 || host.endsWith('.svc.cluster.local') ? `${parts[0]}.${parts[1]}` : undefined;
  const declared = key && ports.get(key);
  return !declared || declared.includes(request.port ?? 80);
}

/** One stand-in VirtualService per parent of the route: the mesh one per Service, the gateway one per Gateway. */
function virtualServicesOf(route) {
  const ns = route.metadata?.namespace ?? 'default';
  if (!route.spec?.rules?.length) return [];
  const out = [];
  for (const parent of route.spec?.parentRefs ?? []) {
    const parentNs = parent.namespace ?? ns;
    const http = route.spec.rules.map((rule) => ruleOf(rule, ns, parent.port));
    const name = `${route.metadata?.name}-${out.length}`;
    const metadata = { name, namespace: ns };
    if (parent.kind === 'Service' && (parent.group ?? '') === '') {
      // A short name in the route's namespace, so that requests also use it, and name.ns.
      const host = parentNs === ns ? parent.name : `${parent.name}.${parentNs}.svc.cluster.local`;
      out.push({ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata, spec: { hosts: [host], http } });
    } else if ((parent.kind ?? 'Gateway') === 'Gateway' && (parent.group ?? GATEWAY_API) === GATEWAY_API) {
      const hosts = route.spec?.hostnames?.length ? route.spec.hostnames : ['*'];
      out.push({ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata, spec: { hosts, gateways: [`${parentNs}/${parent.name}`], http } });
    }
  }
  return out;
}

/** An HTTPRoute rule as an http rule: its matches (on the parent's port, if it names one), and its backends as destinations. */
function ruleOf(rule, ns, port) {
  const match = (rule.matches?.length ? rule.matches : port ? [{}] : []).map((m) => ({ ...matchOf(m), ...(port ? { port } : {}) }));
  const route = (rule.backendRefs ?? [])
    .filter((b) => (b.kind ?? 'Service') === 'Service' && (b.group ?? '') === '')
    .map((b) => ({ destination: { host: `${b.name}.${b.namespace ?? ns}.svc.cluster.local`, ...(b.port ? { port: { number: b.port } } : {}) } }));
  return { ...(match.length ? { match } : {}), ...(route.length ? { route } : {}) };
}

const PATH_TYPES = { Exact: 'exact', PathPrefix: 'prefix', RegularExpression: 'regex' };
const VALUE_TYPES = { Exact: 'exact', RegularExpression: 'regex' };

/** An HTTPRouteMatch as an HTTPMatchRequest (the types' defaults: PathPrefix "/", Exact). */
function matchOf(m) {
  const path = m.path ?? { type: 'PathPrefix', value: '/' };
  const values = (list) => Object.fromEntries((list ?? []).map((h) => [h.name, { [VALUE_TYPES[h.type ?? 'Exact'] ?? 'exact']: h.value }]));
  const headers = values(m.headers);
  const queryParams = values(m.queryParams);
  return {
    uri: { [PATH_TYPES[path.type ?? 'PathPrefix'] ?? 'prefix']: path.value ?? '/' },
    ...(Object.keys(headers).length ? { headers } : {}),
    ...(Object.keys(queryParams).length ? { queryParams } : {}),
    ...(m.method ? { method: { exact: m.method } } : {}),
  };
}

/** A Kubernetes Gateway as an Istio Gateway: a server per HTTP listener, for its hostname. */
function istioGatewayOf(gw) {
  const servers = (gw.spec?.listeners ?? [])
    .filter((l) => l.protocol === 'HTTP')
    .map((l) => ({ port: { number: l.port, name: l.name, protocol: 'HTTP' }, hosts: [l.hostname ?? '*'] }));
  return { apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: gw.metadata?.name, namespace: gw.metadata?.namespace ?? 'default' }, spec: { servers } };
}
