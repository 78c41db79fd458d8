import { existsSync, readFileSync } from 'node:fs';
import { commitRelease } from '../commit-release';
import { MoveName, MOVES } from '../moves';
import { ReleasePosition } from '../release-plan';
import { releasesFileText } from '../releases-file';
import { describeChange } from '../traffic-change';
import { BuildApp, Release, ReleaseApp } from './release-app';

export interface MoveOptions {
  readonly outdir: string;
  readonly releasesFile?: string;
}

/** The position after a move; throws ImpossibleMove (exit 2) without writing. */
export function nextPosition(move: MoveName, release: Release): ReleasePosition {
  return MOVES[move](release.plan, release.position, release.service);
}

/**
 * Applies a position: synthesizes the app with it in memory, then writes
 * releases.yaml and dist/ together. A synth that fails writes nothing.
 * Returns the traffic change, one line.
 */
export function applyPosition(build: BuildApp, current: ReleaseApp, release: Release, next: ReleasePosition, options: MoveOptions): string {
  const positions = { ...current.recorded, [release.service]: next };
  const moved = ReleaseApp.synthesize(build, { outdir: options.outdir, releasesFile: current.releasesFile, releases: positions });
  const file = current.releasesFile;
  const previous = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  commitRelease(file, releasesFileText(previous, release.service, next), moved.app.outdir, moved.result.files);
  return `${describeChange(release.service, release.plan, release.position, next)}\n`;
}
