import { Duration } from 'cdk8s';
import { UserError } from '../errors';
import { istioDuration } from '../values/istio-duration';
import { ConnectionPool } from './connection-pool';
import { LoadBalancing } from './load-balancing';
import { OutlierDetection } from './outlier-detection';

/** Client-side TLS to the model's pods. */
export enum ClientTlsMode {
  /** Istio mutual TLS with the mesh's own certificates (the default). */
  ISTIO_MUTUAL = 'ISTIO_MUTUAL',
  /** Plain text. Only for workloads outside the mesh; say so in review. */
  DISABLE = 'DISABLE',
}

/** Load balancing and resilience for a whole service or one version. */
export interface TrafficPolicyOptions {
  readonly loadBalancing?: LoadBalancing;
  /**
   * Ramps traffic to a new pod up over this time, so a cold model (loading
   * weights, compiling kernels) is not flooded. Needs round robin or least
   * request load balancing.
   */
  readonly warmup?: Duration;
  readonly outlierDetection?: OutlierDetection;
  readonly connectionPool?: ConnectionPool;
}

export function trafficPolicyJson(where: string, options: TrafficPolicyOptions, tls?: ClientTlsMode): Record<string, unknown> | undefined {
  const policy: Record<string, unknown> = {};
  if (options.connectionPool) policy.connectionPool = options.connectionPool.json;
  const loadBalancer: Record<string, unknown> = { ...(options.loadBalancing?.json ?? {}) };
  if (options.warmup) {
    if (options.loadBalancing && !options.loadBalancing.supportsWarmup) {
      throw new UserError(`${where}: warmup needs round robin or least request load balancing, received ${JSON.stringify(options.loadBalancing.json)}`);
    }
    loadBalancer.simple ??= 'LEAST_REQUEST';
    loadBalancer.warmup = { duration: istioDuration(options.warmup, `${where}: warmup`) };
  }
  if (Object.keys(loadBalancer).length) policy.loadBalancer = loadBalancer;
  if (options.outlierDetection) policy.outlierDetection = options.outlierDetection.json;
  if (tls) policy.tls = { mode: tls };
  return Object.keys(policy).length ? policy : undefined;
}
