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
    return new OutlierDetection({
      consecutive5XxErrors: errors,
      interval: istioDuration(options.interval ?? Duration.seconds(10), 'OutlierDetection.of: interval'),
      baseEjectionTime: istioDuration(options.baseEjectionTime ?? Duration.seconds(30), 'OutlierDetection.of: baseEjectionTime'),
      maxEjectionPercent: (options.maxEjectionPercent ?? Percent.of(50)).value,
    });
  }

  private constructor(public readonly json: DestinationRuleSpecTrafficPolicyOutlierDetection) {}
}
