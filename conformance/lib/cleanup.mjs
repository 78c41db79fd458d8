// Teardown, also when the run fails, throws or is interrupted: close our HTTP
// servers, stop the child processes, remove the temp dir.
import os from 'node:os';
import { killAllNow, liveProcessCount, stopAll } from './processes.mjs';
import { removeWorkspace, removeWorkspaceNow } from './workspace.mjs';

const serverClosers = new Set();
let settings = { keep: false, verbose: false };
let cleaning = null;
let interruptedBy = null; // once a signal arrived, later errors are its consequence

/** Registers an in-process server to be closed before the processes it talks to stop. */
export const closeOnCleanup = (close) => serverClosers.add(close);

/** Idempotent: every caller waits for the same teardown. */
export function cleanup() {
  cleaning ??= (async () => {
    for (const close of serverClosers) close();
    serverClosers.clear();
    await stopAll(settings);
    removeWorkspace(settings);
  })();
  return cleaning;
}

export const interruptedBySignal = () => interruptedBy;
export const signalExitCode = (signal) => 128 + (os.constants.signals[signal] ?? 1);

export function installCleanupHandlers({ keep, verbose }) {
  settings = { keep, verbose };
  // Last resort (process.exit from anywhere, crash): synchronous.
  process.on('exit', () => {
    killAllNow();
    removeWorkspaceNow(settings);
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      if (interruptedBy) return;
      interruptedBy = signal;
      console.error(`\nconformance: ${signal} received, stopping ${liveProcessCount()} process(es) and cleaning up`);
      cleanup().finally(() => process.exit(signalExitCode(signal)));
    });
  }
  process.on('uncaughtException', (e) => {
    console.error('conformance: internal error:', e);
    cleanup().finally(() => process.exit(1));
  });
  process.on('unhandledRejection', (e) => {
    console.error('conformance: internal error (unhandled rejection):', e);
    cleanup().finally(() => process.exit(1));
  });
}
