import { sortKeysInPlace } from '../validation/core/sort-keys';

/**
 * The one field whose generated TypeScript name is not Istio's; the
 * generated converters (toJson_*) rename it. Synthesis renames it itself:
 * the converters rebuild every object once per field, the dearest step of
 * rendering at 10,000 services. A test holds the imports to this one
 * difference and the result equal to cdk8s's rendering, byte for byte.
 */
export const ISTIO_FIELD_NAMES: ReadonlyMap<string, string> = new Map([['consecutive5XxErrors', 'consecutive5xxErrors']]);

/**
 * cdk8s's rendering of plain data: keys sorted at every level, undefined
 * and null dropped, Istio's field names. Copies only what that changes: the
 * renderers write most objects in this form already, and those are kept
 * as they are (shared with the specs, which nothing changes).
 */
export function cdk8sJson(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const inner = cdk8sJson(value[i]);
      if (inner !== value[i]) (copy ??= [...value])[i] = inner;
    }
    return copy ?? value;
  }
  const source = value as Record<string, unknown>;
  const keys = Object.keys(source);
  // The children as rendered, by key, once any differs from the source's.
  let rendered: Map<string, unknown> | undefined;
  let inOrder = true;
  for (let i = 0; i < keys.length; i++) {
    const child = source[keys[i]];
    const inner = cdk8sJson(child);
    if (i > 0 && keys[i - 1] > keys[i]) inOrder = false;
    const kept = inner === child && inner !== undefined && inner !== null && !ISTIO_FIELD_NAMES.has(keys[i]);
    if (!kept && !rendered) rendered = new Map(keys.slice(0, i).map((key) => [key, source[key]]));
    rendered?.set(keys[i], inner);
  }
  if (!rendered && inOrder) return source;
  const sorted: Record<string, unknown> = {};
  for (const key of sortKeysInPlace(keys)) {
    const inner = rendered ? rendered.get(key) : source[key];
    if (inner !== undefined && inner !== null) sorted[ISTIO_FIELD_NAMES.get(key) ?? key] = inner;
  }
  return sorted;
}
