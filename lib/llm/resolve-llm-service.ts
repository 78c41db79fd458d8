import { Duration } from 'cdk8s';
import { UserError } from '../errors';
import type { ReleaseSlot } from '../release/release-book';
import { RuleDraft, StrategyContext, TrafficStrategy } from '../strategies/traffic-strategy';
import { istioDuration } from '../values/istio-duration';
import { checkLabelName } from '../values/names';
import { FailureMode } from './endpoint-picker';
import { AdapterRolloutOptions, InferencePoolOptions, LlmRouteOptions, LlmServiceProps } from './llm-service-props';

/** The header Istio's body-based router (and llm-d's) fills with the request body's `model`. */
export const BASE_MODEL_HEADER = 'X-Gateway-Base-Model-Name';

/** A pool with everything resolved: where it lives and which picker serves it. */
export interface LlmPool {
  readonly name: string;
  readonly namespace: string;
  readonly selector: Readonly<Record<string, string>>;
  readonly targetPorts: readonly number[];
  readonly picker: { readonly service: string; readonly port: number; readonly failureMode: FailureMode };
}

/** One share of a rule: a pool and its relative weight (absent when the rule has one pool). */
export interface LlmBackend {
  readonly pool: LlmPool;
  readonly weight?: number;
}

export interface LlmRule {
  readonly name: string;
  readonly baseModel: string;
  readonly pathPrefix: string;
  /**
   * In the HTTPRoute's order: by share, the largest last. Istio asks the
   * last backend's picker for the whole rule, so the pool with the most
   * traffic keeps its own picker and only the smaller shares lose theirs.
   */
  readonly backends: readonly LlmBackend[];
  /** The route acknowledges that Istio asks the last pool's picker for all its requests. */
  readonly acceptLastPoolPicker: boolean;
}

export interface AdapterRollout {
  readonly pool: LlmPool;
  readonly model: string;
  readonly targets: ReadonlyArray<{ readonly adapter: string; readonly weight?: number }>;
}

/** An LLM service resolved once: every check and renderer reads this, never the props. */
export interface LlmServiceModel {
  readonly name: string;
  readonly namespace: string;
  /** Gateway API Gateways, `namespace/name`. */
  readonly gateways: readonly string[];
  readonly hostnames: readonly string[];
  readonly pools: readonly LlmPool[];
  readonly rules: readonly LlmRule[];
  readonly adapterRollouts: readonly AdapterRollout[];
  /** `timeouts.request`, as Gateway API writes durations. */
  readonly timeout: string;
}

export const DEFAULT_LLM_TIMEOUT = Duration.minutes(10);

/**
 * Resolves a declaration; throws UserError naming `where` (the construct
 * path), the option and the value for the first thing that is wrong.
 */
export function resolveLlmService(
  where: string,
  identity: { name: string; namespace: string },
  props: LlmServiceProps,
  release: ReleaseSlot | undefined,
): LlmServiceModel {
  const exposure = props.exposure;
  if (exposure.mesh) {
    const received = exposure.gateways.length === 0 ? 'Exposure.mesh()' : `Exposure.ingress with mesh: true (the default) for ${exposure.gateways.join(', ')}`;
    throw new UserError(`${where}: exposure must reach the pools through gateways only (Exposure.ingress({ gateway, hosts, mesh: false, unroutedMeshCallers: true })): Istio gives sidecars no ext_proc filter, so a request from the mesh would never ask the endpoint picker; received ${received}`);
  }
  const pools = Object.entries(props.pools).map(([name, options]) => resolvePool(where, identity.namespace, name, options));
  if (pools.length === 0) throw new UserError(`${where}: pools must name at least one InferencePool, received none`);
  if (props.routes.length === 0) throw new UserError(`${where}: routes must hold at least one route, received none`);
  const poolByName = new Map(pools.map((pool) => [pool.name, pool]));
  const rules = props.routes.map((route, index) => resolveRule(where, props.routes, index, route, poolByName, release));
  const adapterRollouts = (props.adapterRollouts ?? []).map((rollout) => resolveAdapterRollout(where, rollout, poolByName));
  return {
    ...identity,
    gateways: exposure.gateways,
    hostnames: exposure.externalHosts,
    pools,
    rules,
    adapterRollouts,
    timeout: gatewayApiDuration(props.timeout ?? DEFAULT_LLM_TIMEOUT, `${where}: timeout`),
  };
}

function resolvePool(where: string, serviceNamespace: string, name: string, options: InferencePoolOptions): LlmPool {
  checkLabelName(`${where}: pool name`, name);
  const at = `${where}: pool "${name}"`;
  if (Object.keys(options.selector).length === 0) {
    throw new UserError(`${at}: selector must name at least one label (an empty selector takes every pod of the namespace), received {}`);
  }
  const ports = options.targetPorts;
  if (ports.length < 1 || ports.length > 8 || new Set(ports).size !== ports.length || ports.some((p) => !Number.isInteger(p) || p < 1 || p > 65535)) {
    throw new UserError(`${at}: targetPorts must be 1 to 8 distinct port numbers from 1 to 65535, received [${ports.join(', ')}]`);
  }
  const namespace = options.namespace === undefined ? serviceNamespace : checkLabelName(`${at}: namespace`, options.namespace);
  const picker = options.endpointPicker;
  return { name, namespace, selector: options.selector, targetPorts: ports, picker: { service: picker.service, port: picker.port, failureMode: picker.failureMode } };
}

function resolveRule(
  where: string,
  routes: readonly LlmRouteOptions[],
  index: number,
  route: LlmRouteOptions,
  pools: ReadonlyMap<string, LlmPool>,
  release: ReleaseSlot | undefined,
): LlmRule {
  checkLabelName(`${where}: route name`, route.name);
  const at = `${where}: route "${route.name}"`;
  if (routes.findIndex((r) => r.name === route.name) !== index) throw new UserError(`${where}: route names must be unique, received "${route.name}" twice`);
  if (route.baseModel.trim() === '') throw new UserError(`${at}: baseModel must be a model name, received "${route.baseModel}"`);
  const pathPrefix = route.pathPrefix ?? '/';
  if (!pathPrefix.startsWith('/')) throw new UserError(`${at}: pathPrefix must start with "/", received "${pathPrefix}"`);
  const earlier = routes.slice(0, index).find((r) => r.baseModel === route.baseModel && pathCovers(r.pathPrefix ?? '/', pathPrefix));
  if (earlier) {
    throw new UserError(`${at}: no request reaches it, route "${earlier.name}" before it takes every request for ${route.baseModel} under ${pathPrefix}; received baseModel "${route.baseModel}" with pathPrefix "${pathPrefix}"`);
  }
  const context: StrategyContext = { versions: [...pools.keys()], stable: [...pools.keys()][0], exposedThroughGateway: true, release };
  const draft = singleRule(at, 'pool', route.strategy, context);
  const backends = draft.destinations.map((d) => ({ pool: pools.get(d.version)!, ...(d.weight !== undefined && { weight: d.weight }) }));
  // A stable sort: equal shares keep the strategy's order.
  backends.sort((a, b) => (a.weight ?? 0) - (b.weight ?? 0));
  return { name: route.name, baseModel: route.baseModel, pathPrefix, acceptLastPoolPicker: route.acceptLastPoolPicker ?? false, backends };
}

function resolveAdapterRollout(where: string, rollout: AdapterRolloutOptions, pools: ReadonlyMap<string, LlmPool>): AdapterRollout {
  const at = `${where}: adapter rollout of "${rollout.model}"`;
  const pool = pools.get(rollout.pool);
  if (!pool) throw new UserError(`${at}: pool must be one of the service's pools (${[...pools.keys()].join(', ')}), received "${rollout.pool}"`);
  if (rollout.model.trim() === '') throw new UserError(`${where}: adapter rollout model must be a model name, received "${rollout.model}"`);
  if (rollout.adapters.length === 0 || new Set(rollout.adapters).size !== rollout.adapters.length || rollout.adapters.some((a) => a.trim() === '')) {
    throw new UserError(`${at}: adapters must be distinct, non-empty adapter names, received [${rollout.adapters.map((a) => JSON.stringify(a)).join(', ')}]`);
  }
  const context: StrategyContext = { versions: rollout.adapters, stable: rollout.adapters[0], exposedThroughGateway: true };
  const draft = singleRule(at, 'adapter', rollout.strategy, context);
  return { pool, model: rollout.model, targets: draft.destinations.map((d) => ({ adapter: d.version, ...(d.weight !== undefined && { weight: d.weight }) })) };
}

/**
 * The strategy's one rule: a share between pools (or adapters) is all an
 * LLM route carries. Strategies that add conditions, mirrors or cookies
 * (A/B tests, shadows, sticky canaries, blue-green previews) are refused by name.
 */
function singleRule(at: string, what: 'pool' | 'adapter', strategy: TrafficStrategy, context: StrategyContext): RuleDraft {
  if (!(strategy instanceof TrafficStrategy)) throw new UserError(`${at}: strategy must be a TrafficStrategy (Strategy.to, Strategy.canary, Strategy.progressive), received ${JSON.stringify(strategy)}`);
  const unknown = strategy.referencedVersions(context).filter((v) => !context.versions.includes(v));
  if (unknown.length) throw new UserError(`${at}: strategy must name only the ${what}s declared (${context.versions.join(', ')}), received "${unknown.join('", "')}"`);
  const problems = strategy.check(context);
  if (problems.length) throw new UserError(`${at}: ${problems[0]}`);
  const rules = strategy.rules(context);
  const rule = rules[0];
  const extra = rules.length !== 1 ? `${rules.length} rules` : rule.when ? 'a condition' : rule.mirrors?.length ? 'mirrors' : rule.testOnly ? 'a test-only rule' : rule.destinations.some((d) => d.addResponseHeaders) ? 'a sticky cookie' : undefined;
  if (extra) throw new UserError(`${at}: strategy must share requests by weight only (Strategy.to, Strategy.canary, Strategy.progressive), received ${strategy.constructor.name}, which adds ${extra}`);
  return rule;
}

/** Whether every path under `inner` is also under the prefix `outer` (whole segments, as Gateway API's PathPrefix). */
function pathCovers(outer: string, inner: string): boolean {
  const trimmed = outer.replace(/\/+$/, '');
  return trimmed === '' || inner === trimmed || inner.startsWith(`${trimmed}/`);
}

/**
 * A Gateway API duration (`1h30m`, `600ms`): whole milliseconds of at least
 * 1 ms (Istio's rule), each unit at most five digits (the CRD's pattern).
 */
function gatewayApiDuration(duration: Duration, field: string): string {
  istioDuration(duration, field);
  let rest = duration.toMilliseconds();
  const parts: string[] = [];
  for (const [unit, size] of [['h', 3_600_000], ['m', 60_000], ['s', 1000], ['ms', 1]] as const) {
    const count = Math.floor(rest / size);
    rest -= count * size;
    if (count > 0) parts.push(`${count}${unit}`);
  }
  const text = parts.join('');
  if (/\d{6}/.test(text)) throw new UserError(`${field} must be at most 99999 hours, received ${duration.toHours({ integral: false })}h`);
  return text;
}
