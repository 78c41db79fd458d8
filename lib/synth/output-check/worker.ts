// The second thread of synth (see output-check.ts): receives rendered objects
// as the main thread checks services, validates them meanwhile, then shares
// the serialization. Answers once, on its port, and wakes the main thread.
import { MessagePort, parentPort, workerData } from 'node:worker_threads';
import { OutputWork } from './output-work';
import type { Finish, WorkerData, WorkerMessage, WorkerReply } from './protocol';

const { port, signal, cluster } = workerData as WorkerData & { port: MessagePort };
const flags = new Int32Array(signal);
const beat = () => void Atomics.add(flags, 1, 1);
const work = new OutputWork(cluster);
let failure: string | undefined;

parentPort!.on('message', (message: WorkerMessage) => {
  beat();
  if ('add' in message) {
    if (failure === undefined) guard(() => work.add(JSON.parse(message.add)));
    return;
  }
  reply(failure === undefined ? finish(message.finish) : { error: failure });
});
beat();

function finish({ claims, positions, layout, context, written }: Finish): WorkerReply {
  try {
    const diagnostics = work.findings(positions, context);
    beat();
    return { diagnostics, contents: [...work.serializeClaimed(layout, new Int32Array(claims), 'last', written, beat)] };
  } catch (err) {
    return { error: describe(err) };
  }
}

function guard(step: () => void): void {
  try {
    step();
  } catch (err) {
    failure = describe(err);
  }
}

/** The message only: synth reports it as one line, like its other unexpected errors. */
function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function reply(answer: WorkerReply): void {
  port.postMessage(answer);
  Atomics.store(flags, 0, 1);
  Atomics.notify(flags, 0);
}
