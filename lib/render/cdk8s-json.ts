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
  // Each child is rendered once. Nothing is allocated while every child is
  // kept and the keys come in order; from the first that is not, the
  // children's renderings are collected by key.
  let rendered: Map<string, unknown> | undefined;
  let previous: string | undefined;
  for (const key in source) {
    const child = source[key];
    const inner = cdk8sJson(child);
    const kept = inner === child && inner !== undefined && inner !== null && !ISTIO_FIELD_NAMES.has(key) && (previous === undefined || previous < key);
    if (!kept && !rendered) rendered = keptBefore(source, key);
    rendered?.set(key, inner);
    previous = key;
  }
  if (!rendered) return source;
  const sorted: Record<string, unknown> = {};
  for (const key of sortKeysInPlace([...rendered.keys()])) {
    const inner = rendered.get(key);
    if (inner !== undefined && inner !== null) sorted[ISTIO_FIELD_NAMES.get(key) ?? key] = inner;
  }
  return sorted;
}

/** The children before `key`, all kept as they are. */
function keptBefore(source: Record<string, unknown>, key: string): Map<string, unknown> {
  const kept = new Map<string, unknown>();
  for (const earlier in source) {
    if (earlier === key) break;
    kept.set(earlier, source[earlier]);
  }
  return kept;
}
