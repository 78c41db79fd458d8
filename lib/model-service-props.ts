import { Duration } from 'cdk8s';
import { Caller } from './policies/caller';
import { Exposure } from './policies/exposure';
import { RetryPolicy } from './policies/retry-policy';
import { ClientTlsMode, TrafficPolicyOptions } from './policies/traffic-policy';
import { RouteOptions } from './route';
import { TrafficStrategy } from './strategies/traffic-strategy';

/** One deployed version of a model: a DestinationRule subset. */
export interface ModelVersionOptions {
  /**
   * Pod labels that select this version (at least one: a subset without labels selects every pod).
   * @default { <versionLabelKey>: <version name> }
   */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * This version's own settings, merged over the service's field by field:
   * a version that sets `connectionPool: { maxRequests }` keeps the
   * service's other limits, one that sets `outlierDetection: {
   * consecutive5xxErrors }` keeps the service's interval and ejection times.
   */
  readonly trafficPolicy?: TrafficPolicyOptions;
  /**
   * Takes no traffic on purpose: deployed ahead of a release, or on its way
   * out. Before removing a version, keep it idle (and unrouted) for one
   * apply, so no route points at a subset that is gone.
   * @default false
   */
  readonly idle?: boolean;
}

/**
 * Which routing API a service's objects are written in: Istio's
 * (VirtualService and DestinationRule subsets) or the Kubernetes Gateway API
 * (HTTPRoute, one Service per version). See docs/reference.md, "Gateway API".
 */
export type RoutingApi = 'istio' | 'gateway-api';

/** Every RoutingApi, for checking a value given at run time. */
export const ROUTING_APIS: readonly RoutingApi[] = ['istio', 'gateway-api'];

export interface ModelServiceProps extends TrafficPolicyOptions {
  /**
   * The routing API of this service's objects; synth refuses, by name, every
   * declared option the Gateway API cannot express on Istio.
   * @default the RoutingApp's api, else 'istio'
   */
  readonly api?: RoutingApi;
  /**
   * The Kubernetes Service that fronts every version: a short name (in the
   * service's namespace) or its full name `name.namespace.svc.cluster.local`.
   * @default the construct id
   */
  readonly host?: string;
  /**
   * Where every object of the service goes. It must be the Service's own
   * namespace: Istio finds a DestinationRule in the caller's namespace, then
   * the Service's, so subsets anywhere else reach only that namespace's
   * callers. A full host name in another namespace moves the objects there
   * (an explicit `namespace` that disagrees with it is refused).
   * @default the namespace of a full `host` name, else the chart's namespace, else "default"
   */
  readonly namespace?: string;
  /**
   * The Service port; set it when the Service exposes several ports. Every
   * route without a port of its own, the default included, answers in-mesh
   * requests that arrive on this port and sends them to it: a request on
   * another port is never sent to this one.
   * @default any port, each request to the port it arrived on
   */
  readonly port?: number;
  /**
   * The container port the Service's `port` forwards to (its
   * `spec.ports[].targetPort`), by number or name. Required by the Gateway
   * API output only: each version gets a Service of its own, which must
   * forward to the same pod port as the service's Service, and the library
   * never guesses it.
   * @default none
   */
  readonly targetPort?: number | string;
  /** Versions by subset name, in the order they should appear. */
  readonly versions: Readonly<Record<string, ModelVersionOptions>>;
  /**
   * @default 'version'
   */
  readonly versionLabelKey?: string;
  /**
   * The version that takes whatever no route claims.
   * @default the first version
   */
  readonly stable?: string;
  /**
   * Routes for specific requests, evaluated in this order (Istio uses the
   * first that matches); the catch-all default route comes last.
   */
  readonly routes?: readonly RouteOptions[];
  /**
   * How the catch-all default route shares traffic.
   * @default Strategy.to(stable)
   */
  readonly traffic?: TrafficStrategy;
  /**
   * End the route table with a catch-all route. Without one, a request that
   * matches no route gets a 404 from the sidecar.
   * @default true
   */
  readonly defaultRoute?: boolean;
  /** Default timeout of every route, retries included. */
  readonly timeout?: Duration;
  /**
   * Default retries of every route.
   * @default RetryPolicy.inferenceSafe(): 2 retries of connection failures and refused streams
   */
  readonly retries?: RetryPolicy;
  /**
   * @default Exposure.mesh()
   */
  readonly exposure?: Exposure;
  /**
   * TLS from clients to the model's pods.
   * @default none: Istio's automatic mTLS (mutual TLS to pods with a sidecar, plain text to pods without)
   */
  readonly clientTls?: ClientTlsMode;
  /**
   * Emit a PeerAuthentication that makes the model's pods accept mutual TLS only.
   * @default false
   */
  readonly strictMtls?: boolean;
  /**
   * Emit an AuthorizationPolicy that lets only these callers reach the model's routes.
   * An empty list lets nobody in: the policy has no rules, and Istio denies
   * every request to the selected pods (in-mesh callers and gateways alike).
   * @default no AuthorizationPolicy
   */
  readonly allowedCallers?: readonly Caller[];
  /**
   * Labels every pod of the model carries (all versions), for example
   * `{ app: 'image-classifier' }`. Required with strictMtls or allowedCallers:
   * the security objects select exactly these pods. Each version's default
   * labels are these plus the version label.
   */
  readonly workloadLabels?: Readonly<Record<string, string>>;
  /**
   * Let callers through gateways use test rules (preview headers, fault
   * tests). Off by default: they answer in-mesh callers only, and a service
   * bound to gateways only (`mesh: false`) with test rules is refused.
   * @default false
   */
  readonly testRulesFromGateways?: boolean;
}
