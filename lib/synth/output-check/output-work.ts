import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Diagnostic, ObjectValidation } from '../../validation';
import { serializeObjects } from '../serialize';
import type { ClusterOptions } from './protocol';

/**
 * The output files, in output order: each lists its objects by the order
 * they were added to the work (the order services were checked in).
 */
export type FileLayout = ReadonlyArray<readonly number[]>;

/** Files between two heartbeats of the thread that serializes them. */
const FILES_PER_BEAT = 8;

/**
 * What synth does with the rendered objects, on whichever thread: validate
 * each as it arrives, analyze the set, and serialize files. Serialization is
 * shared through claims in shared memory, from both ends of the file list
 * (see serializeClaimed), so that two threads finish together.
 */
export class OutputWork {
  private readonly objects: unknown[] = [];
  private readonly validation: ObjectValidation;

  public constructor(cluster: ClusterOptions = {}) {
    this.validation = new ObjectValidation({ profile: 'strict', ...cluster });
  }

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

  public serializeClaimed(layout: FileLayout, claims: Int32Array, end: ClaimEnd, written?: WrittenFiles, onBatch?: () => void): Map<number, string> {
    return serializeClaimed(this.objects, layout, claims, end, written, onBatch);
  }
}

/** Where serialized files are written at once, by the thread that serialized them. */
export interface WrittenFiles {
  readonly directory: string;
  /** By file index: the path under `directory`, whose folder exists. */
  readonly paths: readonly string[];
}

/** Where a thread starts claiming files: the main thread from the first, the worker from the last. */
export type ClaimEnd = 'first' | 'last';

/**
 * Serializes files in order from one end of the list, claiming each in
 * `claims` (one flag per file) first, until it reaches a file the other
 * thread claimed: the two threads meet once, so each file is serialized
 * once, and they write into different folders (files are sorted by path)
 * instead of contending for the same one. Writes each to `written` when
 * given; returns them by file index.
 */
export function serializeClaimed(objects: readonly unknown[], layout: FileLayout, claims: Int32Array, end: ClaimEnd, written?: WrittenFiles, onBatch?: () => void): Map<number, string> {
  const contents = new Map<number, string>();
  const step = end === 'first' ? 1 : -1;
  for (let file = end === 'first' ? 0 : layout.length - 1; file >= 0 && file < layout.length; file += step) {
    if (Atomics.compareExchange(claims, file, 0, 1) !== 0) break;
    if (contents.size % FILES_PER_BEAT === 0) onBatch?.();
    const text = serializeObjects(layout[file].map((id) => objects[id]));
    if (written) writeFileSync(join(written.directory, written.paths[file]), text);
    contents.set(file, text);
  }
  return contents;
}
