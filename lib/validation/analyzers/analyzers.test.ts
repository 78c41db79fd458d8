import { destinationRule, diagnosticsOf, expectDiagnostic, routeTo, virtualService } from '../test-fixtures';

const subsetRoute = (host: string, subset: string) => ({ route: [{ destination: { host, subset } }] });
const reviewsRule = destinationRule({ host: 'reviews.default.svc.cluster.local', subsets: [{ name: 'v1', labels: { version: 'v1' } }] });

describe('IST0101 subset not defined by a DestinationRule', () => {
  test('a subset the DestinationRule for the host does not define', () => {
    expectDiagnostic([virtualService({ hosts: ['reviews'], http: [subsetRoute('reviews', 'v2')] }), reviewsRule], {
      path: 'spec.http[0].route[0].destination.subset',
      code: 'IST0101',
      message: 'Referenced host+subset in destinationrule not found: "reviews+v2"',
    });
  });

  test('a subset route to a host with no DestinationRule at all', () => {
    expectDiagnostic(virtualService({ hosts: ['ratings'], http: [subsetRoute('ratings', 'v1')] }), {
      path: 'spec.http[0].route[0].destination.subset',
      code: 'IST0101',
      message: 'Referenced host+subset in destinationrule not found: "ratings+v1"',
    });
  });

  test('a mirror subset', () => {
    expectDiagnostic([virtualService({ hosts: ['reviews'], http: [{ ...subsetRoute('reviews', 'v1'), mirror: { host: 'reviews', subset: 'shadow' } }] }), reviewsRule], {
      path: 'spec.http[0].mirror.subset',
      code: 'IST0101',
      message: 'Referenced mirror+subset in destinationrule not found: "reviews+shadow"',
    });
  });

  test('short names resolve in the object namespace: reviews in default is reviews.default.svc.cluster.local', () => {
    const diagnostics = diagnosticsOf([virtualService({ hosts: ['reviews'], http: [subsetRoute('reviews', 'v1')] }), reviewsRule]);
    expect(diagnostics.filter((d) => d.code === 'IST0101')).toEqual([]);
  });

  test('the same short name in another namespace is another host', () => {
    const elsewhere = virtualService({ hosts: ['reviews'], http: [subsetRoute('reviews', 'v1')] }, { namespace: 'staging' });
    expect(diagnosticsOf([elsewhere, reviewsRule]).filter((d) => d.code === 'IST0101').map((d) => d.objectIndex)).toEqual([0]);
  });
});

describe('IST0109 mesh VirtualServices with the same host', () => {
  const message =
    'The VirtualServices default/reviews,default/reviews-canary associated with mesh gateway define the same host */reviews.default.svc.cluster.local which can lead to undefined behavior. This can be fixed by merging the conflicting VirtualServices into a single resource.';

  test('both VirtualServices are reported', () => {
    const diagnostics = diagnosticsOf([
      virtualService({ hosts: ['reviews'], http: [routeTo()] }),
      virtualService({ hosts: ['reviews.default.svc.cluster.local'], http: [routeTo()] }, { name: 'reviews-canary' }),
    ]).filter((d) => d.code === 'IST0109');
    expect(diagnostics.map((d) => [d.objectIndex, d.path, d.message])).toEqual([
      [0, 'spec.hosts[0]', message],
      [1, 'spec.hosts[0]', message],
    ]);
  });

  test('VirtualServices bound only to gateways and ones exported to different namespaces do not conflict', () => {
    const diagnostics = diagnosticsOf([
      virtualService({ hosts: ['reviews'], http: [routeTo()], exportTo: ['.'] }),
      virtualService({ hosts: ['reviews'], gateways: ['istio-system/ingress'], http: [routeTo()] }, { name: 'edge' }),
      virtualService({ hosts: ['reviews.default.svc.cluster.local'], http: [routeTo()], exportTo: ['other'] }, { name: 'other' }),
    ]);
    expect(diagnostics.filter((d) => d.code === 'IST0109')).toEqual([]);
  });
});

test('the same VirtualService given twice is one object, not a conflict', () => {
  const vs = virtualService({ hosts: ['reviews'], http: [routeTo()] });
  expect(diagnosticsOf([vs, vs]).filter((d) => d.code === 'IST0109')).toEqual([]);
});

describe('context objects: read by analysis, never reported on', () => {
  const gateway = (hosts: string[]) => ({
    apiVersion: 'networking.istio.io/v1',
    kind: 'Gateway',
    metadata: { name: 'public-gateway', namespace: 'istio-ingress' },
    spec: { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts }] },
  });
  const exposed = virtualService({ hosts: ['shop.example.com'], gateways: ['istio-ingress/public-gateway'], http: [routeTo()] });
  const codes = (diagnostics: { code?: string; path: string; message: string }[]) => diagnostics.map((d) => `${d.code} ${d.path}: ${d.message}`);

  test('given, the context is all that exists besides the objects: a Gateway in neither is IST0101 and IST0132', () => {
    expect(codes(diagnosticsOf(exposed, { context: [] }))).toEqual([
      'IST0101 spec.gateways[0]: Referenced gateway not found: "istio-ingress/public-gateway"',
      'IST0132 spec.gateways[0]: one or more host [shop.example.com] defined in VirtualService default/reviews not found in Gateway istio-ingress/public-gateway.',
    ]);
  });

  test('a context Gateway that serves the host: nothing to report', () => {
    expect(diagnosticsOf(exposed, { context: [gateway(['shop.example.com'])] })).toEqual([]);
  });

  test('a context Gateway that does not serve the host: IST0132 on our VirtualService', () => {
    expect(codes(diagnosticsOf(exposed, { context: [gateway(['other.example.com'])] }))).toEqual([
      'IST0132 spec.gateways[0]: one or more host [shop.example.com] defined in VirtualService default/reviews not found in Gateway istio-ingress/public-gateway.',
    ]);
  });

  test('omitted, what exists elsewhere is unknown: gateway references are not judged', () => {
    expect(diagnosticsOf(exposed)).toEqual([]);
  });

  test('context objects are not validated, and findings about them are not reported', () => {
    const brokenContextRoute = virtualService({ hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews' }, weight: -1 }] }] }, { name: 'theirs' });
    const ours = virtualService({ hosts: ['reviews'], http: [routeTo()] }, { name: 'ours' });
    // The two conflict on the mesh host: only ours is reported, naming both.
    expect(codes(diagnosticsOf(ours, { context: [brokenContextRoute] }))).toEqual([
      'IST0109 spec.hosts[0]: The VirtualServices default/ours,default/theirs associated with mesh gateway define the same host */reviews.default.svc.cluster.local which can lead to undefined behavior. This can be fixed by merging the conflicting VirtualServices into a single resource.',
    ]);
  });

  test('with Services given, destination hosts are looked up; without, they are not (as istioctl analyze --use-kube=false)', () => {
    const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'ratings', namespace: 'default' }, spec: { ports: [{ port: 80 }] } };
    const vs = virtualService({ hosts: ['reviews'], http: [routeTo('reviews')] });
    expect(diagnosticsOf(vs, { context: [] })).toEqual([]);
    expect(codes(diagnosticsOf(vs, { context: [service] }))).toEqual(['IST0101 spec.http[0].route[0].destination.host: Referenced host not found: "reviews"']);
  });
});

describe('IST0002 deprecated fields', () => {
  const delayed = (delay: object) => ({ ...routeTo(), fault: { delay: { fixedDelay: '1s', ...delay } } });
  const deprecations = (objects: object | object[]) => diagnosticsOf(objects).filter((d) => d.code === 'IST0002').map((d) => [d.severity, d.path, d.message]);

  test('a fault delay by the integer percent, once per VirtualService however many routes use it', () => {
    const vs = virtualService({ hosts: ['reviews'], http: [routeTo(), delayed({ percent: 10 }), delayed({ percent: 5 })] });
    expect(deprecations(vs)).toEqual([
      ['warning', 'spec.http[1].fault.delay.percent', 'Deprecated: HTTPRoute.fault.delay.percent is deprecated; use HTTPRoute.fault.delay.percentage'],
    ]);
  });

  test('percentage, or a percent of 0, is not reported', () => {
    const vs = virtualService({ hosts: ['reviews'], http: [delayed({ percentage: { value: 10 } }), delayed({ percent: 0 })] });
    expect(deprecations(vs)).toEqual([]);
  });
});
