import { poolOfHost } from '../traffic/inference-pools';
import { resolveHost } from '../traffic/hosts';
import { HttpRuleSpec } from '../traffic/specs';
import { RoutedVirtualService, TrafficModel } from '../traffic/traffic-model';
import { VersionNamer } from './route-view';
import { PoolView } from './service-view';

/** A pool's name in a view: `pool <name>`, with its namespace when it is not the route's. */
export function poolVersionName(poolRef: string, namespace: string): string {
  const [poolNamespace, name] = poolRef.split('/');
  return `pool ${poolNamespace === namespace ? name : poolRef}`;
}

/** The namer, with InferencePools (their shadow Service hosts) named as pools. */
export function withPoolNames(model: TrafficModel, vs: RoutedVirtualService, namer: VersionNamer): VersionNamer {
  if (model.inferencePools.length === 0) return namer;
  return (destination) => {
    const pool = poolOfHost(model.inferencePools, resolveHost(destination.host, vs.namespace));
    return pool ? poolVersionName(pool.ref, vs.namespace) : namer(destination);
  };
}

/** The rule's one endpoint picker, said for all its shares when they span pools: `ml/epp:9002 (all shares)`. */
export function rulePickerOf(model: TrafficModel, rule: HttpRuleSpec): { picker: string } | Record<string, never> {
  const pool = model.inferencePools.find((p) => p.ref === rule.endpointPickerOf);
  if (!pool?.picker) return {};
  const pools = new Set((rule.route ?? []).map((r) => poolOfHost(model.inferencePools, r.destination.host)?.ref).filter((ref) => ref !== undefined));
  return { picker: `${pool.picker.service}:${pool.picker.port}${pools.size > 1 ? ' (for every share)' : ''}` };
}

/** The pools the VirtualService routes to, with their pickers and the adapter shares inside them. */
export function poolViews(model: TrafficModel, vs: RoutedVirtualService): PoolView[] {
  const hosts = new Set(vs.http.flatMap((rule) => (rule.route ?? []).map((r) => resolveHost(r.destination.host, vs.namespace))));
  return model.inferencePools
    .filter((pool) => hosts.has(pool.host))
    .map((pool) => ({
      version: poolVersionName(pool.ref, vs.namespace),
      pool: pool.ref,
      picker: pool.picker ? `${pool.picker.service}:${pool.picker.port} (${pool.picker.failureMode})` : 'none',
      adapters: model.modelRewrites
        .filter((rewrite) => rewrite.pool === pool.ref)
        .flatMap((rewrite) => rewrite.rules.flatMap((rule) => rule.models.map((requested) => ({
          model: requested,
          shares: rule.targets.map((t) => ({ version: t.model, percent: t.percent })).sort((a, b) => (a.version < b.version ? -1 : 1)),
        })))),
    }));
}
