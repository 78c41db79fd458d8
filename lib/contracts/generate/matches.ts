import fc from 'fast-check';
import { MatchDecl, StringMatchDecl } from '../declaration';

/** Small pools on purpose: matches and requests drawn from them collide, so boundaries are met often. */
export const EXACT_PATHS = ['/predict', '/v1/models/m:predict', '/healthz', '/Predict'];
export const PATH_PREFIXES = ['/predict', '/v2', '/', '/api/'];
export const PATH_REGEXES = ['/v[0-9]+/predict', '/predict(/.*)?', '/[a-z]+', '.*/infer'];
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

/** One RequestMatch: a uri, method, header, query parameter and cookie condition, each maybe. */
export const requestMatch: fc.Arbitrary<MatchDecl> = fc.record({
  uri: fc.option(uriMatch, { nil: undefined, freq: 3 }),
  method: fc.option(fc.constantFrom(...METHODS), { nil: undefined, freq: 1 }),
  headers: fc.option(fc.dictionary(fc.constantFrom(...HEADER_NAMES), valueMatch, { minKeys: 1, maxKeys: 2 }), { nil: undefined }),
  queryParams: fc.option(fc.dictionary(fc.constantFrom(...QUERY_NAMES), queryMatch, { minKeys: 1, maxKeys: 1 }), { nil: undefined, freq: 3 }),
  cookie: fc.option(fc.record({ name: fc.constantFrom(...COOKIE_NAMES), value: fc.constantFrom(...COOKIE_VALUES) }), { nil: undefined, freq: 4 }),
}, { requiredKeys: [] }).map(dropUndefined).filter((m) => Object.keys(m).length > 0);

/** A condition a variant, a preview or a fault test asks for: a header, a cookie or a query parameter. */
export const conditionMatch: fc.Arbitrary<MatchDecl> = fc.oneof(
  fc.record({ headers: fc.dictionary(fc.constantFrom(...CONDITION_HEADER_NAMES), valueMatch, { minKeys: 1, maxKeys: 1 }) }),
  fc.record({ cookie: fc.record({ name: fc.constantFrom(...COOKIE_NAMES), value: fc.constantFrom(...COOKIE_VALUES) }) }),
  fc.record({ queryParams: fc.dictionary(fc.constantFrom(...QUERY_NAMES), queryMatch, { minKeys: 1, maxKeys: 1 }) }),
);

export function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
