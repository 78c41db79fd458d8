import { ReleasePosition } from '../release/release-plan';
import { ReleasePositions } from '../release/releases-file';
import { Change, ServiceDiff, TrafficDiff } from './change';
import { summarize } from './summary';

/**
 * The moves of progressive releases between two revisions of releases.yaml
 * that pass the gate, one risky change per service: a move of more than one
 * step, a move the gate was skipped for (`--skip-gate`), or a candidate
 * share that grew to a step no gated promotion recorded (a hand promote, an
 * edit of the file). A rollback or a removed entry takes traffic away from
 * the candidate: never rated here.
 */
export function releaseMoves(before: ReleasePositions, after: ReleasePositions, source: string): Map<string, Change> {
  const moves = new Map<string, Change>();
  for (const [service, now] of Object.entries(after)) {
    const was = before[service]?.from === now.from && before[service]?.to === now.to ? before[service] : undefined;
    if (now.state === 'rolled-back' || (was && JSON.stringify(was) === JSON.stringify(now))) continue;
    const why = pastTheGate(was, now);
    if (why) moves.set(service, { kind: 'release-gate', before: was?.step ?? 0, after: now.step, risk: 'risky', message: `${source}: ${now.from} → ${now.to} ${why}` });
  }
  return moves;
}

function pastTheGate(was: ReleasePosition | undefined, now: ReleasePosition): string | undefined {
  const wasStep = was?.step ?? 0;
  const wasShare = was ? shareOf(was) : 0;
  const nowShare = shareOf(now);
  const shares = wasShare === undefined ? `${now.to} → ${nowShare}%, the base recording no weights` : `${now.to} ${wasShare}% → ${nowShare}%`;
  if (now.gateSkipped !== undefined && now.gateSkipped !== was?.gateSkipped) return `gives ${shares} with the gate skipped: ${now.gateSkipped}`;
  if (now.step > wasStep + 1) return `moves from step ${wasStep} to step ${now.step} (${shares}): more than one step skips the gate`;
  const grew = wasShare === undefined || nowShare === undefined || nowShare > wasShare;
  if (grew && !gateRecorded(now)) {
    const last = now.gated ? `the last gated step is ${now.gated.step}` : 'none is recorded';
    return `${now.state === 'completed' ? 'completes' : 'moves to'} step ${now.step} (${shares}), which no gated promotion recorded (${last})`;
  }
  return undefined;
}

/** The candidate's share; unknown for an entry at a step written before releases.yaml recorded weights. */
function shareOf(position: ReleasePosition): number | undefined {
  if (position.weights) return position.weights[position.to];
  if (position.state === 'completed') return 100;
  return position.state === 'rolled-back' || position.step === 0 ? 0 : undefined;
}

function gateRecorded(position: ReleasePosition): boolean {
  const { gated, weights } = position;
  return gated !== undefined && weights !== undefined && gated.step === position.step &&
    Object.keys(weights).every((version) => gated.weights[version] === weights[version]);
}

/** The diff with each release move added to its service (first), summarized again. */
export function withReleaseMoves(diff: TrafficDiff, moves: ReadonlyMap<string, Change>): TrafficDiff {
  if (!moves.size) return diff;
  const services = new Map<string, ServiceDiff>(diff.services.map((s) => [s.service, s]));
  for (const [service, move] of moves) services.set(service, { service, changes: [move, ...(services.get(service)?.changes ?? [])] });
  const sorted = [...services.values()].sort((a, b) => (a.service < b.service ? -1 : a.service > b.service ? 1 : 0));
  return { ...diff, summary: summarize(sorted, diff.objects), services: sorted };
}
