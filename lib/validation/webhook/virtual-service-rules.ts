import { checkExportTo } from './export-to';
import { childPath } from '../core/field-path';
import { Findings, type Finding } from '../core/finding';
import { checkGatewayNames } from './gateway-names';
import { isJwtClaimKey } from './header-rules';
import { checkHttpRoute } from './http-route-rules';
import { checkTcpRoute, checkTlsRoute } from './l4-route-rules';
import { checkReachability } from './route-reachability';
import { checkVirtualServiceHosts } from './vs-hosts';

/** The gateway name that binds a VirtualService to sidecars. */
export const MESH_GATEWAY = 'mesh';

/** A VirtualService with gateways that do not include `mesh` applies to gateways only. */
export function isBoundToGatewaysOnly(spec: any): boolean {
  return Array.isArray(spec?.gateways) && spec.gateways.length > 0 && !spec.gateways.includes(MESH_GATEWAY);
}

/** ValidateVirtualService: the istiod webhook's checks (catalogue rules 1-39). */
export function checkVirtualService(spec: any, namespace: string): Finding[] {
  const findings = new Findings();
  if (!spec || typeof spec !== 'object') return findings.list;
  const hosts = Array.isArray(spec.hosts) ? spec.hosts : [];
  const isDelegate = hosts.length === 0;
  if (isDelegate) checkDelegateVirtualService(spec, findings);

  const gatewaysOnly = isBoundToGatewaysOnly(spec);
  const hasGateways = Array.isArray(spec.gateways) && spec.gateways.length > 0;
  if (hasGateways) checkGatewayNames(spec.gateways, 'spec.gateways', findings);
  if (!gatewaysOnly) checkJwtClaimRouting(spec, findings);
  checkVirtualServiceHosts(spec, 'spec.hosts', !gatewaysOnly, gatewaysOnly, findings);

  const routeCount = ['http', 'tcp', 'tls'].reduce((count, key) => count + (Array.isArray(spec[key]) ? spec[key].length : 0), 0);
  if (routeCount === 0) findings.error('vs.routes-required', 'spec', 'http, tcp or tls must be provided in virtual service');
  // A null rule is checked as {}, as istiod decodes it (proto-zero-values.ts).
  eachEntry(spec.http, (http, index) => checkHttpRoute(http ?? {}, childPath('spec.http', index), isDelegate, findings));
  eachEntry(spec.tls, (tls, index) => checkTlsRoute(tls, childPath('spec.tls', index), spec, gatewaysOnly, findings));
  eachEntry(spec.tcp, (tcp, index) => checkTcpRoute(tcp, childPath('spec.tcp', index), findings));
  checkExportTo(spec.exportTo, namespace, 'spec.exportTo', findings);
  for (const finding of checkReachability(spec)) findings.push(finding);
  return findings.list;
}

function checkDelegateVirtualService(spec: any, findings: Findings): void {
  if (nonEmpty(spec.gateways)) findings.error('vs.delegate', 'spec.gateways', 'delegate virtual service must have no gateways specified');
  if (nonEmpty(spec.tls)) findings.error('vs.delegate', 'spec.tls', 'delegate virtual service must have no tls route specified');
  if (nonEmpty(spec.tcp)) findings.error('vs.delegate', 'spec.tcp', 'delegate virtual service must have no tcp route specified');
}

/** JWT claims are only known at gateways, where RequestAuthentication runs before routing. */
function checkJwtClaimRouting(spec: any, findings: Findings): void {
  const gateways = Array.isArray(spec.gateways) ? spec.gateways : [];
  eachEntry(spec.http, (http, httpIndex) => {
    eachEntry(http?.match, (match, matchIndex) => {
      for (const field of ['headers', 'withoutHeaders']) {
        for (const key of Object.keys(match?.[field] ?? {})) {
          if (!isJwtClaimKey(key)) continue;
          const path = childPath(childPath(childPath(childPath(childPath('spec.http', httpIndex), 'match'), matchIndex), field), key);
          findings.error('vs.jwt-claim-routing', path, `JWT claim based routing (key: ${key}) is only supported for gateway, found no gateways: [${gateways.join(' ')}]`);
        }
      }
    });
  });
}

function nonEmpty(value: unknown): boolean {
  return Array.isArray(value) && value.length > 0;
}

function eachEntry(list: unknown, visit: (entry: any, index: number) => void): void {
  if (Array.isArray(list)) list.forEach(visit);
}
