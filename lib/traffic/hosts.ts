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

/** The Kubernetes service a Host header names from a namespace: `a`, `a.ns` and `a.ns.svc` complete to the FQDN; others stay. */
export function serviceFqdnOf(authority: string, namespace: string): string {
  const parts = authority.split('.');
  if (parts.length === 1) return `${authority}.${namespace}.svc.${CLUSTER_DOMAIN}`;
  if (parts.length === 2 || (parts.length === 3 && parts[2] === 'svc')) return `${parts[0]}.${parts[1]}.svc.${CLUSTER_DOMAIN}`;
  return authority;
}

/** The namespace of a Kubernetes service FQDN (`name.ns.svc.cluster.local`), if it is one. */
export function serviceNamespace(fqdn: string): string | undefined {
  const parts = fqdn.split('.');
  return parts.length === 5 && `${parts[2]}.${parts[3]}.${parts[4]}` === `svc.${CLUSTER_DOMAIN}` ? parts[1] : undefined;
}

/**
 * The Host header values a sidecar in `proxyNamespace` accepts for a host
 * (Istio's GenerateAltVirtualHosts): the FQDN everywhere; for a Kubernetes
 * service also `name.ns` and `name.ns.svc`, and the bare `name` from its own namespace.
 */
export function sidecarDomains(fqdn: string, proxyNamespace: string): string[] {
  const namespace = serviceNamespace(fqdn);
  if (namespace === undefined) return [fqdn];
  const name = fqdn.split('.')[0];
  const domains = [fqdn, `${name}.${namespace}`, `${name}.${namespace}.svc`];
  if (namespace === proxyNamespace) domains.push(name);
  return domains;
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
