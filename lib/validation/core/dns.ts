/** Istio's host and label syntax checks (pkg/config/validation/agent, pkg/config/labels). */

const DNS1123_LABEL = /^[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?$/;
const WILDCARD_DNS1123_LABEL = /^(?:\*|(?:\*|\*-)?[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?)$/;
const MAX_LABEL_LENGTH = 63;

export function isDns1123Label(value: string): boolean {
  return value.length <= MAX_LABEL_LENGTH && DNS1123_LABEL.test(value);
}

function isWildcardDns1123Label(value: string): boolean {
  return value.length <= MAX_LABEL_LENGTH && WILDCARD_DNS1123_LABEL.test(value);
}

function dns1123PreconditionError(name: string): string | undefined {
  if (name.length > 255) return `domain name "${name}" too long (max 255)`;
  if (name.length === 0) return 'empty domain name not allowed';
  return undefined;
}

/** Go's strconv.Atoi succeeds: optional sign and decimal digits. */
function isAllNumeric(label: string): boolean {
  return /^[+-]?\d+$/.test(label);
}

function dns1123LabelsError(domain: string): string | undefined {
  const parts = domain.split('.');
  const topLevelDomain = parts[parts.length - 1];
  if (isAllNumeric(topLevelDomain)) {
    return `domain name "${domain}" invalid (top level domain "${topLevelDomain}" cannot be all-numeric)`;
  }
  for (let i = 0; i < parts.length; i++) {
    // A trailing dot ("istio.io.") leaves an empty last label, which Istio accepts.
    if (i === parts.length - 1 && parts[i] === '') return undefined;
    if (!isDns1123Label(parts[i])) return `domain name "${domain}" invalid (label "${parts[i]}" invalid)`;
  }
  return undefined;
}

/** agent.ValidateWildcardDomain: a DNS name whose first label may be `*`, `*foo` or `*-foo`. */
export function wildcardDomainError(domain: string): string | undefined {
  const precondition = dns1123PreconditionError(domain);
  if (precondition) return precondition;
  const dot = domain.indexOf('.');
  const first = dot < 0 ? domain : domain.slice(0, dot);
  if (!isWildcardDns1123Label(first)) return `domain name "${domain}" invalid (label "${first}" invalid)`;
  return dot < 0 ? undefined : dns1123LabelsError(domain.slice(dot + 1));
}

/** agent.ValidateFQDN. */
export function fqdnError(fqdn: string): string | undefined {
  return dns1123PreconditionError(fqdn) ?? dns1123LabelsError(fqdn);
}

/** netutil.IsValidIPAddress: IPv4 dotted quad or IPv6 (zone allowed). */
export function isIpAddress(value: string): boolean {
  return isIPv4(value) || isIPv6(value);
}

function isIPv4(value: string): boolean {
  const parts = value.split('.');
  return parts.length === 4 && parts.every((part) => /^(?:0|[1-9]\d{0,2})$/.test(part) && Number(part) <= 255);
}

function isIPv6(value: string): boolean {
  const address = value.split('%')[0];
  if (!address.includes(':')) return false;
  try {
    return new URL(`http://[${address}]/`).hostname.length > 0;
  } catch {
    return false;
  }
}

/** An IP address or a CIDR block (agent.ValidateIPSubnet). */
export function isIpOrCidr(value: string): boolean {
  const slash = value.indexOf('/');
  if (slash < 0) return isIpAddress(value);
  const address = value.slice(0, slash);
  const bits = value.slice(slash + 1);
  if (!/^\d{1,3}$/.test(bits)) return false;
  const max = isIPv4(address) ? 32 : isIPv6(address) ? 128 : -1;
  return Number(bits) <= max;
}

/** agent.ValidatePort. */
export function portError(port: number): string | undefined {
  return port >= 1 && port <= 65535 ? undefined : `port number ${port} must be in the range 1..65535`;
}
