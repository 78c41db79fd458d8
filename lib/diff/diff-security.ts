import { ServiceView, VersionSecurity } from '../traffic-view';
import { Change, ChangeKind } from './change';
import { diffAccess } from './diff-access';
import { effectiveMode } from '../traffic/access';

/** mTLS modes from strongest to weakest; an unknown mode ranks with PERMISSIVE. */
const MTLS_STRENGTH: Readonly<Record<string, number>> = { STRICT: 2, PERMISSIVE: 1, UNSET: 1, DISABLE: 0 };

/**
 * Per version present in both revisions: mTLS mode, allowed callers and
 * paths, who can reach it (by effect), DENY policies. A change the same for
 * every such version is reported once, without a version.
 */
export function diffSecurity(before: ServiceView, after: ServiceView): Change[] {
  const was = new Map(before.security.map((s) => [s.version, s]));
  const pairs = after.security.filter((s) => was.has(s.version)).map((s) => [was.get(s.version)!, s] as const);
  const perVersion = pairs.flatMap(([b, a]) => versionChanges(b, a));
  const groups = new Map<string, Change[]>();
  for (const change of perVersion) {
    const key = JSON.stringify([change.kind, change.before, change.after]);
    groups.set(key, [...(groups.get(key) ?? []), change]);
  }
  return [...groups.values()].flatMap((group) => {
    if (group.length < pairs.length) return group.map(withVersion);
    const { version: _version, ...rest } = group[0];
    return [rest];
  });
}

function withVersion(change: Change): Change {
  return { ...change, message: `version ${change.version}: ${change.message}` };
}

function versionChanges(b: VersionSecurity, a: VersionSecurity): Change[] {
  const changes: Change[] = [];
  const version = a.version;
  if (b.mtls !== a.mtls) {
    const weaker = (MTLS_STRENGTH[a.mtls] ?? 1) < (MTLS_STRENGTH[b.mtls] ?? 1);
    changes.push({ kind: 'mtls', version, before: b.mtls, after: a.mtls, risk: weaker ? 'risky' : 'review', message: `mTLS ${b.mtls} → ${a.mtls}${weaker ? ' (weakened)' : ''}` });
  }
  for (const port of portsOf(b.portMtls, a.portMtls)) {
    const was = effectiveMode(b.portMtls[port], b.mtls);
    const now = effectiveMode(a.portMtls[port], a.mtls);
    if (was === now) continue;
    const weaker = (MTLS_STRENGTH[now] ?? 1) < (MTLS_STRENGTH[was] ?? 1);
    changes.push({ kind: 'mtls', version, before: `${port}: ${was}`, after: `${port}: ${now}`, risk: weaker ? 'risky' : 'review', message: `port ${port}: mTLS ${was} → ${now}${weaker ? ' (weakened)' : ''}` });
  }
  changes.push(...clientTlsChanges(b, a));
  // What the policies say, for the reviewer; whether that lets more requests in is diffAccess's answer, by effect.
  changes.push(...listChange('callers', version, b.callers, a.callers, 'allowed callers'));
  changes.push(...listChange('paths', version, b.paths, a.paths, 'allowed paths'));
  changes.push(...diffAccess(b, a));
  if (b.denyPolicies.join() !== a.denyPolicies.join()) {
    changes.push({ kind: 'deny-policies', version, before: b.denyPolicies, after: a.denyPolicies, risk: 'review', message: `DENY policies ${listText(b.denyPolicies)} → ${listText(a.denyPolicies)}` });
  }
  return changes;
}

/** The DestinationRule's TLS from clients, for the service and per port: DISABLE or SIMPLE instead of Istio mTLS is weaker. */
function clientTlsChanges(b: VersionSecurity, a: VersionSecurity): Change[] {
  const changes: Change[] = [];
  for (const port of [undefined, ...portsOf(b.clientPortTls, a.clientPortTls)]) {
    const was = (port === undefined ? undefined : b.clientPortTls[port]) ?? b.clientTls ?? AUTO_MTLS;
    const now = (port === undefined ? undefined : a.clientPortTls[port]) ?? a.clientTls ?? AUTO_MTLS;
    if (was === now) continue;
    const weaker = (CLIENT_TLS_STRENGTH[now] ?? 0) < (CLIENT_TLS_STRENGTH[was] ?? 0);
    const where = port === undefined ? '' : `port ${port}: `;
    changes.push({
      kind: 'client-tls', version: a.version, before: `${where}${was}`, after: `${where}${now}`, risk: weaker ? 'risky' : 'review',
      message: `${where}clients' TLS (DestinationRule) ${was} → ${now}${weaker ? ' (weakened)' : ''}`,
    });
  }
  return changes;
}

const AUTO_MTLS = 'automatic mTLS';

/** Istio mTLS (set or automatic) and mutual TLS above one-way TLS, above plain text. */
const CLIENT_TLS_STRENGTH: Readonly<Record<string, number>> = { [AUTO_MTLS]: 2, ISTIO_MUTUAL: 2, MUTUAL: 2, SIMPLE: 1, DISABLE: 0 };

function portsOf(...maps: Readonly<Record<string, string>>[]): string[] {
  return [...new Set(maps.flatMap((m) => Object.keys(m)))].sort((x, y) => Number(x) - Number(y));
}

function listChange(kind: ChangeKind, version: string, before: readonly string[], after: readonly string[], noun: string): Change[] {
  if (before.join('\n') === after.join('\n')) return [];
  return [{ kind, version, before, after, risk: 'review', message: `${noun} ${listText(before)} → ${listText(after)}` }];
}

function listText(list: readonly string[]): string {
  return list.length ? list.join(', ') : 'none';
}
