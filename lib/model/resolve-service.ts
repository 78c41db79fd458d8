import { Duration } from 'cdk8s';
import { UserError } from '../errors';
import { RequestMatch } from '../match/request-match';
import { ModelServiceProps } from '../model-service-props';
import { Exposure } from '../policies/exposure';
import { FaultInjection } from '../policies/fault-injection';
import { RetryPolicy } from '../policies/retry-policy';
import type { ReleaseSlot } from '../release/release-book';
import { RouteOptions } from '../route';
import { Strategy } from '../strategies/strategy';
import { RuleDraft, StrategyContext, TrafficStrategy } from '../strategies/traffic-strategy';
import { servicePolicy, versionPolicy } from './effective-policy';
import { RouteModel, RuleModel, ServiceModel, VersionModel } from './service-model';

/** Who the service is, as the construct resolved it. */
export interface ServiceIdentity {
  readonly name: string;
  readonly namespace: string;
  readonly host: string;
}

/** A route with the service's defaults applied. */
interface Route {
  readonly name: string;
  readonly matches: readonly RequestMatch[];
  readonly strategy: TrafficStrategy;
  readonly options: Partial<RouteOptions>;
  readonly isDefault: boolean;
}

/**
 * Resolves a declaration into the routing model, once. Routes keep the
 * order they were declared in (Istio evaluates rules in order); the
 * catch-all default route comes last. Throws UserError for contradictions
 * found while combining matches.
 */
export function resolveService(identity: ServiceIdentity, props: ModelServiceProps, declared: readonly RouteOptions[], release?: ReleaseSlot): ServiceModel {
  const context = strategyContext(props, release);
  const { versions: versionNames, stable } = context;
  const exposure = props.exposure ?? Exposure.mesh();
  const routes: Route[] = declared.map((r) => ({ name: r.name, matches: matchesOf(r), strategy: r.strategy, options: r, isDefault: false }));
  const hasDefaultRoute = props.defaultRoute ?? true;
  if (hasDefaultRoute) routes.push({ name: 'default', matches: [], strategy: props.traffic ?? Strategy.to(stable), options: {}, isDefault: true });
  const meshOnlyTests = exposure.gateways.length > 0 && exposure.mesh && !props.testRulesFromGateways;
  // Each strategy's rules, once: the routing rules and the route summaries both read them.
  const drafts = routes.map((route) => route.strategy.rules(context));
  const rules: RuleModel[] = [];
  // forEach and push, not flatMap: V8's flatMap costs about 2 µs a call, over ten times as much, once per service.
  routes.forEach((route, i) => rules.push(...resolveRules(route, drafts[i], props, meshOnlyTests)));
  return {
    name: identity.name,
    namespace: identity.namespace,
    host: identity.host,
    stable,
    port: props.port,
    targetPort: props.targetPort,
    versions: versionNames.map((name) => resolveVersion(name, props)),
    rules,
    routes: routes.map((route, i) => routeModel(route, drafts[i], context, props.port)),
    exposure: { mesh: exposure.mesh, gateways: exposure.gateways, externalHosts: exposure.externalHosts, testRulesFromGateways: props.testRulesFromGateways ?? false },
    trafficPolicy: servicePolicy('trafficPolicy', props, props.clientTls),
    clientTls: props.clientTls,
    security: { workloadSelector: props.workloadLabels, strictMtls: props.strictMtls ?? false, allowedCallers: props.allowedCallers },
    hasDefaultRoute,
  };
}

/** What strategies may know about the service: its versions, stable version, exposure and release position. */
export function strategyContext(props: ModelServiceProps, release?: ReleaseSlot): StrategyContext {
  const versions = Object.keys(props.versions);
  return { versions, stable: props.stable ?? versions[0], exposedThroughGateway: (props.exposure?.gateways.length ?? 0) > 0, release };
}

function matchesOf(route: RouteOptions): RequestMatch[] {
  return Array.isArray(route.match) ? [...route.match] : [route.match as RequestMatch];
}

/**
 * A version's pod labels: what the user gave, else the workload's labels
 * plus the version label, so that security selectors and subsets agree.
 */
function resolveVersion(name: string, props: ModelServiceProps): VersionModel {
  const options = props.versions[name];
  const labelKey = props.versionLabelKey ?? 'version';
  return {
    name,
    labels: { ...(options.labels ?? { ...props.workloadLabels, [labelKey]: name }) },
    trafficPolicy: versionPolicy(`version "${name}": trafficPolicy`, props, options.trafficPolicy),
    idle: options.idle ?? false,
  };
}

/**
 * A route's Istio rules: the strategy's rules in order, each ANDed with the
 * route's matches. With a fault, each rule is preceded by its fault twin
 * (the same rule, only for test requests), so a test request reaches the
 * version it would reach anyway, with the fault on top.
 */
function resolveRules(route: Route, drafts: readonly RuleDraft[], props: ModelServiceProps, meshOnlyTests: boolean): RuleModel[] {
  const fault = route.options.fault;
  const timeout = timeoutOf(route, props);
  const inherited = props.retries ?? RetryPolicy.inferenceSafe();
  // No timeout means none per try either: the service's per-try timeout would cut a stream as surely.
  const retries = route.options.retries ?? (route.options.noTimeout ? inherited.withoutPerTryTimeout() : inherited);
  // Every field written out, in one order: object spreads here cost V8 a slow
  // copy per rule (about half of resolving at 10,000 services).
  const ruleOf = (name: string, matches: RequestMatch[], test: boolean, draft: RuleDraft, withFault?: FaultInjection): RuleModel => ({
    name,
    route: route.name,
    matches,
    test,
    meshOnly: meshOnlyTests && test,
    destinations: draft.destinations,
    mirrors: draft.mirrors ?? [],
    rewrite: route.options.rewrite,
    // A fault that answers every request leaves nothing to time or retry: none is written, so none is promised.
    timeout: withFault?.answersEveryRequest ? undefined : timeout,
    retries: withFault?.answersEveryRequest ? undefined : retries,
    fault: withFault,
    port: route.options.port ?? props.port,
  });
  const rules: RuleModel[] = [];
  for (const draft of drafts) {
    const name = draft.suffix ? `${route.name}-${draft.suffix}` : route.name;
    const matches = combine(route.matches, draft.when, route.name);
    if (fault) rules.push(ruleOf(`${name}-fault-test`, combine(matches, fault.onlyWhen, route.name), true, draft, fault));
    rules.push(ruleOf(name, matches, draft.testOnly ?? false, draft));
  }
  return rules;
}

function timeoutOf(route: Route, props: ModelServiceProps): Duration | undefined {
  if (route.options.noTimeout) return undefined;
  return route.options.timeout ?? props.timeout;
}

function routeModel(route: Route, drafts: readonly RuleDraft[], context: StrategyContext, servicePort: number | undefined): RouteModel {
  const served = new Set<string>();
  for (const draft of drafts) {
    for (const d of draft.destinations) if (draft.destinations.length === 1 || (d.weight ?? 0) > 0) served.add(d.version);
    for (const m of draft.mirrors ?? []) if (m.percent.value > 0) served.add(m.version);
  }
  return {
    name: route.name,
    matches: route.matches,
    isDefault: route.isDefault,
    rewrite: route.options.rewrite,
    port: route.options.port ?? servicePort,
    referencedVersions: route.strategy.referencedVersions(context),
    servedVersions: [...served],
  };
}

function combine(matches: readonly RequestMatch[], when: RequestMatch | undefined, routeName: string): RequestMatch[] {
  if (!when) return [...matches];
  if (matches.length === 0) return [when];
  return matches.map((m) => {
    try {
      return m.and(when);
    } catch (err) {
      throw new UserError(`route "${routeName}": ${(err as Error).message}`);
    }
  });
}
