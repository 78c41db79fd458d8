import { ReleaseAnalysis } from '../release-plan';
import { checkAnswers } from './answer-ranges';
import { queryValue } from './prometheus';
import { Candidate, gateQueries, promDuration } from './promql';

export interface GateCheck {
  readonly name: 'requests' | 'success rate' | 'p99 latency';
  readonly passed: boolean;
  /** `pass  success rate  99.50% >= 99%` */
  readonly line: string;
}

export interface GateVerdict {
  readonly checks: readonly GateCheck[];
  readonly passed: boolean;
  /**
   * Enough requests were seen and a quality check failed: evidence against
   * the candidate (a rollback is justified). Too few requests is a reason
   * not to promote, never a reason to roll back.
   */
  readonly candidateFailed: boolean;
}

/**
 * Measures the candidate over the plan's interval and compares with its
 * thresholds. Throws GateUnavailable (fail closed: no move, no rollback)
 * when Prometheus cannot answer every query, or answers a value no
 * candidate can have.
 */
export async function runGate(prometheusUrl: string, candidate: Candidate, analysis: ReleaseAnalysis): Promise<GateVerdict> {
  const queries = gateQueries(candidate, analysis.interval);
  const answers = await Promise.allSettled([queries.requests, queries.successRate, queries.p99Latency].map((q) => queryValue(prometheusUrl, q)));
  // The first failure in query order, whichever answered first: the same cause gives the same message.
  const failed = answers.find((a): a is PromiseRejectedResult => a.status === 'rejected');
  if (failed) throw failed.reason;
  const [requests, successRate, p99] = answers.map((a) => (a as PromiseFulfilledResult<number>).value);
  checkAnswers(prometheusUrl, queries, { requests, successRate, p99Latency: p99 });
  const p99Limit = analysis.p99Latency.toMilliseconds({ integral: false });
  const checks = [
    check('requests', requests >= analysis.minRequests, `${round(requests)} >= ${analysis.minRequests} in ${promDuration(analysis.interval)}`),
    check('success rate', successRate >= analysis.successRate.value, `${percent(successRate)} >= ${analysis.successRate.value}%`),
    check('p99 latency', p99 <= p99Limit, `${Number.isNaN(p99) ? 'NaN (no requests)' : `${round(p99)}ms`} <= ${p99Limit}ms`),
  ];
  const passed = checks.every((c) => c.passed);
  return { checks, passed, candidateFailed: checks[0].passed && !passed };
}

function check(name: GateCheck['name'], passed: boolean, comparison: string): GateCheck {
  return { name, passed, line: `${passed ? 'pass' : 'FAIL'}  ${name.padEnd(12)}  ${comparison}` };
}

function round(value: number): string {
  return String(Math.round(value * 100) / 100);
}

function percent(value: number): string {
  return Number.isNaN(value) ? 'NaN (no requests)' : `${value.toFixed(2)}%`;
}
