import { destinationRule, expectDiagnostic, trafficPolicy, type InvalidCase } from '../test-fixtures';

const cases: InvalidCase[] = [
  ['IP host (not exempt in a DestinationRule)', destinationRule({ host: '10.0.0.1' }), { path: 'spec.host', message: 'domain name "0.0.1" invalid (top level domain "1" cannot be all-numeric)' }],
  ['empty host', destinationRule({ host: '' }), { path: 'spec.host', message: 'empty domain name not allowed' }],
  // istiod decodes a null subset as an empty one (the API server rejects the null itself).
  ['null subset', destinationRule({ host: 'reviews', subsets: [null] }), { path: 'spec.subsets[0].name', message: 'subset name cannot be empty' }],
  ['duplicate subset names', destinationRule({ host: 'reviews', subsets: [{ name: 'v1' }, { name: 'v1' }] }), { path: 'spec.subsets[1].name', message: 'duplicate subset names: v1' }],
  ['subset name with underscore', destinationRule({ host: 'reviews', subsets: [{ name: 'v_1' }] }), { path: 'spec.subsets[0].name', message: 'subset name is invalid: v_1' }],
  ['subset label value with space', destinationRule({ host: 'reviews', subsets: [{ name: 'v1', labels: { version: 'a b' } }] }), { path: 'spec.subsets[0].labels.version', message: 'invalid tag value: "a b"' }],
  ['empty trafficPolicy', trafficPolicy({}), { path: 'spec.trafficPolicy', message: 'traffic policy must have at least one field' }],
  ['empty subset trafficPolicy', destinationRule({ host: 'reviews', subsets: [{ name: 'v1', trafficPolicy: {} }] }), { path: 'spec.subsets[0].trafficPolicy', message: 'traffic policy must have at least one field' }],
  ['tunnel with proxyProtocol', trafficPolicy({ tunnel: { targetHost: 'a.com', targetPort: 443 }, proxyProtocol: { version: 'V1' } }), { path: 'spec.trafficPolicy', message: 'tunnel and proxyProtocol must not be set together' }],
  ['empty connectionPool', trafficPolicy({ connectionPool: {} }), { path: 'spec.trafficPolicy.connectionPool', message: 'connection pool must have at least one field' }],
  ['negative http1MaxPendingRequests', trafficPolicy({ connectionPool: { http: { http1MaxPendingRequests: -1 } } }), { path: 'spec.trafficPolicy.connectionPool.http.http1MaxPendingRequests', message: 'http1 max pending requests must be non-negative' }],
  ['negative maxConnections', trafficPolicy({ connectionPool: { tcp: { maxConnections: -5 } } }), { path: 'spec.trafficPolicy.connectionPool.tcp.maxConnections', message: 'max connections must be non-negative' }],
  ['h2 upgrade with client protocol', trafficPolicy({ connectionPool: { http: { h2UpgradePolicy: 'UPGRADE', useClientProtocol: true } } }), { path: 'spec.trafficPolicy.connectionPool.http', message: 'use client protocol must not be true when H2UpgradePolicy is UPGRADE' }],
  ['idleTimeout finer than 1ms', trafficPolicy({ connectionPool: { http: { idleTimeout: '1500us' } } }), { path: 'spec.trafficPolicy.connectionPool.http.idleTimeout', message: 'only durations to ms precision are supported' }],
  ['maxEjectionPercent over 100', trafficPolicy({ outlierDetection: { maxEjectionPercent: 150 } }), { path: 'spec.trafficPolicy.outlierDetection.maxEjectionPercent', message: 'percentage 150 is not in range 0..100' }],
  ['local origin failures without split', trafficPolicy({ outlierDetection: { consecutiveLocalOriginFailures: 5 } }), { path: 'spec.trafficPolicy.outlierDetection.consecutiveLocalOriginFailures', message: 'outlier detection consecutive local origin failures is specified, but split external local origin errors is set to false' }],
  ['httpCookie without name (webhook)', trafficPolicy({ loadBalancer: { consistentHash: { httpCookie: { ttl: '0s' } } } }), { path: 'spec.trafficPolicy.loadBalancer.consistentHash.httpCookie', message: 'name required for HttpCookie' }],
  ['cookie attribute without name', trafficPolicy({ loadBalancer: { consistentHash: { httpCookie: { name: 's', attributes: [{ name: '', value: '1' }] } } } }), { path: 'spec.trafficPolicy.loadBalancer.consistentHash.httpCookie.attributes[0].name', message: 'cookie attribute name cannot be empty' }],
  ['duplicate cookie attribute', trafficPolicy({ loadBalancer: { consistentHash: { httpCookie: { name: 's', attributes: [{ name: 'a' }, { name: 'a', value: '2' }] } } } }), { path: 'spec.trafficPolicy.loadBalancer.consistentHash.httpCookie.attributes[1].name', message: 'duplicate cookie attribute name: a' }],
  ['maglev tableSize not prime', trafficPolicy({ loadBalancer: { consistentHash: { useSourceIp: true, maglev: { tableSize: 10 } } } }), { path: 'spec.trafficPolicy.loadBalancer.consistentHash.maglev.tableSize', message: 'tableSize must be a prime number for maglev' }],
  ['minimumRingSize with ringHash', trafficPolicy({ loadBalancer: { consistentHash: { useSourceIp: true, minimumRingSize: 1024, ringHash: { minimumRingSize: 1024 } } } }), { path: 'spec.trafficPolicy.loadBalancer.consistentHash', message: 'only one of MinimumRingSize or Maglev/Ringhash can be specified' }],
  ['deprecated minimumRingSize', trafficPolicy({ loadBalancer: { consistentHash: { useSourceIp: true, minimumRingSize: 1024 } } }), { path: 'spec.trafficPolicy.loadBalancer.consistentHash.minimumRingSize', severity: 'warning', code: 'IST0133', message: "consistent hash MinimumRingSize is deprecated, use ConsistentHashLB's RingHash configuration instead" }],
  ['locality weights not 100', trafficPolicy({ loadBalancer: { localityLbSetting: { distribute: [{ from: 'us-east/*', to: { 'us-east/*': 60, 'us-west/*': 30 } }] } } }), { path: 'spec.trafficPolicy.loadBalancer.localityLbSetting.distribute[0].to', message: 'total locality weight 90 != 100' }],
  ['failover to the same region', trafficPolicy({ loadBalancer: { localityLbSetting: { failover: [{ from: 'us-east', to: 'us-east' }] } }, outlierDetection: { consecutive5xxErrors: 5 } }), { path: 'spec.trafficPolicy.loadBalancer.localityLbSetting.failover[0]', message: 'locality lb failover settings must specify different regions' }],
  ['failover without outlierDetection', trafficPolicy({ loadBalancer: { localityLbSetting: { failover: [{ from: 'us-east', to: 'us-west' }] } } }), { path: 'spec.trafficPolicy.loadBalancer.localityLbSetting', severity: 'warning', code: 'IST0133', message: 'outlier detection policy must be provided for failover' }],
  ['MUTUAL TLS without client certificate', trafficPolicy({ tls: { mode: 'MUTUAL', privateKey: '/k' } }), { path: 'spec.trafficPolicy.tls', message: 'client certificate required for mutual tls' }],
  ['credentialName with caCertificates', trafficPolicy({ tls: { mode: 'SIMPLE', credentialName: 'c', caCertificates: '/ca' } }), { path: 'spec.trafficPolicy.tls', message: 'cannot specify client certificates or CA certificate or CA CRL If credentialName is set' }],
  ['insecureSkipVerify with a CA', trafficPolicy({ tls: { mode: 'SIMPLE', insecureSkipVerify: true, caCertificates: '/ca' } }), { path: 'spec.trafficPolicy.tls', message: 'cannot specify CaCertificates or CredentialName or SubjectAltNames when InsecureSkipVerify is set true' }],
  ['port-level policy without port', trafficPolicy({ portLevelSettings: [{ loadBalancer: { simple: 'ROUND_ROBIN' } }] }), { path: 'spec.trafficPolicy.portLevelSettings[0]', message: 'portTrafficPolicy must have valid port' }],
  ['port-level policy with only a port', trafficPolicy({ portLevelSettings: [{ port: { number: 80 } }] }), { path: 'spec.trafficPolicy.portLevelSettings[0]', message: 'port traffic policy must have at least one field' }],
  ['workload selector exported elsewhere', destinationRule({ host: 'reviews', workloadSelector: { matchLabels: { app: 'r' } }, exportTo: ['other'] }), { path: 'spec.exportTo', message: 'destination rule with workload selector cannot have exportTo beyond current namespace' }],
  ['workload selector with wildcard', destinationRule({ host: 'reviews', workloadSelector: { matchLabels: { app: 'r*' } } }), { path: 'spec.workloadSelector.matchLabels.app', message: 'wildcard is not supported in selector: "app=r*"' }],
  ['tunnel with bad target port', trafficPolicy({ tunnel: { targetHost: 'proxy.example.com', targetPort: 0 } }), { path: 'spec.trafficPolicy.tunnel.targetPort', message: 'tunnel target port is invalid: port number 0 must be in the range 1..65535' }],
  ['exportTo ~', destinationRule({ host: 'reviews', exportTo: ['~'] }), { path: 'spec.exportTo', message: 'exportTo ~ (none) is not allowed for Istio configuration objects' }],
];

describe('DestinationRule webhook rules (exact Istio messages)', () => {
  test.each(cases)('%s', (_name, objects, expected) => {
    expectDiagnostic(objects, expected);
  });
});
