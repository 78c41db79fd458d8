import { Chart } from 'cdk8s';
import { ModelService, Percent, RequestMatch, RoutingApp, Strategy } from '.';
import { SAFE_RETRIES, synthProblems, synthService } from '../test/service-fixture';

describe('ModelService', () => {
  test('emits a DestinationRule and a VirtualService named after the service', () => {
    // GIVEN / WHEN
    const { objects } = synthService({ versions: { v1: {}, v2: { idle: true } } }, 'churn');
    // THEN
    expect(Object.keys(objects).sort()).toEqual(['DestinationRule', 'VirtualService']);
    expect(objects.DestinationRule.metadata).toEqual({ name: 'churn', namespace: 'ml', annotations: { 'argocd.argoproj.io/sync-wave': '-1' } });
    expect(objects.VirtualService.metadata).toEqual({ name: 'churn', namespace: 'ml' });
    expect(objects.VirtualService.spec).toEqual({
      hosts: ['churn'],
      http: [{ name: 'default', retries: SAFE_RETRIES, route: [{ destination: { host: 'churn', subset: 'v1' } }] }],
    });
  });

  test('subsets select pods by the version label, or by the labels given', () => {
    const { objects } = synthService({
      versionLabelKey: 'model-version',
      versions: { v1: {}, v2: { labels: { 'model-version': 'v2', track: 'gpu' }, idle: true } },
    });
    expect(objects.DestinationRule.spec.subsets).toEqual([
      { name: 'v1', labels: { 'model-version': 'v1' } },
      { name: 'v2', labels: { 'model-version': 'v2', track: 'gpu' } },
    ]);
  });

  test('host, namespace and port are honoured in every destination', () => {
    const { objects } = synthService({
      host: 'churn.models.svc.cluster.local',
      namespace: 'models',
      port: 8080,
      versions: { v1: {} },
    });
    expect(objects.DestinationRule.metadata.namespace).toBe('models');
    expect(objects.DestinationRule.spec.host).toBe('churn.models.svc.cluster.local');
    expect(objects.VirtualService.spec.http[0].route).toEqual([
      { destination: { host: 'churn.models.svc.cluster.local', subset: 'v1', port: { number: 8080 } } },
    ]);
  });

  test('the namespace defaults to "default" when the chart has none', () => {
    const app = new RoutingApp();
    const service = new ModelService(new Chart(app, 'c'), 'm', { versions: { v1: {} } });
    expect(service.namespace).toBe('default');
    expect(service.outputPath).toBe('default.m.yaml');
  });

  test('defaultRoute: false leaves no catch-all rule', () => {
    const { objects } = synthService({
      versions: { v1: {} },
      defaultRoute: false,
      routes: [{ name: 'predict', match: RequestMatch.uriPrefix('/predict'), strategy: Strategy.to('v1') }],
    });
    expect(objects.VirtualService.spec.http.map((r: any) => r.name)).toEqual(['predict']);
    // The deliberate opt-out is visible in the YAML, and the validator honours it.
    expect(objects.VirtualService.metadata.annotations).toEqual({ 'ml-mesh-routing/waive': 'ours.default-route-last' });
  });

  test('traffic sets the strategy of the default route', () => {
    const { objects } = synthService({ versions: { v1: {}, v2: {} }, traffic: Strategy.canary({ v1: Percent.of(70), v2: Percent.of(30) }) });
    expect(objects.VirtualService.spec.http).toEqual([{
      name: 'default',
      retries: SAFE_RETRIES,
      route: [
        { destination: { host: 'model', subset: 'v1' }, weight: 70 },
        { destination: { host: 'model', subset: 'v2' }, weight: 30 },
      ],
    }]);
  });

  test('problems that need the whole service are all reported with the construct path', () => {
    expect(synthProblems({
      versions: { v1: {}, v2: {} },
      stable: 'v9',
      routes: [{ name: 'predict', match: RequestMatch.uriPrefix('/p'), strategy: Strategy.canary({ v1: Percent.of(50), v3: Percent.of(50) }) }],
    })).toEqual([
      'test/model: stable must be one of the declared versions (v1, v2), received "v9"',
      'test/model: route "predict": sends traffic to version "v3", which is not declared (declared: v1, v2)',
    ]);
  });

  test('a service checked again reports the same problems (its routing model is kept only for the first check)', () => {
    const { service } = synthService({ versions: { v1: {}, v2: {} } });
    const first = service.node.validate();
    expect(first).toEqual(['version "v2": no route sends it traffic, so no request can reach it; declare it idle: true if that is on purpose']);
    expect(service.node.validate()).toEqual(first);
  });

  test('a service without versions is refused', () => {
    expect(synthProblems({ versions: {} })).toEqual(['test/model: versions must declare at least one version, received none']);
  });

  test('version names must be valid subset names', () => {
    expect(synthProblems({ versions: { 'v1.0': {} } })).toEqual([
      'test/model: version "v1.0" must be a valid subset name (letters, digits and \'-\', at most 63 characters, starting and ending alphanumeric), received "v1.0"',
    ]);
  });

  test('traffic and defaultRoute: false contradict each other', () => {
    expect(synthProblems({
      versions: { v1: {} },
      traffic: Strategy.to('v1'),
      defaultRoute: false,
      routes: [{ name: 'p', match: RequestMatch.uriPrefix('/p'), strategy: Strategy.to('v1') }],
    })).toEqual(['test/model: traffic sets the default route\'s strategy, so it cannot be used with defaultRoute: false']);
  });

  test('duplicate and reserved route names are refused at once', () => {
    const route = { name: 'p', match: RequestMatch.uriPrefix('/p'), strategy: Strategy.to() };
    expect(() => synthService({ versions: { v1: {} }, routes: [route, route] }))
      .toThrow('test/model: route names must be unique and not "default", received "p"');
    expect(() => synthService({ versions: { v1: {} }, routes: [{ ...route, name: 'default' }] }))
      .toThrow('test/model: route names must be unique and not "default", received "default"');
  });

  test('invalid names are refused with the value received', () => {
    expect(() => synthService({ versions: { v1: {} } }, 'Model_A'))
      .toThrow('test/Model_A: name (the construct id) must be a DNS-1123 label (lower-case letters, digits and \'-\', at most 63 characters), received "Model_A"');
    expect(() => synthService({ versions: { v1: {} }, host: '*' }))
      .toThrow('test/model: host must be a DNS name without wildcards, received "*"');
  });
});
