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
   * Pod labels that select this version.
   * @default { <versionLabelKey>: <version name> }
   */
  readonly labels?: Readonly<Record<string, string>>;
  /** Overrides the service's traffic policy for this version only. */
  readonly trafficPolicy?: TrafficPolicyOptions;
}

export interface ModelServiceProps extends TrafficPolicyOptions {
  /**
   * The Kubernetes Service that fronts every version.
   * @default the construct id
   */
  readonly host?: string;
  /**
   * @default the chart's namespace, else "default"
   */
  readonly namespace?: string;
  /** The Service port; set it when the Service exposes several ports. */
  readonly port?: number;
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
  /** Routes for specific requests; ordered narrowest first in the output. */
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
   * @default ClientTlsMode.ISTIO_MUTUAL
   */
  readonly clientTls?: ClientTlsMode;
  /**
   * Emit a PeerAuthentication that makes the model's pods accept mutual TLS only.
   * @default false
   */
  readonly strictMtls?: boolean;
  /**
   * Emit an AuthorizationPolicy that lets only these callers reach the model's routes.
   * @default no AuthorizationPolicy
   */
  readonly allowedCallers?: readonly Caller[];
  /**
   * Labels of the model's pods, for PeerAuthentication and AuthorizationPolicy.
   * @default { app: <name> }
   */
  readonly workloadLabels?: Readonly<Record<string, string>>;
}
