import { git } from './git';

/**
 * The files under `dir` (relative to the repository's top) that differ
 * between `commit` and the working tree: modified, deleted, or not tracked.
 * Git compares by its index's stat cache, so unchanged files are not read.
 */
export function changedFiles(top: string, commit: string, dir: string): string[] {
  const modified = git(top, ['diff', '--name-only', '-z', '--no-renames', commit, '--', `${dir}/`]).toString().split('\0');
  // Not tracked, ignored ones included: a dist/ that git ignores is all new.
  const untracked = git(top, ['ls-files', '--others', '-z', '--', `${dir}/`]).toString().split('\0');
  return [...new Set([...modified, ...untracked].filter(Boolean))].sort();
}

/** Files under `dir` at `commit` containing any of the words (fixed strings, whole words), by one `git grep`. */
export function filesMentioning(top: string, commit: string, dir: string, words: readonly string[]): string[] {
  if (!words.length) return [];
  const args = ['grep', '-l', '-z', '-w', '-F', ...words.flatMap((w) => ['-e', w]), commit, '--', `${dir}/`];
  const output = git(top, args, undefined, [1]).toString(); // git grep exits 1 when nothing matches
  return output.split('\0').filter(Boolean).map((line) => line.slice(line.indexOf(':') + 1));
}
