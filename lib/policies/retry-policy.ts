import { Duration } from 'cdk8s';
import { UserError } from '../errors';
import { istioDuration } from '../values/istio-duration';

/** Envoy retry conditions that Istio accepts in `retryOn`. */
export enum RetryOn {
  CONNECT_FAILURE = 'connect-failure',
  REFUSED_STREAM = 'refused-stream',
  RESET = 'reset',
  RESET_BEFORE_REQUEST = 'reset-before-request',
  GATEWAY_ERROR = 'gateway-error',
  /** Every 5xx answer: retrying a non-idempotent inference POST runs the model twice. */
  SERVER_ERROR = '5xx',
  RETRIABLE_4XX = 'retriable-4xx',
  RETRIABLE_STATUS_CODES = 'retriable-status-codes',
  CANCELLED = 'cancelled',
  DEADLINE_EXCEEDED = 'deadline-exceeded',
  INTERNAL = 'internal',
  RESOURCE_EXHAUSTED = 'resource-exhausted',
  UNAVAILABLE = 'unavailable',
}

export interface RetryOptions {
  /** Retries after the first try (Istio's `attempts`). */
  readonly attempts: number;
  readonly perTryTimeout?: Duration;
  readonly on: readonly RetryOn[];
  /** HTTP status codes to retry, e.g. 429 or 503 from a full inference queue. */
  readonly statusCodes?: readonly number[];
}

export interface RetriesJson {
  attempts: number;
  perTryTimeout?: string;
  retryOn?: string;
}

/**
 * Retries of one route. The default for inference retries only failures where
 * the request never reached a model (connection failures and refused
 * streams): retrying every 5xx of a POST would run an expensive or
 * non-idempotent prediction twice.
 */
export class RetryPolicy {
  /**
   * 2 retries of connection failures and refused streams. It has no per-try
   * timeout: Envoy retries a timed-out try only on `5xx` or `gateway-error`,
   * which would also re-run predictions that failed; use `RetryPolicy.of` for that.
   */
  public static inferenceSafe(options: { attempts?: number } = {}): RetryPolicy {
    if ((options as { perTryTimeout?: unknown }).perTryTimeout !== undefined) {
      throw new UserError('RetryPolicy.inferenceSafe: a perTryTimeout is never retried on connect-failure,refused-stream (Envoy retries a timed-out try only on 5xx or gateway-error); use RetryPolicy.of({ attempts, perTryTimeout, on: [RetryOn.GATEWAY_ERROR, ...] })');
    }
    return RetryPolicy.of({ attempts: options.attempts ?? 2, on: [RetryOn.CONNECT_FAILURE, RetryOn.REFUSED_STREAM] });
  }

  public static of(options: RetryOptions): RetryPolicy {
    if (!Number.isInteger(options.attempts) || options.attempts < 1) {
      throw new UserError(`RetryPolicy.of: attempts must be a whole number of at least 1 (use RetryPolicy.none() to disable), received ${options.attempts}`);
    }
    const codes = [...new Set(options.statusCodes ?? [])];
    for (const code of codes) {
      if (!Number.isInteger(code) || code < 100 || code > 599) throw new UserError(`RetryPolicy.of: statusCodes must be HTTP status codes (100..599), received ${code}`);
    }
    if (options.on.length === 0 && codes.length === 0) {
      throw new UserError('RetryPolicy.of: on or statusCodes must list at least one retry condition, received none');
    }
    const on = [...new Set(options.on)];
    if (options.perTryTimeout && !on.some((c) => c === RetryOn.GATEWAY_ERROR || c === RetryOn.SERVER_ERROR)) {
      throw new UserError(`RetryPolicy.of: a perTryTimeout is retried only when on includes RetryOn.GATEWAY_ERROR or RetryOn.SERVER_ERROR (Envoy ends a timed-out try with a 504), received on: ${on.join(',') || 'none'}`);
    }
    return new RetryPolicy(options.attempts, options.perTryTimeout, on, codes);
  }

  /** No retries at all. */
  public static none(): RetryPolicy {
    return new RetryPolicy(0, undefined, [], []);
  }

  private constructor(
    public readonly attempts: number,
    public readonly perTryTimeout: Duration | undefined,
    public readonly on: readonly RetryOn[],
    public readonly statusCodes: readonly number[],
  ) {}

  /** The same retries with no per-try timeout: for a route that has no timeout at all (a stream). */
  public withoutPerTryTimeout(): RetryPolicy {
    return this.perTryTimeout ? new RetryPolicy(this.attempts, undefined, this.on, this.statusCodes) : this;
  }

  /** The longest time all tries can take, in ms, when each try is bounded. */
  public get worstCaseMillis(): number | undefined {
    return this.perTryTimeout && (this.attempts + 1) * this.perTryTimeout.toMilliseconds({ integral: false });
  }

  public toJson(field: string): RetriesJson {
    if (this.attempts === 0) return { attempts: 0 };
    return {
      attempts: this.attempts,
      ...(this.perTryTimeout && { perTryTimeout: istioDuration(this.perTryTimeout, `${field}.perTryTimeout`) }),
      // Istio turns status codes in retryOn into Envoy's retriable_status_codes.
      retryOn: [...this.on, ...this.statusCodes.map(String)].join(','),
    };
  }
}
