import { Duration } from 'cdk8s';
import {
  DestinationRuleSpecTrafficPolicyConnectionPool,
  DestinationRuleSpecTrafficPolicyConnectionPoolHttp,
  DestinationRuleSpecTrafficPolicyConnectionPoolTcp,
} from '../../imports/networking.istio.io';
import { UserError } from '../errors';
import { istioDuration } from '../values/istio-duration';

/**
 * Envoy enforces every limit in each calling proxy, for each subset: with 50
 * client pods and `maxRequests: 20`, a version may see up to 1,000 requests
 * in flight. Size them per caller, from the model's capacity divided by the
 * number of calling pods.
 */
export interface ConnectionPoolOptions {
  /** TCP connections from one calling proxy to one version (all its pods). */
  readonly maxConnections?: number;
  /** Requests one calling proxy queues for one version while waiting for a connection. */
  readonly maxPendingRequests?: number;
  /**
   * Requests one calling proxy has in flight to one version, over HTTP/1.1
   * and HTTP/2 alike (Istio's `http2MaxRequests` is named after HTTP/2 only).
   * Bounds GPU-backed models that queue badly.
   */
  readonly maxRequests?: number;
  readonly maxRequestsPerConnection?: number;
  readonly connectTimeout?: Duration;
}

/** Caps on connections and requests, per calling proxy: the circuit breaker that sheds load before a model falls over. */
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
