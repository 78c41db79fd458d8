// The standalone apiextensions-apiserver (CRDs only), and the discovery proxy
// in front of it that kubectl talks to.
//
// It delegates authn/authz and reads core resources from a "real"
// kube-apiserver. There is none: those clients point at a closed port. Our
// client certificate (CA = --client-ca-file, group system:masters) is
// authenticated locally and authorized without a SubjectAccessReview; admission
// plugins and APF that would wait for core informers are disabled. Hence
// readiness is /healthz (informer sync, which never happens, is in /readyz).
import fs from 'node:fs';
import { startDiscoveryProxy } from './discovery-proxy.mjs';
import { writeKubeconfig } from './kubeconfig.mjs';
import { freePort, httpGet, lostPortRace } from './loopback.mjs';
import { startDaemon } from './processes.mjs';
import { waitFor } from './wait-for.mjs';
import { toolEnv, workspacePath } from './workspace.mjs';

const DISABLED_ADMISSION_PLUGINS = [
  'NamespaceLifecycle',
  'MutatingAdmissionPolicy',
  'MutatingAdmissionWebhook',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionWebhook',
];

/**
 * Starts the API server on etcdUrl and waits for /healthz; returns
 * { base, kubeconfig (for kubectl, via the proxy), tlsOptions, daemon }.
 */
export async function startApiserver(bin, etcdUrl, certs) {
  const nowhere = workspacePath('nowhere.kubeconfig');
  writeKubeconfig(nowhere, 'https://127.0.0.1:1', { insecure: true });
  const tlsOptions = {
    ca: fs.readFileSync(certs.ca),
    cert: fs.readFileSync(certs.clientCert),
    key: fs.readFileSync(certs.clientKey),
  };
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const daemon = startDaemon('apiextensions-apiserver', bin, [
      '--etcd-servers', etcdUrl,
      '--etcd-prefix', '/conformance',
      '--bind-address', '127.0.0.1',
      '--secure-port', String(port),
      '--tls-cert-file', certs.serverCert,
      '--tls-private-key-file', certs.serverKey,
      '--cert-dir', workspacePath('apiserver-certs'),
      '--client-ca-file', certs.ca,
      '--authentication-kubeconfig', nowhere,
      '--authentication-skip-lookup',
      '--authorization-kubeconfig', nowhere,
      '--kubeconfig', nowhere,
      '--enable-priority-and-fairness=false',
      '--disable-admission-plugins', DISABLED_ADMISSION_PLUGINS.join(','),
      '--v', '1',
    ], { env: toolEnv(), logFile: workspacePath('apiserver.log') });
    const base = `https://127.0.0.1:${port}`;
    try {
      await waitFor('apiextensions-apiserver /healthz', daemon, async () => {
        const r = await httpGet(`${base}/healthz`, tlsOptions);
        return (r.status === 200 && r.body.trim() === 'ok') || `${r.status} ${r.body.slice(0, 300)}`;
      }, 90_000);
    } catch (e) {
      if (attempt < 3 && lostPortRace(daemon)) continue;
      throw e;
    }
    const proxyUrl = await startDiscoveryProxy(base, tlsOptions);
    const kubeconfig = workspacePath('kubeconfig');
    writeKubeconfig(kubeconfig, proxyUrl);
    return { base, kubeconfig, tlsOptions, daemon };
  }
}
