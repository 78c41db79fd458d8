/**
 * Turns a Kubernetes structural schema into plain JSON Schema for ajv, with the API server's semantics:
 * unknown fields are rejected (kubectl --validate=strict and istioctl do), null object fields are pruned
 * like the API server does, int-or-string accepts both, and CEL rules are left to cel.ts.
 */

type Schema = { [keyword: string]: any };

const DROPPED_KEYWORDS = new Set([
  'description',
  'x-kubernetes-validations',
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-int-or-string',
]);

export function toAjvSchema(node: Schema): Schema {
  const out: Schema = {};
  for (const [keyword, value] of Object.entries(node)) {
    if (DROPPED_KEYWORDS.has(keyword)) continue;
    out[keyword] = convertKeyword(keyword, value);
  }
  if (node['x-kubernetes-int-or-string']) {
    delete out.type;
  }
  const preserveUnknown = node['x-kubernetes-preserve-unknown-fields'] === true;
  if (out.properties && out.additionalProperties === undefined && !preserveUnknown) {
    out.additionalProperties = false;
  }
  return out;
}

function convertKeyword(keyword: string, value: any): any {
  switch (keyword) {
    case 'properties':
      return mapValues(value, (child) => nullable(toAjvSchema(child)));
    case 'items':
    case 'not':
      return toAjvSchema(value);
    case 'additionalProperties':
      return typeof value === 'object' ? toAjvSchema(value) : value;
    case 'oneOf':
    case 'anyOf':
    case 'allOf':
      return (value as Schema[]).map(toAjvSchema);
    default:
      return value;
  }
}

/** The API server prunes null object fields that are not nullable before validating, so null means "absent". */
function nullable(schema: Schema): Schema {
  if (!schema.type) return schema;
  const withNull: Schema = { ...schema, nullable: true };
  if (Array.isArray(schema.enum)) withNull.enum = [...schema.enum, null];
  return withNull;
}

function mapValues(record: Record<string, Schema>, fn: (value: Schema) => Schema): Record<string, Schema> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, fn(value)]));
}
