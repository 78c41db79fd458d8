import { Duration } from 'cdk8s';

/** The candidate whose metrics decide a step: Istio's `destination_service` (FQDN) and `destination_version`. */
export interface Candidate {
  readonly fqdn: string;
  readonly version: string;
}

/** The three queries of the gate, on Istio's standard metrics as the destination's sidecar reports them. */
export interface GateQueries {
  readonly requests: string;
  readonly successRate: string;
  readonly p99Latency: string;
}

/** `5m` → `300s`; PromQL range durations take whole units. */
export function promDuration(duration: Duration): string {
  const ms = duration.toMilliseconds({ integral: false });
  return Number.isInteger(ms / 1000) ? `${ms / 1000}s` : `${Math.round(ms)}ms`;
}

/**
 * `reporter="destination"`: Istio reports each request from both sidecars;
 * counting one side only avoids counting a request twice.
 */
export function gateQueries(candidate: Candidate, interval: Duration): GateQueries {
  const selector = `reporter="destination",destination_service="${escape(candidate.fqdn)}",destination_version="${escape(candidate.version)}"`;
  const range = promDuration(interval);
  const all = `sum(increase(istio_requests_total{${selector}}[${range}]))`;
  // `or vector(0)`: when every response is a 5xx there is no non-5xx series at all.
  const ok = `(sum(increase(istio_requests_total{${selector},response_code!~"5.."}[${range}])) or vector(0))`;
  return {
    requests: all,
    successRate: `${ok} / ${all} * 100`,
    p99Latency: `histogram_quantile(0.99, sum by (le) (rate(istio_request_duration_milliseconds_bucket{${selector}}[${range}])))`,
  };
}

function escape(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}
