import { UserError } from '../errors';
import { ReleaseAnalysis, ReleasePlan, ReleasePosition } from '../release/release-plan';
import { Percent } from '../values/percent';
import { RuleDraft, StrategyContext, TrafficStrategy } from './traffic-strategy';

export interface ProgressiveOptions {
  /** The version the release starts from, and returns to on rollback. */
  readonly from: string;
  /** The candidate. */
  readonly to: string;
  /** The candidate's share at each step: increasing whole percentages ending at 100. */
  readonly steps: readonly Percent[];
  /** What the gate (`npm run release -- promote --prometheus URL`) checks before each step. */
  readonly analysis: ReleaseAnalysis;
}

/**
 * A release plan whose position is data: the app's releases.yaml says which
 * step the service is at, and `npm run release` moves it. Without a recorded
 * position the release has not started: all traffic goes to `from`.
 */
export class Progressive extends TrafficStrategy {
  public readonly plan: ReleasePlan;

  public constructor(options: ProgressiveOptions) {
    super();
    this.plan = new ReleasePlan(options.from, options.to, options.steps, options.analysis);
  }

  public referencedVersions(): string[] {
    return [this.plan.from, this.plan.to];
  }

  public check(context: StrategyContext): string[] {
    try {
      this.position(context);
      return [];
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      return [err.message];
    }
  }

  public rules(context: StrategyContext): RuleDraft[] {
    const weights = Object.entries(this.plan.weightsAt(this.position(context)));
    const serving = weights.filter(([, weight]) => weight > 0);
    if (serving.length === 1) return [{ destinations: [{ version: serving[0][0] }] }];
    return [{ destinations: weights.map(([version, weight]) => ({ version, weight })) }];
  }

  private position(context: StrategyContext): ReleasePosition {
    return context.release?.positionOf(this.plan) ?? this.plan.start;
  }
}
