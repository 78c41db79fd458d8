import { RequestMatch } from '../match/request-match';
import { Percent } from '../values/percent';

/** One destination of a rule, by model version (a DestinationRule subset). */
export interface DestinationDraft {
  readonly version: string;
  /** Relative weight; omitted when the rule has a single destination. */
  readonly weight?: number;
  /** Response headers added when this destination answers (sticky cookies). */
  readonly addResponseHeaders?: Readonly<Record<string, string>>;
}

export interface MirrorDraft {
  readonly version: string;
  readonly percent: Percent;
}

/**
 * A routing rule as a strategy sees it, before the route adds its matches,
 * resilience and rewrite. Rules come in evaluation order; the last one is the
 * strategy's fallback and carries no extra condition.
 */
export interface RuleDraft {
  /** Appended to the route's name to name this rule: `<route>-<suffix>`. */
  readonly suffix?: string;
  /** Extra conditions, ANDed into every match of the route. */
  readonly when?: RequestMatch;
  readonly destinations: readonly DestinationDraft[];
  readonly mirrors?: readonly MirrorDraft[];
  /**
   * A rule for testers, not users (a preview header): it applies to mesh
   * traffic only when the service is exposed through a gateway.
   */
  readonly testOnly?: boolean;
}

/** What a strategy may know about the service it routes. */
export interface StrategyContext {
  /** Version names in declaration order. */
  readonly versions: readonly string[];
  readonly stable: string;
  /** The service is reachable through a gateway (from outside the mesh). */
  readonly exposedThroughGateway: boolean;
}

/**
 * How the traffic of one route is shared between model versions.
 * Create one with the factories on `Strategy`.
 */
export abstract class TrafficStrategy {
  /** Versions this strategy sends traffic to (checked against the service's versions). */
  public abstract referencedVersions(context: StrategyContext): string[];

  /** Problems that need the service's context; empty when the strategy fits. */
  public check(_context: StrategyContext): string[] {
    return [];
  }

  public abstract rules(context: StrategyContext): RuleDraft[];
}
