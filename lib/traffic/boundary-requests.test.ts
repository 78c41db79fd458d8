// The request generator of the traffic simulation (lib/traffic/boundary-requests.mjs): the requests a route table tells apart.
import { generateRequests, matchVariants, regexSamples, stringMatchValues } from './boundary-requests.mjs';

const sidecar = { kind: 'sidecar', namespace: 'ml', serviceAccount: 'default' };

const virtualService = (spec: object, namespace = 'ml') => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name: 'vs', namespace },
  spec,
});

describe('stringMatchValues', () => {
  test('exact: the value hits; one more char, one less, flipped case miss', () => {
    expect(stringMatchValues({ exact: 'beta' })).toEqual({ hit: ['beta'], miss: ['betax', 'bet', 'BETA'] });
  });

  test('prefix: the prefix and longer hit; a char before it, or one less, miss', () => {
    expect(stringMatchValues({ prefix: 'v1' })).toEqual({ hit: ['v1-more', 'v1'], miss: ['xv1', 'v'] });
  });

  test('regex "*" is Istio\'s "present": any value hits, nothing to miss but absence', () => {
    expect(stringMatchValues({ regex: '*' })).toEqual({ hit: ['anything'], miss: [] });
  });

  test('a regex gives a sample it fully matches', () => {
    expect(stringMatchValues({ regex: '^v[0-9]+$' })).toEqual({ hit: ['v42'], miss: ['sim-no-match'] });
  });
});

describe('regexSamples', () => {
  test.each([
    ['/api/v[0-9]+/.*', '/api/v42/abc'],
    ['^/v1/(.*)$', '/v1/abc'],
    ['(foo|bar)-\\d', 'foo-7'],
    ['(?i)^/v\\d+/', '/v42/'],
  ])('%s -> %s', (re, sample) => {
    expect(regexSamples(re)).toEqual([sample]);
  });

  test('no sample when the rewrite does not give a matching string', () => {
    expect(regexSamples('a{3}')).toEqual([]);
  });
});

describe('matchVariants', () => {
  test('one request that satisfies the block, then one per broken condition', () => {
    const variants = matchVariants({ uri: { prefix: '/recommend' }, headers: { 'x-user-group': { exact: 'beta' } } });
    expect(variants).toEqual([
      { path: '/recommend/sub', headers: { 'x-user-group': 'beta' } },
      // header names are case-insensitive: still a hit
      { path: '/recommend/sub', headers: { 'X-USER-GROUP': 'beta' } },
      { path: '/recommend/sub', headers: { 'x-user-group': 'betax' } },
      { path: '/recommend/sub', headers: { 'x-user-group': 'bet' } },
      { path: '/recommend/sub', headers: { 'x-user-group': 'BETA' } },
      { path: '/recommend/sub' },
      { path: '/recommen', headers: { 'x-user-group': 'beta' } },
      { path: '/RECOMMEND', headers: { 'x-user-group': 'beta' } },
    ]);
  });

  test('cookie regexes become cookies: the value, another value, none', () => {
    const variants = matchVariants({ headers: { cookie: { regex: '^(.*?;\\s*)?reco-model=model-a(;.*)?$' } } });
    expect(variants).toEqual([
      { path: '/', cookies: { 'reco-model': 'model-a' } },
      { path: '/', cookies: { 'reco-model': 'model-ax' } },
      { path: '/' },
    ]);
  });

  test('withoutHeaders: absent hits; another value, and the forbidden value, are tried', () => {
    expect(matchVariants({ withoutHeaders: { 'x-canary': { exact: 'true' } } })).toEqual([
      { path: '/' },
      { path: '/', headers: { 'x-canary': 'truex' } },
      { path: '/', headers: { 'x-canary': 'true' } },
    ]);
  });

  test('query parameters and methods', () => {
    expect(matchVariants({ uri: { exact: '/score' }, queryParams: { v: { exact: '2' } }, method: { exact: 'POST' } })).toEqual([
      { method: 'POST', path: '/score?v=2' },
      { method: 'POST', path: '/score?v=2x' },
      // one char less of a one-char value: one more instead
      { method: 'POST', path: '/score?v=2z' },
      // the same value percent-encoded: Envoy does not decode it
      { method: 'POST', path: '/score?v=%32' },
      { method: 'POST', path: '/score' },
      { method: 'GET', path: '/score?v=2' },
      { method: 'POST', path: '/scorex?v=2' },
      { method: 'POST', path: '/scor?v=2' },
      { method: 'POST', path: '/SCORE?v=2' },
    ]);
  });
});

describe('generateRequests', () => {
  const objects = [
    virtualService({
      hosts: ['ml-service'],
      http: [{ name: 'predict', match: [{ uri: { prefix: '/predict' } }], route: [{ destination: { host: 'ml-service', subset: 'v2' } }] }, { name: 'default', route: [{ destination: { host: 'ml-service', subset: 'v1' } }] }],
    }),
  ];
  const requests = generateRequests(objects);

  test('a client in the namespace uses the short name, name.ns and the FQDN; one elsewhere the FQDN; both also upper-case and absolute', () => {
    const hosts = (namespace: string) => [...new Set(requests.filter((r: any) => r.from.namespace === namespace).map((r: any) => r.host))];
    expect(hosts('ml')).toEqual(['ml-service', 'ml-service.ml', 'ml-service.ml.svc.cluster.local', 'ML-SERVICE.ML.SVC.CLUSTER.LOCAL', 'ml-service.ml.svc.cluster.local.']);
    expect(hosts('sim-elsewhere')).toEqual(['ml-service.ml.svc.cluster.local', 'ML-SERVICE.ML.SVC.CLUSTER.LOCAL', 'ml-service.ml.svc.cluster.local.']);
  });

  test('the prefix, its near misses, "/" and an unmatched path, each also with a query and as POST', () => {
    const paths = requests.filter((r: any) => r.host === 'ml-service' && !r.method).map((r: any) => r.path);
    expect(paths).toEqual([
      // the match block's hit and misses
      '/predict/sub', '/predic', '/PREDICT',
      // the sweep
      '/predict', '/predictx', '/predict?q=1', '/', '/sim-unmatched',
      '/predict?sim=1', '/predict/sub?sim=1', '/predictx?sim=1', '/predic?sim=1', '/PREDICT?sim=1', '/?sim=1', '/sim-unmatched?sim=1',
    ]);
    expect(requests.filter((r: any) => r.host === 'ml-service' && r.method === 'POST')).toHaveLength(15);
  });

  test('the same request only once; a pinned total', () => {
    expect(new Set(requests.map((r: object) => JSON.stringify(r))).size).toBe(requests.length);
    // 8 (source, host) pairs x 15 paths x (GET, POST)
    expect(requests).toHaveLength(8 * 15 * 2);
  });

  test('through a gateway: the Gateway\'s HTTP port and the FQDN of a short host', () => {
    const gateway = { kind: 'Gateway', metadata: { name: 'public', namespace: 'istio-ingress' }, spec: { servers: [{ port: { number: 8080, name: 'http', protocol: 'HTTP' }, hosts: ['*'] }] } };
    const vs = virtualService({ hosts: ['a.example.com'], gateways: ['istio-ingress/public'], http: [{ route: [{ destination: { host: 'a' } }] }] });
    const viaGateway = generateRequests([gateway, vs]);
    expect(viaGateway[0]).toEqual({ host: 'a.example.com', port: 8080, from: { kind: 'gateway', gateway: 'istio-ingress/public' }, path: '/' });
    expect(viaGateway.every((r: any) => r.from.kind === 'gateway')).toBe(true);
  });

  test('a service whose destinations name a port is called on that port', () => {
    const vs = virtualService({ hosts: ['scorer'], http: [{ route: [{ destination: { host: 'scorer', port: { number: 8080 } } }] }] });
    expect(new Set(generateRequests([vs]).map((r: any) => r.port))).toEqual(new Set([8080]));
  });

  test('sourceLabels and sourceNamespace: a client with both, and with each alone', () => {
    const vs = virtualService({ hosts: ['s'], http: [{ match: [{ sourceLabels: { app: 'web' }, sourceNamespace: 'web' }], route: [{ destination: { host: 's' } }] }] });
    const sources = [...new Set(generateRequests([vs]).map((r: any) => JSON.stringify(r.from)))].map((s) => JSON.parse(s));
    expect(sources).toEqual([
      sidecar,
      { ...sidecar, namespace: 'sim-elsewhere' },
      { ...sidecar, namespace: 'web', labels: { app: 'web' } },
      { ...sidecar, labels: { app: 'web' } },
      { ...sidecar, namespace: 'web' },
    ]);
  });
});

describe('generateRequests for a VirtualService bound to gateways only', () => {
  const vs = virtualService({ hosts: ['reviews', 'reviews.example.com'], gateways: ['istio-ingress/public'], http: [{ route: [{ destination: { host: 'reviews' } }] }] }, 'shop');
  const requests = generateRequests([vs]);

  test('a sidecar asks only for the hosts that are services of the set', () => {
    const fromSidecar = [...new Set(requests.filter((r: any) => r.from.kind === 'sidecar').map((r: any) => `${r.from.namespace} ${r.host}`))];
    expect(fromSidecar).toEqual(['shop reviews', 'shop reviews.shop', 'shop reviews.shop.svc.cluster.local', 'shop REVIEWS.SHOP.SVC.CLUSTER.LOCAL', 'shop reviews.shop.svc.cluster.local.']);
  });

  test('the gateway asks for every host', () => {
    const viaGateway = [...new Set(requests.filter((r: any) => r.from.kind === 'gateway').map((r: any) => r.host))];
    expect(viaGateway).toEqual(['reviews.shop.svc.cluster.local', 'REVIEWS.SHOP.SVC.CLUSTER.LOCAL', 'reviews.shop.svc.cluster.local.', 'reviews.example.com', 'REVIEWS.EXAMPLE.COM', 'reviews.example.com.']);
  });
});

describe('generateRequests: declared services and Gateway servers (issue 22, item 13)', () => {
  const objects = [
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'known', namespace: 'ml' }, spec: { ports: [{ name: 'http', port: 80 }, { name: 'http-alt', port: 8080 }] } },
    { apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name: 'ext', namespace: 'ml' }, spec: { hosts: ['istio.io'], ports: [{ number: 80, name: 'http', protocol: 'HTTP' }] } },
    {
      apiVersion: 'networking.istio.io/v1',
      kind: 'Gateway',
      metadata: { name: 'public', namespace: 'edge' },
      spec: { selector: { istio: 'ingress' }, servers: [{ port: { number: 8080, name: 'http', protocol: 'HTTP' }, hosts: ['ml/a.example.com', '*.example.org'] }] },
    },
    virtualService({ hosts: ['foo.example.com'], gateways: ['mesh', 'edge/public'], http: [{ route: [{ destination: { host: 'known' } }] }] }),
  ];
  const requests = generateRequests(objects);
  const at = (host: string) => requests.filter((r: any) => r.host === host && r.path === '/' && !r.method).map((r: any) => [r.port ?? 80, r.from.kind === 'gateway' ? r.from.gateway : r.from.namespace]);

  test('each declared service by its names, on each of its ports, from its namespace and another', () => {
    expect(at('known')).toEqual([[80, 'ml'], [8080, 'ml']]);
    expect(at('known.ml.svc.cluster.local')).toEqual([[80, 'ml'], [8080, 'ml'], [80, 'sim-elsewhere'], [8080, 'sim-elsewhere']]);
    expect(at('istio.io')).toEqual([[80, 'ml'], [80, 'sim-elsewhere']]);
  });

  test('a VirtualService host also on every declared port; through a gateway on its HTTP server ports; each server host', () => {
    expect(at('foo.example.com')).toEqual([[80, 'ml'], [8080, 'ml'], [80, 'sim-elsewhere'], [8080, 'sim-elsewhere'], [8080, 'edge/public']]);
    expect(at('a.example.com')).toEqual([[8080, 'edge/public']]);
    expect(at('sim.example.org')).toEqual([[8080, 'edge/public']]);
  });
});
