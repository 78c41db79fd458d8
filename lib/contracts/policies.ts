import { ConnectionPoolDecl, LoadBalancingDecl, OutlierDetectionDecl, ServiceDecl, VersionDecl } from './declaration';
import { VersionPolicy } from './outcome';

/** OutlierDetection.of's defaults. */
export const OUTLIER_DEFAULTS = { consecutive5xxErrors: 5, intervalMs: 10_000, baseEjectionTimeMs: 30_000, maxEjectionPercent: 50 };

/**
 * Contract of the traffic policies (`loadBalancing`, `warmup`,
 * `outlierDetection`, `connectionPool`, `clientTls`) for one version's pods:
 * a version's own settings are merged over the service's, field by field (a
 * version that sets one limit keeps the service's other limits); a field
 * nobody sets takes its documented default. Warmup uses least request unless
 * round robin is chosen.
 */
export function versionPolicy(decl: ServiceDecl, version: VersionDecl): VersionPolicy {
  const own = version.trafficPolicy ?? {};
  const od = mergeFields<OutlierDetectionDecl>(decl.outlierDetection, own.outlierDetection);
  const pool = mergeFields<ConnectionPoolDecl>(decl.connectionPool, own.connectionPool);
  return {
    loadBalancer: loadBalancerOf(own.loadBalancing ?? decl.loadBalancing, own.warmupMs ?? decl.warmupMs),
    outlierDetection: od ? { ...OUTLIER_DEFAULTS, ...od } : null,
    connectionPool: pool ? { ...pool } as Record<string, number> : null,
    tls: decl.clientTls ?? null,
  };
}

function mergeFields<T extends object>(service: T | undefined, version: T | undefined): T | undefined {
  if (!service && !version) return undefined;
  return { ...service, ...version } as T;
}

function loadBalancerOf(lb: LoadBalancingDecl | undefined, warmupMs: number | undefined): Record<string, unknown> | null {
  if (warmupMs !== undefined) return { simple: lb?.kind === 'roundRobin' ? 'ROUND_ROBIN' : 'LEAST_REQUEST', warmupMs };
  if (!lb) return null;
  if (lb.kind === 'roundRobin') return { simple: 'ROUND_ROBIN' };
  if (lb.kind === 'leastRequest') return { simple: 'LEAST_REQUEST' };
  // Header names are case-insensitive: Envoy sees them lower-cased.
  return { consistentHash: 'header' in lb.key ? { header: lb.key.header.toLowerCase() } : { ...lb.key } };
}
