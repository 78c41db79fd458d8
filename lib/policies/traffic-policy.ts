import { Duration } from 'cdk8s';
import {
  DestinationRuleSpecTrafficPolicy,
  DestinationRuleSpecTrafficPolicyLoadBalancerSimple as Simple,
  DestinationRuleSpecTrafficPolicyTlsMode as TlsMode,
} from '../../imports/networking.istio.io';
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

const TLS_MODES: Record<ClientTlsMode, TlsMode> = {
  [ClientTlsMode.ISTIO_MUTUAL]: TlsMode.ISTIO_UNDERSCORE_MUTUAL,
  [ClientTlsMode.DISABLE]: TlsMode.DISABLE,
};

/** The DestinationRule trafficPolicy for these options; undefined when there is nothing to say. */
export function trafficPolicyJson(where: string, options: TrafficPolicyOptions, tls?: ClientTlsMode): DestinationRuleSpecTrafficPolicy | undefined {
  let loadBalancer = options.loadBalancing?.json;
  // Warmup with a consistent hash is refused by the service's checks (service-checks.ts).
  if (options.warmup) {
    loadBalancer = {
      simple: loadBalancer?.simple ?? Simple.LEAST_UNDERSCORE_REQUEST,
      warmup: { duration: istioDuration(options.warmup, `${where}: warmup`) },
    };
  }
  const policy: DestinationRuleSpecTrafficPolicy = {
    ...(options.connectionPool && { connectionPool: options.connectionPool.json }),
    ...(loadBalancer && { loadBalancer }),
    ...(options.outlierDetection && { outlierDetection: options.outlierDetection.json }),
    ...(tls && { tls: { mode: TLS_MODES[tls] } }),
  };
  return Object.keys(policy).length ? policy : undefined;
}
