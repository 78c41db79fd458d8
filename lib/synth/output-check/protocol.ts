import type { Diagnostic, ValidationOptions } from '../../validation';
import type { FileLayout, WrittenFiles } from './output-work';

/** What the worker starts with. */
export interface WorkerData {
  /**
   * Int32Array[2]: [0] set to 1 when the reply is on the port; [1] counts the
   * worker's steps (a heartbeat: the main thread, blocked, cannot hear
   * events, so a worker that died is known by a count that stopped).
   */
  readonly signal: SharedArrayBuffer;
  /** What the cluster runs, for validation (the Gateway API channel, the inference extension). */
  readonly cluster: ClusterOptions;
}

/** The validation options that describe the cluster rather than the output. */
export type ClusterOptions = Pick<ValidationOptions, 'gatewayApiChannel' | 'inferenceExtension'>;

/**
 * Main thread to worker: objects as services are rendered, as JSON text (the
 * objects are plain data; text costs the worker about half the time a
 * structured clone does to receive), then the output's shape once.
 */
export type WorkerMessage =
  | { readonly add: string }
  | { readonly finish: Finish };

/** The output's shape: where each object stands, which objects each file holds, where files go; and the declared objects owned elsewhere, for analysis. */
export interface Finish {
  /** Int32Array, one flag per file: set by the thread that serializes it (see serializeClaimed). */
  readonly claims: SharedArrayBuffer;
  readonly positions: readonly number[];
  readonly layout: FileLayout;
  readonly context: readonly unknown[];
  readonly written?: WrittenFiles;
}

/** Worker to main thread, once: the findings and the files it serialized, or what went wrong. */
export type WorkerReply =
  | { readonly diagnostics: Diagnostic[]; readonly contents: Array<[number, string]> }
  | { readonly error: string };
