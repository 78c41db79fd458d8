import { MessageChannel, MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { Diagnostic } from '../../validation';
import type { OutputFile } from '../collect';
import { OutputWork, serializeClaimed } from './output-work';
import type { ClusterOptions, Finish, WorkerData, WorkerMessage, WorkerReply } from './protocol';
import { workerScript } from './worker-script';

/** Objects per message to the worker: fewer messages, while it still starts early. */
const BATCH_OBJECTS = 512;

/**
 * A worker that has done nothing for this long while the main thread waits
 * is gone (out of memory, say): it counts every step, and a step takes
 * milliseconds. Tests shorten it.
 */
export const WORKER_LIMITS = { stallMs: 60_000 };

export interface CheckedOutput {
  /** Validation findings; `objectIndex` counts objects in output order. */
  readonly diagnostics: Diagnostic[];
  /** Each output file's YAML, in the order of the files given to `finish`. */
  readonly contents: string[];
}

/** Where the validation and the worker's share of serialization run. */
interface Helper {
  add(objects: readonly unknown[]): void;
  /** Starts the set's analysis and the helper's share of serialization. */
  finish(output: Finish): void;
  /** Waits for the helper's answer. */
  reply(): WorkerReply;
  close(): void;
}

/**
 * Validation and serialization of synth's output, on a second thread when
 * asked: the app's objects are handed over service by service as they are
 * rendered, so validation runs while this thread resolves the next services;
 * then both threads serialize files, from both ends of the list, until
 * they meet. Synth stays synchronous (cdk8s's `App.synth` is): this thread
 * blocks on shared memory for the answer. On one thread, the same steps run
 * in turn.
 */
export class OutputCheck {
  /** `parallel`: on a worker, when its bundle exists (its code loads while this thread checks the first services). */
  public static start(parallel: boolean, cluster: ClusterOptions = {}): OutputCheck {
    const script = parallel ? workerScript() : undefined;
    return new OutputCheck(script ? new WorkerHelper(script, cluster) : new InProcessHelper(cluster));
  }

  /** Every object handed over, by id (the order they arrived in). */
  private readonly objects: unknown[] = [];
  private readonly ids = new Map<unknown, number>();
  private pending: unknown[] = [];

  private constructor(private readonly helper: Helper) {}

  /** Whether the work runs on a second thread. */
  public get parallel(): boolean {
    return this.helper instanceof WorkerHelper;
  }

  /** Hands over a service's rendered objects, the same object instances that `finish` will find in the output files. */
  public add(objects: readonly unknown[]): void {
    for (const object of objects) this.idOf(object);
    if (this.pending.length >= BATCH_OBJECTS) this.flush();
  }

  /**
   * Validates the whole output, against `context` (declared objects owned
   * elsewhere, for analysis), and serializes each file (objects not handed
   * over yet are added now), writing each into `directory` when given (its
   * folders must exist). Throws when the helper failed unexpectedly.
   */
  public finish(files: readonly OutputFile[], context: readonly unknown[], directory?: string): CheckedOutput {
    const written = directory === undefined ? undefined : { directory, paths: files.map((file) => file.path) };
    const layout = files.map((file) => file.objects.map((o) => this.idOf(o.json)));
    this.flush();
    const positions = new Array<number>(this.objects.length);
    let position = 0;
    for (const ids of layout) for (const id of ids) positions[id] = position++;
    if (position !== this.objects.length) throw new Error(`synth: ${this.objects.length - position} objects were checked but are in no output file`);
    const claims = new SharedArrayBuffer(4 * layout.length);
    this.helper.finish({ claims, positions, layout, context, written });
    const contents = serializeClaimed(this.objects, layout, new Int32Array(claims), 'first', written);
    const answer = this.helper.reply();
    if ('error' in answer) throw new Error(`synth: the validation thread failed: ${answer.error}`);
    for (const [file, text] of answer.contents) contents.set(file, text);
    return { diagnostics: answer.diagnostics, contents: layout.map((_, file) => contents.get(file)!) };
  }

  /** Stops the worker, if any (also after a failed synth). */
  public close(): void {
    this.helper.close();
  }

  private idOf(object: unknown): number {
    let id = this.ids.get(object);
    if (id === undefined) {
      id = this.objects.length;
      this.ids.set(object, id);
      this.objects.push(object);
      this.pending.push(object);
    }
    return id;
  }

  private flush(): void {
    if (!this.pending.length) return;
    this.helper.add(this.pending);
    this.pending = [];
  }
}

class InProcessHelper implements Helper {
  private readonly work: OutputWork;
  private answer?: WorkerReply;

  public constructor(cluster: ClusterOptions) {
    this.work = new OutputWork(cluster);
  }

  public add(objects: readonly unknown[]): void {
    this.work.add(objects);
  }

  /** Serializes nothing: the main thread claims every file. */
  public finish({ positions, context }: Finish): void {
    this.answer = { diagnostics: this.work.findings(positions, context), contents: [] };
  }

  public reply(): WorkerReply {
    return this.answer!;
  }

  public close(): void {}
}

class WorkerHelper implements Helper {
  /** [0]: the reply is on the port; [1]: the worker's heartbeat (see WorkerData). */
  private readonly signal = new Int32Array(new SharedArrayBuffer(8));
  private readonly port: MessagePort;
  private readonly worker: Worker;

  public constructor(script: string, cluster: ClusterOptions) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    const data: WorkerData & { port: MessagePort } = { port: port2, signal: this.signal.buffer as SharedArrayBuffer, cluster };
    this.worker = new Worker(script, { workerData: data, transferList: [port2] });
    // Never keeps the process alive: synth waits for it explicitly.
    this.worker.unref();
    // A worker that throws is reported by its stopped heartbeat (this thread
    // is blocked when it happens); left unhandled, the 'error' event would
    // end the process later.
    this.worker.on('error', () => undefined);
  }

  public add(objects: readonly unknown[]): void {
    this.post({ add: JSON.stringify(objects) });
  }

  public finish(output: Finish): void {
    this.post({ finish: output });
  }

  public reply(): WorkerReply {
    let beats = Atomics.load(this.signal, 1);
    let lastBeat = Date.now();
    while (Atomics.load(this.signal, 0) === 0) {
      Atomics.wait(this.signal, 0, 0, Math.min(1000, WORKER_LIMITS.stallMs));
      const now = Atomics.load(this.signal, 1);
      if (now !== beats) [beats, lastBeat] = [now, Date.now()];
      else if (Date.now() - lastBeat >= WORKER_LIMITS.stallMs) {
        return { error: beats === 0 ? 'it did not start' : `it stopped working (no step in ${WORKER_LIMITS.stallMs / 1000} s)` };
      }
    }
    const received = receiveMessageOnPort(this.port);
    return received ? (received.message as WorkerReply) : { error: 'it signalled an answer but sent none' };
  }

  public close(): void {
    this.port.close();
    void this.worker.terminate();
  }

  private post(message: WorkerMessage): void {
    this.worker.postMessage(message);
  }
}
