// istioctl, built from the pinned release-1.30 commit. See README "Facts about the tools".
import { run } from './processes.mjs';
import { toolEnv } from './workspace.mjs';

/** istiod's webhook validation and strict proto decoding: exit 0 valid (warnings included), 1 not. */
export function istioctlValidate(bin, files) {
  return run(bin, ['validate', ...files.flatMap((f) => ['-f', f])], { env: toolEnv(), name: 'istioctl validate' });
}

/**
 * Cross-object checks without a cluster. With -o json the exit code is always 0,
 * so callers decide from the messages.
 */
export function istioctlAnalyze(bin, files, namespaceArgs) {
  return run(bin, ['analyze', '--use-kube=false', ...namespaceArgs, '-o', 'json', ...files], {
    env: toolEnv(),
    name: 'istioctl analyze',
  });
}

/**
 * Without -A, analyze silently drops messages about objects outside the selected
 * namespace. With -A, objects without a namespace are analysed in namespace ""
 * instead of "default". So: any namespaced object -> -A; none -> -n default
 * (what kubectl apply would use).
 */
export const analyzeNamespaceArgs = (namespaces) =>
  namespaces.size === 0 ? ['--namespace', 'default'] : ['--all-namespaces'];
