import { isDns1123Label } from '../core/dns';
import type { Findings } from '../core/finding';

/** validateExportTo (catalogue rules 8 and 48); `withWorkloadSelector` only for DestinationRules. */
export function checkExportTo(exportTo: unknown, namespace: string, path: string, findings: Findings, withWorkloadSelector = false): void {
  if (!Array.isArray(exportTo) || exportTo.length === 0) return;
  const seen = new Set<string>();
  for (const entry of exportTo.map((e) => String(e ?? ''))) {
    const key = entry === '.' ? namespace : entry;
    if (seen.has(key)) {
      const message = key !== entry ? `duplicate entries in exportTo: . and current namespace ${namespace}` : `duplicate entries in exportTo for entry ${entry}`;
      findings.error('export-to', path, message, exportTo);
      continue;
    }
    const problem = visibilityError(key);
    if (problem) findings.error('export-to', path, problem, exportTo);
    else seen.add(key);
  }
  if (withWorkloadSelector && seen.size > 0) {
    if (!seen.has(namespace)) {
      findings.error('dr.export-to-selector', path, 'destination rule with workload selector cannot have exportTo beyond current namespace', exportTo);
    } else if (seen.size > 1) {
      findings.error('dr.export-to-selector', path, 'destination rule with workload selector cannot have multiple entries in exportTo', exportTo);
    }
  }
  if (seen.has('*') && exportTo.length > 1) {
    findings.error('export-to', path, 'cannot have both public (*) and non-public exportTo values for a resource', exportTo);
  }
}

/** visibility.Instance.Validate. */
function visibilityError(value: string): string | undefined {
  if (value === '.' || value === '*') return undefined;
  if (value === '~') return 'exportTo ~ (none) is not allowed for Istio configuration objects';
  if (isDns1123Label(value)) return undefined;
  return 'only .,*, or a valid DNS 1123 label is allowed as exportTo entry';
}
