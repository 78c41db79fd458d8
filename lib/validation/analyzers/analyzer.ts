import { childPath } from '../core/field-path';
import type { Finding } from '../core/finding';
import { fullyQualifiedHost, hostsMatch } from '../core/hosts';
import { isBoundToGatewaysOnly, MESH_GATEWAY } from '../webhook/virtual-service-rules';

/** An Istio object of the validated set, as the cross-object analyzers see it. */
export interface AnalyzedObject {
  readonly index: number;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  readonly spec: any;
}

export interface CrossObjectFinding extends Finding {
  readonly objectIndex: number;
}

/** istioctl analyze's cross-object checks that need only VirtualServices and DestinationRules. */
export function analyzeObjects(objects: readonly AnalyzedObject[]): CrossObjectFinding[] {
  const virtualServices = objects.filter((o) => o.kind === 'VirtualService');
  const destinationRules = objects.filter((o) => o.kind === 'DestinationRule');
  return [...missingSubsets(virtualServices, destinationRules), ...conflictingMeshHosts(lastOfEachName(virtualServices))];
}

/** Objects with the same namespace and name are one Kubernetes object: the last one applied wins. */
function lastOfEachName(objects: readonly AnalyzedObject[]): AnalyzedObject[] {
  const byName = new Map<string, AnalyzedObject>();
  for (const object of objects) byName.set(`${object.namespace}/${object.name}`, object);
  return [...byName.values()];
}

/** Subsets defined per DestinationRule host; wildcard hosts are few, so they are scanned. */
class DefinedSubsets {
  private readonly exact = new Map<string, Set<string>>();
  private readonly wildcards: { host: string; subsets: Set<string> }[] = [];

  constructor(destinationRules: readonly AnalyzedObject[]) {
    for (const dr of destinationRules) {
      const host = fullyQualifiedHost(String(dr.spec?.host ?? ''), dr.namespace);
      const names = (Array.isArray(dr.spec?.subsets) ? dr.spec.subsets : []).map((s: any) => String(s?.name ?? ''));
      if (host.startsWith('*')) this.wildcards.push({ host, subsets: new Set(names) });
      else {
        const subsets = this.exact.get(host) ?? new Set<string>();
        names.forEach((name: string) => subsets.add(name));
        this.exact.set(host, subsets);
      }
    }
  }

  has(host: string, subset: string): boolean {
    if (this.exact.get(host)?.has(subset)) return true;
    return this.wildcards.some((rule) => hostsMatch(rule.host, host) && rule.subsets.has(subset));
  }
}

/**
 * IST0101: a route or mirror names a subset that no DestinationRule for its host defines
 * (including when no DestinationRule exists for the host at all, as istioctl reports it).
 */
function missingSubsets(virtualServices: readonly AnalyzedObject[], destinationRules: readonly AnalyzedObject[]): CrossObjectFinding[] {
  const defined = new DefinedSubsets(destinationRules);
  const findings: CrossObjectFinding[] = [];
  for (const vs of virtualServices) {
    for (const reference of subsetReferences(vs.spec)) {
      if (defined.has(fullyQualifiedHost(reference.host, vs.namespace), reference.subset)) continue;
      findings.push({
        objectIndex: vs.index,
        severity: 'error',
        code: 'IST0101',
        rule: 'analyzer.subset-not-found',
        path: reference.path,
        message: `Referenced ${reference.kind} not found: "${reference.host}+${reference.subset}"`,
      });
    }
  }
  return findings;
}

interface SubsetReference {
  readonly kind: 'host+subset in destinationrule' | 'mirror+subset in destinationrule';
  readonly host: string;
  readonly subset: string;
  readonly path: string;
}

function subsetReferences(spec: any): SubsetReference[] {
  const references: SubsetReference[] = [];
  const add = (kind: SubsetReference['kind'], destination: any, path: string) => {
    if (destination && typeof destination.subset === 'string' && destination.subset !== '' && typeof destination.host === 'string') {
      references.push({ kind, host: destination.host, subset: destination.subset, path: childPath(path, 'subset') });
    }
  };
  for (const protocol of ['http', 'tcp', 'tls']) {
    (Array.isArray(spec?.[protocol]) ? spec[protocol] : []).forEach((rule: any, ruleIndex: number) => {
      const rulePath = childPath(childPath('spec', protocol), ruleIndex);
      (Array.isArray(rule?.route) ? rule.route : []).forEach((entry: any, index: number) => {
        add('host+subset in destinationrule', entry?.destination, childPath(childPath(childPath(rulePath, 'route'), index), 'destination'));
      });
      if (protocol !== 'http') return;
      add('mirror+subset in destinationrule', rule?.mirror, childPath(rulePath, 'mirror'));
      (Array.isArray(rule?.mirrors) ? rule.mirrors : []).forEach((mirror: any, index: number) => {
        add('mirror+subset in destinationrule', mirror?.destination, childPath(childPath(childPath(rulePath, 'mirrors'), index), 'destination'));
      });
    });
  }
  return references;
}

/** IST0109: two mesh-bound VirtualServices visible in the same scope declare the same host. */
function conflictingMeshHosts(virtualServices: readonly AnalyzedObject[]): CrossObjectFinding[] {
  const byScopedHost = new Map<string, { vs: AnalyzedObject; hostIndex: number }[]>();
  for (const vs of virtualServices) {
    if (!appliesToMesh(vs.spec)) continue;
    const hosts: unknown[] = Array.isArray(vs.spec?.hosts) ? vs.spec.hosts : [];
    hosts.forEach((host, hostIndex) => {
      for (const scope of exportScopes(vs)) {
        const key = `${scope}/${fullyQualifiedHost(String(host), vs.namespace)}`;
        const entries = byScopedHost.get(key) ?? [];
        if (!entries.some((e) => e.vs === vs)) entries.push({ vs, hostIndex });
        byScopedHost.set(key, entries);
      }
    });
  }
  const findings: CrossObjectFinding[] = [];
  const reported = new Set<string>();
  for (const [key, entries] of byScopedHost) {
    const scope = key.slice(0, key.indexOf('/'));
    // A VirtualService exported everywhere also conflicts with one exported to a single namespace.
    const publicEntries = scope === '*' ? [] : byScopedHost.get(`*${key.slice(key.indexOf('/'))}`) ?? [];
    const all = [...entries, ...publicEntries.filter((p) => !entries.some((e) => e.vs === p.vs))];
    if (all.length < 2) continue;
    const names = all.map((e) => `${e.vs.namespace}/${e.vs.name}`).sort().join(',');
    for (const { vs, hostIndex } of all) {
      const id = `${vs.index}|${key}`;
      if (reported.has(id)) continue;
      reported.add(id);
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

function appliesToMesh(spec: any): boolean {
  return !isBoundToGatewaysOnly(spec) || (Array.isArray(spec?.gateways) && spec.gateways.includes(MESH_GATEWAY));
}

/** '*' when exported everywhere (the default), otherwise each namespace it is exported to. */
function exportScopes(vs: AnalyzedObject): string[] {
  const exportTo: unknown[] = Array.isArray(vs.spec?.exportTo) ? vs.spec.exportTo : [];
  if (exportTo.length === 0 || exportTo.includes('*')) return ['*'];
  return [...new Set(exportTo.map((entry) => (entry === '.' ? vs.namespace : String(entry))))];
}
