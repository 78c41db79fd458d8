import { isIpAddress, wildcardDomainError } from '../core/dns';
import { childPath } from '../core/field-path';
import type { Findings } from '../core/finding';
import { hostsMatch } from '../core/hosts';

/** VirtualService spec.hosts (catalogue rules 1-3). */

/** ValidateWildcardDomainForVirtualServiceBoundToGateway: gateways may route SNI hosts like outbound_.80_._.svc. */
export function wildcardDomainForGatewayError(isSniHost: boolean, domain: string): string | undefined {
  if (isSniHost && domain.startsWith('outbound_.')) {
    const parts = domain.split('.');
    if (parts.length > 3 && /^\d+_$/.test(parts[1]) && parts[2] === '_') return wildcardDomainError(parts.slice(3).join('.'));
  }
  return wildcardDomainError(domain);
}

export function checkVirtualServiceHosts(spec: any, path: string, appliesToMesh: boolean, appliesToGateway: boolean, findings: Findings): void {
  const hosts: unknown[] = Array.isArray(spec.hosts) ? spec.hosts : [];
  const hasSniMatch = (Array.isArray(spec.tls) ? spec.tls : []).some((tls: any) =>
    (Array.isArray(tls?.match) ? tls.match : []).some((m: any) => Array.isArray(m?.sniHosts) && m.sniHosts.length > 0),
  );
  let allHostsValid = true;
  hosts.forEach((raw, index) => {
    const host = String(raw ?? '');
    const at = childPath(path, index);
    const problem = appliesToGateway ? wildcardDomainForGatewayError(hasSniMatch, host) : wildcardDomainError(host);
    if (problem) {
      // IP addresses are not DNS names but Istio accepts them as VirtualService hosts.
      if (!isIpAddress(host)) {
        findings.error('vs.host', at, problem);
        allHostsValid = false;
      }
    } else if (appliesToMesh && host === '*') {
      findings.error('vs.host-wildcard-mesh', at, 'wildcard host * is not allowed for virtual services bound to the mesh gateway');
      allHostsValid = false;
    }
  });
  if (!allHostsValid) return;
  for (let i = 0; i < hosts.length; i++) {
    for (let j = i + 1; j < hosts.length; j++) {
      const a = String(hosts[i]);
      const b = String(hosts[j]);
      if (hostsMatch(a, b)) findings.error('vs.host-duplicate', childPath(path, j), `duplicate hosts in virtual service: ${a} & ${b}`);
    }
  }
}
