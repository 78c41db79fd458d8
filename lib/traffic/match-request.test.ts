import { load } from 'js-yaml';
import { buildTrafficModel, explainRequest, TrafficRequest } from '.';

const sidecar = { kind: 'sidecar' as const, namespace: 'shop', serviceAccount: 'default' };

/** One VirtualService for `reviews` whose first rule has the given match block and goes to subset v2; the rest to v1. */
function ruleFor(match: string) {
  const model = buildTrafficModel([load(`apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews, namespace: shop}
spec:
  hosts: [reviews]
  http:
  - name: matched
    match: [${match}]
    route: [{destination: {host: reviews, subset: v2}}]
  - name: rest
    route: [{destination: {host: reviews, subset: v1}}]`)]);
  return (request: Partial<TrafficRequest>) => explainRequest(model, { host: 'reviews', path: '/', from: sidecar, ...request }).rule;
}

describe('header matchers as Istio generates them and Envoy evaluates them', () => {
  test('withoutHeaders treats a missing header as "" (treat_missing_header_as_empty): a regex that matches "" never holds', () => {
    const rule = ruleFor('{withoutHeaders: {x-user: {regex: ".*"}}}');
    expect([rule({}), rule({ headers: { 'x-user': 'anyone' } }), rule({ headers: { 'x-user': '' } })]).toEqual(['rest', 'rest', 'rest']);
  });

  test('withoutHeaders with exact, prefix and regex: a missing header is "", compared like any value', () => {
    const exact = ruleFor('{withoutHeaders: {x-user: {exact: ""}}}');
    expect([exact({}), exact({ headers: { 'x-user': '' } }), exact({ headers: { 'x-user': 'a' } })]).toEqual(['rest', 'rest', 'matched']);
    const exactValue = ruleFor('{withoutHeaders: {x-user: {exact: bot}}}');
    expect([exactValue({}), exactValue({ headers: { 'x-user': 'bot' } })]).toEqual(['matched', 'rest']);
    const prefix = ruleFor('{withoutHeaders: {x-user: {prefix: bot}}}');
    expect([prefix({}), prefix({ headers: { 'x-user': 'botty' } })]).toEqual(['matched', 'rest']);
    const regex = ruleFor('{withoutHeaders: {x-user: {regex: "b.*"}}}');
    expect([regex({}), regex({ headers: { 'x-user': 'bob' } }), regex({ headers: { 'x-user': 'al' } })]).toEqual(['matched', 'rest', 'matched']);
  });

  test('withoutHeaders with {} or regex "*" is an inverted present_match: it holds exactly when the header is missing', () => {
    for (const condition of ['{}', '{regex: "*"}']) {
      const rule = ruleFor(`{withoutHeaders: {x-user: ${condition}}}`);
      expect([rule({}), rule({ headers: { 'x-user': '' } }), rule({ headers: { 'X-User': 'a' } })]).toEqual(['matched', 'rest', 'rest']);
    }
  });

  test('headers never treat a missing header as empty: exact "" and a regex matching "" need the header', () => {
    const exact = ruleFor('{headers: {x-user: {exact: ""}}}');
    expect([exact({}), exact({ headers: { 'x-user': '' } })]).toEqual(['rest', 'matched']);
    const regex = ruleFor('{headers: {x-user: {regex: ".*"}}}');
    expect([regex({}), regex({ headers: { 'x-user': '' } })]).toEqual(['rest', 'matched']);
  });

  test('a JWT claim is dynamic metadata, never a header: it fails under headers and holds under withoutHeaders, even for a regex matching ""', () => {
    const withClaim = ruleFor('{headers: {"@request.auth.claims.group": {regex: ".*"}}}');
    expect(withClaim({ headers: { '@request.auth.claims.group': 'x' } })).toBe('rest');
    const withoutClaim = ruleFor('{withoutHeaders: {"@request.auth.claims.group": {regex: ".*"}}}');
    expect(withoutClaim({})).toBe('matched');
  });
});

describe('query parameters as Envoy reads them: raw, never decoded', () => {
  test('%20 and + stay as sent: an exact value matches only its own spelling', () => {
    const encoded = ruleFor('{queryParams: {q: {exact: "a%20b"}}}');
    expect([encoded({ path: '/?q=a%20b' }), encoded({ path: '/?q=a+b' }), encoded({ path: '/?q=a%2520b' })]).toEqual(['matched', 'rest', 'rest']);
    const plus = ruleFor('{queryParams: {q: {exact: "a+b"}}}');
    expect([plus({ path: '/?q=a+b' }), plus({ path: '/?q=a%20b' }), plus({ path: '/?q=a%2Bb' })]).toEqual(['matched', 'rest', 'rest']);
    const letter = ruleFor('{queryParams: {model: {exact: llama}}}');
    expect([letter({ path: '/?model=llama' }), letter({ path: '/?model=%6Clama' }), letter({ path: '/?%6Dodel=llama' })]).toEqual(['matched', 'rest', 'rest']);
  });

  test('prefix and regex compare the raw text too', () => {
    const prefix = ruleFor('{queryParams: {q: {prefix: "a%2F"}}}');
    expect([prefix({ path: '/?q=a%2Fb' }), prefix({ path: '/?q=a/b' })]).toEqual(['matched', 'rest']);
    const regex = ruleFor('{queryParams: {q: {regex: "[a-z ]+"}}}');
    expect([regex({ path: '/?q=a+b' }), regex({ path: '/?q=a%20b' }), regex({ path: '/?q=ab' })]).toEqual(['rest', 'rest', 'matched']);
  });

  test('the first value of a repeated name; a name without "=" has the value ""; the value runs to the next "&"', () => {
    const rule = ruleFor('{queryParams: {q: {exact: "x=y"}}}');
    expect([rule({ path: '/?q=x=y&q=z' }), rule({ path: '/?q=z&q=x=y' })]).toEqual(['matched', 'rest']);
    const empty = ruleFor('{queryParams: {debug: {exact: ""}}}');
    expect([empty({ path: '/?debug' }), empty({ path: '/?debug=' }), empty({ path: '/?debug=1' })]).toEqual(['matched', 'matched', 'rest']);
  });

  test('a #fragment is stripped before matching (Istio turns off Envoy\'s rejection of it): neither query nor path sees it', () => {
    const query = ruleFor('{queryParams: {q: {exact: a}}}');
    expect([query({ path: '/?q=a#b' }), query({ path: '/#?q=a' })]).toEqual(['matched', 'rest']);
    const path = ruleFor('{uri: {exact: /page}}');
    expect(path({ path: '/page#top' })).toBe('matched');
  });
});
