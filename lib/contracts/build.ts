import { Chart, Duration } from 'cdk8s';
import {
  Caller, ClientTlsMode, ConnectionPool, Exposure, ExternalGateway, FaultInjection, HashKey, LoadBalancing, ModelService,
  ModelServiceProps, OutlierDetection, ReleasePositions, Percent, RequestMatch, RetryOn, RetryPolicy, RouteOptions, RoutingApi, RoutingApp, RoutingAppProps, Strategy,
  StringMatch, TrafficPolicyOptions, TrafficStrategy, UriRewrite, UserError, ValidationFailed,
} from '..';
import {
  CallerDecl, FaultDecl, HashKeyDecl, LoadBalancingDecl, MatchDecl, PolicyDecl, RetriesDecl, RewriteDecl, RouteDecl,
  SERVICE_NAME, SERVICE_NAMESPACE, ServiceDecl, StrategyDecl, StringMatchDecl,
} from './declaration';

/** The pod port of generated apps rendered with the Gateway API (npm run contracts -- --migration). */
const MIGRATION_TARGET_PORT = 8080;

/** A declaration the library accepted: its rendered objects. */
export type Built = { readonly ok: true; readonly objects: readonly Record<string, any>[] } | { readonly ok: false; readonly problems: readonly string[] };

/**
 * Declares the service through the public API only (each field of the
 * declaration calls its factory) and synthesizes it as `npm run synth` does,
 * all checks included, without writing, for a cluster with the Gateway API CRDs `cluster`
 * says (the standard channel unless said). A refused declaration is not an app.
 */
export function buildApp(decl: ServiceDecl, api?: RoutingApi, cluster: Pick<RoutingAppProps, 'gatewayApiChannel'> = {}): Built {
  let app: RoutingApp;
  try {
    app = new RoutingApp({ outdir: '/nonexistent', releases: releasesOf(decl), ...(api && { api }), ...cluster });
    const chart = new Chart(app, 'app', { namespace: SERVICE_NAMESPACE });
    // The pod port, which only the Gateway API's per-version Services write (the Istio output ignores it).
    new ModelService(chart, SERVICE_NAME, { ...propsOf(decl), ...(api === 'gateway-api' && { targetPort: MIGRATION_TARGET_PORT }) });
    app.synthesize();
    return { ok: true, objects: chart.toJson() };
  } catch (err) {
    if (err instanceof ValidationFailed) return { ok: false, problems: err.problems };
    if (err instanceof UserError) return { ok: false, problems: [err.message] };
    throw err;
  }
}

export function propsOf(decl: ServiceDecl): ModelServiceProps {
  const gateways = (decl.ingress ?? []).map((ingress) => ({
    gateway: ExternalGateway.of(ingress.gateway, { hosts: ingress.hosts }),
    hosts: ingress.hosts,
    ...(ingress.mesh === false && { mesh: false, unroutedMeshCallers: true }),
  }));
  return {
    ...policyOf(decl),
    ...(decl.host !== undefined && { host: decl.host }),
    ...(decl.port !== undefined && { port: decl.port }),
    versions: Object.fromEntries(decl.versions.map((v) => [v.name, {
      ...(v.idle && { idle: true }),
      ...(v.trafficPolicy && { trafficPolicy: policyOf(v.trafficPolicy) }),
    }])),
    ...(decl.stable !== undefined && { stable: decl.stable }),
    routes: decl.routes.map(routeOf),
    ...(decl.traffic && { traffic: strategyOf(decl.traffic) }),
    ...(decl.defaultRoute !== undefined && { defaultRoute: decl.defaultRoute }),
    ...(decl.timeoutMs !== undefined && { timeout: Duration.millis(decl.timeoutMs) }),
    ...(decl.retries && { retries: retriesOf(decl.retries) }),
    ...(gateways.length > 0 && { exposure: Exposure.ingress(...gateways) }),
    ...(decl.clientTls && { clientTls: ClientTlsMode[decl.clientTls] }),
    ...(decl.strictMtls !== undefined && { strictMtls: decl.strictMtls }),
    ...(decl.allowedCallers && { allowedCallers: decl.allowedCallers.map(callerOf) }),
    ...(decl.workloadLabels && { workloadLabels: decl.workloadLabels }),
    ...(decl.testRulesFromGateways !== undefined && { testRulesFromGateways: decl.testRulesFromGateways }),
  };
}

function releasesOf(decl: ServiceDecl): ReleasePositions {
  const strategies = [...decl.routes.map((r) => r.strategy), ...(decl.traffic ? [decl.traffic] : [])];
  const progressive = strategies.find((s) => s.kind === 'progressive');
  if (progressive?.kind !== 'progressive' || !progressive.position) return {};
  return { [`${SERVICE_NAMESPACE}/${SERVICE_NAME}`]: { from: progressive.from, to: progressive.to, ...progressive.position } };
}

function routeOf(route: RouteDecl): RouteOptions {
  return {
    name: route.name,
    match: route.match.map(matchOf),
    strategy: strategyOf(route.strategy),
    ...(route.timeoutMs !== undefined && { timeout: Duration.millis(route.timeoutMs) }),
    ...(route.noTimeout !== undefined && { noTimeout: route.noTimeout }),
    ...(route.port !== undefined && { port: route.port }),
    ...(route.retries && { retries: retriesOf(route.retries) }),
    ...(route.fault && { fault: faultOf(route.fault) }),
    ...(route.rewrite && { rewrite: rewriteOf(route.rewrite) }),
  };
}

export function stringMatchOf(match: StringMatchDecl): StringMatch {
  if ('exact' in match) return StringMatch.exact(match.exact);
  if ('prefix' in match) return StringMatch.prefix(match.prefix);
  return StringMatch.regex(match.regex);
}

export function matchOf(match: MatchDecl): RequestMatch {
  const parts: RequestMatch[] = [];
  if (match.uri) parts.push(RequestMatch.uri(stringMatchOf(match.uri)));
  if (match.method) parts.push(RequestMatch.method(match.method));
  for (const [name, value] of Object.entries(match.headers ?? {})) parts.push(RequestMatch.header(name, stringMatchOf(value)));
  for (const [name, value] of Object.entries(match.queryParams ?? {})) parts.push(RequestMatch.queryParam(name, stringMatchOf(value)));
  if (match.cookie) parts.push(RequestMatch.cookie(match.cookie.name, match.cookie.value));
  if (parts.length === 0) throw new UserError('contracts: a MatchDecl needs at least one condition');
  return parts.reduce((all, part) => all.and(part));
}

const percents = (split: Readonly<Record<string, number>>) => Object.fromEntries(Object.entries(split).map(([v, p]) => [v, Percent.of(p)]));

const ANALYSIS = { minRequests: 100, successRate: Percent.of(99), p99Latency: Duration.millis(500), interval: Duration.minutes(5) };

export function strategyOf(strategy: StrategyDecl): TrafficStrategy {
  switch (strategy.kind) {
    case 'to': return Strategy.to(strategy.version);
    case 'canary': return Strategy.canary(percents(strategy.split));
    case 'stickyCanary': return Strategy.stickyCanary({ split: percents(strategy.split), ...(strategy.cookie && { cookie: strategy.cookie }) });
    case 'abTest': return Strategy.abTest({
      variants: strategy.variants.map((v) => ({ name: v.name, when: matchOf(v.when), version: v.version })),
      otherwise: strategyOf(strategy.otherwise),
    });
    case 'blueGreen': return Strategy.blueGreen({
      active: strategy.active,
      ...(strategy.preview && { preview: strategy.preview }),
      ...(strategy.previewWhen && { previewWhen: matchOf(strategy.previewWhen) }),
    });
    case 'shadow': return Strategy.shadow({ serve: strategyOf(strategy.serve), mirror: percents(strategy.mirror) });
    case 'progressive': return Strategy.progressive({ from: strategy.from, to: strategy.to, steps: strategy.steps.map((s) => Percent.of(s)), analysis: ANALYSIS });
  }
}

export function retriesOf(retries: RetriesDecl): RetryPolicy {
  if (retries.kind === 'none') return RetryPolicy.none();
  if (retries.kind === 'inferenceSafe') return RetryPolicy.inferenceSafe(retries.attempts === undefined ? {} : { attempts: retries.attempts });
  return RetryPolicy.of({
    attempts: retries.attempts,
    on: retries.on as RetryOn[],
    ...(retries.perTryTimeoutMs !== undefined && { perTryTimeout: Duration.millis(retries.perTryTimeoutMs) }),
    ...(retries.statusCodes && { statusCodes: retries.statusCodes }),
  });
}

function faultOf(fault: FaultDecl): FaultInjection {
  const options = {
    ...(fault.onlyWhen && { onlyWhen: matchOf(fault.onlyWhen) }),
    ...(fault.percent !== undefined && { percent: Percent.of(fault.percent) }),
  };
  return fault.kind === 'delay' ? FaultInjection.delay(Duration.millis(fault.delayMs!), options) : FaultInjection.abort(fault.httpStatus!, options);
}

function rewriteOf(rewrite: RewriteDecl): UriRewrite {
  if (rewrite.kind === 'to') return UriRewrite.to(rewrite.uri);
  if (rewrite.kind === 'kserveV1') return UriRewrite.kserveV1(rewrite.model);
  return UriRewrite.openInferenceV2(rewrite.model, rewrite.version);
}

function policyOf(policy: PolicyDecl): TrafficPolicyOptions {
  const od = policy.outlierDetection;
  const pool = policy.connectionPool;
  return {
    ...(policy.loadBalancing && { loadBalancing: loadBalancingOf(policy.loadBalancing) }),
    ...(policy.warmupMs !== undefined && { warmup: Duration.millis(policy.warmupMs) }),
    ...(od && {
      outlierDetection: OutlierDetection.of({
        ...(od.consecutive5xxErrors !== undefined && { consecutive5xxErrors: od.consecutive5xxErrors }),
        ...(od.intervalMs !== undefined && { interval: Duration.millis(od.intervalMs) }),
        ...(od.baseEjectionTimeMs !== undefined && { baseEjectionTime: Duration.millis(od.baseEjectionTimeMs) }),
        ...(od.maxEjectionPercent !== undefined && { maxEjectionPercent: Percent.of(od.maxEjectionPercent) }),
      }),
    }),
    ...(pool && {
      connectionPool: ConnectionPool.of({
        ...pool,
        ...(pool.connectTimeoutMs !== undefined && { connectTimeout: Duration.millis(pool.connectTimeoutMs) }),
      }),
    }),
  };
}

function loadBalancingOf(lb: LoadBalancingDecl): LoadBalancing {
  if (lb.kind === 'roundRobin') return LoadBalancing.roundRobin();
  if (lb.kind === 'leastRequest') return LoadBalancing.leastRequest();
  return LoadBalancing.consistentHash(hashKeyOf(lb.key));
}

function hashKeyOf(key: HashKeyDecl): HashKey {
  if ('header' in key) return HashKey.header(key.header);
  if ('cookie' in key) return HashKey.cookie(key.cookie);
  if ('sourceIp' in key) return HashKey.sourceIp();
  return HashKey.queryParameter(key.queryParameter);
}

function callerOf(caller: CallerDecl): Caller {
  return caller.serviceAccount === undefined ? Caller.namespace(caller.namespace) : Caller.serviceAccount(caller.namespace, caller.serviceAccount);
}
