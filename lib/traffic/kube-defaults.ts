import schemas from '../../imports/gateway-api-crd-schemas.json';

type Schema = {
  readonly type?: string;
  readonly default?: unknown;
  readonly properties?: Readonly<Record<string, Schema>>;
  readonly items?: Schema;
};

const CHANNELS = schemas.channels as unknown as Readonly<Record<'standard' | 'experimental', Readonly<Record<string, Schema>>>>;

/**
 * A Gateway API object as the API server stores it: every field its CRD
 * gives a `default` that the YAML leaves out is filled in (structural
 * defaulting), so the model reads what Istio's controller reads. A rule
 * without `matches` has one, PathPrefix `/`; a backendRef without `weight`
 * weighs 1; a redirect without `statusCode` is a 302. The experimental
 * channel's schema is used: its fields are a superset of the standard one's.
 * Returns a copy; an object of a kind without a schema is returned as is.
 */
export function withCrdDefaults<T>(object: T): T {
  const { apiVersion, kind } = object as { apiVersion?: unknown; kind?: unknown };
  const schema = CHANNELS.experimental[`${apiVersion}/${kind}`];
  return schema === undefined ? object : (defaulted(schema, structuredClone(object)) as T);
}

function defaulted(schema: Schema, value: unknown): unknown {
  if (Array.isArray(value)) {
    if (schema.items) for (let i = 0; i < value.length; i++) value[i] = defaulted(schema.items, value[i]);
    return value;
  }
  if (typeof value !== 'object' || value === null || !schema.properties) return value;
  const object = value as Record<string, unknown>;
  for (const [key, property] of Object.entries(schema.properties)) {
    if ((object[key] === undefined || object[key] === null) && property.default !== undefined) object[key] = structuredClone(property.default);
    if (object[key] !== undefined && object[key] !== null) object[key] = defaulted(property, object[key]);
  }
  return object;
}
