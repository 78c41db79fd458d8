/**
 * InferencePools (inference.networking.k8s.io/v1) as Istio 1.30's gateway
 * controller treats them (pilot/pkg/config/kube/gateway:
 * inferencepool_collection.go, buildDestination, buildHTTPDestination):
 *
 * - each pool gets a headless "shadow" Service `<pool>-ip-<sha256(pool)[:8]>`
 *   selecting its pods, on port 54321 (one port per target port from there);
 *   an HTTPRoute backendRef to the pool becomes a destination to that
 *   Service's first port;
 * - a rule keeps ONE endpoint-picker config: the last backend's (a Service
 *   backend last leaves the rule with none), and a rule with a CORS filter
 *   loses it (route.go resets the per-filter configs for CORS);
 * - the ext_proc filter that asks the picker exists on gateway proxies only
 *   (listener_builder.go); a sidecar balances the pool's pods itself.
 *
 * The pod a request reaches is the picker's choice at run time: nothing here
 * pretends to know it. Istio must run with ENABLE_GATEWAY_API_INFERENCE_EXTENSION.
 */
import { createHash } from 'node:crypto';
import { CLUSTER_DOMAIN } from './hosts';
import type { ModelService } from './service-registry';

type Json = { readonly [key: string]: any };

export const INFERENCE_GROUP = 'inference.networking.k8s.io';
/** The first port of every shadow Service: the one cluster Istio builds for a pool. */
export const SHADOW_SERVICE_PORT = 54321;

export interface EndpointPickerRef {
  /** `ns/name` of the picker's Service (always in the pool's namespace). */
  readonly service: string;
  readonly port: number;
  readonly failureMode: 'FailClose' | 'FailOpen';
}

export interface ModelInferencePool {
  readonly ref: string;
  readonly name: string;
  readonly namespace: string;
  readonly selector: Readonly<Record<string, string>>;
  readonly targetPorts: readonly number[];
  /** Undefined when the pool names no port for it: Istio then builds nothing for the pool. */
  readonly picker?: EndpointPickerRef;
  /** The shadow Service's FQDN. */
  readonly host: string;
}

export function readInferencePool(object: Json): ModelInferencePool {
  const namespace: string = object.metadata.namespace ?? 'default';
  const name = String(object.metadata.name);
  const spec: Json = object.spec ?? {};
  const ref = spec.endpointPickerRef ?? {};
  const port = ref.port?.number;
  return {
    ref: `${namespace}/${name}`,
    name,
    namespace,
    selector: spec.selector?.matchLabels ?? {},
    targetPorts: (spec.targetPorts ?? []).map((p: Json) => Number(p.number)),
    ...(port !== undefined && ref.name !== undefined && {
      // The CRD's default, and Istio's for anything but FailOpen.
      picker: { service: `${namespace}/${ref.name}`, port: Number(port), failureMode: ref.failureMode === 'FailOpen' ? 'FailOpen' : 'FailClose' },
    }),
    host: `${shadowServiceName(name)}.${namespace}.svc.${CLUSTER_DOMAIN}`,
  };
}

/** InferencePoolServiceName: `<pool>-ip-<first 8 hex of sha256(pool)>`, the pool's name cut to fit 63 characters. */
export function shadowServiceName(pool: string): string {
  const hash = createHash('sha256').update(pool).digest('hex').slice(0, 8);
  const name = `${pool}-ip-${hash}`;
  return name.length <= 63 ? name : `${pool.slice(0, 63 - 4 - 8)}-ip-${hash}`;
}

/**
 * The pools (`ns/name`) Istio creates a shadow Service for: those a route
 * with a parent sends to. findGatewayParents (inferencepool_collection.go)
 * takes every parent in the route's status that Istio's controller wrote,
 * and istiod writes them as istio.io/gateway-controller for Service parents
 * (the mesh) too; so only a pool no route names has none, and a backend to
 * it is not found. (The simulate harness confirms a mesh-only pool is routed.)
 */
export function poolsNamedByRoutes(routes: ReadonlyArray<{ readonly object: Json }>): Set<string> {
  const pools = new Set<string>();
  for (const { object } of routes) {
    const namespace: string = object.metadata?.namespace ?? 'default';
    if (!(object.spec?.parentRefs ?? []).length) continue;
    for (const rule of object.spec?.rules ?? []) {
      for (const b of rule.backendRefs ?? []) if (b.group === INFERENCE_GROUP && b.kind === 'InferencePool') pools.add(`${b.namespace ?? namespace}/${b.name}`);
    }
  }
  return pools;
}

/** The shadow Services Istio creates, as its registry then holds them (headless, one port per target port). */
export function shadowServices(pools: readonly ModelInferencePool[], shadowed: ReadonlySet<string>): ModelService[] {
  return pools.filter((pool) => shadowed.has(pool.ref)).map((pool) => {
    const ports = pool.targetPorts.map((_, i) => SHADOW_SERVICE_PORT + i);
    return { declaredBy: 'Service', host: pool.host, namespace: pool.namespace, exportTo: ['*'], ports, httpPorts: ports, addresses: [], headless: true };
  });
}

/** The pool a shadow Service host stands for. */
export function poolOfHost(pools: readonly ModelInferencePool[], host: string): ModelInferencePool | undefined {
  return pools.find((pool) => pool.host === host);
}

/**
 * buildDestination for kind InferencePool: the shadow Service on its first
 * port, or why Istio keeps the backend unresolved (no such pool, or a pool
 * without a picker port, for which Istio builds no shadow Service).
 */
export function inferencePoolDestination(name: string, namespace: string, pools: readonly ModelInferencePool[], shadowed: ReadonlySet<string>): { host: string; port: number; invalid?: string } | { error: string } {
  if (name.includes('.')) return { error: 'InferencePool.Name invalid; the name of the InferencePool must be used, not the hostname.' };
  const pool = pools.find((p) => p.name === name && p.namespace === namespace);
  if (!pool) return { host: '', port: 0, invalid: `backend(${name}) not found` };
  if (!pool.picker || !shadowed.has(pool.ref)) return { host: '', port: 0, invalid: `backend(${pool.host}) not found` };
  return { host: pool.host, port: SHADOW_SERVICE_PORT };
}

/**
 * The picker a converted rule asks (buildHTTPDestination keeps the last
 * backend's config): undefined when the last backend is not a pool, or when
 * the rule has a CORS filter.
 */
export function rulePicker(backendHosts: readonly string[], pools: readonly ModelInferencePool[], hasCors: boolean): ModelInferencePool | undefined {
  if (hasCors || backendHosts.length === 0) return undefined;
  return poolOfHost(pools, backendHosts[backendHosts.length - 1]);
}

/** An llm-d InferenceModelRewrite (llm-d.ai/v1alpha2): the picker rewrites a requested model to weighted targets (adapter rollouts). */
export interface ModelRewrite {
  readonly ref: string;
  /** `ns/name` of the pool it applies to (always in its own namespace). */
  readonly pool: string;
  readonly rules: ReadonlyArray<{
    /** The requested model names that select the rule (exact matches; none: every model). */
    readonly models: readonly string[];
    /** Each target's share in percent (weights are relative; without weights, equal shares). */
    readonly targets: ReadonlyArray<{ readonly model: string; readonly percent: number }>;
  }>;
}

export const LLM_D_GROUP = 'llm-d.ai';

export function readModelRewrite(object: Json): ModelRewrite {
  const namespace: string = object.metadata.namespace ?? 'default';
  const spec: Json = object.spec ?? {};
  return {
    ref: `${namespace}/${object.metadata.name}`,
    pool: `${namespace}/${spec.poolRef?.name}`,
    rules: (spec.rules ?? []).map((rule: Json) => {
      const targets: Json[] = rule.targets ?? [];
      const total = targets.reduce((sum, t) => sum + Number(t.weight ?? 1), 0);
      return {
        models: (rule.matches ?? []).map((m: Json) => String(m.model?.value)),
        targets: targets.map((t) => ({ model: String(t.modelRewrite), percent: Math.round((10000 * Number(t.weight ?? 1)) / total) / 100 })),
      };
    }),
  };
}
