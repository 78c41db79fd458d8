/** Istio's host names as routing sees them: short names, FQDNs, wildcards and the Host header forms. */
import { fullyQualifiedHost } from '../validation/core/hosts';

export const CLUSTER_DOMAIN = 'cluster.local';

/**
 * Istio's ResolveShortnameToFQDN, case-insensitive: a name without dots is a
 * Service in the object's namespace; anything else (`reviews.default`,
 * `*.example.com`) and IPv6 addresses are kept.
 */
export function resolveHost(host: string, namespace: string): string {
  const name = host.toLowerCase();
  return /^[0-9a-f:]+$/.test(name) && name.includes(':') ? name : fullyQualifiedHost(name, namespace);
}

/** The namespace of a Kubernetes service FQDN (`name.ns.svc.cluster.local`), if it is one. */
export function serviceNamespace(fqdn: string): string | undefined {
  const parts = fqdn.split('.');
  return parts.length === 5 && `${parts[2]}.${parts[3]}.${parts[4]}` === `svc.${CLUSTER_DOMAIN}` ? parts[1] : undefined;
}

/**
 * Envoy's virtual host domain match, as a rank: 3 exact, 2 suffix wildcard
 * (`*.example.com`, longer is better), 1 the catch-all `*`; 0 no match.
 * Returns [rank, length] so that callers pick the best.
 */
export function domainMatch(domain: string, authority: string): [number, number] {
  if (domain === authority) return [3, domain.length];
  if (domain === '*') return [1, 0];
  if (domain.startsWith('*') && authority.endsWith(domain.slice(1)) && authority.length > domain.length - 1) return [2, domain.length];
  return [0, 0];
}
