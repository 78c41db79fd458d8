// Talking to the servers we start on 127.0.0.1.
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { tail } from './processes.mjs';

/** A port that was free a moment ago (see lostPortRace). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** True when a daemon died because another process took its port between freePort() and bind: retry. */
export const lostPortRace = (daemon) => Boolean(daemon.exited()) && /address already in use/.test(tail(daemon.logFile, 50));

/** GET with a 3 s timeout; resolves { status: 0, body: error } instead of rejecting, for polling. */
export function httpGet(url, tlsOptions) {
  return new Promise((resolve) => {
    const client = url.startsWith('https:') ? https : http;
    const req = client.get(url, { ...tlsOptions, timeout: 3000 }, (res) => {
      const chunks = [];
      res.on('data', (d) => chunks.push(d));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString() }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e) => resolve({ status: 0, body: e.message }));
  });
}
