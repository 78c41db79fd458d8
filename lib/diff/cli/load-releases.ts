import { existsSync, readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { UserError } from '../../errors';
import { parsePositions, ReleasePositions } from '../../release/releases-file';
import { git, topLevel } from './git';

export interface ReleaseRevisions {
  /** The file as given, for messages. */
  readonly source: string;
  readonly before: ReleasePositions;
  readonly after: ReleasePositions;
}

/**
 * releases.yaml at the base commit and in the working tree; a file missing
 * in either records nothing there. The base may predate recorded weights.
 * A file named on the command line (`given`) must exist in one of them: a
 * mistyped path would otherwise read as "no release moved", and the gate
 * would pass every move.
 */
export function loadReleases(cwd: string, commit: string, file: string, given = false): ReleaseRevisions {
  const top = topLevel(cwd);
  const path = relative(top, resolve(cwd, file));
  if (path.startsWith('..')) throw new UserError(`--releases ${file}: outside the git repository ${top}`);
  // git exits 128 when the path does not exist at the commit.
  const atBase = git(top, ['cat-file', '-p', `${commit}:${path}`], undefined, [128]).toString();
  const exists = existsSync(resolve(cwd, file));
  if (given && !exists && atBase === '') throw new UserError(`--releases: no such file in the working tree or at the base, received "${file}"`);
  const onDisk = exists ? readFileSync(resolve(cwd, file), 'utf8') : '';
  return {
    source: file,
    before: parsePositions(atBase, `${file} at the base`, { weightsOptional: true }),
    after: parsePositions(onDisk, file),
  };
}
