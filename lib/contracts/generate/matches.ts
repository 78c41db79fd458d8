import fc from 'fast-check';
import { MatchDecl, StringMatchDecl } from '../declaration';

/** Small pools on purpose: matches and requests drawn from them collide, so boundaries are met often. */
export const EXACT_PATHS = ['/predict', '/v1/models/m:predict', '/healthz', '/Predict'];
export const PATH_PREFIXES = ['/predict', '/v2', '/', '/api/'];
export const PATH_REGEXES = ['/v[0-9]+/predict', '/predict(/.*)?', '/[a-z]+', '.*/infer'];
/** Values each regex of the pools takes, and near misses it refuses: cheaper and sharper than sampling the regex. */
export const REGEX_PROBES: Readonly<Record<string, readonly string[]>> = {
  '/v[0-9]+/predict': ['/v1/predict', '/v42/predict', '/v/predict', '/vx/predict', '/v1/predict/'],
  '/predict(/.*)?': ['/predict', '/predict/', '/predict/a/b', '/predictx', '/Predict/a'],
  '/[a-z]+': ['/abc', '/a', '/ABC', '/a1', '/a/b'],
  '.*/infer': ['/infer', '/m/infer', '/m/infer/x', '/Infer'],
  'b.*': ['b', 'beta', 'ab', 'B', ''],
  '[0-9]+': ['1', '42', '', 'a1', '1a'],
  '.*': ['', 'anything', 'x y'],
};
export const HEADER_NAMES = ['x-group', 'x-tenant', 'X-Debug'];
/** Headers variants, previews and fault tests ask for: one shared with route matches. */
export const CONDITION_HEADER_NAMES = ['x-variant', 'x-group'];
export const HEADER_VALUES = ['beta', '1', '', 'Beta'];
export const HEADER_PREFIXES = ['be', 'a'];
export const VALUE_REGEXES = ['b.*', '[0-9]+', '.*'];
export const QUERY_NAMES = ['variant', 'q'];
export const QUERY_VALUES = ['b', '1', ''];
export const COOKIE_NAMES = ['group', 'session'];
export const COOKIE_VALUES = ['b', 'v2'];
export const METHODS = ['POST', 'GET'];

export const uriMatch: fc.Arbitrary<StringMatchDecl> = fc.oneof(
  fc.constantFrom(...EXACT_PATHS).map((exact) => ({ exact })),
  fc.constantFrom(...PATH_PREFIXES).map((prefix) => ({ prefix })),
  fc.constantFrom(...PATH_REGEXES).map((regex) => ({ regex })),
);

const valueMatch: fc.Arbitrary<StringMatchDecl> = fc.oneof(
  fc.constantFrom(...HEADER_VALUES).map((exact) => ({ exact })),
  fc.constantFrom(...HEADER_PREFIXES).map((prefix) => ({ prefix })),
  fc.constantFrom(...VALUE_REGEXES).map((regex) => ({ regex })),
);

// Istio matches query parameters by exact value or regex only.
const queryMatch: fc.Arbitrary<StringMatchDecl> = fc.oneof(
  fc.constantFrom(...QUERY_VALUES).map((exact) => ({ exact })),
  fc.constantFrom(...VALUE_REGEXES).map((regex) => ({ regex })),
);

/** One RequestMatch: mostly a uri, sometimes with a method, header, query parameter or cookie condition . */
export const requestMatch: fc.Arbitrary<MatchDecl> = fc.record({
  uri: opt(uriMatch, 0.8),
  method: opt(fc.constantFrom(...METHODS), 0.2),
  headers: opt(fc.dictionary(fc.constantFrom(...HEADER_NAMES), valueMatch, { minKeys: 1, maxKeys: 2 }), 0.35),
  queryParams: opt(fc.dictionary(fc.constantFrom(...QUERY_NAMES), queryMatch, { minKeys: 1, maxKeys: 1 }), 0.2),
  cookie: opt(fc.record({ name: fc.constantFrom(...COOKIE_NAMES), value: fc.constantFrom(...COOKIE_VALUES) }), 0.15),
}, { requiredKeys: [] }).map(dropUndefined).filter((m) => Object.keys(m).length > 0);

/** A condition a variant, a preview or a fault test asks for: a header, a cookie or a query parameter. */
export const conditionMatch: fc.Arbitrary<MatchDecl> = fc.oneof(
  fc.record({ headers: fc.dictionary(fc.constantFrom(...CONDITION_HEADER_NAMES), valueMatch, { minKeys: 1, maxKeys: 1 }) }),
  fc.record({ cookie: fc.record({ name: fc.constantFrom(...COOKIE_NAMES), value: fc.constantFrom(...COOKIE_VALUES) }) }),
  fc.record({ queryParams: fc.dictionary(fc.constantFrom(...QUERY_NAMES), queryMatch, { minKeys: 1, maxKeys: 1 }) }),
);

/** `arb` with this probability, else undefined (the option left out). */
export function opt<T>(arb: fc.Arbitrary<T>, probability = 0.5): fc.Arbitrary<T | undefined> {
  return fc.oneof(
    { arbitrary: fc.constant(undefined), weight: Math.round((1 - probability) * 20) },
    { arbitrary: arb, weight: Math.round(probability * 20) },
  );
}

export function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
