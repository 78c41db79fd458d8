import { Duration } from 'cdk8s';
import { Percent, RequestMatch, Strategy, StringMatch } from '..';
import { SAFE_RETRIES, synthProblems, synthService } from '../../test/service-fixture';

const dest = (subset: string) => ({ destination: { host: 'model', subset } });
const predict = RequestMatch.uriPrefix('/predict');
const httpOf = (strategy: ReturnType<typeof Strategy.to>, versions: Record<string, {}> = { v1: {}, v2: {} }) =>
  synthService({ versions, routes: [{ name: 'predict', match: predict, strategy }] }).objects.VirtualService.spec.http;

describe('Strategy.canary', () => {
  test('splits a route by whole percentages, in declaration order', () => {
    const http = httpOf(Strategy.canary({ v1: Percent.of(80), v2: Percent.of(15), v3: Percent.of(5) }), { v1: {}, v2: {}, v3: {} });
    expect(http[0]).toEqual({
      name: 'predict',
      match: [{ uri: { prefix: '/predict' } }],
      retries: SAFE_RETRIES,
      route: [{ ...dest('v1'), weight: 80 }, { ...dest('v2'), weight: 15 }, { ...dest('v3'), weight: 5 }],
    });
    expect(http).toMatchSnapshot();
  });

  test('a 0% version stays in the route, ready to ramp', () => {
    expect(httpOf(Strategy.canary({ v1: Percent.of(100), v2: Percent.of(0) }))[0].route)
      .toEqual([{ ...dest('v1'), weight: 100 }, { ...dest('v2'), weight: 0 }]);
  });

  test('percentages must add up to exactly 100 (stricter than Istio, on purpose)', () => {
    expect(() => Strategy.canary({ v1: Percent.of(90), v2: Percent.of(20) }))
      .toThrow('Strategy.canary: percentages must add up to exactly 100, received v1=90 + v2=20 = 110');
    expect(() => Strategy.canary({ v1: Percent.of(30), v2: Percent.of(30) }))
      .toThrow('Strategy.canary: percentages must add up to exactly 100, received v1=30 + v2=30 = 60');
  });

  test('shares are whole Percents, and at least two versions', () => {
    expect(() => Strategy.canary({ v1: Percent.of(89.5), v2: Percent.of(10.5) }))
      .toThrow('Strategy.canary: the share of "v1" must be a whole percentage, received 89.5');
    expect(() => Strategy.canary({ v1: 90 as never, v2: 10 as never }))
      .toThrow('Strategy.canary: the share of "v1" must be a Percent (Percent.of(n)), received 90');
    expect(() => Strategy.canary({ v1: Percent.of(100) }))
      .toThrow('Strategy.canary: a split needs at least two versions, received 1 (v1)');
  });

  test('Percent refuses values outside 0..100', () => {
    expect(() => Percent.of(120)).toThrow('Percent.of: percent must be between 0 and 100, received 120');
    expect(() => Percent.of(-1)).toThrow('Percent.of: percent must be between 0 and 100, received -1');
    expect(() => Percent.of(NaN)).toThrow('Percent.of: percent must be between 0 and 100, received NaN');
  });
});

describe('Strategy.abTest', () => {
  const abTest = () => Strategy.abTest({
    variants: [
      { name: 'beta', when: RequestMatch.header('X-User-Group', StringMatch.exact('beta')), version: 'v2' },
      { name: 'cookie', when: RequestMatch.cookie('ab', 'b'), version: 'v2' },
      { name: 'query', when: RequestMatch.queryParam('model', StringMatch.regex('^b(-.*)?$')), version: 'v2' },
    ],
    otherwise: Strategy.canary({ v1: Percent.of(90), v2: Percent.of(10) }),
  });

  test('variants come first, each ANDed with the route match; the default split follows', () => {
    const http = httpOf(abTest());
    expect(http.map((r: any) => r.name)).toEqual(['predict-beta', 'predict-cookie', 'predict-query', 'predict', 'default']);
    expect(http[0].match).toEqual([{ uri: { prefix: '/predict' }, headers: { 'x-user-group': { exact: 'beta' } } }]);
    expect(http[0].route).toEqual([dest('v2')]);
    expect(http[1].match).toEqual([{ uri: { prefix: '/predict' }, headers: { cookie: { regex: '^(.*?;\\s*)?ab=b(;.*)?$' } } }]);
    expect(http[2].match).toEqual([{ uri: { prefix: '/predict' }, queryParams: { model: { regex: '^b(-.*)?$' } } }]);
    expect(http[3].route).toEqual([{ ...dest('v1'), weight: 90 }, { ...dest('v2'), weight: 10 }]);
    expect(http).toMatchSnapshot();
  });

  test('variant names are unique labels, and a variant is required', () => {
    const when = RequestMatch.header('x', StringMatch.exact('y'));
    expect(() => Strategy.abTest({ variants: [], otherwise: Strategy.to() }))
      .toThrow('Strategy.abTest: at least one variant is required, received 0');
    expect(() => Strategy.abTest({ variants: [{ name: 'b', when, version: 'v2' }, { name: 'b', when, version: 'v2' }], otherwise: Strategy.to() }))
      .toThrow('Strategy.abTest: variant names must be unique, received "b" twice');
  });

  test('a variant that tests an attribute the route already tests is refused', () => {
    const { app } = synthService({
      versions: { v1: {}, v2: {} },
      routes: [{
        name: 'predict',
        match: RequestMatch.uriPrefix('/p').and(RequestMatch.header('x-group', StringMatch.exact('a'))),
        strategy: Strategy.abTest({ variants: [{ name: 'b', when: RequestMatch.header('x-group', StringMatch.exact('b')), version: 'v2' }], otherwise: Strategy.to() }),
      }],
    });
    expect(() => app.synthesize()).toThrow('test/model: route "predict": RequestMatch.and: a match can test the header "x-group" only once');
  });
});

describe('Strategy.blueGreen', () => {
  test('everything to the active version; the other answers only with x-preview: true', () => {
    const http = httpOf(Strategy.blueGreen({ active: 'blue' }), { blue: {}, green: {} });
    expect(http.slice(0, 2)).toEqual([
      { name: 'predict-preview', match: [{ uri: { prefix: '/predict' }, headers: { 'x-preview': { exact: 'true' } } }], retries: SAFE_RETRIES, route: [dest('green')] },
      { name: 'predict', match: [{ uri: { prefix: '/predict' } }], retries: SAFE_RETRIES, route: [dest('blue')] },
    ]);
    expect(http).toMatchSnapshot();
  });

  test('switching is one word', () => {
    const http = httpOf(Strategy.blueGreen({ active: 'green' }), { blue: {}, green: {} });
    expect(http[0].route).toEqual([dest('blue')]);
    expect(http[1].route).toEqual([dest('green')]);
  });

  test('a custom preview match, and preview required beyond two versions', () => {
    const http = httpOf(Strategy.blueGreen({ active: 'a', preview: 'c', previewWhen: RequestMatch.queryParam('preview', StringMatch.exact('1')) }), { a: {}, b: { idle: true }, c: {} });
    expect(http[0].match).toEqual([{ uri: { prefix: '/predict' }, queryParams: { preview: { exact: '1' } } }]);
    expect(http[0].route).toEqual([dest('c')]);
    expect(synthProblems({ versions: { a: {}, b: {}, c: {} }, traffic: Strategy.blueGreen({ active: 'a' }) })).toEqual([
      'test/model: default route: Strategy.blueGreen: preview must be given when the service does not have exactly two versions, received versions a, b, c',
    ]);
  });
});

describe('Strategy.shadow', () => {
  test('one candidate: mirror and mirrorPercentage, fractions allowed', () => {
    const http = httpOf(Strategy.shadow({ serve: Strategy.to('v1'), mirror: { v2: Percent.of(20) } }));
    expect(http[0]).toEqual({
      name: 'predict',
      match: [{ uri: { prefix: '/predict' } }],
      retries: SAFE_RETRIES,
      route: [dest('v1')],
      mirror: { host: 'model', subset: 'v2' },
      mirrorPercentage: { value: 20 },
    });
    expect(httpOf(Strategy.shadow({ serve: Strategy.to('v1'), mirror: { v2: Percent.of(0.5) } }))[0].mirrorPercentage).toEqual({ value: 0.5 });
    expect(http).toMatchSnapshot();
  });

  test('several candidates: mirrors', () => {
    const http = httpOf(Strategy.shadow({ serve: Strategy.to('v1'), mirror: { v2: Percent.of(20), v3: Percent.of(5) } }), { v1: {}, v2: {}, v3: {} });
    expect(http[0].mirror).toBeUndefined();
    expect(http[0].mirrors).toEqual([
      { destination: { host: 'model', subset: 'v2' }, percentage: { value: 20 } },
      { destination: { host: 'model', subset: 'v3' }, percentage: { value: 5 } },
    ]);
  });

  test('a serving version cannot mirror to itself, and mirrors need a Percent', () => {
    expect(synthProblems({ versions: { v1: {} }, traffic: Strategy.shadow({ serve: Strategy.to('v1'), mirror: { v1: Percent.of(10) } }) }))
      .toEqual(['test/model: default route: Strategy.shadow: a version cannot both serve and be mirrored, received v1']);
    expect(() => Strategy.shadow({ serve: Strategy.to('v1'), mirror: { v2: 20 as never } }))
      .toThrow('Strategy.shadow: the mirror share of "v2" must be a Percent (Percent.of(n)), received 20');
    expect(() => Strategy.shadow({ serve: Strategy.to('v1'), mirror: {} })).toThrow('Strategy.shadow: mirror needs at least one version, received none');
  });
});

describe('Strategy.stickyCanary', () => {
  test('cookie routes per version before the weighted route, which sets the cookie per destination', () => {
    const http = httpOf(Strategy.stickyCanary({ split: { v1: Percent.of(90), v2: Percent.of(10) }, cookie: 'mv', maxAge: Duration.hours(1) }));
    expect(http.map((r: any) => r.name)).toEqual(['predict-sticky-v1', 'predict-sticky-v2', 'predict', 'default']);
    expect(http[0].match).toEqual([{ uri: { prefix: '/predict' }, headers: { cookie: { regex: '^(.*?;\\s*)?mv=v1(;.*)?$' } } }]);
    expect(http[0].route).toEqual([dest('v1')]);
    expect(http[1].route).toEqual([dest('v2')]);
    expect(http[2].route).toEqual([
      { ...dest('v1'), weight: 90, headers: { response: { add: { 'set-cookie': 'mv=v1; Path=/; Max-Age=3600; HttpOnly; SameSite=Lax' } } } },
      { ...dest('v2'), weight: 10, headers: { response: { add: { 'set-cookie': 'mv=v2; Path=/; Max-Age=3600; HttpOnly; SameSite=Lax' } } } },
    ]);
    expect(http).toMatchSnapshot();
  });

  test('the cookie defaults to model-version for a day; bad cookies are refused', () => {
    const http = httpOf(Strategy.stickyCanary({ split: { v1: Percent.of(50), v2: Percent.of(50) } }));
    expect(http[2].route[0].headers.response.add['set-cookie']).toBe('model-version=v1; Path=/; Max-Age=86400; HttpOnly; SameSite=Lax');
    expect(() => Strategy.stickyCanary({ split: { v1: Percent.of(50), v2: Percent.of(50) }, cookie: 'a b' }))
      .toThrow('Strategy.stickyCanary: cookie must be an HTTP token without \'%\', received "a b"');
  });
});
