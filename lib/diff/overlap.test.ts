import { rulesOverlap } from './overlap';

describe('rulesOverlap: can one request match both rules?', () => {
  test.each([
    ['a catch-all overlaps everything', undefined, [{ uri: { prefix: '/a' } }], true],
    ['different prefixes', [{ uri: { prefix: '/a' } }], [{ uri: { prefix: '/b' } }], false],
    ['nested prefixes', [{ uri: { prefix: '/a' } }], [{ uri: { prefix: '/a/b' } }], true],
    ['an exact path outside a prefix', [{ uri: { exact: '/b' } }], [{ uri: { prefix: '/a' } }], false],
    ['an exact path inside a prefix', [{ uri: { exact: '/a/x' } }], [{ uri: { prefix: '/a' } }], true],
    ['ignoreUriCase folds both', [{ uri: { exact: '/A' }, ignoreUriCase: true }], [{ uri: { exact: '/a' } }], true],
    ['different methods', [{ method: { exact: 'GET' } }], [{ method: { exact: 'POST' } }], false],
    ['a regex may match anything', [{ uri: { regex: '/b.*' } }], [{ uri: { prefix: '/a' } }], true],
    ['one header value against another', [{ headers: { 'X-Group': { exact: 'beta' } } }], [{ headers: { 'x-group': { exact: 'alpha' } } }], false],
    ['a header required and the same header absent', [{ headers: { 'x-preview': { exact: 'true' } } }], [{ withoutHeaders: { 'x-preview': { exact: 'true' } } }], false],
    ['different ports', [{ port: 80 }], [{ port: 8080 }], false],
    ['different gateways', [{ gateways: ['mesh'] }], [{ gateways: ['istio-ingress/public'] }], false],
    ['any block of one against any of the other', [{ uri: { prefix: '/a' } }, { uri: { prefix: '/c' } }], [{ uri: { prefix: '/b' } }, { uri: { prefix: '/c/d' } }], true],
  ])('%s', (_, a, b, expected) => {
    expect(rulesOverlap(a, b)).toBe(expected);
    expect(rulesOverlap(b, a)).toBe(expected);
  });
});
