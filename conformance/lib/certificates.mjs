// A throwaway PKI for one run: a CA, a serving certificate for 127.0.0.1 and a
// client certificate in group system:masters.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { HarnessError } from './harness-error.mjs';
import { run } from './processes.mjs';
import { toolEnv } from './workspace.mjs';

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
const DAYS = ['-days', '2'];

/** Creates `dir` and the PKI in it; returns the paths of the files. */
export async function createCertificates(dir) {
  fs.mkdirSync(dir);
  const openssl = async (args) => {
    const r = await run('openssl', args, { cwd: dir, env: toolEnv(), name: 'openssl' });
    if (r.code !== 0) throw new HarnessError(`openssl ${args[0]} failed:\n${r.stderr}`);
  };
  await openssl(['req', '-x509', ...EC_KEY, ...DAYS, '-subj', '/CN=conformance-ca', '-keyout', 'ca.key', '-out', 'ca.crt']);
  fs.writeFileSync(path.join(dir, 'server.ext'),
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n');
  fs.writeFileSync(path.join(dir, 'client.ext'),
    'keyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n');
  for (const [name, subject] of [
    ['server', '/CN=127.0.0.1'],
    // system:masters is always authorized by the delegating authorizer (no webhook call).
    ['client', '/O=system:masters/CN=conformance-admin'],
  ]) {
    await openssl(['req', '-new', ...EC_KEY, '-subj', subject, '-keyout', `${name}.key`, '-out', `${name}.csr`]);
    await openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key',
      '-set_serial', `0x${crypto.randomBytes(8).toString('hex')}`, ...DAYS,
      '-extfile', `${name}.ext`, '-out', `${name}.crt`]);
  }
  const file = (name) => path.join(dir, name);
  return {
    ca: file('ca.crt'),
    serverCert: file('server.crt'),
    serverKey: file('server.key'),
    clientCert: file('client.crt'),
    clientKey: file('client.key'),
  };
}
