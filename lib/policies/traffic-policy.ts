import { Duration } from 'cdk8s';
import { ConnectionPool } from './connection-pool';
import { LoadBalancing } from './load-balancing';
import { OutlierDetection } from './outlier-detection';

/** Client-side TLS to the model's pods. */
export enum ClientTlsMode {
  /**
   * Istio mutual TLS with the mesh's own certificates, always. Istio's
   * automatic mTLS (the default: no mode set) does this too for pods with a
   * sidecar, and falls back to plain text for pods without one (GPU or
   * host-network pods), which an explicit ISTIO_MUTUAL would break.
   */
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
