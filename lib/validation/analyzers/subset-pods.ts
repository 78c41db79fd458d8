import type { AnalysisSet, CrossObjectFinding } from './analysis-set';
import { endpointsOf, selects } from './pods';
import { ServiceRegistry } from './service-lookup';

/**
 * destinationrule.SubsetSelectPodAnalyzer: a DestinationRule whose host is no known Service or ServiceEntry
 * (IST0174), and subsets whose labels (merged with the ServiceEntry's workloadSelector) select no Pod (IST0173).
 * A Pod is matched with the labels Istio's registry gives it: its Node's locality and hostname included.
 */
export function analyzeSubsetPods(set: AnalysisSet): CrossObjectFinding[] {
  const registry = new ServiceRegistry(set);
  const pods = endpointsOf(set);
  const findings: CrossObjectFinding[] = [];
  for (const dr of set.reported('DestinationRule')) {
    const host = String(dr.spec?.host ?? '');
    const service = registry.lookup(dr.namespace, Array.isArray(dr.spec?.exportTo) ? dr.spec.exportTo : [], host);
    if (!service) {
      findings.push({ objectIndex: dr.index, path: 'spec.host', severity: 'warning', code: 'IST0174', rule: 'analyzer.unknown-host',
        message: `The host ${host} defined in the DestinationRule does not match any services in the mesh.` });
      continue;
    }
    (Array.isArray(dr.spec?.subsets) ? dr.spec.subsets : []).forEach((subset: any, i: number) => {
      const selector = { ...service.workloadSelector, ...labelsOf(subset?.labels) };
      if (pods.some((pod) => selects(selector, pod.labels))) return;
      findings.push({ objectIndex: dr.index, path: `spec.subsets[${i}]`, severity: 'error', code: 'IST0173', rule: 'analyzer.subset-selects-no-pods',
        message: `The Subset ${String(subset?.name ?? '')} defined in the DestinationRule does not select any pods. Which may lead to 503 UH (NoHealthyUpstream).` });
    });
  }
  return findings;
}

function labelsOf(value: unknown): Record<string, string> {
  if (value === null || typeof value !== 'object') return {};
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)]));
}
