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
  /**
   * The most of a version's pods ejected at once. Envoy ejects a pod only if,
   * counting it, no more than this share of the version's pods is ejected:
   * with 50%, at most 1 of 2 or 3 pods, 2 of 4 or 5; a version with one pod
   * is never ejected, so a failing lone pod keeps its share of the traffic
   * (see `maxEjected`). A whole percent from 1 (Istio reads 0 as unset,
   * which Envoy turns into 10%).
   * @default Percent.of(50)
   */
  readonly maxEjectionPercent?: Percent;
}

/**
 * Ejects a model pod that keeps failing, for a while (passive health
 * checking), from each calling proxy's view of its version. Ejected pods
 * take no traffic while others of the version are healthy: Istio sets
 * Envoy's panic threshold to 0.
 */
export class OutlierDetection {
  public static of(options: OutlierDetectionOptions = {}): OutlierDetection {
    const errors = options.consecutive5xxErrors ?? 5;
    if (!Number.isInteger(errors) || errors < 1) {
      throw new UserError(`OutlierDetection.of: consecutive5xxErrors must be a whole number of at least 1, received ${errors}`);
    }
    const percent = options.maxEjectionPercent;
    if (percent && (!percent.isWhole || percent.value < 1)) {
      throw new UserError(`OutlierDetection.of: maxEjectionPercent must be a whole percent from 1 to 100 (Istio reads 0 as unset, which Envoy turns into 10%), received ${percent}`);
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
   * How many of a version's `pods` Envoy may have ejected at once: it ejects
   * a pod only while `100 x (ejected + 1) / pods <= maxEjectionPercent`
   * (Envoy's DetectorImpl::ejectHost; Istio never sets always_eject_one_host).
   */
  public maxEjected(pods: number): number {
    return Math.floor((pods * (this.json.maxEjectionPercent ?? 10)) / 100);
  }

  /**
   * A version's detection merged over the service's, field by field: the
   * version's own settings win, the service's fill the rest, and defaults
   * only what neither sets (Istio takes a subset's block whole).
   */
  public over(service: OutlierDetection | undefined): DestinationRuleSpecTrafficPolicyOutlierDetection {
    return service ? { ...service.json, ...this.given } : this.json;
  }
}
