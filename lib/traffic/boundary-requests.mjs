// The requests of the traffic simulation, generated from the objects' own match values:
// for every VirtualService with http rules, from every place it applies (a sidecar in its
// namespace, one elsewhere, the gateways it binds to, the sources its matches name), each
// of its hosts gets
//   - per match block, one request that satisfies every condition of the block, and one
//     per condition that breaks only that condition (wrong value, missing header, header
//     present where `withoutHeaders` forbids it, other method, other query value, the
//     query value with a character percent-encoded);
//   - a sweep of paths (every uri match value and its near misses: one more segment, one
//     character more or less, case flipped; plus "/" and a path nothing matches), each
//     with the header context (headers, cookies, query, method) of every block's hit, of
//     two blocks' hits at once, and with none.
// Pure (objects in, requests out) and deterministic, so that tests can pin it.

const OTHER_NAMESPACE = 'sim-elsewhere';
const CLUSTER_DOMAIN = 'svc.cluster.local';

/** TrafficRequest[] (lib/traffic/request.ts) for one set of parsed Kubernetes objects. */
export function generateRequests(objects) {
  const gatewayPorts = httpPortsOfGateways(objects);
  const services = destinationHosts(objects);
  const declared = declaredServices(objects);
  // Where services are declared, every VirtualService host is also asked on each of their
  // ports: Istio routes a host that is no service on port 80 only.
  const declaredPorts = [...new Set(declared.flatMap((s) => s.ports))];
  const out = new Map(); // JSON -> request: the same request once
  const add = (req) => out.set(JSON.stringify(req), req);
  for (const vs of objects.filter((o) => o?.kind === 'VirtualService' && o.spec?.http?.length)) {
    const ns = vs.metadata?.namespace ?? 'default';
    const matches = vs.spec.http.flatMap((rule) => rule.match ?? []);
    const paths = pathSweep(matches, vs.spec.http);
    const matchPorts = matches.map((m) => m.port).filter(Boolean);
    const variants = matches.flatMap(matchVariants);
    // The hits of two match blocks at once: the first rule that matches must win.
    const hits = matches.map((m) => matchVariants(m)[0]);
    const pairs = hits.flatMap((a, i) => hits.slice(i + 1).map((b) => merge(a, b)));
    const contexts = uniqueContexts([...hits, ...pairs]);
    const servicePorts = servicePortsOf(vs, ns);
    for (const from of sourcesOf(vs, ns, matches, gatewayPorts)) {
      for (const { host, fqdn } of hostsFor(vs.spec.hosts ?? [], ns, from).filter((h) => !from.onlyServices || services.has(h.fqdn))) {
        // Through a gateway, its server's port; from a sidecar, the service's port, and the
        // ports matches name.
        const ports = from.source.kind === 'gateway' ? from.ports : [servicePorts.get(fqdn), ...matchPorts, ...declaredPorts];
        for (const port of new Set(ports.map((p) => p ?? 80))) {
          const base = { host, ...(port !== 80 ? { port } : {}), from: from.source };
          for (const variant of variants) add({ ...base, ...variant });
          // Every path with every header context: a header match must hold on other paths too.
          for (const path of paths) {
            for (const context of contexts) {
              add({ ...base, ...withPath(context, path) });
              // Predictions are mostly POSTs: the same request with the other common method.
              if (!context.method) add({ ...base, method: 'POST', ...withPath(context, path) });
            }
          }
        }
      }
    }
  }
  // Each declared service by its names, on each of its ports, from its namespace and another:
  // its default route, an ExternalName followed to its target, or a pass-through.
  for (const service of declared) {
    for (const sameNamespace of [true, false]) {
      const source = { kind: 'sidecar', namespace: sameNamespace ? service.namespace : OTHER_NAMESPACE, serviceAccount: 'default' };
      for (const { host } of hostsFor([service.host], service.namespace, { sameNamespace })) {
        for (const port of service.ports.length ? service.ports : [80]) add({ host, ...(port !== 80 ? { port } : {}), from: source, path: '/' });
      }
    }
  }
  // Each host of each Gateway server, on its port: what the server lets in (or redirects).
  for (const [gateway, servers] of gatewayPorts) {
    for (const { port, hosts } of servers) {
      for (const h of hosts) {
        const name = h.includes('/') ? h.slice(h.indexOf('/') + 1) : h;
        const host = name === '*' ? 'any-host.example.org' : name.startsWith('*') ? `sim${name.slice(1)}` : name;
        add({ host, ...(port !== 80 ? { port } : {}), from: { kind: 'gateway', gateway }, path: '/' });
      }
    }
  }
  return [...out.values()];
}

/** "ns/name" -> the Gateway's plain-text HTTP servers: [{ port, hosts }]. */
function httpPortsOfGateways(objects) {
  const servers = new Map();
  for (const gw of objects.filter((o) => o?.kind === 'Gateway')) {
    const http = (gw.spec?.servers ?? []).filter((s) => /^HTTP2?$/i.test(s.port?.protocol ?? ''));
    if (http.length) servers.set(`${gw.metadata?.namespace ?? 'default'}/${gw.metadata?.name}`, http.map((s) => ({ port: s.port.number, hosts: s.hosts ?? [] })));
  }
  return servers;
}

/** The Kubernetes Services (by short name) and ServiceEntry hosts the set declares: [{ host, namespace, ports }]. */
function declaredServices(objects) {
  const out = [];
  for (const o of objects) {
    const namespace = o?.metadata?.namespace ?? 'default';
    if (o?.kind === 'Service' && o.apiVersion === 'v1') {
      out.push({ host: o.metadata.name, namespace, ports: (o.spec?.ports ?? []).map((p) => p.port) });
    } else if (o?.kind === 'ServiceEntry') {
      const ports = (o.spec?.ports ?? []).map((p) => p.number);
      for (const h of o.spec?.hosts ?? []) if (!h.startsWith('*')) out.push({ host: h, namespace, ports });
    }
  }
  return out;
}

/** Two requests' conditions together (the first one's path and method win). */
function merge(a, b) {
  const [pathA, queryA] = splitQuery(a.path);
  const [, queryB] = splitQuery(b.path);
  const query = [queryA, queryB].filter(Boolean).join('&');
  const headers = { ...b.headers, ...a.headers };
  const cookies = { ...b.cookies, ...a.cookies };
  return {
    ...(a.method ?? b.method ? { method: a.method ?? b.method } : {}),
    path: query ? `${pathA}?${query}` : pathA,
    ...(Object.keys(headers).length ? { headers } : {}),
    ...(Object.keys(cookies).length ? { cookies } : {}),
  };
}

const splitQuery = (p) => (p.includes('?') ? [p.slice(0, p.indexOf('?')), p.slice(p.indexOf('?') + 1)] : [p, '']);

/** The FQDNs the set's VirtualServices route to: the services it knows. */
function destinationHosts(objects) {
  const hosts = new Set();
  for (const vs of objects.filter((o) => o?.kind === 'VirtualService')) {
    const ns = vs.metadata?.namespace ?? 'default';
    for (const rule of vs.spec?.http ?? []) for (const r of rule.route ?? []) if (r.destination?.host) hosts.add(fqdnOf(r.destination.host, ns));
  }
  return hosts;
}

/** The distinct non-path parts (method, headers, cookies, query) of the variants, and none. */
function uniqueContexts(variants) {
  const contexts = new Map([['{}', {}]]);
  for (const { path, ...rest } of variants) {
    const query = path.includes('?') ? path.slice(path.indexOf('?') + 1) : undefined;
    const context = { ...rest, ...(query ? { query } : {}) };
    contexts.set(JSON.stringify(context), context);
  }
  return [...contexts.values()];
}

/** A context's request on another path (the context's query appended). */
function withPath({ query, ...rest }, path) {
  return { ...rest, path: query ? `${path}${path.includes('?') ? '&' : '?'}${query}` : path };
}

/** Where requests come from: { source (TrafficRequest.from), port?, sameNamespace }. */
function sourcesOf(vs, ns, matches, gatewayPorts) {
  const binds = vs.spec.gateways?.length ? vs.spec.gateways : ['mesh'];
  const sidecar = (namespace, labels) => ({
    source: { kind: 'sidecar', namespace, serviceAccount: 'default', ...(labels ? { labels } : {}) },
    sameNamespace: namespace === ns,
  });
  const sources = [];
  if (binds.includes('mesh')) {
    sources.push(sidecar(ns), sidecar(OTHER_NAMESPACE));
    // The source a match names (both conditions at once), and each condition alone.
    for (const m of matches.filter((x) => x.sourceLabels || x.sourceNamespace)) {
      sources.push(sidecar(m.sourceNamespace ?? ns, m.sourceLabels));
      if (m.sourceLabels && m.sourceNamespace) sources.push(sidecar(ns, m.sourceLabels), sidecar(m.sourceNamespace));
    }
  }
  // Bound to gateways only: a sidecar's request must not see it (asked only for hosts
  // that are services of the set: where a request to an unknown host goes is DNS's business).
  if (!binds.includes('mesh')) sources.push({ ...sidecar(ns), onlyServices: true });
  for (const g of binds.filter((b) => b !== 'mesh')) {
    const ref = g.includes('/') ? g : `${ns}/${g}`;
    const ports = [...new Set((gatewayPorts.get(ref) ?? [{ port: 80 }]).map((s) => s.port))];
    sources.push({ source: { kind: 'gateway', gateway: ref }, ports, sameNamespace: false });
  }
  return sources;
}

/**
 * The names a client there would use for the VirtualService's hosts: a short name also as
 * `name.ns` and the FQDN from its own namespace, only the FQDN from elsewhere; a wildcard
 * host as one name it covers.
 */
function hostsFor(hosts, ns, from) {
  return hosts.flatMap((h) => {
    if (h === '*') return [{ host: 'any-host.example.org', fqdn: h }];
    if (h.startsWith('*')) return [{ host: `sim${h.slice(1)}`, fqdn: h }];
    const fqdn = fqdnOf(h, ns);
    const names = h.includes('.') ? [h] : from.sameNamespace ? [h, `${h}.${ns}`, fqdn] : [fqdn];
    // Host names are case-insensitive: the last name also in upper case; and a DNS name also
    // absolute, with its trailing dot (Istio adds those domains too).
    const last = names.at(-1);
    const isIp = /^[\d.]+$|:/.test(last);
    const absolute = last.includes('.') && !last.endsWith('.') && !isIp ? [`${last}.`] : [];
    return [...names, last.toUpperCase(), ...absolute].map((host) => ({ host, fqdn }));
  });
}

/** Istio's short-name rule: a name without a dot is a Kubernetes service in the namespace. */
const fqdnOf = (h, ns) => (h.includes('.') ? h : `${h}.${ns}.${CLUSTER_DOMAIN}`);

/**
 * FQDN -> port, for hosts whose destinations in this VirtualService name exactly one port:
 * the harness gives such a service that port only (others get 80), and Istio routes per
 * port, so clients call it there.
 */
function servicePortsOf(vs, ns) {
  const ports = new Map();
  for (const rule of vs.spec.http) {
    const dests = [...(rule.route ?? []).map((r) => r.destination), ...(rule.mirror ? [rule.mirror] : []), ...(rule.mirrors ?? []).map((m) => m.destination)];
    for (const d of dests.filter((x) => x?.host && x.port?.number)) {
      const fqdn = fqdnOf(d.host, ns);
      if (!ports.has(fqdn)) ports.set(fqdn, new Set());
      ports.get(fqdn).add(d.port.number);
    }
  }
  return new Map([...ports].filter(([, set]) => set.size === 1).map(([fqdn, set]) => [fqdn, [...set][0]]));
}

/**
 * Every uri match value with its near misses, paths that regex rewrites apply to, then "/"
 * and a path nothing names.
 */
function pathSweep(matches, rules) {
  const paths = [];
  for (const rule of rules) {
    const rewrite = rule.rewrite?.uriRegexRewrite?.match;
    if (rewrite) paths.push(...regexSamples(rewrite).map(ensureSlash));
  }
  for (const m of matches) {
    const uri = m.uri ?? {};
    if (uri.exact !== undefined) paths.push(uri.exact, `${uri.exact}x`, `${uri.exact}/`, dropLast(uri.exact), flipCase(uri.exact));
    if (uri.prefix !== undefined) paths.push(uri.prefix, joinPath(uri.prefix, 'sub'), `${uri.prefix}x`, dropLast(uri.prefix), flipCase(uri.prefix), `${uri.prefix}?q=1`);
    if (uri.regex !== undefined) paths.push(...regexSamples(uri.regex).map(ensureSlash));
  }
  paths.push('/', '/sim-unmatched');
  // Path matching ignores the query string: each path also with one.
  const unique = [...new Set(paths.filter((p) => p.startsWith('/')))];
  return [...unique, ...unique.filter((p) => !p.includes('?')).map((p) => `${p}?sim=1`)];
}

/** For one match block: a request satisfying it all, then one per condition broken. */
export function matchVariants(match) {
  const hit = { path: hitPath(match.uri), headers: {}, cookies: {}, query: {}, method: undefined };
  const conditions = [];
  for (const [name, sm] of Object.entries(match.headers ?? {})) {
    if (name.toLowerCase() === 'cookie') {
      const cookies = cookiesIn(sm);
      if (!cookies) continue;
      Object.assign(hit.cookies, cookies.hit);
      conditions.push((r) => ({ ...r, cookies: { ...r.cookies, ...cookies.miss } }));
      conditions.push((r) => ({ ...r, cookies: {} }));
      continue;
    }
    const values = stringMatchValues(sm);
    if (!values) continue;
    hit.headers[name] = values.hit[0];
    for (const v of values.hit.slice(1)) conditions.push((r) => ({ ...r, headers: { ...r.headers, [name]: v } }));
    conditions.push((r) => ({ ...r, headers: { ...r.headers, [name.toUpperCase()]: values.hit[0] }, dropHeader: name }));
    for (const v of values.miss) conditions.push((r) => ({ ...r, headers: { ...r.headers, [name]: v } }));
    conditions.push((r) => ({ ...r, dropHeader: name }));
  }
  for (const [name, sm] of Object.entries(match.withoutHeaders ?? {})) {
    const values = stringMatchValues(sm);
    if (!values) continue;
    if (values.miss[0] !== undefined) conditions.push((r) => ({ ...r, headers: { ...r.headers, [name]: values.miss[0] } }));
    conditions.push((r) => ({ ...r, headers: { ...r.headers, [name]: values.hit[0] } }));
  }
  for (const [name, sm] of Object.entries(match.queryParams ?? {})) {
    const values = stringMatchValues(sm);
    if (!values) continue;
    hit.query[name] = values.hit[0];
    // Envoy compares query values raw: the hit with its first character percent-encoded
    // decodes to the hit, yet is another value.
    const misses = [...values.miss, ...(values.hit[0] ? [percentEncodeFirst(values.hit[0])] : [])];
    for (const v of misses) conditions.push((r) => ({ ...r, query: { ...r.query, [name]: v } }));
    conditions.push((r) => {
      const { [name]: _dropped, ...rest } = r.query;
      return { ...r, query: rest };
    });
  }
  if (match.method) {
    const values = stringMatchValues(match.method);
    if (values) {
      hit.method = values.hit[0];
      conditions.push((r) => ({ ...r, method: values.hit[0] === 'GET' ? 'POST' : 'GET' }));
    }
  }
  if (match.uri) {
    for (const p of missPaths(match.uri, match.ignoreUriCase)) conditions.push((r) => ({ ...r, path: p }));
  }
  return [hit, ...conditions.map((c) => c(hit))].map(toRequest);
}

/** Drops the generator's bookkeeping; the query goes into the path. */
function toRequest({ path, headers, cookies, query, method, dropHeader }) {
  const h = { ...headers };
  if (dropHeader) delete h[dropHeader];
  const q = Object.entries(query).map(([k, v]) => `${k}=${v}`).join('&');
  return {
    ...(method ? { method } : {}),
    path: q ? `${path}${path.includes('?') ? '&' : '?'}${q}` : path,
    ...(Object.keys(h).length ? { headers: h } : {}),
    ...(Object.keys(cookies).length ? { cookies } : {}),
  };
}

function hitPath(uri) {
  if (!uri) return '/';
  if (uri.exact !== undefined) return uri.exact;
  if (uri.prefix !== undefined) return joinPath(uri.prefix, 'sub');
  if (uri.regex !== undefined) return ensureSlash(regexSamples(uri.regex)[0] ?? '/');
  return '/';
}

function missPaths(uri, ignoreUriCase) {
  const out = [];
  if (uri.exact !== undefined) out.push(`${uri.exact}x`, dropLast(uri.exact));
  if (uri.prefix !== undefined) out.push(dropLast(uri.prefix));
  if (uri.regex !== undefined) out.push('/sim-unmatched');
  const value = uri.exact ?? uri.prefix ?? uri.regex;
  // A case flip misses unless ignoreUriCase: either way both judges must say the same.
  if (uri.regex === undefined && value !== undefined) out.push(flipCase(value));
  if (ignoreUriCase && uri.regex !== undefined) out.push(...regexSamples(uri.regex).map((s) => flipCase(ensureSlash(s))));
  return out.filter((p) => p.startsWith('/'));
}

/** Values that satisfy a StringMatch (first: the plainest) and values that do not. */
export function stringMatchValues(sm) {
  if (!sm || typeof sm !== 'object') return null;
  if (sm.exact !== undefined) {
    const v = String(sm.exact);
    return { hit: [v], miss: [`${v}x`, dropLast(v), flipCase(v)].filter((m) => m !== v) };
  }
  if (sm.prefix !== undefined) {
    const v = String(sm.prefix);
    return { hit: [`${v}-more`, v], miss: [`x${v}`, dropLast(v)].filter((m) => m !== v && !m.startsWith(v)) };
  }
  if (sm.regex !== undefined) {
    if (sm.regex === '*') return { hit: ['anything'], miss: [] }; // Istio: "*" means "present"
    const samples = regexSamples(sm.regex);
    return samples.length ? { hit: samples, miss: ['sim-no-match'] } : null;
  }
  return null;
}

/** Cookie matches are regexes on the cookie header; their `name=value` pairs give cookies. */
function cookiesIn(sm) {
  const pattern = sm?.regex ?? sm?.exact ?? sm?.prefix;
  if (typeof pattern !== 'string') return null;
  const pairs = [...pattern.matchAll(/([A-Za-z0-9_-]+)=([A-Za-z0-9_.-]+)/g)];
  if (!pairs.length) return null;
  const hit = Object.fromEntries(pairs.map(([, k, v]) => [k, v]));
  const miss = Object.fromEntries(pairs.map(([, k, v]) => [k, `${v}x`]));
  return { hit, miss };
}

/**
 * Strings a regex should fully match, made by rewriting its common constructs (`.*`,
 * classes, alternatives, escapes); kept only when JavaScript's RegExp agrees it matches.
 */
export function regexSamples(re) {
  // A leading (?i) (RE2's case-insensitive flag) becomes JavaScript's flag "i".
  const insensitive = String(re).startsWith('(?i)');
  const body = insensitive ? String(re).slice(4) : String(re);
  let s = body.replace(/^\^/, '').replace(/\$$/, '');
  s = s
    .replace(/\\d\+|\[0-9\]\+|\\d\*|\[0-9\]\*/g, '42')
    .replace(/\\d|\[0-9\]/g, '7')
    .replace(/\[a-z[^\]]*\][+*]/gi, 'abc')
    .replace(/\[\^[^\]]*\][+*]/g, 'abc')
    .replace(/\.\*\?|\.\*|\.\+/g, 'abc')
    .replace(/\\s[*+?]/g, '')
    .replace(/\(\?:/g, '(')
    .replace(/\(([^()|]*)\|[^()]*\)\??/g, '$1')
    .replace(/[()]/g, '')
    .replace(/\?/g, '')
    .replace(/\\(.)/g, '$1');
  try {
    const full = new RegExp(`^(?:${body})$`, insensitive ? 'i' : '');
    return full.test(s) ? [s] : [];
  } catch {
    return [];
  }
}

const percentEncodeFirst = (s) => `%${s.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}${s.slice(1)}`;
const dropLast = (s) => (s.length > 1 ? s.slice(0, -1) : `${s}z`);
const flipCase = (s) => [...s].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join('');
const joinPath = (prefix, segment) => (prefix.endsWith('/') ? `${prefix}${segment}` : `${prefix}/${segment}`);
const ensureSlash = (p) => (p.startsWith('/') ? p : `/${p}`);
