// kubectl against our API server (through the discovery proxy), with its cache
// in the temp dir.
import { HarnessError } from './harness-error.mjs';
import { indent } from './log.mjs';
import { run } from './processes.mjs';
import { toolEnv, workspacePath } from './workspace.mjs';

/** The API server's verdict on files: schema, CEL rules, strict field validation; nothing stored. */
export const DRY_RUN_APPLY = ['apply', '--server-side', '--dry-run=server', '--validate=strict', '--field-manager', 'conformance'];

export function kubectl(api, args) {
  return run('kubectl', ['--kubeconfig', api.kubeconfig, '--cache-dir', workspacePath('kube-cache'), ...args], {
    env: toolEnv(),
    name: 'kubectl',
  });
}

/** Throws when kubectl failed to talk to the API server: a harness failure, never a verdict on the YAML. */
export function assertApiserverReachable(r) {
  if (r.code !== 0 && /Unable to connect to the server|connection refused|couldn't get current server API group list|failed to download openapi|conformance discovery shim/.test(r.stderr)) {
    throw new HarnessError(`kubectl could not talk to the API server properly:\n${indent(r.stderr)}`);
  }
}
