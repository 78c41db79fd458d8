// The worker's entry (synth-worker.js in the build): runs the worker's code
// (worker.ts, bundled as synth-worker-code.js) from V8's code cache. The
// first synth after a build compiles it and, once the worker has validated
// every object, keeps its code for the next synths: before it replies, since
// the main thread stops it then, so the code that analyzes the set and
// writes YAML (first run after that) is left out.
import { join } from 'node:path';
import { parentPort } from 'node:worker_threads';
import { requireWithCompileCache } from './compile-cache';
import type { WorkerMessage } from './protocol';
import { WORKER_CODE_BUNDLE } from './worker-script';

// Listening before the code loads, this runs before the code's own handling of the same message.
const onFinish = (message: WorkerMessage) => {
  if (!('finish' in message)) return;
  parentPort!.off('message', onFinish);
  code.save();
};
parentPort!.on('message', onFinish);
const code = requireWithCompileCache(join(__dirname, WORKER_CODE_BUNDLE));
if (code.cache === 'used') parentPort!.off('message', onFinish);
