/**
 * A ModelService declaration as plain data: what the contracts read. Every
 * field stands for one public option (see build.ts for the factory each one
 * calls), so a contract speaks about what the user wrote, never about what
 * the library renders from it. Durations are in milliseconds.
 */

export type StringMatchDecl =
  | { readonly exact: string }
  | { readonly prefix: string }
  | { readonly regex: string };

/** `RequestMatch`: every condition must hold (an AND). */
export interface MatchDecl {
  readonly uri?: StringMatchDecl;
  readonly method?: string;
  /** By lower-case name. */
  readonly headers?: Readonly<Record<string, StringMatchDecl>>;
  readonly queryParams?: Readonly<Record<string, StringMatchDecl>>;
  /** `RequestMatch.cookie(name, value)`. */
  readonly cookie?: { readonly name: string; readonly value: string };
}

export type StrategyDecl =
  | { readonly kind: 'to'; readonly version?: string }
  | { readonly kind: 'canary'; readonly split: Readonly<Record<string, number>> }
  | { readonly kind: 'stickyCanary'; readonly split: Readonly<Record<string, number>>; readonly cookie?: string }
  | { readonly kind: 'abTest'; readonly variants: readonly AbVariantDecl[]; readonly otherwise: StrategyDecl }
  | { readonly kind: 'blueGreen'; readonly active: string; readonly preview?: string; readonly previewWhen?: MatchDecl }
  | { readonly kind: 'shadow'; readonly serve: StrategyDecl; readonly mirror: Readonly<Record<string, number>> }
  | {
    readonly kind: 'progressive';
    readonly from: string;
    readonly to: string;
    readonly steps: readonly number[];
    /** The position releases.yaml records; none: not started. */
    readonly position?: { readonly state: 'progressing' | 'rolled-back' | 'completed'; readonly step: number };
  };

export interface AbVariantDecl {
  readonly name: string;
  readonly when: MatchDecl;
  readonly version: string;
}

export type RetriesDecl =
  | { readonly kind: 'none' }
  | { readonly kind: 'inferenceSafe'; readonly attempts?: number }
  | { readonly kind: 'of'; readonly attempts: number; readonly perTryTimeoutMs?: number; readonly on: readonly string[]; readonly statusCodes?: readonly number[] };

export interface FaultDecl {
  readonly kind: 'delay' | 'abort';
  readonly delayMs?: number;
  readonly httpStatus?: number;
  /** @default header `x-chaos-test: true` */
  readonly onlyWhen?: MatchDecl;
  /** @default 100 */
  readonly percent?: number;
}

export type RewriteDecl =
  | { readonly kind: 'to'; readonly uri: string }
  | { readonly kind: 'kserveV1'; readonly model: string }
  | { readonly kind: 'openInferenceV2'; readonly model: string; readonly version?: string };

export interface RouteDecl {
  readonly name: string;
  /** ORed. */
  readonly match: readonly MatchDecl[];
  readonly strategy: StrategyDecl;
  readonly timeoutMs?: number;
  readonly noTimeout?: boolean;
  readonly port?: number;
  readonly retries?: RetriesDecl;
  readonly fault?: FaultDecl;
  readonly rewrite?: RewriteDecl;
}

export type HashKeyDecl =
  | { readonly header: string }
  | { readonly cookie: string }
  | { readonly sourceIp: true }
  | { readonly queryParameter: string };

export type LoadBalancingDecl =
  | { readonly kind: 'roundRobin' }
  | { readonly kind: 'leastRequest' }
  | { readonly kind: 'consistentHash'; readonly key: HashKeyDecl };

export interface OutlierDetectionDecl {
  readonly consecutive5xxErrors?: number;
  readonly intervalMs?: number;
  readonly baseEjectionTimeMs?: number;
  readonly maxEjectionPercent?: number;
}

export interface ConnectionPoolDecl {
  readonly maxConnections?: number;
  readonly maxPendingRequests?: number;
  readonly maxRequests?: number;
  readonly maxRequestsPerConnection?: number;
  readonly connectTimeoutMs?: number;
}

export interface PolicyDecl {
  readonly loadBalancing?: LoadBalancingDecl;
  readonly warmupMs?: number;
  readonly outlierDetection?: OutlierDetectionDecl;
  readonly connectionPool?: ConnectionPoolDecl;
}

export interface VersionDecl {
  readonly name: string;
  readonly idle?: boolean;
  readonly trafficPolicy?: PolicyDecl;
}

export interface IngressDecl {
  /** `namespace/name`, declared with ExternalGateway.of and these hosts. */
  readonly gateway: string;
  readonly hosts: readonly string[];
  readonly mesh?: boolean;
}

/** `Caller.serviceAccount(namespace, name)` or `Caller.namespace(namespace)`. */
export type CallerDecl = { readonly namespace: string; readonly serviceAccount?: string };

/** One ModelService named `model` in a chart of namespace `ml`. */
export interface ServiceDecl extends PolicyDecl {
  readonly host?: string;
  readonly port?: number;
  readonly versions: readonly VersionDecl[];
  readonly stable?: string;
  readonly routes: readonly RouteDecl[];
  readonly traffic?: StrategyDecl;
  readonly defaultRoute?: boolean;
  readonly timeoutMs?: number;
  readonly retries?: RetriesDecl;
  /** None: Exposure.mesh(). */
  readonly ingress?: readonly IngressDecl[];
  readonly clientTls?: 'ISTIO_MUTUAL' | 'DISABLE';
  readonly strictMtls?: boolean;
  readonly allowedCallers?: readonly CallerDecl[];
  readonly workloadLabels?: Readonly<Record<string, string>>;
  readonly testRulesFromGateways?: boolean;
}

export const SERVICE_NAME = 'model';
export const SERVICE_NAMESPACE = 'ml';

/** Who sends a probe: a sidecar (namespace, service account) or a gateway (`namespace/name`). */
export type ProbeCaller =
  | { readonly kind: 'sidecar'; readonly namespace: string; readonly serviceAccount: string }
  | { readonly kind: 'gateway'; readonly gateway: string };

/** One request as the client sends it: raw path with query, headers as written (any case). */
export interface ProbeRequest {
  readonly caller: ProbeCaller;
  readonly host: string;
  readonly port: number;
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
}
