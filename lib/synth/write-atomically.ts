import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/**
 * A directory tree built beside `outdir` (same file system, so renames are
 * cheap) and swapped in place of it at once: until `publish`, the previous
 * output stays as it was, and `discard` leaves no trace. Nothing is created
 * before the first write.
 */
export class StagedDirectory {
  private readonly target: string;
  private staging?: string;
  private published = false;

  public constructor(outdir: string) {
    this.target = resolve(outdir);
  }

  /** The staging directory, created on first use. */
  public get path(): string {
    if (this.staging === undefined) {
      mkdirSync(dirname(this.target), { recursive: true });
      this.staging = mkdtempSync(join(dirname(this.target), `.${basename(this.target)}.new-`));
    }
    return this.staging;
  }

  /** Creates the folders of these files (relative paths with '/' separators). */
  public makeFolders(relatives: Iterable<string>): void {
    const folders = new Set<string>();
    for (const relative of relatives) folders.add(dirname(join(this.path, relative)));
    for (const folder of folders) mkdirSync(folder, { recursive: true });
  }

  public write(relative: string, content: string): void {
    writeFileSync(join(this.path, relative), content);
  }

  /** Puts the staged tree in place of the target; the old tree is removed only once the new one is in place. */
  public publish(): void {
    const staging = this.path;
    const retired = `${staging}.old`;
    let hadPrevious = true;
    try {
      renameSync(this.target, retired);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      hadPrevious = false;
    }
    try {
      renameSync(staging, this.target);
    } catch (err) {
      if (hadPrevious) renameSync(retired, this.target);
      throw err;
    }
    this.published = true;
    if (hadPrevious) rmSync(retired, { recursive: true, force: true });
  }

  /** Removes the staged tree unless it was published. */
  public discard(): void {
    if (this.staging !== undefined && !this.published) rmSync(this.staging, { recursive: true, force: true });
  }
}

/** Writes a whole directory tree in place of `outdir`: a failure at any point leaves the previous output intact. */
export function writeDirectoryAtomically(outdir: string, files: ReadonlyMap<string, string>): void {
  const staged = new StagedDirectory(outdir);
  try {
    staged.makeFolders(files.keys());
    for (const [relative, content] of files) staged.write(relative, content);
    staged.publish();
  } finally {
    staged.discard();
  }
}
