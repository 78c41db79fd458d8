import { MESH_GATEWAY } from '../webhook/virtual-service-rules';
import type { AnalysisSet, AnalyzedObject, CrossObjectFinding } from './analysis-set';
import { shortOrFullName } from './gateways';
import { podsOf, selects } from './pods';

const JWT_CLAIM_PREFIX = '@request.auth.claims';
/** RequestAuthentications in the root namespace apply to every workload. */
const ROOT_NAMESPACE = 'istio-system';

/** jwt.ToRoutingClaim(key).Match: `@request.auth.claims.<a>[.<b>]` or `@request.auth.claims[<a>][<b>]`, prefix case-insensitive. */
function isRoutingClaim(key: string): boolean {
  if (!key.toLowerCase().startsWith(JWT_CLAIM_PREFIX)) return false;
  const name = key.slice(JWT_CLAIM_PREFIX.length);
  return (name.startsWith('.') && name.length > 1) || (name.startsWith('[') && name.endsWith(']') && name.length > 2);
}

/** routeBasedOnJWTClaimKey: the first claim key of the first match that routes on one. */
function claimKey(spec: any): string | undefined {
  for (const rule of Array.isArray(spec?.http) ? spec.http : []) {
    for (const match of Array.isArray(rule?.match) ? rule.match : []) {
      for (const field of ['headers', 'withoutHeaders']) {
        const key = Object.keys(match?.[field] ?? {}).find(isRoutingClaim);
        if (key !== undefined) return key;
      }
    }
  }
  return undefined;
}

/**
 * virtualservice.JWTClaimRouteAnalyzer (IST0149): a VirtualService that routes on a JWT claim, bound to a
 * Gateway whose pods no RequestAuthentication (in istio-system or the pod's namespace) selects.
 */
export function analyzeJwtClaimRoutes(set: AnalysisSet): CrossObjectFinding[] {
  const pods = podsOf(set);
  const requestAuthentications = set.all('RequestAuthentication');
  const findings: CrossObjectFinding[] = [];
  for (const vs of set.reported('VirtualService')) {
    const key = claimKey(vs.spec);
    if (key === undefined) continue;
    const gateways: string[] = (Array.isArray(vs.spec?.gateways) ? vs.spec.gateways : []).map(String);
    for (const [gatewayIndex, gatewayName] of gateways.entries()) {
      if (gatewayName === MESH_GATEWAY) continue;
      const [namespace, name] = shortOrFullName(vs.namespace, gatewayName);
      const gateway = set.find('Gateway', namespace, name);
      if (!gateway) continue; // the gateway analyzer reports it
      const gatewaySelector = labelsOf(gateway.spec?.selector);
      for (const pod of pods) {
        if (!selects(gatewaySelector, pod.labels)) continue;
        if (requestAuthentications.some((ra) => appliesTo(ra, pod))) continue;
        findings.push({ objectIndex: vs.index, path: `spec.gateways[${gatewayIndex}]`, severity: 'error', code: 'IST0149', rule: 'analyzer.jwt-claim-without-request-authentication',
          message: `The virtual service uses the JWT claim based routing (key: ${key}) but found no request authentication for the gateway (${namespace}/${name}) pod (${pod.name}). The request authentication must first be applied for the gateway pods to validate the JWT token and make the claims available for routing.` });
      }
    }
  }
  return findings;
}

function appliesTo(ra: AnalyzedObject, pod: { namespace: string; labels: Readonly<Record<string, string>> }): boolean {
  if (ra.namespace !== ROOT_NAMESPACE && ra.namespace !== pod.namespace) return false;
  return selects(labelsOf(ra.spec?.selector?.matchLabels), pod.labels);
}

function labelsOf(value: unknown): Record<string, string> {
  if (value === null || typeof value !== 'object') return {};
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)]));
}
