import { Duration } from 'cdk8s';
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
    const tcp: Record<string, unknown> = {};
    const http: Record<string, unknown> = {};
    if (options.maxConnections !== undefined) tcp.maxConnections = positive('maxConnections', options.maxConnections);
    if (options.connectTimeout !== undefined) tcp.connectTimeout = istioDuration(options.connectTimeout, 'ConnectionPool.of: connectTimeout');
    if (options.maxPendingRequests !== undefined) http.http1MaxPendingRequests = positive('maxPendingRequests', options.maxPendingRequests);
    if (options.maxRequests !== undefined) http.http2MaxRequests = positive('maxRequests', options.maxRequests);
    if (options.maxRequestsPerConnection !== undefined) {
      http.maxRequestsPerConnection = positive('maxRequestsPerConnection', options.maxRequestsPerConnection);
    }
    if (Object.keys(tcp).length + Object.keys(http).length === 0) {
      throw new UserError('ConnectionPool.of: set at least one limit, received none');
    }
    return new ConnectionPool({
      ...(Object.keys(http).length && { http }),
      ...(Object.keys(tcp).length && { tcp }),
    });
  }

  private constructor(public readonly json: Record<string, unknown>) {}
}

function positive(field: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new UserError(`ConnectionPool.of: ${field} must be a whole number of at least 1, received ${value}`);
  }
  return value;
}
