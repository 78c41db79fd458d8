// Compares the route policies Envoy got (the simulate harness reads them from the route:
// timeout in seconds, retry policy) with what `explain` says (Explanation.timeout and
// .retries), for a request both route. Used by the gateway-api phase, where Istio's
// conversion of HTTPRoute timeouts and retry is itself under test.

const UNITS = { h: 3600, m: 60, s: 1, ms: 1e-3, us: 1e-6, µs: 1e-6, ns: 1e-9 };
// Istio's retry conditions for a route whose retry policy names none (pilot's retry.DefaultPolicy).
const ISTIO_DEFAULT_RETRY_ON = 'connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes';

/** Seconds of a duration such as "10s", "1m30s" or "250ms"; null for none or zero. */
export function seconds(duration) {
  if (duration === null || duration === undefined) return null;
  const parts = [...String(duration).matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/g)];
  const total = parts.reduce((sum, [, n, unit]) => sum + Number(n) * UNITS[unit], 0);
  return total > 0 ? Math.round(total * 1e6) / 1e6 : null;
}

/** The differing fields among timeout and retries: [{ field, envoy, ours }]. */
export function comparePolicies(envoy, ours) {
  if (envoy.status !== 200 || ours.status !== 200) return [];
  const diffs = [];
  const envoyTimeout = envoy.timeout ? Math.round(envoy.timeout * 1e6) / 1e6 : null;
  const ourTimeout = seconds(ours.timeout);
  if (envoyTimeout !== ourTimeout) diffs.push({ field: 'timeout', envoy: envoyTimeout, ours: ourTimeout });
  const envoyRetries = envoy.retries
    ? retryPolicy(envoy.retries.attempts, envoy.retries.perTryTimeout || null, envoy.retries.retryOn, envoy.retries.statusCodes ?? [])
    : retryPolicy(0);
  const r = ours.retries;
  const ourRetries = r ? retryPolicy(r.attempts ?? 0, seconds(r.perTryTimeout), (r.retryOn ?? ISTIO_DEFAULT_RETRY_ON).split(','), []) : retryPolicy(0);
  if (JSON.stringify(envoyRetries) !== JSON.stringify(ourRetries)) diffs.push({ field: 'retries', envoy: envoyRetries, ours: ourRetries });
  return diffs;
}

/** One normal form: no retries at all, or attempts, per-try timeout, conditions and status codes (sorted). */
function retryPolicy(attempts, perTryTimeout = null, retryOn = [], statusCodes = []) {
  if (!attempts) return { attempts: 0 };
  const tokens = retryOn.map((t) => t.trim()).filter(Boolean);
  const codes = [...statusCodes, ...tokens.filter((t) => /^\d+$/.test(t)).map(Number)];
  const on = tokens.filter((t) => !/^\d+$/.test(t) && t !== 'retriable-status-codes');
  return { attempts, perTryTimeout, on: [...new Set(on)].sort(), codes: [...new Set(codes)].sort((a, b) => a - b) };
}
