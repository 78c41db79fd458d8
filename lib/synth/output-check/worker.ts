// The second thread of synth (see output-check.ts): receives rendered objects
// as the main thread checks services, validates them meanwhile, then shares
// the serialization. Answers once, on its port, and wakes the main thread.
import { MessagePort, parentPort, workerData } from 'node:worker_threads';
import { FileLayout, OutputWork, WrittenFiles } from './output-work';
import type { WorkerData, WorkerMessage, WorkerReply } from './protocol';

const { port, signal, claims, context } = workerData as WorkerData & { port: MessagePort };
const work = new OutputWork(context);
let failure: string | undefined;

parentPort!.on('message', (message: WorkerMessage) => {
  if ('add' in message) {
    if (failure === undefined) guard(() => work.add(JSON.parse(message.add)));
    return;
  }
  const { positions, layout, written } = message.finish;
  reply(failure === undefined ? finish(positions, layout, written) : { error: failure });
});

function finish(positions: readonly number[], layout: FileLayout, written: WrittenFiles | undefined): WorkerReply {
  try {
    const diagnostics = work.findings(positions);
    return { diagnostics, contents: [...work.serializeClaimed(layout, new Int32Array(claims), written)] };
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

function describe(err: unknown): string {
  return err instanceof Error ? (err.stack ?? err.message) : String(err);
}

function reply(answer: WorkerReply): void {
  port.postMessage(answer);
  const flag = new Int32Array(signal);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
}
