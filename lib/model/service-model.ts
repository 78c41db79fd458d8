import { Duration } from 'cdk8s';
import { DestinationRuleSpecTrafficPolicy } from '../../imports/networking.istio.io';
import { RequestMatch } from '../match/request-match';
import { Caller } from '../policies/caller';
import { ClientTlsMode } from '../policies/traffic-policy';
import { FaultInjection } from '../policies/fault-injection';
import { RetryPolicy } from '../policies/retry-policy';
import { UriRewrite } from '../policies/uri-rewrite';
import { DestinationDraft, MirrorDraft } from '../strategies/traffic-strategy';

/**
 * One ModelService resolved once into what Istio will do: versions with
 * their effective policies, rules in evaluation order with their bindings.
 * Checks and renderers read this, never the props.
 */
export interface ServiceModel {
  readonly name: string;
  readonly namespace: string;
  readonly host: string;
  readonly stable: string;
  /** The Service port routes are for; undefined: every port. */
  readonly port?: number;
  /** The pod port the Service's port forwards to, when declared (the Gateway API's per-version Services need it). */
  readonly targetPort?: number | string;
  readonly versions: readonly VersionModel[];
  /** In the order Istio evaluates them; the catch-all default last when there is one. */
  readonly rules: readonly RuleModel[];
  /** The routes as declared, in order (for checks that speak in routes). */
  readonly routes: readonly RouteModel[];
  readonly exposure: ExposureModel;
  /** The service-level DestinationRule policy. */
  readonly trafficPolicy?: DestinationRuleSpecTrafficPolicy;
  readonly clientTls?: ClientTlsMode;
  readonly security: SecurityModel;
  readonly hasDefaultRoute: boolean;
}

export interface VersionModel {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  /** The subset's policy with the service's settings merged in: only blocks the version changes. */
  readonly trafficPolicy?: DestinationRuleSpecTrafficPolicy;
  /** Takes no traffic on purpose (being deployed, or on its way out). */
  readonly idle: boolean;
}

export interface RouteModel {
  readonly name: string;
  readonly matches: readonly RequestMatch[];
  readonly isDefault: boolean;
  readonly rewrite?: UriRewrite;
  /** The Service port the route is for: its own, else the service's. */
  readonly port?: number;
  /** Versions the route's strategy names, 0% shares included. */
  readonly referencedVersions: readonly string[];
  /** Versions the route sends traffic to (weight above 0) or mirrors to. */
  readonly servedVersions: readonly string[];
}

export interface RuleModel {
  /** The Istio rule name: `<route>` or `<route>-<suffix>`. */
  readonly name: string;
  readonly route: string;
  /** ORed; each an AND of conditions. Empty: matches every request. */
  readonly matches: readonly RequestMatch[];
  /** A rule for testers, not users: a preview or a fault test. */
  readonly test: boolean;
  /** Applies to in-mesh callers only (test rules of a service exposed through a gateway). */
  readonly meshOnly: boolean;
  readonly destinations: readonly DestinationDraft[];
  readonly mirrors: readonly MirrorDraft[];
  readonly rewrite?: UriRewrite;
  /** Undefined: no timeout (Istio's default for a route). */
  readonly timeout?: Duration;
  /** Undefined: none apply, since the rule's fault answers every request before it is routed. */
  readonly retries?: RetryPolicy;
  readonly fault?: FaultInjection;
  /**
   * The Service port the rule is for (the route's own, else the service's):
   * in-mesh requests must arrive on it, and its destinations use it, so each
   * port routes to itself. Undefined: every port, each to itself.
   */
  readonly port?: number;
}

export interface ExposureModel {
  /** Whether in-mesh callers use these routes. */
  readonly mesh: boolean;
  /** Gateways as `namespace/name`. */
  readonly gateways: readonly string[];
  readonly externalHosts: readonly string[];
  /** Test rules may answer gateway callers too. */
  readonly testRulesFromGateways: boolean;
}

export interface SecurityModel {
  /** Labels of the model's pods, as the user stated them; required by any security object. */
  readonly workloadSelector?: Readonly<Record<string, string>>;
  readonly strictMtls: boolean;
  readonly allowedCallers?: readonly Caller[];
}
