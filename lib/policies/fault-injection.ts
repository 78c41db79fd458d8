import { Duration } from 'cdk8s';
import { UserError } from '../errors';
import { RequestMatch } from '../match/request-match';
import { StringMatch } from '../match/string-match';
import { istioDuration } from '../values/istio-duration';
import { Percent } from '../values/percent';

export interface FaultOptions {
  /**
   * Only requests matching this get the fault, so chaos never reaches real
   * users by accident.
   * @default header `x-chaos-test: true`
   */
  readonly onlyWhen?: RequestMatch;
  /**
   * Share of the matching requests that get the fault.
   * @default Percent.of(100)
   */
  readonly percent?: Percent;
}

export interface FaultJson {
  delay?: { fixedDelay: string; percentage: { value: number } };
  abort?: { httpStatus: number; percentage: { value: number } };
}

/**
 * A delay or an abort injected into test traffic, by the calling proxy
 * before it routes: an injected abort is never retried, and an injected
 * delay is not counted in the route's timeout, which (with the retries)
 * applies to the request that goes on to the model.
 */
export class FaultInjection {
  public static delay(fixedDelay: Duration, options: FaultOptions = {}): FaultInjection {
    return new FaultInjection({ kind: 'delay', fixedDelay }, options);
  }

  /** Answers with an HTTP status (200..599) instead of calling the model. */
  public static abort(httpStatus: number, options: FaultOptions = {}): FaultInjection {
    if (!Number.isInteger(httpStatus) || httpStatus < 200 || httpStatus > 599) {
      throw new UserError(`FaultInjection.abort: httpStatus must be between 200 and 599, received ${httpStatus}`);
    }
    return new FaultInjection({ kind: 'abort', httpStatus }, options);
  }

  public readonly onlyWhen: RequestMatch;
  private readonly percent: Percent;

  private constructor(
    private readonly fault: { kind: 'delay'; fixedDelay: Duration } | { kind: 'abort'; httpStatus: number },
    options: FaultOptions,
  ) {
    this.onlyWhen = options.onlyWhen ?? RequestMatch.header('x-chaos-test', StringMatch.exact('true'));
    this.percent = options.percent ?? Percent.of(100);
    if (this.percent.value !== 0 && this.percent.value < 0.0001) {
      throw new UserError(`FaultInjection: percent must be 0 or at least 0.0001, received ${this.percent.value}`);
    }
  }

  /**
   * Every matching request is answered by the fault itself: nothing reaches
   * the model, so no timeout or retry can apply (Envoy's fault filter runs
   * before the router, which times and retries upstream requests only).
   */
  public get answersEveryRequest(): boolean {
    return this.fault.kind === 'abort' && this.percent.value >= 100;
  }

  public toJson(field: string): FaultJson {
    const percentage = { value: this.percent.value };
    return this.fault.kind === 'delay'
      ? { delay: { fixedDelay: istioDuration(this.fault.fixedDelay, `${field}.delay.fixedDelay`), percentage } }
      : { abort: { httpStatus: this.fault.httpStatus, percentage } };
  }
}
