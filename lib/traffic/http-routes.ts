/**
 * HTTPRoutes as Istio's gateway controller converts them into
 * VirtualServices (pilot/pkg/config/kube/gateway: HTTPRouteCollection,
 * convertHTTPRoute, buildHTTPDestination, mergeHTTPRoutes), so that every
 * question the model answers for VirtualServices it answers for HTTPRoutes
 * too, as Istio does.
 *
 * Each rule is split into one rule per match. A route bound to a Service
 * (GAMMA) gives, per Service, a VirtualService for the mesh with the
 * Service's FQDN as host; one bound to a Gateway gives, per accepted
 * listener and route hostname, a VirtualService bound to the listener's
 * generated Istio Gateway. Those with the same key (the route's namespace
 * and host for the mesh, the listener and host for a gateway) are merged,
 * oldest route first, and their rules sorted by the Gateway API's
 * precedence. A route with a rule Istio cannot convert (an unsupported
 * filter, a backendRef without port...) gives no rules at all.
 */
import { hostsMatch, hostSubsetOf } from '../validation/core/hosts';
import { CLUSTER_DOMAIN } from './hosts';
import { ListenerParent } from './kube-gateways';
import { inferencePoolDestination, INFERENCE_GROUP, ModelInferencePool, rulePicker } from './inference-pools';
import { HttpMatchSpec } from './match-request';
import { referenceAllowed, ReferenceGrantEntry } from './reference-grants';
import { sortByPrecedence } from './route-precedence';
import { DestinationSpec, HttpRouteDestinationSpec, HttpRuleSpec } from './specs';
import type { RoutedVirtualService } from './traffic-model';

type Json = { readonly [key: string]: any };

export interface ReadHttpRoute {
  /** The HTTPRoute with its CRD defaults applied. */
  readonly object: Json;
  readonly createdAt?: number;
  readonly source?: string;
}

/** What the conversion looks up besides the routes. */
export interface HttpRouteContext {
  /** The listeners of each Kubernetes Gateway Istio programs, by `ns/name`. */
  readonly listenersOf: ReadonlyMap<string, readonly ListenerParent[]>;
  /** Whether the Kubernetes Service `ns/name` exists. */
  readonly serviceExists: (namespace: string, name: string) => boolean;
  /** Whether the service registry has the host (a backendRef of kind Hostname). */
  readonly hostExists: (host: string) => boolean;
  /** The hosts of each ServiceEntry, by `ns/name`. */
  readonly serviceEntryHosts: ReadonlyMap<string, readonly string[]>;
  readonly grants: readonly ReferenceGrantEntry[];
  /** The InferencePools, for backendRefs of that kind. */
  readonly inferencePools: readonly ModelInferencePool[];
  /** The pools Istio made a shadow Service for (see poolsNamedByRoutes). */
  readonly shadowedPools: ReadonlySet<string>;
}

const GATEWAY_GROUP = 'gateway.networking.k8s.io';
const HTTP_ROUTE_KIND = `${GATEWAY_GROUP}/HTTPRoute`;

/** Istio's VirtualServices for the HTTPRoutes, merged as Istio merges them. */
export function virtualServicesFromHttpRoutes(routes: readonly ReadHttpRoute[], context: HttpRouteContext): RoutedVirtualService[] {
  const byKey = new Map<string, Array<{ route: ReadHttpRoute; vs: RoutedVirtualService }>>();
  for (const route of routes) {
    for (const { key, vs } of routeVirtualServices(route, context)) {
      if (!byKey.has(key)) byKey.set(key, []);
      byKey.get(key)!.push({ route, vs });
    }
  }
  return [...byKey].map(([key, entries]) => merged(key, entries));
}

/** mergeHTTPRoutes: oldest route first (then namespace, then name), rules concatenated and sorted by precedence. */
function merged(key: string, entries: Array<{ route: ReadHttpRoute; vs: RoutedVirtualService }>): RoutedVirtualService {
  const sorted = [...entries].sort((a, b) => compareRoutes(a.route, b.route));
  const base = sorted[0].vs;
  const name = key.replace(/\//g, '~');
  return {
    ...base,
    ref: `${base.namespace}/${name}`,
    name,
    http: sortByPrecedence(sorted.flatMap((e) => e.vs.http)),
    httpRoutes: [...new Set(sorted.flatMap((e) => e.vs.httpRoutes ?? []))],
  };
}

function compareRoutes(a: ReadHttpRoute, b: ReadHttpRoute): number {
  const at = a.createdAt ?? -Infinity;
  const bt = b.createdAt ?? -Infinity;
  if (at !== bt) return at < bt ? -1 : 1;
  return compare(namespaceOf(a.object), namespaceOf(b.object)) || compare(String(a.object.metadata.name), String(b.object.metadata.name));
}

/** One route's VirtualServices before merging, each with its merge key. */
function routeVirtualServices(route: ReadHttpRoute, context: HttpRouteContext): Array<{ key: string; vs: RoutedVirtualService }> {
  const object = route.object;
  const namespace = namespaceOf(object);
  const ref = `${namespace}/${object.metadata.name}`;
  const hostnames: string[] = (object.spec?.hostnames ?? []).map(String);
  const parents = acceptedParents(object, hostnames, context);
  const mesh = parents.some((p) => p.internalName === 'mesh') ? convertRules(route, true, context) : undefined;
  const gateway = parents.some((p) => p.internalName !== 'mesh') ? convertRules(route, false, context) : undefined;
  const result: Array<{ key: string; vs: RoutedVirtualService }> = [];
  for (const parent of parents) {
    let key = parent.internalName;
    let hosts = hostnames.length ? hostnames : ['*'];
    let rules = gateway;
    if (parent.internalName === 'mesh') {
      rules = mesh;
      key = namespace;
      const port = parent.reference.port;
      if (port !== undefined && rules) {
        rules = rules.map((rule) => withPort(rule, Number(port)));
        key += `/${port}`;
      }
      const parentNamespace = parent.reference.namespace ?? namespace;
      hosts = parent.kind === 'ServiceEntry'
        ? [...(context.serviceEntryHosts.get(`${parentNamespace}/${parent.reference.name}`) ?? [])]
        : [`${parent.reference.name}.${parentNamespace}.svc.${CLUSTER_DOMAIN}`];
    }
    if (!rules?.length) continue;
    for (const host of hosts) {
      if (!allowedByIsolation(parent, host)) continue;
      result.push({
        key: `${key}/${host}`,
        vs: {
          ref: '', name: '', namespace, createdAt: route.createdAt,
          hosts: [host.toLowerCase()],
          bindings: [parent.internalName],
          exportTo: ['*'],
          http: sortByPrecedence(rules),
          semantics: 'gateway',
          httpRoutes: [ref],
        },
      });
    }
  }
  return result;
}

interface AcceptedParent {
  /** `mesh`, or the listener's generated Istio Gateway `ns/name`. */
  readonly internalName: string;
  readonly kind: 'Service' | 'ServiceEntry' | 'Gateway';
  readonly reference: Json;
  /** The listener's hostname as written ("" for the mesh). */
  readonly hostname: string;
  /** The hostnames of the other listeners on the same port and protocol. */
  readonly banned: readonly string[];
}

/** extractParentReferenceInfo and referenceAllowed, keeping only the parents that accept the route. */
function acceptedParents(object: Json, hostnames: readonly string[], context: HttpRouteContext): AcceptedParent[] {
  const namespace = namespaceOf(object);
  const accepted: AcceptedParent[] = [];
  for (const reference of object.spec?.parentRefs ?? []) {
    const kind = `${reference.group ?? GATEWAY_GROUP}/${reference.kind ?? 'Gateway'}`;
    const parentNamespace: string = reference.namespace ?? namespace;
    if (kind === '/Service') {
      // Istio ignores a route whose parent Service is missing from the cluster; routing YAML (the
      // Gateway API output included) does not carry the workload's own Service, so it is taken to exist.
      accepted.push({ internalName: 'mesh', kind: 'Service', reference, hostname: '', banned: [] });
    } else if (kind === 'networking.istio.io/ServiceEntry') {
      if (context.serviceEntryHosts.has(`${parentNamespace}/${reference.name}`)) accepted.push({ internalName: 'mesh', kind: 'ServiceEntry', reference, hostname: '', banned: [] });
    } else if (kind === `${GATEWAY_GROUP}/Gateway`) {
      const listeners = context.listenersOf.get(`${parentNamespace}/${reference.name}`) ?? [];
      for (const listener of listeners) {
        if (!listenerAccepts(listener, reference, hostnames, namespace)) continue;
        const banned = listeners
          .filter((other) => other !== listener && other.port === listener.port && other.protocol === listener.protocol)
          .map((other) => other.originalHostname)
          .filter((h) => h !== listener.originalHostname);
        accepted.push({ internalName: listener.internalName, kind: 'Gateway', reference, hostname: listener.originalHostname, banned });
      }
    }
    // Other parents (ListenerSets, other controllers' kinds) are not modelled: Istio ignores unknown kinds.
  }
  return accepted;
}

/** referenceAllowed for a listener: port, sectionName, a hostname both match (in an admitted namespace), the route's kind. */
function listenerAccepts(listener: ListenerParent, reference: Json, hostnames: readonly string[], namespace: string): boolean {
  if (reference.port !== undefined && Number(reference.port) !== listener.port) return false;
  if (reference.sectionName !== undefined && reference.sectionName !== listener.sectionName) return false;
  const routeHosts = hostnames.length ? hostnames : ['*'];
  const hostMatches = routeHosts.some((routeHost) => listener.hostnames.some((parentHost) => {
    const at = parentHost.indexOf('/');
    const [parentNamespace, parentHostname] = at < 0 ? ['*', parentHost] : [parentHost.slice(0, at), parentHost.slice(at + 1)];
    return hostsMatch(parentHostname, routeHost) && (parentNamespace === '*' || parentNamespace === namespace);
  }));
  return hostMatches && listener.allowedKinds.includes(HTTP_ROUTE_KIND);
}

/** hostnameAllowedByIsolation: a route host that another listener's hostname covers more exactly is left to that listener. */
function allowedByIsolation(parent: AcceptedParent, routeHost: string): boolean {
  const ours = parent.hostname;
  if (ours !== '' && !ours.startsWith('*')) return true;
  if (ours !== '' && !hostsMatch(routeHost, ours)) return false;
  return !parent.banned.some((other) => ours.length <= other.length && hostSubsetOf(routeHost, other));
}

/** augmentPortMatch: a Service parentRef with a port limits every match to it. */
function withPort(rule: HttpRuleSpec, port: number): HttpRuleSpec {
  return { ...rule, match: rule.match?.length ? rule.match.map((m) => ({ ...m, port })) : [{ port }] };
}

class ConversionError extends Error {}

/**
 * The route's rules for the mesh or for gateways (which enforce
 * ReferenceGrants on cross-namespace backends); undefined when a rule
 * cannot be converted, which drops the whole route.
 */
function convertRules(route: ReadHttpRoute, mesh: boolean, context: HttpRouteContext): HttpRuleSpec[] | undefined {
  const object = route.object;
  const namespace = namespaceOf(object);
  const ref = `${namespace}/${object.metadata.name}`;
  const rules: HttpRuleSpec[] = [];
  try {
    (object.spec?.rules ?? []).forEach((rule: Json, n: number) => {
      const matches: Array<Json | undefined> = rule.matches?.length ? rule.matches : [undefined];
      matches.forEach((match, m) => {
        const origin = { ref, ...(route.source !== undefined && { source: route.source }), rule: n, ...(rule.name !== undefined && { ruleName: String(rule.name) }), match: m };
        rules.push({ ...convertRule(rule, match, namespace, !mesh, context), name: rule.name ?? `${namespace}.${object.metadata.name}.${n}`, origin });
      });
    });
  } catch (error) {
    if (error instanceof ConversionError) return undefined;
    throw error;
  }
  return rules;
}

/** convertHTTPRoute for one rule with at most one match. */
function convertRule(rule: Json, match: Json | undefined, namespace: string, enforceGrants: boolean, context: HttpRouteContext): Omit<HttpRuleSpec, 'name' | 'origin'> {
  const converted: Record<string, unknown> = {};
  if (match) converted.match = [convertMatch(match)];
  const headers: Record<string, unknown> = {};
  const mirrors: unknown[] = [];
  for (const filter of rule.filters ?? []) {
    switch (filter.type) {
      case 'RequestHeaderModifier': if (filter.requestHeaderModifier) headers.request = headerOperations(filter.requestHeaderModifier); break;
      case 'ResponseHeaderModifier': if (filter.responseHeaderModifier) headers.response = headerOperations(filter.responseHeaderModifier); break;
      case 'RequestRedirect': converted.redirect = redirectOf(filter.requestRedirect ?? {}); break;
      case 'RequestMirror': {
        const mirror = mirrorOf(filter.requestMirror, namespace, enforceGrants, context);
        if (mirror) mirrors.push(mirror);
        break;
      }
      case 'URLRewrite': converted.rewrite = rewriteOf(filter.urlRewrite); break;
      case 'CORS': converted.corsPolicy = filter.cors; break;
      default: throw new ConversionError(`unsupported filter type "${filter.type}"`);
    }
  }
  if (Object.keys(headers).length) converted.headers = headers;
  if (mirrors.length) converted.mirrors = mirrors;
  if (rule.retry) {
    // "Implementations SHOULD retry on connection errors ... if a retry stanza is configured."
    const attempts = rule.retry.attempts ?? 2;
    const retryOn = ['connect-failure', 'refused-stream', 'unavailable', 'cancelled', ...(rule.retry.codes ?? []).map(String)].join(',');
    converted.retries = { attempts, ...(attempts !== 0 && { retryOn }) };
  }
  const request = nonZero(rule.timeouts?.request);
  if (request !== undefined) converted.timeout = request;
  const backendRequest = nonZero(rule.timeouts?.backendRequest);
  if (backendRequest !== undefined) {
    if (converted.retries) converted.retries = { ...(converted.retries as object), perTryTimeout: backendRequest };
    else converted.timeout = backendRequest;
  }
  const backendRefs: Json[] = rule.backendRefs ?? [];
  const weightSum = backendRefs.reduce((sum, b) => sum + (b.weight ?? 1), 0);
  if (weightSum === 0 && converted.redirect === undefined) {
    // The Gateway API: no backends is a 404, backends that all weigh 0 a 500.
    converted.directResponse = { status: backendRefs.length === 0 ? 404 : 500 };
  } else if (converted.redirect === undefined || backendRefs.length) {
    converted.route = destinationsOf(backendRefs, namespace, enforceGrants, context);
    const picker = rulePicker((converted.route as HttpRouteDestinationSpec[]).map((r) => r.destination.host), context.inferencePools, converted.corsPolicy !== undefined);
    if (picker) converted.endpointPickerOf = picker.ref;
  }
  return converted as Omit<HttpRuleSpec, 'name' | 'origin'>;
}

/** createURIMatch, createHeadersMatch, createQueryParamsMatch, createMethodMatch. */
function convertMatch(match: Json): HttpMatchSpec {
  const path = match.path ?? {};
  const type = path.type ?? 'PathPrefix';
  let value: string = path.value ?? '/';
  let uri: HttpMatchSpec['uri'];
  if (type === 'PathPrefix') {
    // "When specified, a trailing `/` is ignored."
    if (value !== '/' && value.endsWith('/')) value = value.slice(0, -1);
    uri = { prefix: value };
  } else if (type === 'Exact') uri = { exact: value };
  else if (type === 'RegularExpression') uri = { regex: value };
  else throw new ConversionError(`unknown type: "${type}" is not supported Path match type`);
  const stringMatches = (list: Json[] | undefined, what: string) => {
    if (!list?.length) return undefined;
    const result: Record<string, { exact?: string; regex?: string }> = {};
    for (const item of list) {
      const kind = item.type ?? 'Exact';
      if (kind === 'Exact') result[String(item.name)] = { exact: String(item.value) };
      else if (kind === 'RegularExpression') result[String(item.name)] = { regex: String(item.value) };
      else throw new ConversionError(`unknown type: "${kind}" is not supported ${what} type`);
    }
    return result;
  };
  const headers = stringMatches(match.headers, 'HeaderMatch');
  const queryParams = stringMatches(match.queryParams, 'QueryParams');
  return {
    uri,
    ...(headers && { headers }),
    ...(queryParams && { queryParams }),
    ...(match.method !== undefined && { method: { exact: String(match.method) } }),
  };
}

/** createHeadersFilter: names lower-cased, the first of equal names kept. */
function headerOperations(filter: Json): Json {
  const toMap = (list: Json[] | undefined) => {
    if (!list?.length) return undefined;
    const map: Record<string, string> = {};
    for (const { name, value } of list) if (!(String(name).toLowerCase() in map)) map[String(name).toLowerCase()] = String(value);
    return map;
  };
  const add = toMap(filter.add);
  const set = toMap(filter.set);
  return { ...(add && { add }), ...(filter.remove && { remove: filter.remove }), ...(set && { set }) };
}

/** createRedirectFilter: without a port, the request's port, or the scheme's default when a scheme is given. */
function redirectOf(filter: Json): NonNullable<HttpRuleSpec['redirect']> {
  const path = filter.path;
  const uri = path?.type === 'ReplaceFullPath' ? path.replaceFullPath : path?.type === 'ReplacePrefixMatch' ? `%PREFIX()%${path.replacePrefixMatch}` : undefined;
  return {
    ...(filter.statusCode !== undefined && { redirectCode: Number(filter.statusCode) }),
    ...(filter.hostname !== undefined && { authority: String(filter.hostname) }),
    ...(filter.scheme !== undefined && { scheme: String(filter.scheme) }),
    ...(filter.port !== undefined ? { port: Number(filter.port) } : { derivePort: filter.scheme !== undefined ? 'FROM_PROTOCOL_DEFAULT' : 'FROM_REQUEST_PORT' }),
    ...(uri !== undefined && { uri: String(uri) }),
  };
}

/** createRewriteFilter: ReplacePrefixMatch less its trailing `/` (`/` alone removes the prefix); ReplaceFullPath as a regex rewrite of the whole path. */
function rewriteOf(filter: Json | undefined): HttpRuleSpec['rewrite'] {
  if (!filter) return undefined;
  const rewrite: { uri?: string; authority?: string; uriRegexRewrite?: { match: string; rewrite: string } } = {};
  if (filter.path?.type === 'ReplacePrefixMatch') {
    rewrite.uri = String(filter.path.replacePrefixMatch ?? '').replace(/\/$/, '') || '/';
  } else if (filter.path?.type === 'ReplaceFullPath') {
    rewrite.uriRegexRewrite = { match: '/.*', rewrite: String(filter.path.replaceFullPath ?? '') };
  }
  if (filter.hostname) rewrite.authority = String(filter.hostname);
  return Object.keys(rewrite).length ? rewrite : undefined;
}

/** createMirrorFilter: a mirror to a backend Istio cannot resolve is dropped. */
function mirrorOf(filter: Json | undefined, namespace: string, enforceGrants: boolean, context: HttpRouteContext): Json | undefined {
  if (!filter) return undefined;
  const { destination, invalid } = destinationOf(filter.backendRef ?? {}, namespace, enforceGrants, context);
  if (invalid !== undefined) return undefined;
  const fraction = filter.fraction;
  const value = fraction ? (100 * Number(fraction.numerator)) / Number(fraction.denominator ?? 100) : filter.percent !== undefined ? Number(filter.percent) : undefined;
  return { destination, ...(value !== undefined && { percentage: { value } }) };
}

/** buildHTTPDestination: backends of weight 0 left out; a single one left gets weight 0 (all of it). */
function destinationsOf(backendRefs: readonly Json[], namespace: string, enforceGrants: boolean, context: HttpRouteContext): HttpRouteDestinationSpec[] {
  const kept = backendRefs.filter((b) => (b.weight ?? 1) !== 0);
  return kept.map((backend) => {
    const { destination, invalid } = destinationOf(backend, namespace, enforceGrants, context);
    for (const filter of backend.filters ?? []) {
      if (filter.type !== 'RequestHeaderModifier' && filter.type !== 'ResponseHeaderModifier') throw new ConversionError(`unsupported filter type "${filter.type}"`);
    }
    const headers = backendHeaders(backend.filters ?? []);
    return {
      destination,
      weight: kept.length === 1 ? 0 : Number(backend.weight ?? 1),
      ...(headers && { headers }),
      ...(invalid !== undefined && { invalidBackend: invalid }),
    };
  });
}

function backendHeaders(filters: readonly Json[]): Json | undefined {
  const headers: Record<string, Json> = {};
  for (const filter of filters) {
    if (filter.type === 'RequestHeaderModifier' && filter.requestHeaderModifier) headers.request = headerOperations(filter.requestHeaderModifier);
    if (filter.type === 'ResponseHeaderModifier' && filter.responseHeaderModifier) headers.response = headerOperations(filter.responseHeaderModifier);
  }
  return Object.keys(headers).length ? headers : undefined;
}

/**
 * buildDestination: a Service `name.ns.svc.cluster.local` on the given port.
 * Istio keeps, with a reason, a backend it cannot resolve: one in another
 * namespace that no ReferenceGrant admits (gateway routes only) or of a kind
 * it does not route to, with no host; a Service or host that does not exist,
 * with its host. Envoy answers 500 for them (a route's cluster_not_found_response_code).
 */
function destinationOf(backend: Json, namespace: string, enforceGrants: boolean, context: HttpRouteContext): { destination: DestinationSpec; invalid?: string } {
  const group = backend.group ?? '';
  const kind = `${group}/${backend.kind ?? 'Service'}`;
  const name = String(backend.name);
  const toNamespace: string = backend.namespace ?? namespace;
  const normalizedKind = kind === 'multicluster.x-k8s.io/ServiceImport' ? '/Service' : kind;
  if (enforceGrants && backend.namespace !== undefined && backend.namespace !== namespace
    && !referenceAllowed(context.grants, HTTP_ROUTE_KIND, namespace, normalizedKind, name, toNamespace)) {
    return { destination: { host: '' }, invalid: `backendRef ${name}/${toNamespace} not accessible to a HTTPRoute in namespace "${namespace}" (missing a ReferenceGrant?)` };
  }
  let host: string;
  let invalid: string | undefined;
  if (normalizedKind === '/Service') {
    if (name.includes('.')) throw new ConversionError('service name invalid; the name of the Service must be used, not the hostname.');
    host = `${name}.${toNamespace}.svc.${CLUSTER_DOMAIN}`;
    if (!context.serviceExists(toNamespace, name)) invalid = `backend(${host}) not found`;
  } else if (kind === 'networking.istio.io/Hostname') {
    if (backend.namespace !== undefined) throw new ConversionError('namespace may not be set with Hostname type');
    host = name;
    if (!context.hostExists(host)) invalid = `backend(${host}) not found`;
  } else if (kind === `${INFERENCE_GROUP}/InferencePool`) {
    const pool = inferencePoolDestination(name, toNamespace, context.inferencePools, context.shadowedPools);
    if ('error' in pool) throw new ConversionError(pool.error);
    return { destination: { host: pool.host, ...(pool.port && { port: { number: pool.port } }) }, ...(pool.invalid !== undefined && { invalid: pool.invalid }) };
  } else {
    return { destination: { host: '' }, invalid: `referencing unsupported backendRef: group "${group}" kind "${backend.kind}"` };
  }
  if (backend.port === undefined) throw new ConversionError('port is required in backendRef');
  return { destination: { host, port: { number: Number(backend.port) } }, ...(invalid !== undefined && { invalid }) };
}

/** A Gateway API duration (`10s`, `1h30m`, `500ms`) as Istio writes it; undefined when zero or absent. */
function nonZero(duration: unknown): string | undefined {
  if (typeof duration !== 'string' || durationMs(duration) === 0) return undefined;
  return duration;
}

function durationMs(duration: string): number {
  const units: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };
  let total = 0;
  for (const [, amount, unit] of duration.matchAll(/(\d+)(h|ms|m|s)/g)) total += Number(amount) * units[unit];
  return total;
}

const namespaceOf = (object: Json): string => object.metadata?.namespace ?? 'default';
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
