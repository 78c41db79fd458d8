type Schema = { readonly [keyword: string]: any };

/**
 * The object as the API server validates it: a structural schema's `default`s
 * are applied first (apiextensions-apiserver's structural defaulting), so a
 * backendRef without `kind` is a Service and a rule without `matches` matches
 * `PathPrefix /` when the CEL rules read them. A field is defaulted when it is
 * absent or null (null is pruned from non-nullable fields before defaulting),
 * and defaults are defaulted in turn. Returns a copy where anything changed;
 * the given object is never modified.
 */
export function withDefaults(value: unknown, schema: Schema | undefined): unknown {
  if (!schema || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const items = schema.items as Schema | undefined;
    if (!items) return value;
    let out: unknown[] | undefined;
    value.forEach((item, index) => {
      const defaulted = withDefaults(item, items);
      if (defaulted !== item) (out ??= [...value])[index] = defaulted;
    });
    return out ?? value;
  }
  const object = value as Record<string, unknown>;
  let out: Record<string, unknown> | undefined;
  const properties = schema.properties as Record<string, Schema> | undefined;
  if (properties) {
    for (const [name, property] of Object.entries(properties)) {
      const current = object[name];
      const absent = current === undefined || (current === null && property.nullable !== true);
      // A JSON copy: plain arrays and objects of this realm, whatever made the schema.
      const next = absent && property.default !== undefined ? JSON.parse(JSON.stringify(property.default)) : current;
      const defaulted = withDefaults(next, property);
      if (defaulted !== current) (out ??= { ...object })[name] = defaulted;
    }
  }
  const additional = schema.additionalProperties;
  if (additional && typeof additional === 'object') {
    for (const [name, entry] of Object.entries(object)) {
      const defaulted = withDefaults(entry, additional);
      if (defaulted !== entry) (out ??= { ...object })[name] = defaulted;
    }
  }
  return out ?? object;
}
