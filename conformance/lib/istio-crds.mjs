// Installs CRDs (Istio's; the Gateway API's, see gateway-api-crds.mjs) and waits
// until kubectl can use every kind they define.
import fs from 'node:fs';
import { HarnessError } from './harness-error.mjs';
import { kubectl } from './kubectl.mjs';
import { httpGet } from './loopback.mjs';
import { indent } from './log.mjs';
import { waitFor } from './wait-for.mjs';
import YAML from './yaml.mjs';

/** Returns { count, groups: Set of API groups the server now serves }. */
export function installIstioCrds(api, crdFile) {
  return installCrds(api, crdFile, 'Istio CRDs');
}

/** Applies (or replaces) the CRDs of `crdFile`; returns { count, groups: Set of API groups they serve }. */
export async function installCrds(api, crdFile, what) {
  const crds = YAML.parseAllDocuments(fs.readFileSync(crdFile, 'utf8'))
    .map((d) => d.toJS())
    .filter((o) => o?.kind === 'CustomResourceDefinition');
  // Server-side: the big CRDs exceed the 256 KiB last-applied annotation of client-side apply.
  const applied = await kubectl(api, ['apply', '--server-side', '--force-conflicts', '--field-manager', 'conformance', '-f', crdFile]);
  if (applied.code !== 0) throw new HarnessError(`installing ${what} failed:\n${indent(applied.stderr || applied.stdout)}`);
  const established = await kubectl(api, ['wait', '--for', 'condition=Established', '--timeout', '60s', '-f', crdFile]);
  if (established.code !== 0) {
    throw new HarnessError(`${what} did not become Established:\n${indent(established.stderr || established.stdout)}`);
  }
  // Established can precede discovery serving the new group/versions: wait for those.
  for (const [groupVersion, plurals] of servedResources(crds)) {
    await waitFor(`discovery of ${groupVersion}`, api.daemon, async () => {
      const r = await httpGet(`${api.base}/apis/${groupVersion}`, api.tlsOptions);
      if (r.status !== 200) return `${r.status}`;
      const served = new Set(JSON.parse(r.body).resources.map((x) => x.name));
      return [...plurals].every((p) => served.has(p)) || 'resources missing';
    }, 30_000);
  }
  return { count: crds.length, groups: new Set(crds.map((c) => c.spec.group)) };
}

/** group/version -> Set of resource plurals, for every served version. */
function servedResources(crds) {
  const byGroupVersion = new Map();
  for (const crd of crds) {
    for (const version of crd.spec.versions.filter((v) => v.served)) {
      const groupVersion = `${crd.spec.group}/${version.name}`;
      if (!byGroupVersion.has(groupVersion)) byGroupVersion.set(groupVersion, new Set());
      byGroupVersion.get(groupVersion).add(crd.spec.names.plural);
    }
  }
  return byGroupVersion;
}
