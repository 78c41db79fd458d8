import { Access, ACCESS_RANK, accessOf } from '../traffic/access';
import { VersionSecurity } from '../traffic-view';
import { Change } from './change';
import { Probe, probeLabel, probesFor, requestOf } from './probes';

const LISTED = 3;

/**
 * Who can reach one version, compared by effect: each probe (a request
 * derived from either revision's policies) is answered by the version's
 * policies and mTLS before and after; a request served now that was not
 * (or only after an external check) is risky, however the policies were
 * reworded, merged or reselected.
 */
export function diffAccess(before: VersionSecurity, after: VersionSecurity): Change[] {
  if (securityKey(before) === securityKey(after)) return [];
  const ports = [...new Set([before, after].flatMap((s) => [...Object.keys(s.portMtls), ...Object.keys(s.clientPortTls)]))].sort();
  const { probes, cut } = probesFor([...before.policies, ...after.policies], ports);
  const pathsNamed = probes.some((p) => p.path !== undefined);
  const widened: string[] = [];
  for (const probe of probes) {
    const was = answer(before, probe);
    const now = answer(after, probe);
    if (ACCESS_RANK[now] > ACCESS_RANK[was]) widened.push(describe(probeLabel(probe, pathsNamed), was, now, before, after));
  }
  const changes: Change[] = [];
  if (widened.length) {
    const more = widened.length > LISTED ? `; and ${widened.length - LISTED} more` : '';
    changes.push({ kind: 'access', version: after.version, after: widened, risk: 'risky', message: `newly reachable: ${widened.slice(0, LISTED).join('; ')}${more}` });
  }
  if (cut) {
    changes.push({ kind: 'access', version: after.version, risk: 'risky', message: 'a rule combines too many values to compare by effect: review its policies by hand' });
  }
  return changes;
}

function answer(security: VersionSecurity, probe: Probe): Access {
  return accessOf(security, requestOf(probe, security.host), probe.caller.sidecar);
}

function describe(label: string, was: Access, now: Access, before: VersionSecurity, after: VersionSecurity): string {
  if (now === 'checked') return `${label}, subject to ${providers(after)}`;
  if (was === 'checked') return `${label} without the check of ${providers(before)}`;
  return label;
}

function providers(security: VersionSecurity): string {
  const names = security.policies.filter((p) => p.action === 'CUSTOM').map((p) => p.provider ?? p.ref);
  return [...new Set(names)].join(', ');
}

/**
 * Equal keys answer every request alike: the comparison is skipped (most
 * versions, in a large diff). Plain JSON, not canonical: keys written in
 * another order only cost a comparison that finds nothing.
 */
function securityKey(s: VersionSecurity): string {
  return JSON.stringify([s.policies, s.mtls, s.portMtls, s.clientTls ?? null, s.clientPortTls]);
}
