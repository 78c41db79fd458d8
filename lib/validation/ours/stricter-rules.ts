import { parseGoDuration } from '../webhook/duration';
import { childPath } from '../core/field-path';
import type { Finding } from '../core/finding';
import { isBoundToGatewaysOnly } from '../webhook/virtual-service-rules';

/**
 * Our rules, stricter than Istio (ids start with `ours.`). Istio accepts these configurations but they
 * rarely mean what was written. Severity is set by the engine from the profile.
 */

const NANOS_PER_MS = 1_000_000n;

export function checkStricterVirtualServiceRules(spec: any): Finding[] {
  if (!spec || typeof spec !== 'object') return [];
  return [...weightsAddUpTo100(spec), ...defaultRouteLast(spec), ...retriesFitTimeout(spec)];
}

function ours(rule: string, path: string, message: string, received?: unknown): Finding {
  return { severity: 'warning', rule, path, message, ...(received === undefined ? {} : { received }) };
}

/** Istio splits by weight/sum, so 30/30 means 50/50; we want the written numbers to be the shares. */
function weightsAddUpTo100(spec: any): Finding[] {
  const findings: Finding[] = [];
  for (const protocol of ['http', 'tcp', 'tls']) {
    (Array.isArray(spec[protocol]) ? spec[protocol] : []).forEach((rule: any, index: number) => {
      const route = rule?.route;
      if (!Array.isArray(route) || route.length < 2) return;
      const total = route.reduce((sum: number, entry: any) => sum + Number(entry?.weight ?? 0), 0);
      if (total !== 100) {
        const path = childPath(childPath(childPath('spec', protocol), index), 'route');
        findings.push(ours('ours.weights-sum-100', path, 'route weights must add up to 100 (Istio splits traffic by weight/sum of weights)', total));
      }
    });
  }
  return findings;
}

/**
 * Without a final catch-all rule, a mesh-bound VirtualService answers 404 to
 * requests that match no rule. A last rule whose blocks only say where a
 * request arrives (a port, a gateway), never what it carries, is the
 * catch-all of those ports and gateways.
 */
function defaultRouteLast(spec: any): Finding[] {
  const http = spec.http;
  const hasHosts = Array.isArray(spec.hosts) && spec.hosts.length > 0;
  if (!hasHosts || isBoundToGatewaysOnly(spec) || !Array.isArray(http) || http.length === 0) return [];
  const lastIndex = http.length - 1;
  const last = http[lastIndex];
  if (!Array.isArray(last?.match) || last.match.length === 0) return [];
  if (last.match.every((block: unknown) => block && typeof block === 'object' && Object.keys(block).every((key) => key === 'port' || key === 'gateways'))) return [];
  return [
    ours('ours.default-route-last', childPath(childPath('spec.http', lastIndex), 'match'), 'the last http rule must have no match (a default route); requests that match no rule get a 404'),
  ];
}

/** Istio's `attempts` counts retries after the first try, so the worst case is (attempts + 1) tries. */
function retriesFitTimeout(spec: any): Finding[] {
  const findings: Finding[] = [];
  (Array.isArray(spec.http) ? spec.http : []).forEach((rule: any, index: number) => {
    const attempts = Number(rule?.retries?.attempts ?? 0);
    const perTry = typeof rule?.retries?.perTryTimeout === 'string' ? parseGoDuration(rule.retries.perTryTimeout) : undefined;
    const timeout = typeof rule?.timeout === 'string' ? parseGoDuration(rule.timeout) : undefined;
    if (!(attempts > 0) || perTry === undefined || timeout === undefined || timeout <= 0n) return;
    const worstCase = BigInt(attempts + 1) * perTry;
    if (worstCase <= timeout) return;
    const path = childPath(childPath('spec.http', index), 'retries');
    const message = `retries cannot fit in the timeout: (attempts + 1) × perTryTimeout = ${formatNanos(worstCase)} > timeout ${formatNanos(timeout)}`;
    findings.push(ours('ours.retries-exceed-timeout', path, message));
  });
  return findings;
}

function formatNanos(nanos: bigint): string {
  const ms = nanos / NANOS_PER_MS;
  return ms % 1000n === 0n ? `${ms / 1000n}s` : `${ms}ms`;
}
