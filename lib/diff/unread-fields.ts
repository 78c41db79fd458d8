import { canonical } from '../traffic-view/match-label';

type Json = { readonly [key: string]: unknown };

/**
 * The parts of the objects the traffic model reads that it does not
 * compare (a VirtualService's `tcp` routes, a `corsPolicy`, a
 * DestinationRule's load balancer), path → JSON; the diff reports their
 * changes, since it cannot say what they do to requests.
 */
export function unreadFields(object: unknown): Map<string, string> {
  const fields = new Map<string, string>();
  const o = object as Json;
  const spec = isObject(o.spec) ? o.spec : {};
  // Plain JSON, quick for every object of a fleet; sameField compares keys in any order where it differs.
  const keep = (path: string, value: unknown) => fields.set(path, JSON.stringify(value));
  const rest = (base: string, value: Json, read: readonly string[]) => {
    for (const [key, v] of Object.entries(value)) if (!read.includes(key) && v !== undefined) keep(`${base}.${key}`, v);
  };
  if (o.kind === 'VirtualService') {
    rest('spec', spec, ['hosts', 'gateways', 'exportTo', 'http']);
    list(spec.http).forEach((rule, i) => {
      const at = `spec.http[${typeof rule.name === 'string' ? rule.name : i}]`;
      rest(at, rule, HTTP_READ);
      list(rule.route).forEach((d, j) => rest(`${at}.route[${j}]`, d, ['destination', 'weight']));
    });
  } else if (o.kind === 'DestinationRule') {
    rest('spec', spec, ['host', 'exportTo', 'subsets', 'trafficPolicy']);
    trafficPolicy('spec.trafficPolicy', spec.trafficPolicy, rest);
    list(spec.subsets).forEach((subset, i) => {
      const at = `spec.subsets[${typeof subset.name === 'string' ? subset.name : i}]`;
      rest(at, subset, ['name', 'labels', 'trafficPolicy']);
      trafficPolicy(`${at}.trafficPolicy`, subset.trafficPolicy, rest);
    });
  } else if (o.kind === 'HTTPRoute') {
    httpRouteFields(spec, keep, rest);
  } else if (o.kind === 'AuthorizationPolicy') {
    rest('spec', spec, ['selector', 'action', 'provider', 'rules']);
  } else if (o.kind === 'PeerAuthentication') {
    rest('spec', spec, ['selector', 'mtls', 'portLevelMtls']);
  }
  return fields;
}

/**
 * An HTTPRoute's parts that the route views do not compare: header
 * modifiers, CORS and extension filters (by type), a backend's own filters,
 * the retry backoff, session persistence and any other field.
 */
function httpRouteFields(spec: Json, keep: (path: string, value: unknown) => void, rest: (base: string, value: Json, read: readonly string[]) => void): void {
  rest('spec', spec, ['parentRefs', 'hostnames', 'rules']);
  list(spec.rules).forEach((rule, i) => {
    const at = `spec.rules[${typeof rule.name === 'string' ? rule.name : i}]`;
    rest(at, rule, ['name', 'matches', 'filters', 'backendRefs', 'timeouts', 'retry']);
    if (isObject(rule.retry)) rest(`${at}.retry`, rule.retry, ['attempts', 'codes']);
    const unreadFilters = list(rule.filters).filter((f) => !ROUTED_FILTERS.includes(String(f.type)));
    for (const type of new Set(unreadFilters.map((f) => String(f.type)))) keep(`${at}.filters.${type}`, unreadFilters.filter((f) => f.type === type));
    list(rule.backendRefs).forEach((backend, j) => rest(`${at}.backendRefs[${j}]`, backend, ['group', 'kind', 'name', 'namespace', 'port', 'weight']));
  });
}

/** The HTTPRoute filters that decide where a request goes, which the route views compare. */
const ROUTED_FILTERS = ['RequestRedirect', 'RequestMirror', 'URLRewrite'];

/** Whether two fields' JSON say the same, whatever the order of their keys. */
export function sameField(a: string | undefined, b: string | undefined): boolean {
  if (a === b) return true;
  return a !== undefined && b !== undefined && canonical(JSON.parse(a)) === canonical(JSON.parse(b));
}

/** Changes here can let requests in or out by themselves: risky, not only for review. */
export function riskyField(path: string): boolean {
  return /^spec\.(tcp|tls|targetRefs?)$/.test(path) || /\.(corsPolicy|filters\.CORS|filters\.ExtensionRef)$/.test(path) || /\.tls\.[a-zA-Z]+$/.test(path);
}

const HTTP_READ = ['name', 'match', 'route', 'redirect', 'directResponse', 'delegate', 'rewrite', 'timeout', 'retries', 'fault', 'mirror', 'mirrorPercentage', 'mirrorPercent', 'mirrors'];

function trafficPolicy(base: string, policy: unknown, rest: (base: string, value: Json, read: readonly string[]) => void): void {
  if (!isObject(policy)) return;
  rest(base, policy, ['tls', 'portLevelSettings']);
  if (isObject(policy.tls)) rest(`${base}.tls`, policy.tls, ['mode']);
  list(policy.portLevelSettings).forEach((setting, i) => {
    const at = `${base}.portLevelSettings[${i}]`;
    rest(at, setting, ['port', 'tls']);
    if (isObject(setting.tls)) rest(`${at}.tls`, setting.tls, ['mode']);
  });
}

function list(value: unknown): Json[] {
  return Array.isArray(value) ? value.filter(isObject) : [];
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
