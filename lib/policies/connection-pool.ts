import { Duration } from 'cdk8s';
import {
  DestinationRuleSpecTrafficPolicyConnectionPool,
  DestinationRuleSpecTrafficPolicyConnectionPoolHttp,
  DestinationRuleSpecTrafficPolicyConnectionPoolTcp,
} from '../../imports/networking.istio.io';
import { UserError } from '../errors';
import { istioDuration } from '../values/istio-duration';

export interface ConnectionPoolOptions {
  /** TCP connections to one version, all pods together. */
  readonly maxConnections?: number;
  /** Requests queued while waiting for a connection (HTTP/1.1). */
  readonly maxPendingRequests?: number;
  /** Requests in flight (HTTP/2). Bounds GPU-backed models that queue badly. */
  readonly maxRequests?: number;
  readonly maxRequestsPerConnection?: number;
  readonly connectTimeout?: Duration;
}

/** Caps on connections and requests: the circuit breaker that sheds load before a model falls over. */
export class ConnectionPool {
  public static of(options: ConnectionPoolOptions): ConnectionPool {
    const tcp: DestinationRuleSpecTrafficPolicyConnectionPoolTcp = dropUndefined({
      maxConnections: optionalPositive('maxConnections', options.maxConnections),
      connectTimeout: options.connectTimeout && istioDuration(options.connectTimeout, 'ConnectionPool.of: connectTimeout'),
    });
    const http: DestinationRuleSpecTrafficPolicyConnectionPoolHttp = dropUndefined({
      http1MaxPendingRequests: optionalPositive('maxPendingRequests', options.maxPendingRequests),
      http2MaxRequests: optionalPositive('maxRequests', options.maxRequests),
      maxRequestsPerConnection: optionalPositive('maxRequestsPerConnection', options.maxRequestsPerConnection),
    });
    if (Object.keys(tcp).length + Object.keys(http).length === 0) {
      throw new UserError('ConnectionPool.of: set at least one limit, received none');
    }
    return new ConnectionPool(dropUndefined({
      http: Object.keys(http).length ? http : undefined,
      tcp: Object.keys(tcp).length ? tcp : undefined,
    }));
  }

  private constructor(public readonly json: DestinationRuleSpecTrafficPolicyConnectionPool) {}
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function optionalPositive(field: string, value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 1) {
    throw new UserError(`ConnectionPool.of: ${field} must be a whole number of at least 1, received ${value}`);
  }
  return value;
}
