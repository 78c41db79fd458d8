import { HttpMatchSpec } from './match-request';
import { StringMatchSpec } from './string-match';

/** The parts of Istio objects, as parsed from YAML, that decide where a request goes. */

export interface DestinationSpec {
  readonly host: string;
  readonly subset?: string;
  readonly port?: { readonly number?: number };
}

export interface HttpRouteDestinationSpec {
  readonly destination: DestinationSpec;
  readonly weight?: number;
  readonly headers?: unknown;
  /** A backendRef Istio's gateway controller keeps but cannot resolve (its host is then ""): why. */
  readonly invalidBackend?: string;
}

/** Where a rule converted from an HTTPRoute is written: the route, its rule and the rule's match. */
export interface HttpRouteOrigin {
  /** `namespace/name` of the HTTPRoute. */
  readonly ref: string;
  /** The file (and revision) it was read from, when known. */
  readonly source?: string;
  readonly rule: number;
  readonly ruleName?: string;
  /** The index of the match in the rule's `matches` (0 for a rule without matches). */
  readonly match: number;
}

export interface HttpRuleSpec {
  readonly name?: string;
  readonly match?: readonly HttpMatchSpec[];
  readonly route?: readonly HttpRouteDestinationSpec[];
  readonly redirect?: {
    readonly redirectCode?: number;
    readonly uri?: string;
    readonly authority?: string;
    readonly scheme?: string;
    readonly port?: number;
    readonly derivePort?: 'FROM_PROTOCOL_DEFAULT' | 'FROM_REQUEST_PORT';
  };
  readonly directResponse?: { readonly status: number };
  readonly delegate?: { readonly name: string; readonly namespace?: string };
  readonly rewrite?: { readonly uri?: string; readonly authority?: string; readonly uriRegexRewrite?: { readonly match: string; readonly rewrite: string } };
  readonly timeout?: string;
  readonly retries?: { readonly attempts?: number; readonly perTryTimeout?: string; readonly retryOn?: string };
  readonly fault?: {
    readonly delay?: { readonly fixedDelay?: string; readonly percentage?: { readonly value?: number } };
    readonly abort?: { readonly httpStatus?: number; readonly grpcStatus?: string; readonly percentage?: { readonly value?: number } };
  };
  readonly mirror?: DestinationSpec;
  readonly mirrorPercentage?: { readonly value?: number };
  readonly mirrorPercent?: number;
  readonly mirrors?: ReadonlyArray<{ readonly destination: DestinationSpec; readonly percentage?: { readonly value?: number } }>;
  readonly headers?: unknown;
  /** Set on the rules Istio's gateway controller converts from an HTTPRoute. */
  readonly origin?: HttpRouteOrigin;
  /** `ns/name` of the InferencePool whose endpoint picker the rule asks (on gateways): Istio keeps one per rule, the last backend's. */
  readonly endpointPickerOf?: string;
}

export interface SubsetSpec {
  readonly name: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly trafficPolicy?: {
    readonly tls?: { readonly mode?: string };
    readonly portLevelSettings?: ReadonlyArray<{ readonly port?: { readonly number?: number }; readonly tls?: { readonly mode?: string } }>;
  };
}

export interface AuthorizationRuleSpec {
  readonly from?: ReadonlyArray<{ readonly source?: Readonly<Record<string, readonly string[] | undefined>> }>;
  readonly to?: ReadonlyArray<{ readonly operation?: Readonly<Record<string, readonly string[] | undefined>> }>;
  readonly when?: ReadonlyArray<{ readonly key: string; readonly values?: readonly string[]; readonly notValues?: readonly string[] }>;
}

export type { StringMatchSpec };
