import {
  DestinationRuleSpecTrafficPolicy,
  DestinationRuleSpecTrafficPolicyLoadBalancerSimple as Simple,
  DestinationRuleSpecTrafficPolicyTlsMode as TlsMode,
} from '../../imports/networking.istio.io';
import { ClientTlsMode, TrafficPolicyOptions } from '../policies/traffic-policy';
import { istioDuration } from '../values/istio-duration';

const TLS_MODES: Record<ClientTlsMode, TlsMode> = {
  [ClientTlsMode.ISTIO_MUTUAL]: TlsMode.ISTIO_UNDERSCORE_MUTUAL,
  [ClientTlsMode.DISABLE]: TlsMode.DISABLE,
};

/** The service-level DestinationRule policy; undefined when there is nothing to say. */
export function servicePolicy(where: string, options: TrafficPolicyOptions, tls?: ClientTlsMode): DestinationRuleSpecTrafficPolicy | undefined {
  return compact({
    connectionPool: options.connectionPool?.json,
    loadBalancer: loadBalancer(where, options),
    outlierDetection: options.outlierDetection?.json,
    tls: tls && { mode: TLS_MODES[tls] },
  });
}

/**
 * A version's subset policy. Istio takes each block (connectionPool,
 * loadBalancer, outlierDetection, tls) of a subset whole, dropping the
 * service's: so every block the version touches is the service's block with
 * the version's settings merged over it, and blocks it leaves alone are
 * omitted (inherited).
 */
export function versionPolicy(
  where: string,
  service: TrafficPolicyOptions,
  version: TrafficPolicyOptions | undefined,
): DestinationRuleSpecTrafficPolicy | undefined {
  if (!version) return undefined;
  const touchesLoadBalancer = version.loadBalancing !== undefined || version.warmup !== undefined;
  return compact({
    connectionPool: version.connectionPool && mergeBlocks(service.connectionPool?.json, version.connectionPool.json),
    loadBalancer: touchesLoadBalancer ? loadBalancer(where, {
      loadBalancing: version.loadBalancing ?? service.loadBalancing,
      warmup: version.warmup ?? service.warmup,
    }) : undefined,
    outlierDetection: version.outlierDetection?.over(service.outlierDetection),
  });
}

/** Warmup with a consistent hash is refused by the service's checks (service-checks.ts). */
function loadBalancer(where: string, options: TrafficPolicyOptions): DestinationRuleSpecTrafficPolicy['loadBalancer'] {
  const base = options.loadBalancing?.json;
  if (!options.warmup) return base;
  return { simple: base?.simple ?? Simple.LEAST_UNDERSCORE_REQUEST, warmup: { duration: istioDuration(options.warmup, `${where}: warmup`) } };
}

function mergeBlocks<T extends { http?: object; tcp?: object }>(service: T | undefined, version: T): T {
  const http = { ...service?.http, ...version.http };
  const tcp = { ...service?.tcp, ...version.tcp };
  return { ...(Object.keys(http).length && { http }), ...(Object.keys(tcp).length && { tcp }) } as T;
}

function compact(policy: DestinationRuleSpecTrafficPolicy): DestinationRuleSpecTrafficPolicy | undefined {
  const entries = Object.entries(policy).filter(([, value]) => value !== undefined);
  return entries.length ? Object.fromEntries(entries) : undefined;
}
