import { rmSync } from 'node:fs';
import { writeDirectoryAtomically, writeFileAtomically } from '../synth/write-atomically';

/** releases.yaml's text before a move (undefined: there was no file) and after it. */
export interface ReleasesChange {
  readonly previous: string | undefined;
  readonly next: string;
}

/**
 * Writes releases.yaml and dist/ as one change: the file is replaced
 * atomically first, and restored to `previous` if publishing dist/ fails,
 * so the two never disagree. Both contents are computed (and the synth has
 * passed) before anything is written.
 */
export function commitRelease(releasesFile: string, { previous, next }: ReleasesChange, outdir: string, files: ReadonlyMap<string, string>): void {
  writeFileAtomically(releasesFile, next);
  try {
    writeDirectoryAtomically(outdir, files);
  } catch (err) {
    if (previous === undefined) rmSync(releasesFile, { force: true });
    else writeFileAtomically(releasesFile, previous);
    throw err;
  }
}
