import type { WorkloadSecurity } from '../traffic/access';
import type { HttpMatchSpec } from '../traffic/match-request';

/**
 * A service's traffic as a reviewer reads it, derived from the TrafficModel:
 * where requests enter, which rule takes them (in order), where each rule
 * sends them, and who may call each version. The diff and the diagrams are
 * both functions of this view; neither reads YAML.
 */
export interface ServiceView {
  /** The VirtualService, `namespace/name`. */
  readonly service: string;
  /** The host whose subsets are the versions: the first Kubernetes-service host, else the first host. */
  readonly host?: string;
  /** Hosts as resolved by the model (FQDNs for Kubernetes services), sorted. */
  readonly hosts: readonly string[];
  /** `mesh` and gateways as `ns/name`, sorted. */
  readonly gateways: readonly string[];
  /** The DestinationRule's subsets, then any other destination the routes name, in that order. */
  readonly versions: readonly string[];
  /** In the order Istio evaluates them: the first rule that matches takes the request. */
  readonly routes: readonly RouteView[];
  /** Where the VirtualService and the DestinationRule are visible (`exportTo`; `*` when unset). */
  readonly exportTo: readonly string[];
  readonly ruleExportTo?: readonly string[];
  /** Per version (subset), who may reach its pods and how. */
  readonly security: readonly VersionSecurity[];
  /** The HTTPRoutes (`ns/name`) Istio converted into this VirtualService, when it was converted from HTTPRoutes. */
  readonly httpRoutes?: readonly string[];
  /** The InferencePools among the versions: their pickers and the adapter shares inside them. */
  readonly pools?: readonly PoolView[];
}

/** An InferencePool a service routes to, as a version. */
export interface PoolView {
  /** Its name among the view's versions: `pool <name>`. */
  readonly version: string;
  /** `ns/name` */
  readonly pool: string;
  /** `ns/service:port (FailClose)`, or `none`. */
  readonly picker: string;
  /** Per requested model, the shares of its adapters (llm-d InferenceModelRewrite), sorted by adapter. */
  readonly adapters: ReadonlyArray<{ readonly model: string; readonly shares: readonly Share[] }>;
}

export interface RouteView {
  /** What identifies the route across revisions: its match conditions, canonical (key order and block order do not matter). */
  readonly key: string;
  /** The match conditions for people: `/predict`, `POST /score`, `any request`. */
  readonly label: string;
  /** The match blocks as written (any block may match); empty for a catch-all. */
  readonly conditions: readonly HttpMatchSpec[];
  /** The rule's name in the YAML, if any (not part of its identity). */
  readonly name?: string;
  /** Per destination version, its share of the route's requests in percent; sorted by version. */
  readonly destinations: readonly Share[];
  /** Copies of requests sent to other versions (responses discarded); sorted by version. */
  readonly mirrors: readonly Share[];
  /** A route that answers without a destination: a redirect, a direct response, a delegate. */
  readonly action?: string;
  readonly rewrite?: string;
  readonly timeout?: string;
  readonly retries?: string;
  readonly fault?: string;
  /** The endpoint picker a gateway asks for every request of the rule, when it routes to InferencePools (Istio keeps one per rule). */
  readonly picker?: string;
}

export interface Share {
  /** A subset of the service's own host, or `host` / `host:subset` for another service. */
  readonly version: string;
  /** 0 to 100, rounded to two decimals. */
  readonly percent: number;
  /** A host that is not a Kubernetes service: the requests (or the copies) leave the mesh. */
  readonly outsideMesh?: true;
}

export interface VersionSecurity extends WorkloadSecurity {
  readonly version: string;
  /** The service's host, and the labels known to be on the version's pods (its subset's). */
  readonly host: string;
  readonly labels: Readonly<Record<string, string>>;
  /** The PeerAuthentication mode that applies to the version's pods: STRICT, PERMISSIVE or DISABLE. */
  readonly mtls: string;
  /** Sources an ALLOW policy admits (`principal ...`, `namespace ...`), or `any caller` when no ALLOW policy applies; sorted. */
  readonly callers: readonly string[];
  /** Paths an ALLOW policy admits, or `any path`; sorted. */
  readonly paths: readonly string[];
  /** DENY policies that select the version's pods, as `ns/name`; sorted. */
  readonly denyPolicies: readonly string[];
}

export const ANY_CALLER = 'any caller';
export const ANY_PATH = 'any path';
