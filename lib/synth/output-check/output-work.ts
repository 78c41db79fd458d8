import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Diagnostic, ObjectValidation } from '../../validation';
import { serializeObjects } from '../serialize';

/**
 * The output files, in output order: each lists its objects by the order
 * they were added to the work (the order services were checked in).
 */
export type FileLayout = ReadonlyArray<readonly number[]>;

/** Files a thread claims at a time: few enough to share the tail, enough to keep the shared counter cold. */
const CLAIM_BATCH = 8;

/**
 * What synth does with the rendered objects, on whichever thread: validate
 * each as it arrives, analyze the set, and serialize files. Serialization is
 * shared through a counter in shared memory: each thread claims the next
 * files until none are left, so two threads finish together.
 */
export class OutputWork {
  private readonly objects: unknown[] = [];
  private readonly validation = new ObjectValidation({ profile: 'strict' });

  public add(objects: readonly unknown[]): void {
    for (const object of objects) {
      this.objects.push(object);
      this.validation.add(object);
    }
  }

  /**
   * The findings on the whole set. `positions[i]`: where the i-th added
   * object stands in the output; `context`: objects owned elsewhere
   * (declared Gateways) that analysis reads.
   */
  public findings(positions: readonly number[], context: readonly unknown[]): Diagnostic[] {
    return this.validation.finish(positions, context);
  }

  public serializeClaimed(layout: FileLayout, claims: Int32Array, written?: WrittenFiles, onBatch?: () => void): Map<number, string> {
    return serializeClaimed(this.objects, layout, claims, written, onBatch);
  }
}

/** Where serialized files are written at once, by the thread that serialized them. */
export interface WrittenFiles {
  readonly directory: string;
  /** By file index: the path under `directory`, whose folder exists. */
  readonly paths: readonly string[];
}

/**
 * Serializes files claimed from `claims[0]` until every file is claimed, and
 * writes each to `written` when given (so that one thread's writing overlaps
 * with the other's serializing); returns them by file index.
 */
export function serializeClaimed(objects: readonly unknown[], layout: FileLayout, claims: Int32Array, written?: WrittenFiles, onBatch?: () => void): Map<number, string> {
  const contents = new Map<number, string>();
  for (;;) {
    const first = Atomics.add(claims, 0, CLAIM_BATCH);
    if (first >= layout.length) return contents;
    onBatch?.();
    const end = Math.min(first + CLAIM_BATCH, layout.length);
    for (let file = first; file < end; file++) {
      const text = serializeObjects(layout[file].map((id) => objects[id]));
      if (written) writeFileSync(join(written.directory, written.paths[file]), text);
      contents.set(file, text);
    }
  }
}
