import fs from 'node:fs';
import YAML from './yaml.mjs';

/** Writes a single-context kubeconfig (namespace "default") for `server`. */
export function writeKubeconfig(file, server, { ca, cert, key, insecure = false } = {}) {
  const cluster = { server };
  if (insecure) cluster['insecure-skip-tls-verify'] = true;
  else if (ca) cluster['certificate-authority'] = ca;
  const user = cert ? { 'client-certificate': cert, 'client-key': key } : {};
  fs.writeFileSync(file, YAML.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'conformance', cluster }],
    users: [{ name: 'conformance', user }],
    contexts: [{ name: 'conformance', context: { cluster: 'conformance', user: 'conformance', namespace: 'default' } }],
    'current-context': 'conformance',
  }));
}
