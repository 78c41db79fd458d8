import { childPath } from '../core/field-path';
import { fullyQualifiedHost, hostsMatch } from '../core/hosts';
import type { AnalysisSet, AnalyzedObject, CrossObjectFinding } from './analysis-set';

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
 * virtualservice.DestinationRuleAnalyzer (IST0101): a route or mirror names a subset that no DestinationRule
 * for its host defines (including when no DestinationRule exists for the host at all, as istioctl reports it).
 */
export function analyzeDestinationRules(set: AnalysisSet): CrossObjectFinding[] {
  const defined = new DefinedSubsets(set.all('DestinationRule'));
  const findings: CrossObjectFinding[] = [];
  for (const vs of set.reported('VirtualService')) {
    for (const reference of subsetReferences(vs.spec)) {
      if (defined.has(fullyQualifiedHost(reference.host, vs.namespace), reference.subset)) continue;
      findings.push({
        objectIndex: vs.index,
        severity: 'error',
        code: 'IST0101',
        rule: 'analyzer.subset-not-found',
        path: pathOf(reference),
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
  /** Where the reference is, from the rule: its path is built for a finding only (most references have none). */
  readonly protocol: string;
  readonly ruleIndex: number;
  readonly within: ReadonlyArray<string | number>;
}

function pathOf(reference: SubsetReference): string {
  const destination = reference.within.reduce<string>((path, segment) => childPath(path, segment), childPath(childPath('spec', reference.protocol), reference.ruleIndex));
  return childPath(destination, 'subset');
}

function subsetReferences(spec: any): SubsetReference[] {
  const references: SubsetReference[] = [];
  const add = (kind: SubsetReference['kind'], destination: any, protocol: string, ruleIndex: number, within: Array<string | number>) => {
    if (destination && typeof destination.subset === 'string' && destination.subset !== '' && typeof destination.host === 'string') {
      references.push({ kind, host: destination.host, subset: destination.subset, protocol, ruleIndex, within });
    }
  };
  for (const protocol of ['http', 'tcp', 'tls']) {
    (Array.isArray(spec?.[protocol]) ? spec[protocol] : []).forEach((rule: any, ruleIndex: number) => {
      (Array.isArray(rule?.route) ? rule.route : []).forEach((entry: any, index: number) => {
        add('host+subset in destinationrule', entry?.destination, protocol, ruleIndex, ['route', index, 'destination']);
      });
      if (protocol !== 'http') return;
      add('mirror+subset in destinationrule', rule?.mirror, protocol, ruleIndex, ['mirror']);
      (Array.isArray(rule?.mirrors) ? rule.mirrors : []).forEach((mirror: any, index: number) => {
        add('mirror+subset in destinationrule', mirror?.destination, protocol, ruleIndex, ['mirrors', index, 'destination']);
      });
    });
  }
  return references;
}
