import type { AnalysisSet, CrossObjectFinding } from './analysis-set';

/**
 * deprecation.FieldAnalyzer on VirtualServices: an http route whose fault delay still uses the integer `percent`
 * (IST0002). Istio reports it once per VirtualService: the messages of several routes are identical and
 * istioctl keeps one, so we point at the first.
 */
export function analyzeDeprecatedFields(set: AnalysisSet): CrossObjectFinding[] {
  const findings: CrossObjectFinding[] = [];
  for (const vs of set.reported('VirtualService')) {
    const http: unknown[] = Array.isArray(vs.spec?.http) ? vs.spec.http : [];
    const first = http.findIndex((route: any) => typeof route?.fault?.delay?.percent === 'number' && route.fault.delay.percent > 0);
    if (first < 0) continue;
    findings.push({ objectIndex: vs.index, path: `spec.http[${first}].fault.delay.percent`, severity: 'warning', code: 'IST0002', rule: 'analyzer.deprecated-field',
      message: 'Deprecated: HTTPRoute.fault.delay.percent is deprecated; use HTTPRoute.fault.delay.percentage' });
  }
  return findings;
}
