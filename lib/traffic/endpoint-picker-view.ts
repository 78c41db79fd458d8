/**
 * What `explain` says about InferencePool destinations: which pool each
 * share reaches, and who chooses the pod. The pod itself is the endpoint
 * picker's run-time choice (queue depth, KV cache, loaded adapters): explain
 * names the picker, never a pod.
 */
import { ExplainedDestination } from './explanation';
import { ModelInferencePool, poolOfHost } from './inference-pools';
import { HttpRuleSpec } from './specs';
import { TrafficModel } from './traffic-model';

/** The picker a routed request meets, as `explain --json` prints it. */
export interface ExplainedEndpointPicker {
  /** `ns/name` of the InferencePool whose picker is asked, or null when none is. */
  readonly pool: string | null;
  /** `ns/name:port` of the picker's Service, or null. */
  readonly service: string | null;
  readonly failureMode: 'FailClose' | 'FailOpen' | null;
  /** One sentence: who chooses the pod of each share. */
  readonly note: string;
}

/** Each destination that is a pool's shadow Service, marked with the pool (`ns/name`). */
export function withPools(model: TrafficModel, destinations: readonly ExplainedDestination[]): ExplainedDestination[] {
  if (model.inferencePools.length === 0) return [...destinations];
  return destinations.map((d) => {
    const pool = poolOfHost(model.inferencePools, d.host);
    return pool ? { ...d, pool: pool.ref } : d;
  });
}

/** Undefined when no destination is a pool. */
export function endpointPickerOf(model: TrafficModel, rule: HttpRuleSpec, destinations: readonly ExplainedDestination[], fromGateway: boolean): ExplainedEndpointPicker | undefined {
  const pools = destinations.filter((d) => d.pool !== undefined);
  if (pools.length === 0) return undefined;
  if (!fromGateway) {
    return none('a sidecar has no ext_proc filter (Istio adds it on gateways only): no endpoint picker is asked, and Envoy picks the pool\'s pods by the cluster\'s own load balancing');
  }
  const asked = model.inferencePools.find((p) => p.ref === rule.endpointPickerOf);
  if (!asked?.picker) {
    const why = (rule as { corsPolicy?: unknown }).corsPolicy !== undefined ? 'the rule has a CORS filter, which makes Istio drop the route\'s ext_proc settings' : 'Istio takes the rule\'s picker from its last backend, which is not an InferencePool';
    return none(`no endpoint picker is asked: ${why}; Envoy balances the pool's pods round robin`);
  }
  const others = pools.filter((d) => d.pool !== asked.ref);
  const picker = `${asked.picker.service}:${asked.picker.port}`;
  const chooses = `the endpoint picker ${picker} of pool ${asked.ref} (${asked.picker.failureMode}) chooses the pod`;
  const note = others.length === 0
    ? `${chooses}; which pod is its choice at run time`
    : `${chooses} for every share: Istio asks one picker per rule, the last pool's; ${others.map((d) => `the ${d.weight}% sent to pool ${d.pool}`).join(' and ')} get a pod that pool's cluster lacks, so Envoy picks theirs round robin`;
  return { pool: asked.ref, service: picker, failureMode: asked.picker.failureMode, note: note + adapterNote(model, pools, asked.ref) };
}

/** The asked picker's adapter rollouts (it rewrites the body's `model`); the body is not part of the request explain sees. */
function adapterNote(model: TrafficModel, pools: readonly ExplainedDestination[], asked: string): string {
  const rewrites = model.modelRewrites.filter((r) => r.pool === asked);
  const rules = rewrites.flatMap((r) => r.rules.map((rule) => `${rule.models.length ? `model ${rule.models.join(' or ')}` : 'any model'} → ${rule.targets.map((t) => `${t.model} ${t.percent}%`).join(', ')} (InferenceModelRewrite ${r.ref})`));
  const share = pools.length > 1 ? ' for every share' : '';
  const applied = rules.length ? `; it rewrites the body's model${share}: ${rules.join('; ')}` : '';
  const ignored = model.modelRewrites
    .filter((r) => r.pool !== asked && pools.some((d) => d.pool === r.pool))
    .map((r) => `; InferenceModelRewrite ${r.ref} of pool ${r.pool} is not applied: its picker is not asked`);
  return applied + ignored.join('');
}

/** `90% InferencePool ml/llama-3-1-8b` for a pool, the host otherwise. */
export function describeShare(d: ExplainedDestination & { pool?: string }): string {
  return d.pool ? `${d.weight}% InferencePool ${d.pool}` : `${d.weight}% ${d.host || 'an unresolved backendRef'}${d.subset ? ` subset ${d.subset}` : ''}`;
}

function none(note: string): ExplainedEndpointPicker {
  return { pool: null, service: null, failureMode: null, note };
}

export type { ModelInferencePool };
