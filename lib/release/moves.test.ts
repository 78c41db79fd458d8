import { Duration } from 'cdk8s';
import { Percent } from '../values/percent';
import { gateSkip } from './moves';
import { ReleasePlan, ReleasePosition } from './release-plan';

const PLAN = new ReleasePlan('v1', 'v2', [Percent.of(10), Percent.of(25), Percent.of(50), Percent.of(100)], {
  minRequests: 100, successRate: Percent.of(99), p99Latency: Duration.millis(500), interval: Duration.minutes(5),
});
const at = (step: number, state: ReleasePosition['state'] = 'progressing'): ReleasePosition => ({ from: 'v1', to: 'v2', state, step });

describe('a move that gives the candidate more than the gate\'s next step skips the gate', () => {
  test.each([
    [at(0), at(0, 'completed'), 'complete at step 0 of 4 gives v2 100% (now 0%)'],
    [at(1), at(1, 'completed'), 'complete at step 1 of 4 gives v2 100% (now 10%)'],
    [at(3), at(3, 'completed'), 'complete at step 3 of 4 gives v2 100% (now 50%)'],
    [at(1), at(3), 'moving from step 1 to step 3 of 4 gives v2 50% (now 10%)'],
    [at(0), at(4), 'moving from step 0 to step 4 of 4 gives v2 100% (now 0%)'],
  ])('%j → %j', (from, to, why) => {
    expect(gateSkip(PLAN, from, to)).toBe(why);
  });

  test.each([
    [at(1), at(2)],
    [at(4), at(4, 'completed')],
    [at(3), at(3, 'rolled-back')],
    [at(4, 'completed'), at(4, 'rolled-back')],
  ])('one step, completing at the last step, and a rollback skip nothing: %j → %j', (from, to) => {
    expect(gateSkip(PLAN, from, to)).toBeUndefined();
  });
});
