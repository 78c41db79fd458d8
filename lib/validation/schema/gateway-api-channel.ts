import type { Finding } from '../core/finding';
import { crdSchema, type GatewayApiChannel } from './crd-schemas';

type Schema = { readonly [keyword: string]: any };

/** The Gateway API release whose CRDs Istio 1.30 builds against, and so the one the schemas come from. */
export const GATEWAY_API_VERSION = 'v1.5.1';

/**
 * The channel rule: objects are validated against the standard-channel CRDs, which every Gateway API cluster
 * has. A field the standard CRDs do not know but the experimental ones do (HTTPRoute `spec.rules[].retry`) is
 * still an error, since the API server rejects it as an unknown field, but named for what it is: the cluster
 * needs the experimental-channel CRDs, and the validation must be told that they are there
 * (`gatewayApiChannel: 'experimental'`, `--gateway-api-channel experimental`).
 */
export function namingExperimentalFields(findings: readonly Finding[], apiVersion: string, kind: string, channel: GatewayApiChannel): Finding[] {
  if (channel === 'experimental') return [...findings];
  return findings.map((finding) => {
    const field = /^unknown field "(.*)"$/.exec(finding.message)?.[1];
    if (finding.rule !== 'schema' || field === undefined || !definedAt(crdSchema(`experimental:${apiVersion}/${kind}`), finding.path)) return finding;
    return {
      severity: 'error',
      rule: 'gateway-api.experimental-field',
      path: finding.path,
      message: `${field} is a Gateway API experimental-channel field: the standard-channel CRDs reject it as an unknown field, so the cluster needs the experimental-channel CRDs of Gateway API ${GATEWAY_API_VERSION} (say so with gatewayApiChannel: 'experimental', or validate --gateway-api-channel experimental)`,
    };
  });
}

/** Whether the schema defines the field at `path` ('spec.rules[0].retry'). */
function definedAt(schema: Schema | undefined, path: string): boolean {
  let node = schema;
  for (const step of path.match(/[^.[\]]+|\[[^\]]*\]/g) ?? []) {
    if (!node) return false;
    if (step.startsWith('[')) {
      const inner = step.slice(1, -1);
      node = /^\d+$/.test(inner) ? node.items : node.properties?.[JSON.parse(inner)] ?? node.additionalProperties;
    } else node = node.properties?.[step] ?? (typeof node.additionalProperties === 'object' ? node.additionalProperties : undefined);
  }
  return node !== undefined;
}
