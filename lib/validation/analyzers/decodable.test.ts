import { destinationRule, diagnosticsOf, virtualService } from '../test-fixtures';
import { istioctlCanRead } from './decodable';

/** What istioctl's file source can decode into Istio's Go types; a document it cannot is left out of analysis. */
const route = (destination: object, extra: object = {}) => virtualService({ hosts: ['reviews'], http: [{ route: [{ destination, ...extra }] }] });
const rule = (extra: object) => virtualService({ hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews' } }], ...extra }] });

describe('istioctlCanRead', () => {
  test.each<[string, object, boolean]>([
    ['a numeric string for an integer is read as the number', route({ host: 'reviews' }, { weight: '50' }), true],
    ['a word for an integer is not', route({ host: 'reviews' }, { weight: 'fifty' }), false],
    ['nor a fraction', route({ host: 'reviews' }, { weight: 50.5 }), false],
    ['nor an int32 out of range', route({ host: 'reviews' }, { weight: 3_000_000_000 }), false],
    ['a negative uint32 (port number) is not', route({ host: 'reviews', port: { number: -5 } }), false],
    ['a number for a string is not', route({ host: 42 }), false],
    ['null is unset, for any field', route({ host: null, port: null }, { weight: null }), true],
    ['a string for a boolean is not, not even "true"', rule({ match: [{ ignoreUriCase: 'true' }] }), false],
    ['a numeric string for a double is read', rule({ mirrorPercentage: { value: '5' } }), true],
    ['a Go duration is read, minutes included', rule({ timeout: '1m' }), true],
    ['a duration without unit is not', rule({ timeout: '5' }), false],
    ['a list for a message is not', rule({ mirror: [{ host: 'reviews' }] }), false],
    ['a string for a list is not', virtualService({ hosts: 'reviews' }), false],
    ['unknown fields are skipped', rule({ wieght: 5 }), true],
    ['both fields of a oneof may be set', rule({ match: [{ uri: { exact: '/a', prefix: '/b' } }] }), true],
    ['an enum name the enum does not have is not read', destinationRule({ host: 'reviews', trafficPolicy: { loadBalancer: { simple: 'FASTEST' } } }), false],
    ['an enum number is', destinationRule({ host: 'reviews', trafficPolicy: { loadBalancer: { simple: 3 } } }), true],
    ['a TCP idle timeout is a duration, though its schema has no rule saying so', destinationRule({ host: 'reviews', trafficPolicy: { connectionPool: { tcp: { idleTimeout: 'soon' } } } }), false],
    ['a label value that is not a string is not read', virtualService({ hosts: ['reviews'] }, { labels: { version: 1 } }), false],
    ['nor a name that is a number', virtualService({ hosts: ['reviews'] }, { name: 123 }), false],
  ])('%s', (_name, object, readable) => {
    expect(istioctlCanRead(object as Record<string, any>)).toBe(readable);
  });
});

describe('analysis leaves out what istioctl cannot read', () => {
  const codes = (objects: object[], context?: object[]) =>
    diagnosticsOf(objects, context ? { context } : undefined).map((d) => `${d.objectIndex} ${d.code ?? d.rule} ${d.path}: ${d.message}`);

  test('nothing but the schema is said about an undecodable object: neither analyzers nor webhook rules', () => {
    const unreadable = virtualService({ hosts: ['reviews'], gateways: ['missing'], http: [{ route: [{ destination: { host: 42 }, weight: 100 }] }] });
    expect(codes([unreadable], [])).toEqual(['0 schema spec.http[0].route[0].destination.host: must be of type string']);
  });

  test('an undecodable DestinationRule defines no subset, so a route to it finds none', () => {
    const subsetRoute = virtualService({ hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews', subset: 'v1' } }] }] });
    const unreadableRule = destinationRule({ host: 'reviews', trafficPolicy: { loadBalancer: { simple: 'FASTEST' } }, subsets: [{ name: 'v1', labels: { version: 'v1' } }] });
    expect(codes([subsetRoute, unreadableRule]).filter((line) => line.includes('IST0101'))).toEqual([
      '0 IST0101 spec.http[0].route[0].destination.subset: Referenced host+subset in destinationrule not found: "reviews+v1"',
    ]);
  });

  test('an undecodable context Gateway does not exist for the VirtualServices that name it', () => {
    const exposed = virtualService({ hosts: ['shop.example.com'], gateways: ['edge'], http: [{ route: [{ destination: { host: 'reviews' } }] }] });
    const gateway = (servers: unknown) => ({ apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'edge', namespace: 'default' }, spec: { servers } });
    const server = { port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['shop.example.com'] };
    expect(codes([exposed], [gateway([server])])).toEqual([]);
    expect(codes([exposed], [gateway(server)])).toEqual([
      '0 IST0101 spec.gateways[0]: Referenced gateway not found: "edge"',
      '0 IST0132 spec.gateways[0]: one or more host [shop.example.com] defined in VirtualService default/reviews not found in Gateway default/edge.',
    ]);
  });
});
