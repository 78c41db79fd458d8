import { ModelServiceProps } from '../model-service-props';
import { TrafficPolicyOptions } from '../policies/traffic-policy';
import { RouteOptions } from '../route';
import { StrategyContext } from '../strategies/traffic-strategy';
import { checkSubsetName } from '../values/names';

/**
 * Rules on the declaration itself, checked before it is resolved into a
 * routing model (resolving needs declared versions). Each problem is one
 * line; the construct prefixes its path.
 */
export function declarationProblems(props: ModelServiceProps, routes: readonly RouteOptions[], context: StrategyContext): string[] {
  if (context.versions.length === 0) return ['versions must declare at least one version, received none'];
  return [
    ...versionProblems(props, context),
    ...defaultRouteProblems(props, routes),
    ...trafficPolicyProblems(props, context.versions),
    ...securityProblems(props, context.versions),
    ...(props.exposure?.unservedHosts ?? []).map((problem) => `exposure: ${problem}`),
    ...routesProblems(routes, context),
    ...(props.defaultRoute === false ? [] : strategyProblems(props.traffic, context, 'default route')),
  ];
}

function versionProblems(props: ModelServiceProps, { versions, stable }: StrategyContext): string[] {
  const problems: string[] = [];
  for (const version of versions) {
    try {
      checkSubsetName(`version "${version}"`, version);
    } catch (err) {
      problems.push((err as Error).message);
    }
  }
  if (!versions.includes(stable)) {
    problems.push(`stable must be one of the declared versions (${versions.join(', ')}), received "${stable}"`);
  } else if (props.versions[stable].idle) {
    problems.push(`stable must take traffic, but version "${stable}" is declared idle`);
  }
  return problems;
}

function defaultRouteProblems(props: ModelServiceProps, routes: readonly RouteOptions[]): string[] {
  if (props.defaultRoute !== false) return [];
  const problems: string[] = [];
  if (props.traffic) problems.push('traffic sets the default route\'s strategy, so it cannot be used with defaultRoute: false');
  if (routes.length === 0) problems.push('routes must not be empty when defaultRoute is false: the VirtualService would route nothing');
  return problems;
}

/** Warmup needs a simple load balancer, also where a version inherits the service's consistent hash. */
function trafficPolicyProblems(props: ModelServiceProps, versions: readonly string[]): string[] {
  const effective: Array<[string, TrafficPolicyOptions]> = [['trafficPolicy', props]];
  for (const v of versions) {
    const own = props.versions[v].trafficPolicy;
    if (own && (own.warmup || own.loadBalancing)) {
      effective.push([`version "${v}": trafficPolicy`, { warmup: own.warmup ?? props.warmup, loadBalancing: own.loadBalancing ?? props.loadBalancing }]);
    }
  }
  return effective
    .filter(([, policy]) => policy.warmup && policy.loadBalancing && !policy.loadBalancing.supportsWarmup)
    .map(([where, policy]) => `${where}: warmup needs round robin or least request load balancing, received ${JSON.stringify(policy.loadBalancing!.json)}${where === 'trafficPolicy' ? '' : ' (inherited from the service unless the version sets its own)'}`);
}

/**
 * Security objects select pods by the labels the user states, never a
 * guess: a selector that matches no pod leaves them open. Versions' labels
 * must carry the workload's, so the subsets and the policies agree.
 */
function securityProblems(props: ModelServiceProps, versions: readonly string[]): string[] {
  const secured = props.strictMtls || props.allowedCallers !== undefined;
  if (!secured) return [];
  const labels = props.workloadLabels;
  if (!labels || Object.keys(labels).length === 0) {
    return ['workloadLabels must name the labels of the model\'s pods when strictMtls or allowedCallers is set (a guessed selector that matches no pod leaves them open), received none'];
  }
  return versions.flatMap((v) => {
    const own = props.versions[v].labels;
    if (!own) return [];
    const missing = Object.entries(labels).filter(([key, value]) => own[key] !== value);
    return missing.length
      ? [`version "${v}": labels must include the workloadLabels (${missing.map(([k, value]) => `${k}=${value}`).join(', ')}) so that the security policies select its pods, received ${JSON.stringify(own)}`]
      : [];
  });
}

/** A loop, not flatMap: V8's flatMap costs about 2 µs a call, over ten times a loop's, once per service. */
function routesProblems(routes: readonly RouteOptions[], context: StrategyContext): string[] {
  const problems: string[] = [];
  for (const route of routes) problems.push(...routeProblems(route, context, `route "${route.name}"`));
  return problems;
}

function routeProblems(route: RouteOptions, context: StrategyContext, where: string): string[] {
  const problems = strategyProblems(route.strategy, context, where);
  if (route.noTimeout && route.timeout) problems.push(`${where}: timeout and noTimeout contradict each other, received timeout ${route.timeout.toMilliseconds()}ms`);
  if (route.noTimeout && route.retries?.perTryTimeout) {
    problems.push(`${where}: retries must have no perTryTimeout with noTimeout (a per-try timeout cuts a stream as a timeout would), received perTryTimeout ${route.retries.perTryTimeout.toMilliseconds()}ms`);
  }
  if (route.rewrite?.replacesWholePath) {
    const matches = Array.isArray(route.match) ? route.match : [route.match];
    const notExact = matches.map((m) => m.uri).filter((uri) => !uri || !('exact' in uri));
    if (notExact.length) {
      problems.push(`${where}: ${route.rewrite.describe()} replaces the whole path, so every match must be an exact path (RequestMatch.uriExact); a prefix or regex would send other paths to ${route.rewrite.uri}-suffixed paths the model server does not serve, received ${JSON.stringify(notExact[0] ?? 'no uri match')}`);
    }
  }
  return problems;
}

function strategyProblems(strategy: RouteOptions['strategy'] | undefined, context: StrategyContext, where: string): string[] {
  if (!strategy) return [];
  const undeclared = strategy.referencedVersions(context).filter((version) => !context.versions.includes(version));
  const problems = undeclared.map((version) => `${where}: sends traffic to version "${version}", which is not declared (declared: ${context.versions.join(', ')})`);
  return [...problems, ...strategy.check(context).map((p) => `${where}: ${p}`)];
}
