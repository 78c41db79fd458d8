import { LlmPool, LlmServiceModel } from '../../llm/resolve-llm-service';

/**
 * One llm-d InferenceModelRewrite per pool with adapter rollouts: a rule per
 * model clients ask for, whose targets are the adapters and their weights.
 * The endpoint picker rewrites the request's `model` accordingly.
 */
export function renderModelRewrites(model: LlmServiceModel): Array<{ pool: LlmPool; spec: Record<string, unknown> }> {
  const pools = model.pools.filter((pool) => model.adapterRollouts.some((r) => r.pool === pool));
  return pools.map((pool) => ({
    pool,
    spec: {
      poolRef: { group: 'inference.networking.k8s.io', kind: 'InferencePool', name: pool.name },
      rules: model.adapterRollouts.filter((r) => r.pool === pool).map((rollout) => ({
        matches: [{ model: { type: 'Exact', value: rollout.model } }],
        targets: servingTargets(rollout.targets),
      })),
    },
  }));
}

/** Targets with a share: the CRD's weights start at 1, and a lone target needs none. */
function servingTargets(targets: LlmServiceModel['adapterRollouts'][number]['targets']): Array<{ modelRewrite: string; weight?: number }> {
  const serving = targets.filter((t) => t.weight !== 0);
  if (serving.length === 1) return [{ modelRewrite: serving[0].adapter }];
  return serving.map(({ adapter, weight }) => ({ modelRewrite: adapter, ...(weight !== undefined && { weight }) }));
}
