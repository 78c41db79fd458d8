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
  /** 2 retries of connection failures and refused streams. */
  public static inferenceSafe(options: { attempts?: number; perTryTimeout?: Duration } = {}): RetryPolicy {
    return RetryPolicy.of({ attempts: options.attempts ?? 2, perTryTimeout: options.perTryTimeout, on: [RetryOn.CONNECT_FAILURE, RetryOn.REFUSED_STREAM] });
  }

  public static of(options: RetryOptions): RetryPolicy {
    if (!Number.isInteger(options.attempts) || options.attempts < 1) {
      throw new UserError(`RetryPolicy.of: attempts must be a whole number of at least 1 (use RetryPolicy.none() to disable), received ${options.attempts}`);
    }
    if (options.on.length === 0) throw new UserError('RetryPolicy.of: on must list at least one RetryOn condition, received none');
    return new RetryPolicy(options.attempts, options.perTryTimeout, [...new Set(options.on)]);
  }

  /** No retries at all. */
  public static none(): RetryPolicy {
    return new RetryPolicy(0, undefined, []);
  }

  private constructor(
    public readonly attempts: number,
    public readonly perTryTimeout: Duration | undefined,
    public readonly on: readonly RetryOn[],
  ) {}

  /** The longest time all tries can take, in ms, when each try is bounded. */
  public get worstCaseMillis(): number | undefined {
    return this.perTryTimeout && (this.attempts + 1) * this.perTryTimeout.toMilliseconds({ integral: false });
  }

  public toJson(field: string): RetriesJson {
    if (this.attempts === 0) return { attempts: 0 };
    return {
      attempts: this.attempts,
      ...(this.perTryTimeout && { perTryTimeout: istioDuration(this.perTryTimeout, `${field}.perTryTimeout`) }),
      retryOn: this.on.join(','),
    };
  }
}
