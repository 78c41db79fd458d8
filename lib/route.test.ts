import { Percent, RequestMatch, Strategy, StringMatch } from '.';
import { synthProblems, synthService } from '../test/service-fixture';

describe('routes', () => {
  test('keep the order they were declared in; the default route stays last', () => {
    const to = Strategy.to('v1');
    const { objects } = synthService({
      versions: { v1: {} },
      routes: [
        { name: 'debug', match: RequestMatch.header('x-debug', StringMatch.exact('1')), strategy: to },
        { name: 'health', match: RequestMatch.uriExact('/api/health'), strategy: to },
        { name: 'predict', match: RequestMatch.uriPrefix('/api/predict'), strategy: to },
        { name: 'all-api', match: RequestMatch.uriPrefix('/api'), strategy: to },
      ],
    });
    expect(objects.VirtualService.spec.http.map((r: any) => r.name)).toEqual(['debug', 'health', 'predict', 'all-api', 'default']);
  });

  test('a route every request of which an earlier route takes is refused; a partly taken one is a warning', () => {
    const to = Strategy.to('v1');
    expect(synthProblems({
      versions: { v1: {} },
      routes: [
        { name: 'all-api', match: RequestMatch.uriPrefix('/api'), strategy: to },
        { name: 'predict', match: RequestMatch.uriPrefix('/api/predict').and(RequestMatch.method('POST')), strategy: to },
        { name: 'both', match: [RequestMatch.uriExact('/healthz'), RequestMatch.uriPrefix('/')], strategy: to },
        { name: 'versioned', match: RequestMatch.uriExact('/v2/predict'), strategy: to },
      ],
    })).toEqual([
      'test/model: route "predict": is unreachable: every request it matches is taken by route "all-api", declared before it (Istio uses the first matching rule); declare it earlier or narrow the earlier route',
      'test/model: route "versioned": is unreachable: every request it matches is taken by route "both", declared before it (Istio uses the first matching rule); declare it earlier or narrow the earlier route',
    ]);
    const { service } = synthService({
      versions: { v1: {} },
      routes: [
        { name: 'debug', match: RequestMatch.header('x-debug', StringMatch.exact('1')), strategy: to },
        { name: 'predict', match: RequestMatch.uriPrefix('/predict'), strategy: to },
      ],
    });
    expect(service.node.validate()).toEqual([]);
    expect(service.synthWarnings()).toEqual([
      'test/model: route "predict": requests that also match route "debug", declared before it, go there (Istio uses the first matching rule)',
    ]);
  });

  test('several matches are ORed, each keeping its own conditions', () => {
    const { objects } = synthService({
      versions: { v1: {}, v2: {} },
      routes: [{
        name: 'explain',
        match: [RequestMatch.uriPrefix('/explain'), RequestMatch.uriExact('/v1/explain').and(RequestMatch.method('POST'))],
        strategy: Strategy.canary({ v1: Percent.of(50), v2: Percent.of(50) }),
      }],
    });
    expect(objects.VirtualService.spec.http[0].match).toEqual([
      { uri: { prefix: '/explain' } },
      { uri: { exact: '/v1/explain' }, method: { exact: 'POST' } },
    ]);
  });

  test('/predict on a canary and /explain pinned to v1', () => {
    const { objects } = synthService({
      versions: { v1: {}, v2: {} },
      routes: [
        { name: 'predict', match: RequestMatch.uriPrefix('/predict'), strategy: Strategy.canary({ v1: Percent.of(90), v2: Percent.of(10) }) },
        { name: 'explain', match: RequestMatch.uriPrefix('/explain'), strategy: Strategy.to('v1') },
      ],
    });
    const [predict, explain] = objects.VirtualService.spec.http;
    expect(predict.route.map((r: any) => [r.destination.subset, r.weight])).toEqual([['v1', 90], ['v2', 10]]);
    expect(explain.route).toEqual([{ destination: { host: 'model', subset: 'v1' } }]);
  });

  test('match factories refuse what Istio or RE2 would refuse', () => {
    expect(() => RequestMatch.uriRegex('^/(?=predict)')).toThrow('StringMatch.regex: "^/(?=predict)" is not a valid RE2 regex: error parsing regexp: invalid or unsupported Perl syntax: `(?=`');
    expect(() => RequestMatch.uriRegex('(a)\\1')).toThrow('StringMatch.regex: "(a)\\1" is not a valid RE2 regex: error parsing regexp: invalid escape sequence: `\\1`');
    expect(() => StringMatch.prefix('')).toThrow('StringMatch.prefix: prefix must not be empty, received ""');
    expect(() => RequestMatch.header('x model', StringMatch.exact('a'))).toThrow('RequestMatch.header: header name must be an HTTP token (RFC 7230), received "x model"');
    expect(() => RequestMatch.method('post')).toThrow('RequestMatch.method: method must be an upper-case HTTP method such as POST, received "post"');
    expect(() => RequestMatch.uriPrefix('/a').and(RequestMatch.uriExact('/b'))).toThrow('RequestMatch.and: a match can test the uri only once');
  });

  test('RE2 features Istio accepts are accepted', () => {
    expect(RequestMatch.uriRegex('(?i)^/v\\d+/(?P<model>[a-z]+)$').toJson()).toEqual({ uri: { regex: '(?i)^/v\\d+/(?P<model>[a-z]+)$' } });
  });
});
