import { crdSchema } from '../schema/crd-schemas';

type Schema = { [keyword: string]: any };

/**
 * What istiod's webhook (and `istioctl validate`) sees: the YAML is decoded through JSON into protobuf
 * messages, and there a `null` list entry or map value becomes the zero value of its type: an empty
 * message, "" or 0. So `http: [null]` is checked as `http: [{}]` ("HTTP route, redirect or direct_response
 * is required"), `subsets: [null]` as a subset without a name ("subset name cannot be empty"), and a null
 * header match as an empty StringMatch (no error). Checked with istioctl 1.30: the Go code's own nil
 * checks ("http route may not be null", "subset may not be null", ...) can never fire from YAML.
 * The API server rejects these nulls anyway ("must be of type object"), see schema.ts; this only makes
 * our webhook-layer messages the ones istioctl prints. Null object *fields* are left alone: both the
 * API server (pruning) and protobuf (unset field) treat them as absent, and the rules do too.
 */
export function withProtoZeroValues<T>(key: string, obj: T): T {
  // Most objects hold no null at all: finding that out costs a fraction of decoding.
  return containsNull(obj) ? (decode(obj, crdSchema(key) as Schema) as T) : obj;
}

function containsNull(value: unknown): boolean {
  if (value === null) return true;
  if (typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some(containsNull);
  for (const key in value) if (containsNull((value as Record<string, unknown>)[key])) return true;
  return false;
}

function decode(value: unknown, schema: Schema | undefined): unknown {
  if (!schema || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const items = schema.items as Schema | undefined;
    return value.map((entry) => (entry === null ? zeroValue(items) : decode(entry, items)));
  }
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  const additional = typeof schema.additionalProperties === 'object' ? (schema.additionalProperties as Schema) : undefined;
  const out: Record<string, unknown> = {};
  for (const [name, child] of Object.entries(value as Record<string, unknown>)) {
    const childSchema = properties[name] ?? additional;
    out[name] = child === null && !properties[name] && additional ? zeroValue(additional) : decode(child, childSchema);
  }
  return out;
}

function zeroValue(schema: Schema | undefined): unknown {
  switch (schema?.type) {
    case 'object':
      return {};
    case 'array':
      return [];
    case 'string':
      return '';
    case 'integer':
    case 'number':
      return 0;
    case 'boolean':
      return false;
    default:
      return null; // int-or-string and untyped values: no zero value to guess
  }
}
