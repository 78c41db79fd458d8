// The parts of the Gateway API CRD schemas that carry a `default`, and the way to
// them: what the API server fills in when a field is left out (structural
// defaulting). imports/gateway-api-crd-defaults.json holds it for the experimental
// channel (a superset of the standard one), so that the traffic model applies the
// defaults without bundling the whole schemas (800 KB) into every CLI and synth.

/** `{ default?, properties?, items? }` for each node on a path to a default; undefined when none is below. */
export function defaultsTree(schema) {
  if (typeof schema !== 'object' || schema === null) return undefined;
  const node = {};
  if (schema.default !== undefined) node.default = schema.default;
  const properties = {};
  for (const [key, property] of Object.entries(schema.properties ?? {})) {
    const tree = defaultsTree(property);
    if (tree !== undefined) properties[key] = tree;
  }
  if (Object.keys(properties).length) node.properties = properties;
  const items = defaultsTree(schema.items);
  if (items !== undefined) node.items = items;
  return Object.keys(node).length ? node : undefined;
}

/** Per `group/version/Kind` of the experimental channel, its defaults tree. */
export function crdDefaults(schemaFile) {
  const result = {};
  for (const [key, schema] of Object.entries(schemaFile.channels.experimental)) {
    const tree = defaultsTree(schema);
    if (tree !== undefined) result[key] = tree;
  }
  return { source: schemaFile.source, defaults: result };
}
