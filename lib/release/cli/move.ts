import { existsSync, readFileSync } from 'node:fs';
import { commitRelease } from '../commit-release';
import { MoveName, MOVES } from '../moves';
import { ReleasePosition } from '../release-plan';
import { releasesFileText } from '../releases-file';
import { describeChange } from '../traffic-change';
import { BuildApp, Release, ReleaseApp } from './release-app';

/** The position after a move, as releases.yaml records it; throws ImpossibleMove (exit 2) without writing. */
export function nextPosition(move: MoveName, release: Release): ReleasePosition {
  return release.plan.recorded(MOVES[move](release.plan, release.position, release.service));
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
