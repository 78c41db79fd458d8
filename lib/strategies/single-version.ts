import { RuleDraft, StrategyContext, TrafficStrategy } from './traffic-strategy';

/** All traffic to one version. */
export class SingleVersion extends TrafficStrategy {
  public constructor(private readonly version?: string) {
    super();
  }

  public referencedVersions(context: StrategyContext): string[] {
    return [this.version ?? context.stable];
  }

  public rules(context: StrategyContext): RuleDraft[] {
    return [{ destinations: [{ version: this.version ?? context.stable }] }];
  }
}
