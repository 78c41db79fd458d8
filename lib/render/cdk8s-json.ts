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
  return isCanonical(source) ? source : canonicalCopy(source);
}

/** Whether an object is in cdk8s's form already (most are): checked without allocating, since it runs for every object rendered. */
function isCanonical(source: Record<string, unknown>): boolean {
  let previous: string | undefined;
  for (const key in source) {
    const child = source[key];
    if (child === undefined || child === null || ISTIO_FIELD_NAMES.has(key)) return false;
    if (previous !== undefined && previous > key) return false;
    if (cdk8sJson(child) !== child) return false;
    previous = key;
  }
  return true;
}

function canonicalCopy(source: Record<string, unknown>): Record<string, unknown> {
  const sorted: Record<string, unknown> = {};
  for (const key of sortKeysInPlace(Object.keys(source))) {
    const inner = cdk8sJson(source[key]);
    if (inner !== undefined && inner !== null) sorted[ISTIO_FIELD_NAMES.get(key) ?? key] = inner;
  }
  return sorted;
}
