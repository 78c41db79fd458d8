import { validateObjects } from '../validate-objects';
import { escapePropertyName, hasOperandsAsIn, parseRule } from './kubernetes-cel';

const evaluate = (rule: string, self: unknown) => {
  try {
    return parseRule(rule)({ self });
  } catch (error) {
    return `error: ${(error as Error).message.split('\n')[0]}`;
  }
};

describe('the Kubernetes URL library (url, isURL), with Go net/url verdicts', () => {
  test.each([
    ['https://example.com/jwks', true],
    ['http://example.com:8080/a?b=c', true],
    ['/just/a/path', true],
    ['mailto:someone', true],
    ['example.com/jwks', false], // no scheme and not absolute: ParseRequestURI's "invalid URI for request"
    ['', false],
    ['http://exa mple.com/', false],
    ['http://example.com:80a/', false],
    ['http://[::1]:8080/', true],
    ['http://[10.0.0.1]/', false],
    ['http://example.com/%zz', false],
  ])('isURL(%j) is %s', (text, expected) => {
    expect(evaluate('isURL(self)', text)).toBe(expected);
  });

  test('the parts of a URL', () => {
    const url = 'HTTPS://user@example.com:8443/a%20b/c?x=1&x=2&y=#frag';
    expect(evaluate('url(self).getScheme()', url)).toBe('https');
    expect(evaluate('url(self).getHost()', url)).toBe('example.com:8443');
    expect(evaluate('url(self).getHostname()', url)).toBe('example.com');
    expect(evaluate('url(self).getPort()', url)).toBe('8443');
    expect(evaluate('url(self).getEscapedPath()', url)).toBe('/a%20b/c');
    expect(evaluate('url(self).getQuery()["x"]', url)).toEqual(['1', '2']);
    expect(evaluate('url(self).getHostname()', 'http://[::1]:80/')).toBe('::1');
  });

  test('url() of a text that is no URL is an evaluation error worded as Kubernetes words it', () => {
    expect(evaluate('url(self).getScheme()', 'example.com')).toBe('error: URL parse error during conversion from string: parse "example.com": invalid URI for request');
  });

  test("Istio's RequestAuthentication jwksUri rule accepts https URLs and refuses other schemes", () => {
    const jwt = (jwksUri: string) => ({ apiVersion: 'security.istio.io/v1', kind: 'RequestAuthentication', metadata: { name: 'ra', namespace: 'default' }, spec: { jwtRules: [{ issuer: 'a', jwksUri }] } });
    expect(validateObjects([jwt('https://example.com/jwks')])).toEqual([]);
    expect(validateObjects([jwt('ftp://example.com/jwks')]).map((d) => `${d.path}: ${d.message}`)).toEqual(['spec.jwtRules[0].jwksUri: url must have scheme http:// or https://']);
  });
});

describe('values and rules as the API server reads them', () => {
  test.each([
    ['namespace', '__namespace__'],
    ['sectionName', 'sectionName'],
    ['x-y', 'x__dash__y'],
    ['a.b/c', 'a__dot__b__slash__c'],
    ['a__b', 'a__underscores__b'],
    ['1a', undefined],
    ['a b', undefined],
  ])('property %j reads as %j', (name, escaped) => {
    expect(escapePropertyName(name)).toBe(escaped);
  });

  test('has() of a field of an indexed value, which cel-go allows', () => {
    expect(hasOperandsAsIn('size(self.m) == 1 && has(self.m[0].path) && has(self.x)')).toBe("size(self.m) == 1 && ('path' in self.m[0]) && has(self.x)");
    expect(hasOperandsAsIn('self.v.matches(r"""has(a[0].b)""")')).toBe('self.v.matches(r"""has(a[0].b)""")');
    expect(evaluate('has(self.m[0].path)', { m: [{ path: {} }] })).toBe(true);
    expect(evaluate('has(self.m[0].path)', { m: [{}] })).toBe(false);
  });
});
