import { isIpAddress, isIpOrCidr, portError, wildcardDomainError } from '../core/dns';
import { childPath } from '../core/field-path';
import type { Findings } from '../core/finding';
import { checkGatewayNames } from './gateway-names';
import { hostSubsetOf } from '../core/hosts';
import { labelProblems } from '../core/labels';
import { checkRouteDestinations } from './route-destination-rules';
import { wildcardDomainForGatewayError } from './vs-hosts';

/** TCP and TLS routes (catalogue rules 36, 37). */

// Null routes and matches are checked as {}, as istiod decodes them (proto-zero-values.ts).
export function checkTcpRoute(raw: any, path: string, findings: Findings): void {
  const tcp = raw ?? {};
  if (typeof tcp !== 'object') return;
  (Array.isArray(tcp.match) ? tcp.match : []).forEach((match: any, index: number) => {
    checkL4Match(match ?? {}, childPath(childPath(path, 'match'), index), findings);
  });
  if (!Array.isArray(tcp.route) || tcp.route.length === 0) findings.error('vs.tcp-route-required', path, 'TCP route is required');
  checkRouteDestinations(tcp.route, childPath(path, 'route'), findings, false);
}

export function checkTlsRoute(raw: any, path: string, virtualService: any, boundToGatewaysOnly: boolean, findings: Findings): void {
  const tls = raw ?? {};
  if (typeof tls !== 'object') return;
  const matches = Array.isArray(tls.match) ? tls.match : [];
  if (matches.length === 0) findings.error('vs.tls-match-required', path, 'TLS route must have at least one match condition');
  matches.forEach((rawMatch: any, index: number) => {
    const at = childPath(childPath(path, 'match'), index);
    const match = rawMatch ?? {};
    const sniHosts = Array.isArray(match.sniHosts) ? match.sniHosts : [];
    if (sniHosts.length === 0) findings.error('vs.tls-sni-required', at, 'TLS match must have at least one SNI host');
    sniHosts.forEach((sniHost: unknown, sniIndex: number) => {
      checkSniHost(String(sniHost ?? ''), childPath(childPath(at, 'sniHosts'), sniIndex), virtualService, boundToGatewaysOnly, findings);
    });
    checkL4Match(match, at, findings);
  });
  if (!Array.isArray(tls.route) || tls.route.length === 0) findings.error('vs.tls-route-required', path, 'TLS route is required');
  checkRouteDestinations(tls.route, childPath(path, 'route'), findings, false);
}

function checkSniHost(sniHost: string, path: string, virtualService: any, boundToGatewaysOnly: boolean, findings: Findings): void {
  const problem = boundToGatewaysOnly ? wildcardDomainForGatewayError(true, sniHost) : wildcardDomainError(sniHost);
  if (problem) {
    if (isIpAddress(sniHost)) {
      findings.warning('vs.tls-sni-ip', path, `using an IP address ("${sniHost}") goes against SNI spec and most clients do not support this`);
    } else findings.error('vs.tls-sni-host', path, problem);
    return;
  }
  const hosts: string[] = Array.isArray(virtualService.hosts) ? virtualService.hosts.map(String) : [];
  if (hosts.some((host) => hostSubsetOf(sniHost, host))) return;
  findings.error('vs.tls-sni-host', path, `SNI host "${sniHost}" is not a compatible subset of any of the virtual service hosts: [${hosts.join(', ')}]`);
}

/** The L4 match fields shared by tcp and tls matches. */
function checkL4Match(match: any, path: string, findings: Findings): void {
  (Array.isArray(match.destinationSubnets) ? match.destinationSubnets : []).forEach((subnet: unknown, index: number) => {
    if (!isIpOrCidr(String(subnet))) {
      findings.error('vs.destination-subnet', childPath(childPath(path, 'destinationSubnets'), index), `${subnet} is not a valid CIDR block`);
    }
  });
  const port = Number(match.port ?? 0);
  const badPort = port !== 0 ? portError(port) : undefined;
  if (badPort) findings.error('vs.match-port', childPath(path, 'port'), badPort);
  for (const problem of labelProblems(match.sourceLabels)) {
    findings.error('labels', childPath(childPath(path, 'sourceLabels'), problem.key), problem.message);
  }
  checkGatewayNames(match.gateways, childPath(path, 'gateways'), findings);
}
