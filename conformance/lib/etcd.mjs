// etcd for the API server: loopback only, throwaway data.
import { freePort, httpGet, lostPortRace } from './loopback.mjs';
import { startDaemon } from './processes.mjs';
import { waitFor } from './wait-for.mjs';
import { toolEnv, workspacePath } from './workspace.mjs';

/** Starts etcd and waits for /health; returns { url, daemon }. */
export async function startEtcd(bin) {
  for (let attempt = 1; ; attempt++) {
    const [clientPort, peerPort] = [await freePort(), await freePort()];
    const client = `http://127.0.0.1:${clientPort}`;
    const peer = `http://127.0.0.1:${peerPort}`;
    const daemon = startDaemon('etcd', bin, [
      '--name', 'conformance',
      '--data-dir', workspacePath('etcd-data'),
      '--listen-client-urls', client, '--advertise-client-urls', client,
      '--listen-peer-urls', peer, '--initial-advertise-peer-urls', peer,
      '--initial-cluster', `conformance=${peer}`,
      '--initial-cluster-state', 'new',
      '--unsafe-no-fsync', // throwaway data: skip fsync for speed
      '--log-level', 'warn',
    ], { env: toolEnv(), logFile: workspacePath('etcd.log') });
    try {
      await waitFor('etcd /health', daemon, async () => {
        const r = await httpGet(`${client}/health`);
        return (r.status === 200 && /"health":\s*"true"/.test(r.body)) || `${r.status} ${r.body}`;
      }, 30_000);
      return { url: client, daemon };
    } catch (e) {
      if (attempt < 3 && lostPortRace(daemon)) continue;
      throw e;
    }
  }
}
