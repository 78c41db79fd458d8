import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/**
 * Writes a whole directory tree, then swaps it in place of `outdir`. The new
 * tree is built beside `outdir` (same file system, so renames are cheap), and
 * the old tree is only removed once the new one is in place: a failure at any
 * point leaves the previous output intact.
 */
export function writeDirectoryAtomically(outdir: string, files: ReadonlyMap<string, string>): void {
  const target = resolve(outdir);
  const parent = dirname(target);
  mkdirSync(parent, { recursive: true });
  const staging = mkdtempSync(join(parent, `.${basename(target)}.new-`));
  try {
    const dirs = new Set<string>();
    for (const relative of files.keys()) dirs.add(dirname(join(staging, relative)));
    for (const dir of dirs) mkdirSync(dir, { recursive: true });
    for (const [relative, content] of files) writeFileSync(join(staging, relative), content);
    const retired = `${staging}.old`;
    let hadPrevious = true;
    try {
      renameSync(target, retired);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      hadPrevious = false;
    }
    try {
      renameSync(staging, target);
    } catch (err) {
      if (hadPrevious) renameSync(retired, target);
      throw err;
    }
    if (hadPrevious) rmSync(retired, { recursive: true, force: true });
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
