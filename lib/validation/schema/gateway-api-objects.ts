import type { Finding } from '../core/finding';
import { checkCelRules } from './cel';
import { crdSchema, gatewayApiSchemaKey, type GatewayApiChannel } from './crd-schemas';
import { withDefaults } from './defaults';
import { namingExperimentalFields } from './gateway-api-channel';
import { checkListTypes } from './list-types';
import { checkMetadata } from './metadata-rules';
import { checkSchema } from './schema';

type Schema = { readonly [keyword: string]: any };

/** These kinds have the status subresource: a create drops `status` before validating (the controller writes it). */
function withoutStatus(o: Record<string, any>, schema: Schema): Record<string, any> {
  if (o.status === undefined || !schema.properties?.status) return o;
  const { status: _dropped, ...rest } = o;
  return rest;
}

/**
 * What the API server says about a Gateway API or Inference Extension object (HTTPRoute, Gateway,
 * ReferenceGrant, InferencePool) with the CRDs of `channel` installed: metadata, then, on the object with its
 * schema defaults applied, the schema, list uniqueness and the CEL rules.
 */
export function checkGatewayApiObject(o: Record<string, any>, channel: GatewayApiChannel): Finding[] {
  const key = gatewayApiSchemaKey(o.apiVersion, o.kind, channel);
  if (key === undefined) return [];
  const schema = crdSchema(key) as Schema;
  const defaulted = withDefaults(withoutStatus(o, schema), schema) as Record<string, any>;
  const findings = [
    ...checkMetadata(o.metadata),
    ...checkSchema(key, defaulted),
    ...checkListTypes(defaulted.spec, schema.properties?.spec, 'spec'),
    ...checkCelRules(key, defaulted),
  ];
  return namingExperimentalFields(findings, o.apiVersion, o.kind, channel);
}
