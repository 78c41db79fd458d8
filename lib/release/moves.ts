import { UserError } from '../errors';
import { ReleasePlan, ReleasePosition } from './release-plan';

/** A move the release's state does not allow: the CLI exits 2 and writes nothing. */
export class ImpossibleMove extends UserError {
  public constructor(message: string) {
    super(message);
    this.name = 'ImpossibleMove';
  }
}

export type MoveName = 'promote' | 'rollback' | 'complete';

/** One step forward; only a progressing release that has a next step can move. */
export function promote(plan: ReleasePlan, at: ReleasePosition, service: string): ReleasePosition {
  if (at.state !== 'progressing') throw new ImpossibleMove(`${service}: cannot promote a ${at.state} release (${at.from} → ${at.to})`);
  if (at.step >= plan.steps.length) {
    throw new ImpossibleMove(`${service}: cannot promote past the last step (step ${at.step} of ${plan.steps.length}, ${at.to} at 100%); run complete to finish the release`);
  }
  return { ...at, step: at.step + 1 };
}

/** All traffic back to `from`; blocks further promotion. */
export function rollback(_plan: ReleasePlan, at: ReleasePosition, service: string): ReleasePosition {
  if (at.state === 'rolled-back') throw new ImpossibleMove(`${service}: the release ${at.from} → ${at.to} is already rolled back`);
  return { ...at, state: 'rolled-back' };
}

/** All traffic to `to`, for good: the person completing it makes `to` the stable version in code next. */
export function complete(_plan: ReleasePlan, at: ReleasePosition, service: string): ReleasePosition {
  if (at.state !== 'progressing') throw new ImpossibleMove(`${service}: cannot complete a ${at.state} release (${at.from} → ${at.to})`);
  return { ...at, state: 'completed' };
}

/**
 * Why a move gives the candidate more than the gate's next step would
 * (completing before the last step, or jumping steps); undefined when it
 * does not. A rollback never skips the gate: it takes traffic away.
 */
export function gateSkip(plan: ReleasePlan, at: ReleasePosition, next: ReleasePosition): string | undefined {
  if (next.state === 'rolled-back') return undefined;
  const share = `${plan.to} ${plan.weightsAt(next)[plan.to]}% (now ${plan.weightsAt(at)[plan.to]}%)`;
  if (next.state === 'completed' && at.step < plan.steps.length) return `complete at step ${at.step} of ${plan.steps.length} gives ${share}`;
  if (next.step > at.step + 1) return `moving from step ${at.step} to step ${next.step} of ${plan.steps.length} gives ${share}`;
  return undefined;
}

export const MOVES: Record<MoveName, (plan: ReleasePlan, at: ReleasePosition, service: string) => ReleasePosition> = { promote, rollback, complete };
