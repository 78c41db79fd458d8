import fc from 'fast-check';
import {
  CallerDecl, FaultDecl, IngressDecl, PolicyDecl, RetriesDecl, RewriteDecl, RouteDecl, ServiceDecl, StrategyDecl, VersionDecl,
} from '../declaration';
import { conditionMatch, dropUndefined, opt, requestMatch } from './matches';

const VERSION_SETS = [['v1', 'v2', 'v3'], ['blue', 'green', 'gold']];
export const GATEWAYS = ['edge/public', 'edge/partners'];
export const EXTERNAL_HOSTS = ['m.example.com', 'api.example.com'];
export const CALLER_NAMESPACES = ['ml', 'apps', 'edge'];
export const SERVICE_ACCOUNTS = ['default', 'client', 'istio-ingressgateway'];
const RETRY_ON = ['connect-failure', 'refused-stream', 'gateway-error', '5xx', 'reset', 'retriable-4xx', 'unavailable'];


/** Whole percentages over the given versions adding up to 100 (0% shares included). */
function splitOver(versions: readonly string[]): fc.Arbitrary<Record<string, number>> {
  return fc.array(fc.constantFrom(0, 1, 10, 25, 50, 90, 100), { minLength: versions.length - 1, maxLength: versions.length - 1 })
    .map((cuts) => {
      const split: Record<string, number> = {};
      let left = 100;
      versions.slice(0, -1).forEach((v, i) => {
        const share = Math.min(left, cuts[i]);
        split[v] = share;
        left -= share;
      });
      split[versions[versions.length - 1]] = left;
      return split;
    });
}

/** Two or more of the versions, in declaration order. */
function atLeastTwo(versions: readonly string[]): fc.Arbitrary<string[]> {
  return fc.subarray([...versions], { minLength: 2 });
}

function simpleStrategy(versions: readonly string[]): fc.Arbitrary<StrategyDecl> {
  const choices: Array<fc.Arbitrary<StrategyDecl>> = [
    opt(fc.constantFrom(...versions), 0.6).map((version) => dropUndefined({ kind: 'to' as const, version })),
  ];
  if (versions.length >= 2) {
    choices.push(
      atLeastTwo(versions).chain(splitOver).map((split) => ({ kind: 'canary' as const, split })),
      fc.tuple(atLeastTwo(versions).chain(splitOver), opt(fc.constantFrom('model-version', 'ab_group'), 0.3))
        .map(([split, cookie]) => dropUndefined({ kind: 'stickyCanary' as const, split, cookie })),
    );
  }
  return fc.oneof(...choices);
}

/** Any strategy over the versions, each Strategy factory with its options. */
export function strategy(versions: readonly string[]): fc.Arbitrary<StrategyDecl> {
  const choices: Array<fc.Arbitrary<StrategyDecl>> = [
    simpleStrategy(versions),
    fc.record({
      variants: fc.uniqueArray(fc.record({ name: fc.constantFrom('a', 'b', 'c'), when: conditionMatch, version: fc.constantFrom(...versions) }), { minLength: 1, maxLength: 2, selector: (v) => v.name }),
      otherwise: simpleStrategy(versions),
    }).map((ab) => ({ kind: 'abTest' as const, ...ab })),
  ];
  if (versions.length >= 2) {
    choices.push(
      fc.tuple(fc.constantFrom(...versions), fc.constantFrom(...versions), opt(conditionMatch, 0.3)).map(([active, other, previewWhen]) => dropUndefined({
        kind: 'blueGreen' as const,
        active,
        // The preview may be left out only when the service has exactly two versions.
        preview: versions.length === 2 && other !== active ? undefined : versions.find((v) => v !== active),
        previewWhen,
      })),
      fc.subarray([...versions], { minLength: 1, maxLength: versions.length - 1 }).chain((serving) => {
        const rest = versions.filter((v) => !serving.includes(v));
        const serve: fc.Arbitrary<StrategyDecl> = serving.length >= 2 ? atLeastTwo(serving).chain(splitOver).map((split) => ({ kind: 'canary' as const, split })) : fc.constant({ kind: 'to' as const, version: serving[0] });
        return fc.tuple(serve, fc.subarray(rest, { minLength: 1 }), fc.constantFrom(0, 0.5, 10, 100))
          .map(([s, mirrored, percent]) => ({ kind: 'shadow' as const, serve: s, mirror: Object.fromEntries(mirrored.map((v) => [v, percent])) }));
      }),
      fc.tuple(fc.shuffledSubarray([...versions], { minLength: 2, maxLength: 2 }), fc.constantFrom([10, 50, 100], [100], [1, 25, 100]))
        .chain(([[from, to], steps]) => fc.option(fc.oneof(
          fc.integer({ min: 0, max: steps.length }).map((step) => ({ state: 'progressing' as const, step })),
          fc.constantFrom({ state: 'rolled-back' as const, step: 1 }, { state: 'completed' as const, step: steps.length }),
        ), { nil: undefined }).map((position) => dropUndefined({ kind: 'progressive' as const, from, to, steps, position }))),
    );
  }
  return fc.oneof(...choices);
}

const retries: fc.Arbitrary<RetriesDecl> = fc.oneof(
  fc.constant({ kind: 'none' as const }),
  opt(fc.integer({ min: 1, max: 3 }), 0.3).map((attempts) => dropUndefined({ kind: 'inferenceSafe' as const, attempts })),
  fc.record({
    attempts: fc.integer({ min: 1, max: 3 }),
    on: fc.subarray(RETRY_ON, { minLength: 1, maxLength: 3 }),
    perTryTimeoutMs: opt(fc.constantFrom(200, 1000)),
    statusCodes: opt(fc.subarray([429, 503], { minLength: 1 })),
  }).map((r) => dropUndefined({
    kind: 'of' as const,
    ...r,
    // A per-try timeout needs a condition that retries it (the library refuses it otherwise).
    on: r.perTryTimeoutMs !== undefined && !r.on.some((c) => c === 'gateway-error' || c === '5xx') ? [...r.on, 'gateway-error'] : r.on,
  })),
);

const fault: fc.Arbitrary<FaultDecl> = fc.record({
  kind: fc.constantFrom('delay' as const, 'abort' as const),
  delayMs: fc.constantFrom(100, 2000),
  httpStatus: fc.constantFrom(503, 500, 429),
  onlyWhen: opt(conditionMatch),
  percent: opt(fc.constantFrom(100, 50, 0)),
}).map((f) => dropUndefined({ ...f, delayMs: f.kind === 'delay' ? f.delayMs : undefined, httpStatus: f.kind === 'abort' ? f.httpStatus : undefined }));

const rewrite: fc.Arbitrary<RewriteDecl> = fc.oneof(
  fc.constantFrom('/x', '/', '/v2/').map((uri) => ({ kind: 'to' as const, uri })),
  fc.constant({ kind: 'kserveV1' as const, model: 'm' }),
  fc.constant({ kind: 'openInferenceV2' as const, model: 'm' }),
);

function route(name: string, versions: readonly string[]): fc.Arbitrary<RouteDecl> {
  return fc.record({
    match: fc.array(requestMatch, { minLength: 1, maxLength: 2 }),
    strategy: strategy(versions),
    timeoutMs: opt(fc.constantFrom(500, 1500, 30_000), 0.3),
    noTimeout: opt(fc.constant(true), 0.25),
    port: opt(fc.constantFrom(8001, 8002), 0.25),
    retries: opt(retries),
    fault: opt(fault, 0.3),
    rewrite: opt(rewrite, 0.3),
  }).map((r) => dropUndefined({
    name,
    ...r,
    timeoutMs: r.noTimeout ? undefined : r.timeoutMs,
    // The model-protocol rewrites name one endpoint: the library takes them with exact paths only.
    rewrite: r.rewrite?.kind !== 'to' && !r.match.every((m) => m.uri && 'exact' in m.uri) ? undefined : r.rewrite,
  }));
}

const outlierDetection = fc.record({
  consecutive5xxErrors: fc.constantFrom(1, 3),
  intervalMs: fc.constantFrom(5000, 1500),
  baseEjectionTimeMs: fc.constantFrom(60_000),
  maxEjectionPercent: fc.constantFrom(100, 30),
}, { requiredKeys: [] });

const connectionPool = fc.record({
  maxConnections: fc.constantFrom(10, 100),
  maxPendingRequests: fc.constantFrom(5),
  maxRequests: fc.constantFrom(20, 200),
  maxRequestsPerConnection: fc.constantFrom(1),
  connectTimeoutMs: fc.constantFrom(250, 2000),
}, { requiredKeys: [] }).filter((p) => Object.keys(p).length > 0);

const policy: fc.Arbitrary<PolicyDecl> = fc.record({
  loadBalancing: opt(fc.oneof(
    fc.constantFrom({ kind: 'roundRobin' as const }, { kind: 'leastRequest' as const }),
    fc.constantFrom({ header: 'X-User' }, { cookie: 'session' }, { sourceIp: true as const }, { queryParameter: 'user' }).map((key) => ({ kind: 'consistentHash' as const, key })),
  )),
  warmupMs: opt(fc.constantFrom(30_000), 0.25),
  outlierDetection: opt(outlierDetection),
  connectionPool: opt(connectionPool),
}).map(dropUndefined);

const ingress: fc.Arbitrary<IngressDecl> = fc.record({
  gateway: fc.constantFrom(...GATEWAYS),
  hosts: fc.subarray(EXTERNAL_HOSTS, { minLength: 1 }),
  mesh: opt(fc.constant(false), 0.3),
}).map(dropUndefined);

const caller: fc.Arbitrary<CallerDecl> = fc.record({
  namespace: fc.constantFrom(...CALLER_NAMESPACES),
  serviceAccount: opt(fc.constantFrom(...SERVICE_ACCOUNTS), 0.6),
}).map(dropUndefined);

/** Random valid-looking declarations over the whole public API; the library's own checks refuse the rest. */
export const serviceDeclaration: fc.Arbitrary<ServiceDecl> = fc.constantFrom(...VERSION_SETS)
  .chain((set) => fc.integer({ min: 1, max: 3 }).map((n) => set.slice(0, n)))
  .chain((versions) => fc.record({
    versions: fc.constant(versions),
    policies: fc.array(opt(policy, 0.25), { minLength: versions.length, maxLength: versions.length }),
    service: policy,
    routes: fc.integer({ min: 0, max: 3 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => route(`r${i}`, versions)))),
    traffic: opt(strategy(versions), 0.6),
    defaultRoute: opt(fc.constant(false), 0.15),
    // A Service in another namespace (the chart's is ml): its routes and subsets must reach every caller.
    host: opt(fc.constantFrom('scorer', 'scorer.serving.svc.cluster.local'), 0.15),
    port: opt(fc.constantFrom(8000, 8080), 0.3),
    timeoutMs: opt(fc.constantFrom(1000, 10_000)),
    retries: opt(retries),
    ingress: opt(fc.array(ingress, { minLength: 1, maxLength: 2 }), 0.5),
    clientTls: opt(fc.constantFrom('ISTIO_MUTUAL' as const, 'DISABLE' as const), 0.25),
    strictMtls: opt(fc.constant(true), 0.3),
    allowedCallers: opt(fc.array(caller, { maxLength: 2 }), 0.4),
    testRulesFromGateways: opt(fc.constant(true), 0.3),
  }))
  .map((g): ServiceDecl => {
    const secured = g.strictMtls || g.allowedCallers !== undefined;
    const decl: ServiceDecl = dropUndefined({
      ...g.service,
      host: g.host,
      port: g.port,
      versions: g.versions.map((name, i): VersionDecl => dropUndefined({ name, trafficPolicy: g.policies[i] })),
      routes: g.routes,
      traffic: g.defaultRoute === false ? undefined : g.traffic,
      defaultRoute: g.routes.length === 0 ? undefined : g.defaultRoute,
      timeoutMs: g.timeoutMs,
      retries: g.retries,
      ingress: g.ingress,
      clientTls: g.clientTls,
      strictMtls: g.strictMtls,
      allowedCallers: g.allowedCallers,
      workloadLabels: secured ? { app: 'model' } : undefined,
      testRulesFromGateways: g.testRulesFromGateways,
    });
    return withIdleVersions(withOneReleasePosition(withoutHashedWarmup(decl)));
  });

/** releases.yaml records one position per service: every progressive strategy of the service reads it. */
function withOneReleasePosition(decl: ServiceDecl): ServiceDecl {
  let position: Extract<StrategyDecl, { kind: 'progressive' }>['position'] | null = null;
  const visit = (s: StrategyDecl): StrategyDecl => {
    if (s.kind !== 'progressive') return s;
    if (position === null) position = s.position;
    return dropUndefined({ ...s, position });
  };
  return dropUndefined({ ...decl, routes: decl.routes.map((r) => ({ ...r, strategy: visit(r.strategy) })), traffic: decl.traffic && visit(decl.traffic) });
}

/** Warmup needs a simple load balancer, also where a version inherits the service's: the library refuses the rest. */
function withoutHashedWarmup(decl: ServiceDecl): ServiceDecl {
  const policies = [decl, ...decl.versions.map((v) => v.trafficPolicy ?? {})];
  if (!policies.some((p) => p.loadBalancing?.kind === 'consistentHash')) return decl;
  const drop = <T extends PolicyDecl>(p: T): T => dropUndefined({ ...p, warmupMs: undefined });
  return { ...drop(decl), versions: decl.versions.map((v) => (v.trafficPolicy ? { ...v, trafficPolicy: drop(v.trafficPolicy) } : v)) };
}

/** Versions no strategy names are declared idle, and the stable version is one that takes traffic. */
function withIdleVersions(decl: ServiceDecl): ServiceDecl {
  const named = new Set<string>();
  const first = decl.versions[0].name;
  const visit = (s: StrategyDecl): void => {
    switch (s.kind) {
      case 'to': named.add(s.version ?? first); break;
      case 'canary': case 'stickyCanary': Object.keys(s.split).forEach((v) => named.add(v)); break;
      case 'abTest': s.variants.forEach((v) => named.add(v.version)); visit(s.otherwise); break;
      case 'blueGreen': named.add(s.active); named.add(s.preview ?? decl.versions.find((v) => v.name !== s.active)!.name); break;
      case 'shadow': visit(s.serve); Object.keys(s.mirror).forEach((v) => named.add(v)); break;
      case 'progressive': named.add(s.from); named.add(s.to); break;
    }
  };
  decl.routes.forEach((r) => visit(r.strategy));
  if (decl.defaultRoute !== false) visit(decl.traffic ?? { kind: 'to' });
  const stable = named.has(first) ? undefined : decl.versions.find((v) => named.has(v.name))?.name;
  return dropUndefined({
    ...decl,
    stable,
    versions: decl.versions.map((v) => (named.has(v.name) ? v : { ...v, idle: true })),
  });
}
