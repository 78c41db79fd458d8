import { fqdnError, isDns1123Label } from '../core/dns';
import { childPath } from '../core/field-path';
import type { Findings } from '../core/finding';

/**
 * validateGatewayNames (catalogue rule 6), for spec.gateways and match.gateways.
 * Istio stops at the first name without a slash; we keep that quirk so our verdict equals Istio's.
 */
export function checkGatewayNames(names: unknown, path: string, findings: Findings): void {
  if (!Array.isArray(names)) return;
  for (let index = 0; index < names.length; index++) {
    const name = String(names[index] ?? '');
    const at = childPath(path, index);
    const slash = name.indexOf('/');
    if (slash < 0) {
      if (name.includes('.')) {
        const parts = name.split('.');
        findings.warning('vs.gateway-legacy-name', at, `using legacy gatewayName format "${name}"; prefer the <namespace>/<name> format: "${parts[1]}/${parts[0]}"`);
      }
      const problem = fqdnError(name);
      if (problem) findings.error('vs.gateway-name', at, problem);
      return;
    }
    const namespace = name.slice(0, slash);
    const gateway = name.slice(slash + 1);
    if (namespace === '' || gateway === '') findings.error('vs.gateway-name', at, 'config namespace and gateway name cannot be empty');
    if (!isDns1123Label(namespace)) findings.error('vs.gateway-name', at, `invalid value for namespace: "${namespace}"`);
    if (!isDns1123Label(gateway)) findings.error('vs.gateway-name', at, `invalid value for gateway name: "${gateway}"`);
  }
}
