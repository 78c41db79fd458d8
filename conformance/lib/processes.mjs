// Child processes. Each runs in its own process group and stays tracked until it
// exits, so that teardown can kill it, and whatever it started, by PID.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { HarnessError } from './harness-error.mjs';
import { info, secs } from './log.mjs';

const live = new Map(); // pid -> { name, exited: Promise }, in start order

function track(child, name) {
  if (!child.pid) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  live.set(child.pid, { name, exited });
  exited.then(() => live.delete(child.pid));
}

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      /* already gone */
    }
  }
}

export const liveProcessCount = () => live.size;

/** Runs a command to completion; never throws for a non-zero exit. */
export function run(cmd, args, { cwd, env, timeoutMs = 10 * 60_000, name } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd,
      env: env ?? process.env,
      detached: true, // own process group
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    track(child, name ?? path.basename(cmd));
    const out = [];
    const err = [];
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => err.push(d));
    const timer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new HarnessError(`cannot run ${cmd}: ${e.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        code: code ?? (signal ? 128 : 1),
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
    child.stdin.end(); // tools that read stdin see EOF instead of waiting
  });
}

/** Starts a long-running server whose output goes to `logFile`; `exited()` is null while it runs. */
export function startDaemon(name, cmd, args, { env, logFile }) {
  const fd = fs.openSync(logFile, 'a');
  const child = spawn(cmd, args, { env, detached: true, stdio: ['ignore', fd, fd] });
  fs.closeSync(fd);
  track(child, name);
  let exitInfo = null;
  child.on('exit', (code, signal) => {
    exitInfo = { code, signal };
  });
  child.on('error', (e) => {
    exitInfo = { code: -1, signal: null, error: e };
  });
  return { child, logFile, name, exited: () => exitInfo };
}

export function tail(file, lines = 30) {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * Stops every tracked process, newest first (the API server before its etcd):
 * SIGTERM, then SIGKILL after graceMs.
 */
export async function stopAll({ verbose, graceMs = 5000 }) {
  for (const [pid, { name, exited }] of [...live.entries()].reverse()) {
    killGroup(pid, 'SIGTERM');
    const t0 = performance.now();
    const timer = new Promise((r) => setTimeout(() => r('timeout'), graceMs).unref());
    if ((await Promise.race([exited, timer])) === 'timeout') {
      killGroup(pid, 'SIGKILL');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 2000).unref())]);
    }
    if (verbose) info(`  stopped ${name} (pid ${pid}) in ${secs(performance.now() - t0)}`);
  }
}

/** For the synchronous 'exit' handler, where waiting is impossible. */
export function killAllNow() {
  for (const [pid] of live) killGroup(pid, 'SIGKILL');
}
