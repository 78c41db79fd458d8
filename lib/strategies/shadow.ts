import { UserError } from '../errors';
import { Percent } from '../values/percent';
import { RuleDraft, StrategyContext, TrafficStrategy } from './traffic-strategy';

export interface ShadowOptions {
  /** Who answers the requests. */
  readonly serve: TrafficStrategy;
  /** Candidate versions that receive a copy of live traffic; their responses are discarded. */
  readonly mirror: Readonly<Record<string, Percent>>;
}

/** Serves with one strategy and mirrors a share of the same requests to candidates. */
export class Shadow extends TrafficStrategy {
  public constructor(private readonly options: ShadowOptions) {
    super();
    const entries = Object.entries(options.mirror);
    if (entries.length === 0) throw new UserError('Strategy.shadow: mirror needs at least one version, received none');
    for (const [version, percent] of entries) {
      if (!(percent instanceof Percent)) {
        throw new UserError(`Strategy.shadow: the mirror share of "${version}" must be a Percent (Percent.of(n)), received ${JSON.stringify(percent)}`);
      }
    }
  }

  public referencedVersions(context: StrategyContext): string[] {
    return [...this.options.serve.referencedVersions(context), ...Object.keys(this.options.mirror)];
  }

  public check(context: StrategyContext): string[] {
    const served = new Set(this.options.serve.referencedVersions(context));
    const selfMirrors = Object.keys(this.options.mirror).filter((v) => served.has(v));
    const problems = this.options.serve.check(context);
    if (selfMirrors.length) {
      problems.push(`Strategy.shadow: a version cannot both serve and be mirrored, received ${selfMirrors.join(', ')}`);
    }
    return problems;
  }

  public rules(context: StrategyContext): RuleDraft[] {
    const mirrors = Object.entries(this.options.mirror).map(([version, percent]) => ({ version, percent }));
    return this.options.serve.rules(context).map((rule) => ({ ...rule, mirrors }));
  }
}
