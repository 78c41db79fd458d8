import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { writeDirectoryAtomically } from '../synth/write-atomically';

/**
 * Writes releases.yaml and dist/ as one change: the file is replaced
 * atomically first, and restored if publishing dist/ fails, so the two
 * never disagree. Both contents are computed (and the synth has passed)
 * before anything is written.
 */
export function commitRelease(releasesFile: string, releasesText: string, outdir: string, files: ReadonlyMap<string, string>): void {
  const previous = existsSync(releasesFile) ? readFileSync(releasesFile, 'utf8') : undefined;
  writeFileAtomically(releasesFile, releasesText);
  try {
    writeDirectoryAtomically(outdir, files);
  } catch (err) {
    if (previous === undefined) rmSync(releasesFile, { force: true });
    else writeFileAtomically(releasesFile, previous);
    throw err;
  }
}

function writeFileAtomically(file: string, text: string): void {
  const staging = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(staging, text);
    renameSync(staging, file);
  } finally {
    rmSync(staging, { force: true });
  }
}
