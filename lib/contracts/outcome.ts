/**
 * What happens to one request, in terms a user checks: who answers, which
 * versions share it, and what bounds it. Contracts say what it should be;
 * the judge reads what the synthesized YAML does (judge/observe.ts).
 */
export interface Outcome {
  /** 200 served; 403 refused by authorization; 404 no route; 503 no connection; an abort's status. */
  readonly status: number;
  /** Percent per version (subset); `*` is any pod of the service (no route applies). Empty for 404. */
  readonly shares: Readonly<Record<string, number>>;
  /** Percent of requests copied to each version. */
  readonly mirrors: Readonly<Record<string, number>>;
  /** The Service port the request is sent to; undefined: the port it arrived on. */
  readonly port?: number;
  /** The path the model's pods receive (after a rewrite). */
  readonly receivedPath?: string;
  /** The whole request's deadline; null: none. */
  readonly timeoutMs: number | null;
  /** Retries after the first try; null: none. */
  readonly retries: RetriesOutcome | null;
  readonly fault: FaultOutcome | null;
}

export interface RetriesOutcome {
  readonly attempts: number;
  readonly perTryTimeoutMs?: number;
  /** Retry conditions, sorted (Envoy's retry_on plus status codes). */
  readonly on: readonly string[];
}

export type FaultOutcome =
  | { readonly kind: 'delay'; readonly delayMs: number; readonly percent: number }
  | { readonly kind: 'abort'; readonly httpStatus: number; readonly percent: number };

/** The effective DestinationRule policy of one version's pods. */
export interface VersionPolicy {
  readonly loadBalancer: Readonly<Record<string, unknown>> | null;
  readonly outlierDetection: {
    readonly consecutive5xxErrors: number;
    readonly intervalMs: number;
    readonly baseEjectionTimeMs: number;
    readonly maxEjectionPercent: number;
  } | null;
  readonly connectionPool: Readonly<Record<string, number>> | null;
  readonly tls: string | null;
}

/** A request that reaches no route: 404, nothing else applies. */
export function notFound(): Outcome {
  return { status: 404, shares: {}, mirrors: {}, timeoutMs: null, retries: null, fault: null };
}
