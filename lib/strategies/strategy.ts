import { AbTest, AbTestOptions } from './ab-test';
import { BlueGreen, BlueGreenOptions } from './blue-green';
import { Canary } from './canary';
import { Progressive, ProgressiveOptions } from './progressive';
import { Shadow, ShadowOptions } from './shadow';
import { SingleVersion } from './single-version';
import { StickyCanary, StickyCanaryOptions } from './sticky-canary';
import { TrafficStrategy } from './traffic-strategy';
import { VersionSplit } from './version-split';

/** Factories for every way of sharing a route's traffic between versions. */
export class Strategy {
  /** All traffic to one version (the service's stable version when omitted). */
  public static to(version?: string): TrafficStrategy {
    return new SingleVersion(version);
  }

  /** Whole percentages across two or more versions, adding up to exactly 100. */
  public static canary(split: VersionSplit): TrafficStrategy {
    return new Canary(split);
  }

  /** Variants chosen by header, cookie or query parameter; everyone else follows `otherwise`. */
  public static abTest(options: AbTestOptions): TrafficStrategy {
    return new AbTest(options);
  }

  /** All traffic to `active`; the preview version only with a request header. */
  public static blueGreen(options: BlueGreenOptions): TrafficStrategy {
    return new BlueGreen(options);
  }

  /** Serve with `serve` and mirror a percentage of live traffic to candidates. */
  public static shadow(options: ShadowOptions): TrafficStrategy {
    return new Shadow(options);
  }

  /** A canary whose users stay on the version they first got (cookie based). */
  public static stickyCanary(options: StickyCanaryOptions): TrafficStrategy {
    return new StickyCanary(options);
  }

  /**
   * A release plan moved one step per commit by `npm run release`: the
   * candidate `to` takes each percentage of `steps` in turn. The position is
   * recorded in releases.yaml, never in code.
   */
  public static progressive(options: ProgressiveOptions): TrafficStrategy {
    return new Progressive(options);
  }

  private constructor() {}
}
