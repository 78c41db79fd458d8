import { AdapterRollout, LlmPool, LlmRule } from './resolve-llm-service';

/** A rule whose shares go to pools with different pickers: the pools Istio's one picker does not serve, with their shares. */
export interface PickerMismatch {
  /** The picker Istio asks for every request of the rule: the last serving pool's. */
  readonly asked: LlmPool;
  readonly others: ReadonlyArray<{ readonly pool: LlmPool; readonly weight: number }>;
}

/**
 * Istio 1.30 keeps one endpoint picker per HTTPRoute rule: in a rule whose
 * weights span several pools, every request asks the LAST backend's pool's
 * picker (buildHTTPDestination in pilot/pkg/config/kube/gateway/conversion.go
 * overwrites the rule's picker with each backend's). The pod it names is
 * not in the other pools' clusters, so for their shares Envoy's override-host
 * policy falls back to round robin (applyOverrideHostPolicy). The Gateway
 * API has no weighted choice between rules, so no layout keeps the split
 * and gives each pool its picker; the renderer lists the largest share last
 * so that it keeps its own.
 */
export function pickerMismatch(rule: LlmRule): PickerMismatch | undefined {
  const serving = rule.backends.filter((b) => b.weight === undefined || b.weight > 0);
  if (serving.length < 2) return undefined;
  const asked = serving[serving.length - 1].pool;
  const total = serving.reduce((sum, b) => sum + (b.weight ?? 1), 0);
  const others = serving.slice(0, -1)
    .filter((b) => b.pool.picker.service !== asked.picker.service || b.pool.namespace !== asked.namespace)
    .map((b) => ({ pool: b.pool, weight: Math.round((100 * (b.weight ?? 1) * 1e6) / total) / 1e6 }));
  return others.length ? { asked, others } : undefined;
}

/** The sentence synth warns with: who picks, and what the adapter rollouts of the pools involved then do. */
export function describePickerMismatch(mismatch: PickerMismatch, rollouts: readonly AdapterRollout[]): string {
  const { asked, others } = mismatch;
  const shares = others.map((o) => `the ${o.weight}% sent to pool ${o.pool.name}`).join(' and ');
  const ignored = rollouts.filter((r) => others.some((o) => o.pool === r.pool)).map((r) => `the adapter rollout of ${r.model} in pool ${r.pool.name} is not applied (its picker is not asked)`);
  const carried = rollouts.filter((r) => r.pool === asked).map((r) => `${shares} get ${r.model} rewritten to pool ${asked.name}'s adapters (${r.targets.map((t) => t.adapter).join(', ')}), which their servers must load`);
  const adapters = [...ignored, ...carried].map((text) => `; ${text}`).join('');
  return `Istio asks one endpoint picker per rule, the last backend's: every request asks ${asked.namespace}/${asked.picker.service} (pool ${asked.name}); ${shares} get a pod that pool's cluster lacks, so Envoy picks theirs round robin, not by load${adapters}`;
}

/** Synth's warnings: rules with a mismatch that do not acknowledge it. */
export function pickerPerRuleWarnings(rules: readonly LlmRule[], rollouts: readonly AdapterRollout[]): string[] {
  return rules.flatMap((rule) => {
    const mismatch = rule.acceptLastPoolPicker ? undefined : pickerMismatch(rule);
    return mismatch ? [`route "${rule.name}": ${describePickerMismatch(mismatch, rollouts)}; give each pool a rule of its own (a route per base model), or set acceptLastPoolPicker: true`] : [];
  });
}
