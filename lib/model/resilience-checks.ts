import { ServiceModel } from './service-model';

/**
 * Every try must fit in the route's timeout: Istio's `attempts` counts the
 * retries after the first try, so `(attempts + 1) x perTryTimeout` is the
 * longest a request can take, default route included.
 */
export function resilienceProblems(model: ServiceModel): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const rule of model.rules) {
    if (!rule.retries || seen.has(rule.route)) continue;
    seen.add(rule.route);
    const worst = rule.retries.worstCaseMillis;
    if (!rule.timeout || worst === undefined || worst <= rule.timeout.toMilliseconds({ integral: false })) continue;
    const where = rule.route === 'default' ? 'default route' : `route "${rule.route}"`;
    problems.push(`${where}: retries must fit in the timeout: (attempts ${rule.retries.attempts} + 1) x perTryTimeout ${rule.retries.perTryTimeout!.toMilliseconds()}ms = ${worst}ms exceeds timeout ${rule.timeout.toMilliseconds()}ms`);
  }
  return problems;
}
