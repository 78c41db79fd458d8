import { UserError } from '../errors';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const SUBSET_NAME = /^[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Kubernetes object names and namespaces: DNS-1123 labels, at most 63 characters. */
export function checkLabelName(where: string, value: string): string {
  if (value.length > 63 || !DNS1123_LABEL.test(value)) {
    throw new UserError(`${where} must be a DNS-1123 label (lower-case letters, digits and '-', at most 63 characters), received "${value}"`);
  }
  return value;
}

/** Istio subset names: DNS-1123 labels where upper case is allowed. */
export function checkSubsetName(where: string, value: string): string {
  if (value.length > 63 || !SUBSET_NAME.test(value)) {
    throw new UserError(`${where} must be a valid subset name (letters, digits and '-', at most 63 characters, starting and ending alphanumeric), received "${value}"`);
  }
  return value;
}

/** Service hosts and external hostnames. Wildcards are refused unless the caller allows them. */
export function checkHostname(where: string, value: string, options: { wildcard?: boolean } = {}): string {
  const name = options.wildcard && value.startsWith('*.') ? value.slice(2) : value;
  if (value === '*' || value.length > 253 || !DNS1123_SUBDOMAIN.test(name)) {
    const rule = options.wildcard ? 'a DNS name, optionally starting with "*."' : 'a DNS name without wildcards';
    throw new UserError(`${where} must be ${rule}, received "${value}"`);
  }
  return value;
}
