import { GateUnavailable } from './prometheus';
import { GateQueries } from './promql';

export type GateAnswers = { readonly [query in keyof GateQueries]: number };

/**
 * Refuses answers no candidate can have: a count or latency below 0, a
 * success rate outside 0-100, an infinity, or NaN once requests were counted
 * (NaN is 0/0: it means "no requests", nothing else). Such an answer says
 * the metrics or the query are broken, not the candidate: the gate is
 * unavailable, so nothing moves and nothing is rolled back on it.
 */
export function checkAnswers(prometheusUrl: string, queries: GateQueries, answers: GateAnswers): void {
  const { requests } = answers;
  const problems: Array<[keyof GateQueries, string, boolean]> = [
    ['requests', 'a count from 0', Number.isFinite(requests) && requests >= 0],
    // The two sums add the same series in different orders: allow a rounding error above 100.
    ['successRate', 'from 0 to 100 (%)', inRange(answers.successRate, 0, 100 + 1e-9, requests)],
    ['p99Latency', 'a latency from 0 ms', inRange(answers.p99Latency, 0, Infinity, requests)],
  ];
  const wrong = problems.find(([, , fits]) => !fits);
  if (!wrong) return;
  const [query, rule] = wrong;
  const value = answers[query];
  const when = Number.isNaN(value) && query !== 'requests' ? ` when ${requests} requests were counted` : '';
  throw new GateUnavailable(`Prometheus at ${prometheusUrl}: ${NAMES[query]} must be ${rule}${when}, received ${promValue(value)}, for ${queries[query]}; the gate cannot judge the candidate`);
}

const NAMES: Record<keyof GateQueries, string> = { requests: 'requests', successRate: 'success rate', p99Latency: 'p99 latency' };

/** NaN fits only when no request was counted; infinities never do. */
function inRange(value: number, min: number, max: number, requests: number): boolean {
  if (Number.isNaN(value)) return requests === 0;
  return Number.isFinite(value) && value >= min && value <= max;
}

/** As Prometheus writes it. */
function promValue(value: number): string {
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}
