import crdDefaults from '../../imports/gateway-api-crd-defaults.json';
import type { DefaultsTree } from '../../scripts/gateway-api-crd-defaults.mjs';

const DEFAULTS = crdDefaults.defaults as Readonly<Record<string, DefaultsTree>>;

/**
 * A Gateway API object as the API server stores it: every field its CRD
 * gives a `default` that the YAML leaves out is filled in (structural
 * defaulting), so the model reads what Istio's controller reads. A rule
 * without `matches` has one, PathPrefix `/`; a backendRef without `weight`
 * weighs 1; a redirect without `statusCode` is a 302. The defaults are the
 * experimental channel's (a superset of the standard one's), from
 * imports/gateway-api-crd-defaults.json. Returns a copy; an object of a kind
 * without defaults is returned as is.
 */
export function withCrdDefaults<T>(object: T): T {
  const { apiVersion, kind } = object as { apiVersion?: unknown; kind?: unknown };
  const tree = DEFAULTS[`${apiVersion}/${kind}`];
  return tree === undefined ? object : (defaulted(tree, structuredClone(object)) as T);
}

function defaulted(tree: DefaultsTree, value: unknown): unknown {
  if (Array.isArray(value)) {
    if (tree.items) for (let i = 0; i < value.length; i++) value[i] = defaulted(tree.items, value[i]);
    return value;
  }
  if (typeof value !== 'object' || value === null || !tree.properties) return value;
  const object = value as Record<string, unknown>;
  for (const [key, property] of Object.entries(tree.properties)) {
    if ((object[key] === undefined || object[key] === null) && property.default !== undefined) object[key] = structuredClone(property.default);
    if (object[key] !== undefined && object[key] !== null) object[key] = defaulted(property, object[key]);
  }
  return object;
}
