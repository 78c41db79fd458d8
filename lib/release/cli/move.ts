import { existsSync, readFileSync } from 'node:fs';
import { commitRelease } from '../commit-release';
import { gateSkip, ImpossibleMove, MoveName, MOVES } from '../moves';
import { ReleasePosition } from '../release-plan';
import { releasesFileText } from '../releases-file';
import { describeChange } from '../traffic-change';
import { BuildApp, Release, ReleaseApp } from './release-app';

/**
 * The position after a move, as releases.yaml records it; throws
 * ImpossibleMove (exit 2) without writing. A move past the gate's next
 * step needs `skipGate`, the reason recorded with it; one that skips
 * nothing refuses it, so that no skip is recorded that did not happen.
 */
export function nextPosition(move: MoveName, { plan, position, service }: Release, skipGate?: string): ReleasePosition {
  // The previous move's skip is not this one's; after a rollback, no gated step vouches for the position.
  const { gateSkipped: _, gated, ...next } = MOVES[move](plan, position, service);
  const moved = { ...next, ...(gated && next.state !== 'rolled-back' && { gated }) };
  const skip = gateSkip(plan, position, moved);
  if (skip && skipGate === undefined) {
    throw new ImpossibleMove(`${service}: ${skip} without the gate; promote through the gate first, or pass --skip-gate <reason> (recorded in releases.yaml; npm run diff rates it risky)`);
  }
  if (!skip && skipGate !== undefined) throw new ImpossibleMove(`${service}: --skip-gate: ${move} at step ${position.step} of ${plan.steps.length} skips no gate; run it without --skip-gate`);
  return plan.recorded({ ...moved, ...(skip && { gateSkipped: skipGate }) });
}

/**
 * Applies a position: synthesizes the app with it in memory, then writes
 * releases.yaml and dist/ together. A synth that fails writes nothing.
 * Returns the traffic change, one line.
 */
export function applyPosition(build: BuildApp, current: ReleaseApp, release: Release, next: ReleasePosition): string {
  const positions = { ...current.recorded, [release.service]: next };
  const file = current.releasesFile;
  const moved = ReleaseApp.synthesize(build, { outdir: current.app.outdir, releasesFile: file, releases: positions });
  const previous = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  commitRelease(file, { previous, next: releasesFileText(previous, release.service, next) }, moved.app.outdir, moved.result.files);
  return `${describeChange(release.service, release.plan, release.position, next)}\n`;
}
