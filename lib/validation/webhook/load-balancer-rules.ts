import { checkCookieAttributes } from './cookie-rules';
import { childPath } from '../core/field-path';
import type { Findings } from '../core/finding';
import { checkDuration } from './http-policy-rules';

/** validateLoadBalancer and agent.ValidateLocalityLbSetting (catalogue rule 43). */
export function checkLoadBalancer(lb: any, outlierDetection: unknown, path: string, findings: Findings): void {
  if (!lb || typeof lb !== 'object') return;
  const hash = lb.consistentHash;
  if (hash && typeof hash === 'object') checkConsistentHash(hash, childPath(path, 'consistentHash'), findings);
  checkLocality(lb.localityLbSetting, outlierDetection, childPath(path, 'localityLbSetting'), findings);
  const warmup = lb.warmup;
  if (warmup && typeof warmup === 'object') {
    const at = childPath(path, 'warmup');
    if (warmup.duration == null) findings.error('dr.warmup', childPath(at, 'duration'), 'duration is required');
    else checkDuration(warmup.duration, childPath(at, 'duration'), findings);
    if (Number(warmup.minimumPercent ?? 0) > 100) findings.error('dr.warmup', childPath(at, 'minimumPercent'), 'minimumPercent value should be less than or equal to 100');
    if (warmup.aggression != null && Number(warmup.aggression) < 1) findings.error('dr.warmup', childPath(at, 'aggression'), 'aggression should be greater than or equal to 1');
  }
}

const MAGLEV_TABLE_LIMIT = 5000011;

function checkConsistentHash(hash: any, path: string, findings: Findings): void {
  if (hash.httpCookie != null && (hash.httpCookie.name ?? '') === '') {
    findings.error('dr.consistent-hash', childPath(path, 'httpCookie'), 'name required for HttpCookie');
  }
  checkCookieAttributes(hash.httpCookie?.attributes, childPath(childPath(path, 'httpCookie'), 'attributes'), findings);
  const minimumRingSize = Number(hash.minimumRingSize ?? 0);
  if (minimumRingSize !== 0) {
    findings.warning('dr.minimum-ring-size', childPath(path, 'minimumRingSize'), "consistent hash MinimumRingSize is deprecated, use ConsistentHashLB's RingHash configuration instead");
    if (hash.ringHash != null || hash.maglev != null) {
      findings.error('dr.consistent-hash', path, 'only one of MinimumRingSize or Maglev/Ringhash can be specified');
    }
  }
  if (hash.maglev != null) {
    const at = childPath(childPath(path, 'maglev'), 'tableSize');
    const tableSize = Number(hash.maglev.tableSize ?? 0);
    if (tableSize === 0) findings.error('dr.maglev', at, 'tableSize must be set for maglev');
    if (tableSize >= MAGLEV_TABLE_LIMIT) findings.error('dr.maglev', at, `tableSize must be less than ${MAGLEV_TABLE_LIMIT} for maglev`, tableSize);
    if (!isPrime(tableSize)) findings.error('dr.maglev', at, 'tableSize must be a prime number for maglev', tableSize);
  }
}

/** Envoy's isPrime, which Istio copies: 0 is not prime, 1..3 are. */
function isPrime(x: number): boolean {
  if (x !== 0 && x < 4) return true;
  if (x % 2 === 0) return false;
  const limit = Math.floor(Math.sqrt(x));
  for (let factor = 3; factor <= limit; factor += 2) if (x % factor === 0) return false;
  return true;
}

function checkLocality(locality: any, outlierDetection: unknown, path: string, findings: Findings): void {
  if (!locality || typeof locality !== 'object') return;
  const distribute: any[] = Array.isArray(locality.distribute) ? locality.distribute : [];
  const failover: any[] = Array.isArray(locality.failover) ? locality.failover : [];
  const failoverPriority: any[] = Array.isArray(locality.failoverPriority) ? locality.failoverPriority : [];
  if (distribute.length > 0 && failover.length > 0) {
    return findings.error('dr.locality', path, "can not simultaneously specify 'distribute' and 'failover'");
  }
  for (const [index, entry] of distribute.entries()) {
    const weights = Object.values(entry?.to ?? {}).map(Number);
    const at = childPath(childPath(childPath(path, 'distribute'), index), 'to');
    if (weights.some((weight) => weight <= 0 || weight > 100)) return findings.error('dr.locality', at, 'locality weight must be in range [1, 100]');
    const total = weights.reduce((sum, weight) => sum + weight, 0);
    if (total !== 100) return findings.error('dr.locality', at, `total locality weight ${total} != 100`);
  }
  if ((failover.length > 0 || failoverPriority.length > 0) && outlierDetection == null) {
    findings.warning('dr.locality-failover-outlier', path, 'outlier detection policy must be provided for failover');
  }
  failover.forEach((entry, index) => {
    const at = childPath(childPath(path, 'failover'), index);
    const from = String(entry?.from ?? '');
    const to = String(entry?.to ?? '');
    if (from === to) findings.error('dr.locality', at, 'locality lb failover settings must specify different regions');
    if (from.includes('/') || to.includes('/')) findings.error('dr.locality', at, 'locality lb failover only specify region');
    if (from.includes('*') || to.includes('*')) findings.error('dr.locality', at, "locality lb failover region should not contain '*' wildcard");
  });
}
