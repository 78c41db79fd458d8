import { isDns1123Label, portError, wildcardDomainError } from '../core/dns';
import { childPath } from '../core/field-path';
import type { Findings } from '../core/finding';
import { checkHeaderOperations } from './header-rules';

/** Destinations and weights (catalogue rules 19-23), shared by http, tcp and tls routes and by mirrors. */

/** validateDestination: host, subset and port of a route, mirror or mirrors[] destination. */
export function checkDestination(destination: any, path: string, findings: Findings): void {
  if (!destination || typeof destination !== 'object') return;
  const host = typeof destination.host === 'string' ? destination.host : '';
  const hostPath = childPath(path, 'host');
  if (host === '*') findings.error('destination.host', hostPath, `invalid destination host ${host}`);
  else {
    const problem = wildcardDomainError(host);
    if (problem) findings.error('destination.host', hostPath, problem);
  }
  const subset = destination.subset;
  if (typeof subset === 'string' && subset !== '' && !isDns1123Label(subset)) {
    findings.error('destination.subset', childPath(path, 'subset'), `subset name is invalid: ${subset}`);
  }
  if (destination.port !== undefined && destination.port !== null) {
    const number = Number(destination.port?.number ?? 0);
    const problem = portError(number);
    if (problem) findings.error('destination.port', childPath(childPath(path, 'port'), 'number'), problem);
  }
}

/** validateHTTPRouteDestinations / validateRouteDestinations; `withHeaders` for http routes. */
export function checkRouteDestinations(route: unknown, path: string, findings: Findings, withHeaders: boolean): void {
  if (!Array.isArray(route)) return;
  let totalWeight = 0;
  // A null entry is checked as {} ("destination is required"), as istiod decodes it (proto-zero-values.ts).
  route.forEach((raw, index) => {
    const entryPath = childPath(path, index);
    const entry = raw ?? {};
    if (entry.destination === undefined || entry.destination === null) {
      findings.error('route.destination-required', childPath(entryPath, 'destination'), 'destination is required');
    }
    if (withHeaders) checkHeaderOperations(entry.headers, childPath(entryPath, 'headers'), findings);
    checkDestination(entry.destination, childPath(entryPath, 'destination'), findings);
    const weight = Number(entry.weight ?? 0);
    if (weight < 0) findings.error('vs.weight-negative', childPath(entryPath, 'weight'), `weight ${weight} < 0`);
    totalWeight += weight;
  });
  if (route.length > 1 && totalWeight === 0) {
    findings.error('vs.weight-total-zero', path, 'total destination weight = 0');
  }
}
