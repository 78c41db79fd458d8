import { Duration } from 'cdk8s';
import { RequestMatch } from './match/request-match';
import { FaultInjection } from './policies/fault-injection';
import { RetryPolicy } from './policies/retry-policy';
import { UriRewrite } from './policies/uri-rewrite';
import { TrafficStrategy } from './strategies/traffic-strategy';

/** One route of a model service: which requests, and how their traffic is shared. */
export interface RouteOptions {
  /** Names the route's rules in the VirtualService (a DNS-1123 label). */
  readonly name: string;
  /** The route applies when any of these matches (each is an AND of its conditions). */
  readonly match: RequestMatch | readonly RequestMatch[];
  readonly strategy: TrafficStrategy;
  /**
   * Total time for the request, retries included.
   * @default the service's timeout
   */
  readonly timeout?: Duration;
  /**
   * @default the service's retries
   */
  readonly retries?: RetryPolicy;
  /** Test-only fault injection: applies to requests matching `fault.onlyWhen`. */
  readonly fault?: FaultInjection;
  readonly rewrite?: UriRewrite;
}

/** A route with every default resolved. */
export interface ResolvedRoute {
  readonly name: string;
  readonly matches: readonly RequestMatch[];
  readonly strategy: TrafficStrategy;
  readonly timeout?: Duration;
  readonly retries: RetryPolicy;
  readonly fault?: FaultInjection;
  readonly rewrite?: UriRewrite;
  /** The catch-all route: always evaluated last. */
  readonly isDefault: boolean;
}

/**
 * Orders routes narrowest first, so a broad prefix never shadows a narrower
 * route declared after it: exact uri, then regex, then longer prefixes, then
 * more conditions; declaration order breaks ties. The default route stays last.
 */
export function orderRoutes(routes: readonly ResolvedRoute[]): ResolvedRoute[] {
  const keyed = routes.map((route, index) => ({ route, index, key: specificity(route) }));
  keyed.sort((a, b) => compareKeys(b.key, a.key) || a.index - b.index);
  return keyed.map((k) => k.route);
}

function specificity(route: ResolvedRoute): readonly number[] {
  if (route.isDefault) return [-1];
  return route.matches.map((m) => m.specificity).reduce((best, key) => (compareKeys(key, best) > 0 ? key : best), [0, 0, 0]);
}

function compareKeys(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const diff = (a[i] ?? 0) - (b[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}
