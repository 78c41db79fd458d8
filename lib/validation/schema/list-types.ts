import { childPath } from '../core/field-path';
import type { Finding } from '../core/finding';

type Schema = { readonly [keyword: string]: any };

/**
 * `x-kubernetes-list-type`: a `set` holds each value once, a `map` each combination of its
 * `x-kubernetes-list-map-keys` once (a Gateway's listener names, an HTTPRoute match's header names).
 * Worded as `kubectl apply` prints the API server's verdict: `spec.listeners[1]: Duplicate value: {"name":"https"}`.
 */
export function checkListTypes(value: unknown, schema: Schema | undefined, path = '', findings: Finding[] = []): Finding[] {
  if (!schema || value === null || typeof value !== 'object') return findings;
  if (Array.isArray(value)) {
    const listType = schema['x-kubernetes-list-type'];
    if (listType === 'set' || listType === 'map') {
      const keys = listType === 'map' ? (schema['x-kubernetes-list-map-keys'] as string[] | undefined) ?? [] : undefined;
      const seen = new Set<string>();
      value.forEach((item, index) => {
        const identity = keys ? Object.fromEntries(keys.filter((k) => item?.[k] !== undefined).map((k) => [k, item?.[k]])) : item;
        const text = JSON.stringify(identity);
        if (seen.has(text)) findings.push({ severity: 'error', rule: 'schema', path: childPath(path, index), message: `Duplicate value: ${text}` });
        seen.add(text);
      });
    }
    value.forEach((item, index) => checkListTypes(item, schema.items, childPath(path, index), findings));
    return findings;
  }
  for (const [name, field] of Object.entries(value as Record<string, unknown>)) {
    const fieldSchema = schema.properties?.[name] ?? (typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined);
    checkListTypes(field, fieldSchema, childPath(path, name), findings);
  }
  return findings;
}
