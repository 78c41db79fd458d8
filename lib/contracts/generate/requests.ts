import fc from 'fast-check';
import { MatchDecl, ProbeCaller, ProbeRequest, ServiceDecl, SERVICE_NAME, SERVICE_NAMESPACE, StrategyDecl, StringMatchDecl } from '../declaration';
import { DEFAULT_FAULT_WHEN } from '../route-options';
import { DEFAULT_PREVIEW_WHEN, DEFAULT_STICKY_COOKIE } from '../strategies';
import { CALLER_NAMESPACES, EXTERNAL_HOSTS, GATEWAYS, SERVICE_ACCOUNTS } from './declarations';
import { CONDITION_HEADER_NAMES, COOKIE_NAMES, COOKIE_VALUES, HEADER_NAMES, HEADER_VALUES, METHODS, QUERY_NAMES, QUERY_VALUES, REGEX_PROBES } from './matches';

/** Every condition the declaration states, its defaults included (preview header, fault header, sticky cookie). */
function conditionsOf(decl: ServiceDecl): MatchDecl[] {
  const found: MatchDecl[] = [];
  const visit = (s: StrategyDecl): void => {
    if (s.kind === 'abTest') { s.variants.forEach((v) => found.push(v.when)); visit(s.otherwise); }
    if (s.kind === 'blueGreen') found.push(s.previewWhen ?? DEFAULT_PREVIEW_WHEN);
    if (s.kind === 'shadow') visit(s.serve);
    if (s.kind === 'stickyCanary') Object.keys(s.split).forEach((v) => found.push({ cookie: { name: s.cookie ?? DEFAULT_STICKY_COOKIE, value: v } }));
  };
  for (const route of decl.routes) {
    found.push(...route.match);
    visit(route.strategy);
    if (route.fault) found.push(route.fault.onlyWhen ?? DEFAULT_FAULT_WHEN);
  }
  if (decl.traffic) visit(decl.traffic);
  return found;
}

/** Values just inside and just outside a string condition: equal, longer, shorter, other case, empty. */
function edgesOf(value: string): string[] {
  return [value, `${value}x`, value.slice(0, -1), value.toUpperCase(), value.toLowerCase(), ''];
}

/** Values a regex of the pools takes and near misses it refuses. */
function regexSample(pattern: string): fc.Arbitrary<string> {
  return fc.constantFrom(...REGEX_PROBES[pattern]);
}

function pathArbitrary(conditions: readonly MatchDecl[]): fc.Arbitrary<string> {
  const fixed = new Set(['/', '/other']);
  const regexes: string[] = [];
  for (const c of conditions) {
    if (!c.uri) continue;
    if ('exact' in c.uri) edgesOf(c.uri.exact).forEach((p) => fixed.add(p));
    else if ('prefix' in c.uri) [c.uri.prefix, `${c.uri.prefix}/x`, `${c.uri.prefix}x`, c.uri.prefix.slice(0, -1), c.uri.prefix.toUpperCase()].forEach((p) => fixed.add(p));
    else regexes.push(c.uri.regex);
  }
  const paths = [...fixed].filter((p) => p.startsWith('/'));
  const choices: Array<fc.Arbitrary<string>> = [fc.constantFrom(...paths)];
  for (const r of regexes) choices.push(regexSample(r));
  return fc.oneof(...choices);
}

function queryArbitrary(conditions: readonly MatchDecl[]): fc.Arbitrary<string> {
  const names = new Set(QUERY_NAMES);
  const values = new Set(QUERY_VALUES);
  for (const c of conditions) {
    for (const [name, m] of Object.entries(c.queryParams ?? {})) {
      names.add(name);
      if ('exact' in m) edgesOf(m.exact).forEach((v) => values.add(v));
    }
  }
  // Encoded values too: Envoy compares them raw.
  const value = fc.oneof(fc.constantFrom(...values), fc.constantFrom('%62', 'b+c', 'b%20c'));
  const pair = fc.tuple(fc.constantFrom(...names), fc.option(value, { nil: undefined })).map(([n, v]) => (v === undefined ? n : `${n}=${v}`));
  return fc.option(fc.array(pair, { minLength: 1, maxLength: 3 }).map((pairs) => `?${pairs.join('&')}`), { nil: '', freq: 2 });
}

function headersArbitrary(conditions: readonly MatchDecl[]): fc.Arbitrary<Record<string, string>> {
  const names = new Set([...HEADER_NAMES, ...CONDITION_HEADER_NAMES].map((n) => n.toLowerCase()));
  const values = new Set([...HEADER_VALUES, 'true', 'zzz']);
  const cookieNames = new Set(COOKIE_NAMES);
  const cookieValues = new Set(COOKIE_VALUES);
  for (const c of conditions) {
    for (const [name, m] of Object.entries(c.headers ?? {})) {
      names.add(name.toLowerCase());
      const v = 'exact' in m ? m.exact : 'prefix' in m ? m.prefix : undefined;
      if (v !== undefined) edgesOf(v).forEach((e) => values.add(e));
    }
    if (c.cookie) { cookieNames.add(c.cookie.name); edgesOf(c.cookie.value).forEach((v) => cookieValues.add(v)); }
  }
  // A header present with a value (maybe empty), its name in any case; or absent.
  const header = fc.tuple(fc.constantFrom(...names), fc.constantFrom('lower', 'upper', 'title'), fc.constantFrom(...values))
    .map(([name, style, value]): [string, string] => [style === 'lower' ? name : style === 'upper' ? name.toUpperCase() : name.replace(/(^|-)([a-z])/g, (_, d, c) => d + c.toUpperCase()), value]);
  const cookie = fc.array(fc.tuple(fc.constantFrom(...cookieNames), fc.constantFrom(...cookieValues)), { minLength: 1, maxLength: 2 })
    .chain((pairs) => fc.constantFrom('; ', ';').map((sep) => pairs.map(([n, v]) => `${n}=${v}`).join(sep)));
  return fc.tuple(fc.array(header, { maxLength: 3 }), fc.option(cookie, { nil: undefined }))
    .map(([pairs, c]) => {
      const headers: Record<string, string> = {};
      for (const [name, value] of pairs) if (!Object.keys(headers).some((k) => k.toLowerCase() === name.toLowerCase())) headers[name] = value;
      if (c !== undefined) headers.cookie = c;
      return headers;
    });
}

function callerArbitrary(decl: ServiceDecl): fc.Arbitrary<ProbeCaller> {
  const namespaces = new Set([SERVICE_NAMESPACE, ...CALLER_NAMESPACES]);
  const accounts = new Set(SERVICE_ACCOUNTS);
  const sidecar = fc.record({ kind: fc.constant('sidecar' as const), namespace: fc.constantFrom(...namespaces), serviceAccount: fc.constantFrom(...accounts) });
  const gateways = new Set([...(decl.ingress ?? []).map((i) => i.gateway), ...GATEWAYS]);
  const gateway = fc.record({ kind: fc.constant('gateway' as const), gateway: fc.constantFrom(...gateways) });
  return fc.oneof({ arbitrary: sidecar, weight: decl.ingress ? 3 : 6 }, { arbitrary: gateway, weight: decl.ingress ? 2 : 1 });
}

/** The names a caller may give the host: the service's own names (any case) for in-mesh callers, external hosts through gateways. */
function hostArbitrary(decl: ServiceDecl, caller: ProbeCaller): fc.Arbitrary<string> {
  if (caller.kind === 'gateway') {
    const hosts = [...EXTERNAL_HOSTS, 'other.example.com'];
    return fc.constantFrom(...hosts, ...hosts.map((h) => h.toUpperCase()));
  }
  const name = decl.host ?? SERVICE_NAME;
  if (name.includes('.')) return fc.constantFrom(name, name.toUpperCase());
  const fqdn = `${name}.${SERVICE_NAMESPACE}.svc.cluster.local`;
  return fc.constantFrom(...(caller.namespace === SERVICE_NAMESPACE ? [name] : []), `${name}.${SERVICE_NAMESPACE}`, fqdn, fqdn.toUpperCase());
}

function portArbitrary(decl: ServiceDecl, caller: ProbeCaller): fc.Arbitrary<number> {
  if (caller.kind === 'gateway') return fc.constant(80);
  return fc.constantFrom(...new Set([decl.port ?? 80, ...decl.routes.flatMap((r) => (r.port === undefined ? [] : [r.port]))]));
}

/** A request that meets one condition: the values it asks for (a regex sampled), on top of any other request. */
function meeting(condition: MatchDecl): fc.Arbitrary<{ path?: string; method?: string; headers: Record<string, string>; query: string[] }> {
  const value = (m: StringMatchDecl): fc.Arbitrary<string> => ('exact' in m ? fc.constant(m.exact) : 'prefix' in m ? fc.constantFrom(m.prefix, `${m.prefix}x`) : regexSample(m.regex));
  const headers = Object.entries(condition.headers ?? {}).map(([name, m]) => value(m).map((v): [string, string] => [name.toLowerCase(), v]));
  const query = Object.entries(condition.queryParams ?? {}).map(([name, m]) => value(m).filter((v) => /^[A-Za-z0-9._~-]*$/.test(v)).map((v) => `${name}=${v}`));
  const path = condition.uri ? value(condition.uri).filter((p) => p.startsWith('/') && !/[\s?#%]/.test(p)) : fc.constant(undefined);
  return fc.tuple(path, fc.tuple(...headers), fc.tuple(...query)).map(([p, h, q]) => ({
    ...(p !== undefined && { path: p }),
    ...(condition.method && { method: condition.method }),
    headers: Object.fromEntries([...h, ...(condition.cookie ? [['cookie', `${condition.cookie.name}=${condition.cookie.value}`]] : [])]),
    query: q,
  }));
}

/**
 * Requests that probe every boundary of the declaration's conditions,
 * callers, hosts and ports: half of them start from a request that meets one
 * of the declaration's conditions (or two), so routes and variants are
 * reached, and their edges crossed, often.
 */
export function probeRequest(decl: ServiceDecl): fc.Arbitrary<ProbeRequest> {
  const conditions = conditionsOf(decl);
  const methods = new Set([...METHODS, ...conditions.flatMap((c) => (c.method ? [c.method] : []))]);
  const met = conditions.length === 0
    ? fc.constant([])
    : fc.option(fc.array(fc.constantFrom(...conditions).chain(meeting), { minLength: 1, maxLength: 2 }), { nil: [], freq: 3 });
  return callerArbitrary(decl).chain((caller) => fc.record({
    caller: fc.constant(caller),
    host: hostArbitrary(decl, caller),
    port: portArbitrary(decl, caller),
    method: fc.constantFrom(...methods),
    path: pathArbitrary(conditions),
    query: queryArbitrary(conditions),
    headers: headersArbitrary(conditions),
    met,
  }).map(({ met: parts, query, ...request }): ProbeRequest => {
    let { path, method, headers } = request;
    const pairs: string[] = [];
    for (const part of parts) {
      path = part.path ?? path;
      method = part.method ?? method;
      // One header line per name: a condition's value replaces the same header in any case.
      const replaced = new Set(Object.keys(part.headers).map((n) => n.toLowerCase()));
      headers = { ...Object.fromEntries(Object.entries(headers).filter(([n]) => !replaced.has(n.toLowerCase()))), ...part.headers };
      pairs.push(...part.query);
    }
    const q = [query.replace(/^\?/, ''), ...pairs].filter((p) => p !== '').join('&');
    return { ...request, method, path: q === '' ? path : `${path}?${q}`, headers };
  }));
}
