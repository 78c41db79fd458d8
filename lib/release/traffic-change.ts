import { ReleasePlan, ReleasePosition } from './release-plan';

/**
 * One line for a commit message: each version's share before → after, the
 * candidate first, e.g. `ml/fraud-scorer: v2 10% → 25%, v1 90% → 75%`.
 */
export function describeChange(service: string, plan: ReleasePlan, before: ReleasePosition, after: ReleasePosition): string {
  const was = plan.weightsAt(before);
  const now = plan.weightsAt(after);
  const shares = [plan.to, plan.from].map((v) => (was[v] === now[v] ? `${v} ${now[v]}% (unchanged)` : `${v} ${was[v]}% → ${now[v]}%`));
  const skipped = after.gateSkipped === undefined ? '' : `; gate skipped: ${after.gateSkipped}`;
  return `${service}: ${shares.join(', ')} (${describePosition(plan, after)}${skipped})`;
}

/** `step 2 of 4`, `rolled back`, `completed`. */
export function describePosition(plan: ReleasePlan, at: ReleasePosition): string {
  if (at.state === 'rolled-back') return 'rolled back';
  if (at.state === 'completed') return 'completed';
  return `step ${at.step} of ${plan.steps.length}`;
}
