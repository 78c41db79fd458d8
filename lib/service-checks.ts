import { ModelServiceProps } from './model-service-props';
import { TrafficPolicyOptions } from './policies/traffic-policy';
import { ResolvedRoute } from './route';
import { StrategyContext } from './strategies/traffic-strategy';
import { checkSubsetName } from './values/names';

/** What the checks need to know about a service, with defaults resolved. */
export interface ServiceUnderCheck {
  readonly props: ModelServiceProps;
  readonly versions: readonly string[];
  readonly stable: string;
  /** In evaluation order, the default route included when there is one. */
  readonly routes: readonly ResolvedRoute[];
}

/**
 * Rules that need the whole service at once. Each problem is one line; the
 * construct prefixes its path when synth reports them.
 */
export function serviceProblems(service: ServiceUnderCheck): string[] {
  if (service.versions.length === 0) return ['versions must declare at least one version, received none'];
  return [
    ...versionProblems(service),
    ...defaultRouteProblems(service),
    ...trafficPolicyProblems(service),
    ...service.routes.flatMap((route) => routeProblems(service, route)),
  ];
}

function versionProblems({ versions, stable }: ServiceUnderCheck): string[] {
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
  }
  return problems;
}

function defaultRouteProblems({ props, routes }: ServiceUnderCheck): string[] {
  if (props.defaultRoute !== false) return [];
  const problems: string[] = [];
  if (props.traffic) problems.push('traffic sets the default route\'s strategy, so it cannot be used with defaultRoute: false');
  if (routes.length === 0) problems.push('routes must not be empty when defaultRoute is false: the VirtualService would route nothing');
  return problems;
}

function trafficPolicyProblems({ props, versions }: ServiceUnderCheck): string[] {
  const policies: Array<[string, TrafficPolicyOptions]> = [
    ['trafficPolicy', props],
    ...versions.map((v): [string, TrafficPolicyOptions] => [`version "${v}": trafficPolicy`, props.versions[v].trafficPolicy ?? {}]),
  ];
  return policies
    .filter(([, policy]) => policy.warmup && policy.loadBalancing && !policy.loadBalancing.supportsWarmup)
    .map(([where, policy]) => `${where}: warmup needs round robin or least request load balancing, received ${JSON.stringify(policy.loadBalancing!.json)}`);
}

function routeProblems({ versions, stable }: ServiceUnderCheck, route: ResolvedRoute): string[] {
  const where = route.isDefault ? 'default route' : `route "${route.name}"`;
  const context: StrategyContext = { versions, stable };
  const problems = route.strategy.referencedVersions(context)
    .filter((version) => !versions.includes(version))
    .map((version) => `${where}: sends traffic to version "${version}", which is not declared (declared: ${versions.join(', ')})`);
  problems.push(...route.strategy.check(context).map((p) => `${where}: ${p}`));
  const worst = route.retries.worstCaseMillis;
  if (route.timeout && worst !== undefined && worst > route.timeout.toMilliseconds({ integral: false })) {
    problems.push(`${where}: retries must fit in the timeout: (attempts ${route.retries.attempts} + 1) x perTryTimeout ${route.retries.perTryTimeout!.toMilliseconds()}ms = ${worst}ms exceeds timeout ${route.timeout.toMilliseconds()}ms`);
  }
  return problems;
}
