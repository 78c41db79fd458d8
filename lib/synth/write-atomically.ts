import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { threadId } from 'node:worker_threads';
import { UserError } from '../errors';

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
    this.staging ??= this.fileSystem('create a folder beside it', () => {
      mkdirSync(dirname(this.target), { recursive: true });
      return mkdtempSync(join(dirname(this.target), `.${basename(this.target)}.new-`));
    });
    return this.staging;
  }

  /** Creates the folders of these files (relative paths with '/' separators). */
  public makeFolders(relatives: Iterable<string>): void {
    const folders = new Set<string>();
    for (const relative of relatives) folders.add(dirname(join(this.path, relative)));
    this.fileSystem('create its folders', () => {
      for (const folder of folders) mkdirSync(folder, { recursive: true });
    });
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
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw this.failure('move the previous output aside', err);
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

  /** A file system step on the output directory; its failure (not a folder, no permission, disk full) is the user's to fix: one line. */
  private fileSystem<T>(step: string, work: () => T): T {
    try {
      return work();
    } catch (err) {
      throw this.failure(step, err);
    }
  }

  private failure(step: string, err: unknown): Error {
    const code = (err as NodeJS.ErrnoException).code;
    return code === undefined ? (err as Error) : new UserError(`outdir ${this.target}: cannot ${step} (${(err as Error).message})`);
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

/**
 * Replaces one file at once: a reader sees the old content or the new one,
 * never half of it, also when two writers race (each stages its own file).
 */
export function writeFileAtomically(file: string, content: string | Uint8Array): void {
  const staging = `${file}.${process.pid}-${threadId}.tmp`;
  try {
    writeFileSync(staging, content);
    renameSync(staging, file);
  } finally {
    rmSync(staging, { force: true });
  }
}
