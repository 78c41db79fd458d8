import { childPath } from '../core/field-path';
import { hostsMatch } from '../core/hosts';
import { isBoundToGatewaysOnly, MESH_GATEWAY } from '../webhook/virtual-service-rules';
import { fullName, type AnalysisSet, type AnalyzedObject, type CrossObjectFinding } from './analysis-set';
import { convertHostToFqdn } from './service-lookup';

interface HostEntry {
  readonly vs: AnalyzedObject;
  readonly hostIndex: number;
}

/**
 * virtualservice.ConflictingMeshGatewayHostsAnalyzer (IST0109): mesh-bound VirtualServices that declare the
 * same host in the same exportTo scope; one exported everywhere conflicts with every scope whose host it
 * matches (wildcards included). Each VirtualService is reported once.
 */
export function analyzeConflictingMeshHosts(set: AnalysisSet): CrossObjectFinding[] {
  const byScopedHost = meshGatewayHosts(set.all('VirtualService'));
  const findings: CrossObjectFinding[] = [];
  const reported = new Set<string>();
  for (const [key, entries] of byScopedHost) {
    const slash = key.indexOf('/');
    const list = key.slice(0, slash) === '*' ? entries : [...entries, ...exportedEverywhereMatching(key.slice(slash + 1), byScopedHost)];
    if (list.length < 2) continue;
    const names = list.map((e) => fullName(e.vs)).sort().join(',');
    for (const { vs, hostIndex } of list) {
      if (reported.has(fullName(vs))) continue;
      reported.add(fullName(vs));
      if (vs.index === undefined) continue; // a context object: read, not reported on
      findings.push({
        objectIndex: vs.index,
        severity: 'error',
        code: 'IST0109',
        rule: 'analyzer.conflicting-mesh-hosts',
        path: childPath('spec.hosts', hostIndex),
        message: `The VirtualServices ${names} associated with mesh gateway define the same host ${key} which can lead to undefined behavior. This can be fixed by merging the conflicting VirtualServices into a single resource.`,
      });
    }
  }
  return findings;
}

/** initMeshGatewayHosts: `<scope>/<fqdn>` -> the mesh-bound VirtualServices declaring that host in that scope. */
function meshGatewayHosts(virtualServices: readonly AnalyzedObject[]): Map<string, HostEntry[]> {
  const byScopedHost = new Map<string, HostEntry[]>();
  for (const vs of virtualServices) {
    if (!appliesToMesh(vs.spec)) continue;
    const hosts: unknown[] = Array.isArray(vs.spec?.hosts) ? vs.spec.hosts : [];
    for (const scope of exportScopes(vs)) {
      hosts.forEach((host, hostIndex) => {
        const key = `${scope}/${convertHostToFqdn(vs.namespace, String(host))}`;
        byScopedHost.set(key, [...(byScopedHost.get(key) ?? []), { vs, hostIndex }]);
      });
    }
  }
  return byScopedHost;
}

/** getExportToAllNamespacesVSListForScopedHost */
function exportedEverywhereMatching(host: string, byScopedHost: Map<string, HostEntry[]>): HostEntry[] {
  const found: HostEntry[] = [];
  for (const [key, entries] of byScopedHost) {
    const slash = key.indexOf('/');
    if (key.slice(0, slash) === '*' && hostsMatch(host, key.slice(slash + 1))) found.push(...entries);
  }
  return found;
}

function appliesToMesh(spec: any): boolean {
  return !isBoundToGatewaysOnly(spec) || (Array.isArray(spec?.gateways) && spec.gateways.includes(MESH_GATEWAY));
}

/** '*' when exported everywhere (the default), otherwise each namespace it is exported to. */
function exportScopes(vs: AnalyzedObject): string[] {
  const exportTo: unknown[] = Array.isArray(vs.spec?.exportTo) ? vs.spec.exportTo : [];
  if (exportTo.length === 0 || exportTo.includes('*')) return ['*'];
  return [...new Set(exportTo.map((entry) => (entry === '.' ? vs.namespace : String(entry))))];
}
