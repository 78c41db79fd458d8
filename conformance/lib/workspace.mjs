// The run's temp dir: certificates, logs, kubeconfigs, and a private $HOME so
// that kubectl, istioctl and openssl write nothing (caches, config) outside it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { info } from './log.mjs';

let root = null;

export function createWorkspace() {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'conformance-'));
  fs.mkdirSync(path.join(root, 'home'));
  return root;
}

export const workspacePath = (...parts) => path.join(root, ...parts);

/** Environment for the tools we run: private $HOME, and no KUBECONFIG from the caller. */
export function toolEnv() {
  const env = { ...process.env };
  if (root) env.HOME = workspacePath('home');
  delete env.KUBECONFIG;
  return env;
}

export function removeWorkspace({ keep }) {
  if (!root) return;
  if (keep) info(`kept temp dir: ${root}`);
  else fs.rmSync(root, { recursive: true, force: true, maxRetries: 3 });
  root = null;
}

/** For the synchronous 'exit' handler: best effort, no retries, no output. */
export function removeWorkspaceNow({ keep }) {
  if (!root || keep) return;
  try {
    fs.rmSync(root, { recursive: true, force: true });
  } catch {
    /* best effort */
  }
}
