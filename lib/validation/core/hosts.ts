/** Istio's host.Name semantics: wildcard matching and short-name expansion. */

const CLUSTER_DOMAIN = 'svc.cluster.local';

function isWildcarded(host: string): boolean {
  return host.startsWith('*');
}

/** host.Name.Matches: true when some concrete host is matched by both. */
export function hostsMatch(a: string, b: string): boolean {
  const aWild = isWildcarded(a);
  const bWild = isWildcarded(b);
  if (aWild && bWild) return a.length < b.length ? b.slice(1).endsWith(a.slice(1)) : a.slice(1).endsWith(b.slice(1));
  if (aWild) return b.endsWith(a.slice(1));
  if (bWild) return a.endsWith(b.slice(1));
  return a === b;
}

/** host.Name.SubsetOf: every host matched by `a` is matched by `b`. */
export function hostSubsetOf(a: string, b: string): boolean {
  if (isWildcarded(a)) return isWildcarded(b) && a.slice(1).endsWith(b.slice(1));
  if (isWildcarded(b)) return a.endsWith(b.slice(1));
  return a === b;
}

/**
 * Resolves a host the way istioctl analyze does: a name without dots is a Service in the object's
 * namespace (`reviews` in `default` is `reviews.default.svc.cluster.local`); other names are kept.
 */
export function fullyQualifiedHost(host: string, namespace: string): string {
  const trimmed = host.endsWith('.') ? host.slice(0, -1) : host;
  if (isWildcarded(trimmed) || trimmed.includes('.')) return trimmed;
  return `${trimmed}.${namespace}.${CLUSTER_DOMAIN}`;
}
