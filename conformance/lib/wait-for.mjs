import { HarnessError } from './harness-error.mjs';
import { indent, secs } from './log.mjs';
import { tail } from './processes.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Polls `probe` every 200 ms until it returns true (anything else is the reason
 * it is not ready yet). Fails early, with its log, if `daemon` exits meanwhile.
 */
export async function waitFor(what, daemon, probe, timeoutMs) {
  const t0 = Date.now();
  let last = '';
  while (Date.now() - t0 < timeoutMs) {
    const exit = daemon?.exited();
    if (exit) {
      throw new HarnessError(
        `${daemon.name} exited (code ${exit.code}, signal ${exit.signal}) while waiting for ${what}; ` +
          `last log lines:\n${indent(tail(daemon.logFile))}`,
      );
    }
    const ready = await probe();
    if (ready === true) return;
    last = ready;
    await sleep(200);
  }
  throw new HarnessError(
    `timed out after ${secs(timeoutMs)} waiting for ${what} (last: ${last})` +
      (daemon ? `; last log lines of ${daemon.name}:\n${indent(tail(daemon.logFile))}` : ''),
  );
}
