import { LlmServiceModel } from '../../llm/resolve-llm-service';

/**
 * One ReferenceGrant per namespace holding pools of the service that are not
 * in its own: it lets this service's HTTPRoute (and no other) name them.
 */
export function renderReferenceGrants(model: LlmServiceModel): Array<{ namespace: string; spec: Record<string, unknown> }> {
  const byNamespace = new Map<string, string[]>();
  for (const pool of model.pools) {
    if (pool.namespace === model.namespace) continue;
    byNamespace.set(pool.namespace, [...(byNamespace.get(pool.namespace) ?? []), pool.name]);
  }
  return [...byNamespace].map(([namespace, pools]) => ({
    namespace,
    spec: {
      from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: model.namespace }],
      to: pools.map((name) => ({ group: 'inference.networking.k8s.io', kind: 'InferencePool', name })),
    },
  }));
}
