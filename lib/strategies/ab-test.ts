import { UserError } from '../errors';
import { RequestMatch } from '../match/request-match';
import { checkLabelName } from '../values/names';
import { RuleDraft, StrategyContext, TrafficStrategy } from './traffic-strategy';

export interface AbVariant {
  /** Names the variant's rule: `<route>-<name>`. */
  readonly name: string;
  /** Which requests get this variant: a header, cookie or query parameter match. */
  readonly when: RequestMatch;
  readonly version: string;
}

export interface AbTestOptions {
  /** Checked in order: the first variant whose condition matches wins. */
  readonly variants: readonly AbVariant[];
  /** Where every other request goes. */
  readonly otherwise: TrafficStrategy;
}

/** Requests that match a variant's condition go to that variant; the rest follow `otherwise`. */
export class AbTest extends TrafficStrategy {
  public constructor(private readonly options: AbTestOptions) {
    super();
    if (options.variants.length === 0) {
      throw new UserError('Strategy.abTest: at least one variant is required, received 0');
    }
    const seen = new Set<string>();
    for (const variant of options.variants) {
      checkLabelName('Strategy.abTest: variant name', variant.name);
      if (seen.has(variant.name)) throw new UserError(`Strategy.abTest: variant names must be unique, received "${variant.name}" twice`);
      seen.add(variant.name);
    }
  }

  public referencedVersions(context: StrategyContext): string[] {
    return [...this.options.variants.map((v) => v.version), ...this.options.otherwise.referencedVersions(context)];
  }

  public check(context: StrategyContext): string[] {
    return this.options.otherwise.check(context);
  }

  public rules(context: StrategyContext): RuleDraft[] {
    const variants: RuleDraft[] = this.options.variants.map((variant) => ({
      suffix: variant.name,
      when: variant.when,
      destinations: [{ version: variant.version }],
    }));
    return [...variants, ...this.options.otherwise.rules(context)];
  }
}
