import { Duration } from 'cdk8s';
import { DestinationRuleSpecTrafficPolicyOutlierDetection } from '../../imports/networking.istio.io';
import { UserError } from '../errors';
import { istioDuration } from '../values/istio-duration';
import { Percent } from '../values/percent';

export interface OutlierDetectionOptions {
  /** @default 5 */
  readonly consecutive5xxErrors?: number;
  /** @default Duration.seconds(10) */
  readonly interval?: Duration;
  /** @default Duration.seconds(30) */
  readonly baseEjectionTime?: Duration;
  /** @default Percent.of(50): never eject more than half of a version's pods */
  readonly maxEjectionPercent?: Percent;
}

/** Ejects a model pod that keeps failing, for a while (passive health checking). */
export class OutlierDetection {
  public static of(options: OutlierDetectionOptions = {}): OutlierDetection {
    const errors = options.consecutive5xxErrors ?? 5;
    if (!Number.isInteger(errors) || errors < 1) {
      throw new UserError(`OutlierDetection.of: consecutive5xxErrors must be a whole number of at least 1, received ${errors}`);
    }
    const given: DestinationRuleSpecTrafficPolicyOutlierDetection = {
      ...(options.consecutive5xxErrors !== undefined && { consecutive5XxErrors: errors }),
      ...(options.interval && { interval: istioDuration(options.interval, 'OutlierDetection.of: interval') }),
      ...(options.baseEjectionTime && { baseEjectionTime: istioDuration(options.baseEjectionTime, 'OutlierDetection.of: baseEjectionTime') }),
      ...(options.maxEjectionPercent && { maxEjectionPercent: options.maxEjectionPercent.value }),
    };
    const defaults = { consecutive5XxErrors: 5, interval: '10s', baseEjectionTime: '30s', maxEjectionPercent: 50 };
    return new OutlierDetection({ ...defaults, ...given }, given);
  }

  private constructor(
    public readonly json: DestinationRuleSpecTrafficPolicyOutlierDetection,
    /** Only the fields the declaration set, without the defaults. */
    private readonly given: DestinationRuleSpecTrafficPolicyOutlierDetection,
  ) {}

  /**
   * A version's detection merged over the service's, field by field: the
   * version's own settings win, the service's fill the rest, and defaults
   * only what neither sets (Istio takes a subset's block whole).
   */
  public over(service: OutlierDetection | undefined): DestinationRuleSpecTrafficPolicyOutlierDetection {
    return service ? { ...service.json, ...this.given } : this.json;
  }
}
