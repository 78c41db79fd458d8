import { wildcardDomainError, isDns1123Label } from '../core/dns';
import { checkExportTo } from './export-to';
import { childPath } from '../core/field-path';
import { Findings, type Finding } from '../core/finding';
import { labelProblems } from '../core/labels';
import { checkTrafficPolicy } from './traffic-policy-rules';

/** ValidateDestinationRule: the istiod webhook's checks (catalogue rules 40-50). */
export function checkDestinationRule(spec: any, namespace: string): Finding[] {
  const findings = new Findings();
  if (!spec || typeof spec !== 'object') return findings.list;
  // Unlike VirtualService hosts, an IP address is not exempt here.
  const hostProblem = wildcardDomainError(String(spec.host ?? ''));
  if (hostProblem) findings.error('dr.host', 'spec.host', hostProblem);
  checkTrafficPolicy(spec.trafficPolicy, 'spec.trafficPolicy', namespace, findings);
  checkSubsets(spec.subsets, namespace, findings);
  const selector = spec.workloadSelector;
  checkExportTo(spec.exportTo, namespace, 'spec.exportTo', findings, selector != null);
  checkWorkloadSelector(selector, 'spec.workloadSelector', findings);
  return findings.list;
}

function checkSubsets(subsets: unknown, namespace: string, findings: Findings): void {
  if (!Array.isArray(subsets)) return;
  const names = new Set<string>();
  // A null subset is checked as {} ("subset name cannot be empty"), as istiod decodes it (proto-zero-values.ts).
  subsets.forEach((raw: any, index: number) => {
    const at = childPath('spec.subsets', index);
    const subset = raw ?? {};
    const name = String(subset.name ?? '');
    if (names.has(name)) findings.error('dr.subset-duplicate', childPath(at, 'name'), `duplicate subset names: ${name}`);
    names.add(name);
    if (name === '') findings.error('dr.subset-name', childPath(at, 'name'), 'subset name cannot be empty');
    else if (!isDns1123Label(name)) findings.error('dr.subset-name', childPath(at, 'name'), `subset name is invalid: ${name}`);
    for (const problem of labelProblems(subset.labels)) {
      findings.error('labels', childPath(childPath(at, 'labels'), problem.key), problem.message);
    }
    checkTrafficPolicy(subset.trafficPolicy, childPath(at, 'trafficPolicy'), namespace, findings);
  });
}

/** validateWorkloadSelector; shared with the security kinds. */
export function checkWorkloadSelector(selector: any, path: string, findings: Findings): void {
  if (selector === undefined || selector === null) return;
  const labels: Record<string, unknown> = selector.matchLabels ?? {};
  for (const [key, value] of Object.entries(labels)) {
    const pair = JSON.stringify(`${key}=${value ?? ''}`);
    if (key === '') findings.error('selector', childPath(path, 'matchLabels'), `empty key is not supported in selector: ${pair}`);
    if (key.includes('*') || String(value ?? '').includes('*')) findings.error('selector', childPath(childPath(path, 'matchLabels'), key), `wildcard is not supported in selector: ${pair}`);
  }
  if (Object.keys(labels).length === 0) findings.warning('selector-empty', path, 'workload selector specified without labels');
}
