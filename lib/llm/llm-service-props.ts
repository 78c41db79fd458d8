import { Duration } from 'cdk8s';
import { Exposure } from '../policies/exposure';
import { TrafficStrategy } from '../strategies/traffic-strategy';
import { EndpointPicker } from './endpoint-picker';

/** One InferencePool: a set of model-server pods and the picker that chooses among them. */
export interface InferencePoolOptions {
  /** Labels of the model-server pods (at least one: an empty selector would take every pod of the namespace). */
  readonly selector: Readonly<Record<string, string>>;
  /** The ports the model servers listen on (1 to 8, distinct), e.g. [8000] for vLLM. */
  readonly targetPorts: readonly number[];
  /** The pool's endpoint picker, with its failure mode stated. */
  readonly endpointPicker: EndpointPicker;
  /**
   * The namespace of the pool and of its picker, when it is not the
   * service's (a platform team's shared pool): the HTTPRoute then refers
   * across namespaces, and the service emits the ReferenceGrant that allows it.
   * @default the service's namespace
   */
  readonly namespace?: string;
}

/** A route: requests for one base model, shared between pools. */
export interface LlmRouteOptions {
  /** The HTTPRoute rule's name. */
  readonly name: string;
  /**
   * The base model, as the body-based router puts it in the
   * `X-Gateway-Base-Model-Name` header (the request body's `model`).
   */
  readonly baseModel: string;
  /**
   * A path prefix the requests must also have, e.g. `/v1/chat/completions`.
   * @default '/' (every path)
   */
  readonly pathPrefix?: string;
  /**
   * How requests are shared between pools, by pool name: `Strategy.to`,
   * `Strategy.canary` (base-model or hardware rollouts), or
   * `Strategy.progressive` (stepped by `npm run release`).
   */
  readonly strategy: TrafficStrategy;
  /**
   * Acknowledges what Istio 1.30 does with a weighted split across pools:
   * it asks one endpoint picker per rule, the last pool's, for every
   * request; the shares sent to the other pools get a pod their cluster
   * lacks, so Envoy picks theirs round robin, not by load. Synth warns
   * until this is set; `explain` says it either way.
   * @default false
   */
  readonly acceptLastPoolPicker?: boolean;
}

/** A weighted split between LoRA adapter versions inside one pool (an llm-d InferenceModelRewrite). */
export interface AdapterRolloutOptions {
  /** The pool whose servers load the adapters. */
  readonly pool: string;
  /** The model name clients ask for (the request body's `model`). */
  readonly model: string;
  /** The adapter names the servers load, which the strategy shares requests between. */
  readonly adapters: readonly string[];
  /** `Strategy.canary({ 'support-v1': Percent.of(90), 'support-v2': Percent.of(10) })` or `Strategy.to(...)`. */
  readonly strategy: TrafficStrategy;
}

export interface LlmServiceProps {
  /**
   * Where requests come from: `Exposure.ingress({ gateway, hosts, mesh:
   * false, unroutedMeshCallers: true })`. Gateways only: Istio gives
   * sidecars no ext_proc filter, so a pool reached from the mesh would never
   * ask its endpoint picker, and synth refuses it.
   */
  readonly exposure: Exposure;
  /** Pools by name (the InferencePool objects' names), in the order they should appear. */
  readonly pools: Readonly<Record<string, InferencePoolOptions>>;
  /** Routes in evaluation order; a request that matches none gets 404 from the gateway. */
  readonly routes: readonly LlmRouteOptions[];
  /** Adapter rollouts inside pools. */
  readonly adapterRollouts?: readonly AdapterRolloutOptions[];
  /**
   * The whole request, last streamed token included (HTTPRoute
   * `timeouts.request`). A streamed completion is one HTTP request, so this
   * bounds the longest generation, not the time to the first token; Envoy's
   * stream idle timeout (5 minutes without a byte) applies besides.
   * @default Duration.minutes(10)
   */
  readonly timeout?: Duration;
  /**
   * Where every object of the service goes (a pool with its own `namespace` goes there).
   * @default the chart's namespace, else "default"
   */
  readonly namespace?: string;
}
