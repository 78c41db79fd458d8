type Schema = { [keyword: string]: any };

/**
 * Gives every object schema below the root its own definition, identical
 * ones shared (a StringMatch is one definition, not dozens of copies), so
 * that ajv compiles one small function per message type instead of one
 * function per kind. V8 never optimizes a function of more than 60 KB of
 * bytecode, and a DestinationRule's validator was 580 KB of source in one
 * function: validation ran at interpreter speed. Same verdicts and messages
 * (errors keep their instance paths; the corpus tests hold the messages).
 */
export function withDefinitions(schema: Schema): Schema {
  const definitions: Record<string, Schema> = {};
  const idsByText = new Map<string, string>();
  const hoist = (node: Schema, isRoot: boolean): Schema => {
    const converted = mapSubschemas(node, (child) => hoist(child, false));
    if (isRoot || converted.type !== 'object' || !converted.properties) return converted;
    const text = JSON.stringify(converted);
    let id = idsByText.get(text);
    if (id === undefined) {
      id = `message${idsByText.size}`;
      idsByText.set(text, id);
      definitions[id] = converted;
    }
    return { $ref: `#/definitions/${id}` };
  };
  return { ...hoist(schema, true), definitions };
}

function mapSubschemas(node: Schema, fn: (child: Schema) => Schema): Schema {
  const out: Schema = { ...node };
  if (node.properties) out.properties = Object.fromEntries(Object.entries(node.properties as Record<string, Schema>).map(([name, child]) => [name, fn(child)]));
  if (node.items && typeof node.items === 'object') out.items = fn(node.items);
  if (node.additionalProperties && typeof node.additionalProperties === 'object') out.additionalProperties = fn(node.additionalProperties);
  if (node.not) out.not = fn(node.not);
  for (const keyword of ['oneOf', 'anyOf', 'allOf']) if (Array.isArray(node[keyword])) out[keyword] = node[keyword].map(fn);
  return out;
}
