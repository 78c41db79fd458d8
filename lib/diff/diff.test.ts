import { Exposure, Strategy } from '..';
import { authorizationPolicy, changesOf, diffObjects, peerAuthentication, prefix, service, to } from '../../test/diff-fixture';
import { synthService } from '../../test/service-fixture';

const canary = (v1: number, v2: number) => service([
  { name: 'predict', match: prefix('/predict'), route: [to('v1', v1), to('v2', v2)] },
  { name: 'default', route: [to('v1')] },
]);

describe('traffic diff', () => {
  test('identical revisions: no change, and the summary says so', () => {
    const diff = diffObjects(canary(90, 10), canary(90, 10));
    expect(diff).toEqual({ summary: 'No traffic changes.', services: [], objects: [] });
  });

  test('a weight shift: per version, and read as a move in the summary', () => {
    const diff = diffObjects(canary(90, 10), canary(75, 25));
    expect(diff.services).toEqual([{
      service: 'ml/m',
      changes: [
        { kind: 'weight', route: '/predict', version: 'v1', before: 90, after: 75, risk: 'review', message: '/predict: v1 90% → 75%' },
        { kind: 'weight', route: '/predict', version: 'v2', before: 10, after: 25, risk: 'review', message: '/predict: v2 10% → 25%' },
      ],
    }]);
    expect(diff.summary).toBe('1 service changes: 0 risky changes, 2 to review, 0 informational. Traffic moves: 15% of /predict moves from v1 to v2 on ml/m.');
  });

  test('weights are relative, as in Istio: 9/1 is 90/10, so it is no change', () => {
    expect(diffObjects(canary(90, 10), canary(9, 1)).services).toEqual([]);
  });

  test('reordering keys, match blocks and rules that cannot match the same request: no change', () => {
    const before = service([
      { name: 'a', match: [{ uri: { prefix: '/a' }, method: { exact: 'GET' } }, { uri: { exact: '/x' } }], route: [to('v1')] },
      { name: 'b', match: prefix('/b'), route: [to('v2')] },
      { name: 'default', route: [to('v1')] },
    ]);
    const after = service([
      { route: [to('v2')], match: prefix('/b'), name: 'b' },
      { match: [{ uri: { exact: '/x' } }, { method: { exact: 'GET' }, uri: { prefix: '/a' } }], route: [to('v1')], name: 'a' },
      { name: 'default', route: [to('v1')] },
    ]);
    expect(diffObjects(before, after).services).toEqual([]);
  });

  test('reordering rules that can match the same request is a change: the first match wins', () => {
    const before = service([
      { name: 'beta', match: [{ uri: { prefix: '/predict' }, headers: { 'x-group': { exact: 'beta' } } }], route: [to('v2')] },
      { name: 'predict', match: prefix('/predict'), route: [to('v1')] },
    ]);
    const after = service([before[1].spec.http[1], before[1].spec.http[0]]);
    expect(changesOf(before, after)).toEqual({
      changes: [{
        kind: 'route-order', route: '/predict',
        before: ['/predict with x-group = beta', '/predict'], after: ['/predict', '/predict with x-group = beta'], risk: 'review',
      }],
      messages: ['/predict now comes before /predict with x-group = beta: requests matching both now go by /predict'],
    });
  });

  test('a rule renamed with the same conditions and destinations is only a rename', () => {
    const after = canary(90, 10);
    after[1].spec.http[0].name = 'inference';
    expect(changesOf(canary(90, 10), after)).toEqual({
      changes: [{ kind: 'route-renamed', route: '/predict', before: 'predict', after: 'inference', risk: 'info' }],
      messages: ['/predict: rule renamed from predict to inference, traffic unchanged by the name'],
    });
  });

  test('new conditions under the same rule name: a match change, then what else changed', () => {
    const after = canary(90, 10);
    after[1].spec.http[0].match = prefix('/v2/predict');
    after[1].spec.http[0].timeout = '3s';
    expect(changesOf(canary(90, 10), after)).toEqual({
      changes: [
        { kind: 'match', route: '/v2/predict', before: '/predict', after: '/v2/predict', risk: 'review' },
        { kind: 'timeout', route: '/v2/predict', after: '3s', risk: 'info' },
      ],
      messages: ['rule predict: matches /v2/predict instead of /predict', '/v2/predict: timeout none → 3s'],
    });
  });

  test('routes added and removed, named by their conditions', () => {
    const before = canary(90, 10);
    const after = service([
      { name: 'explain', match: [{ uri: { exact: '/explain' }, method: { exact: 'POST' } }], route: [to('v1')] },
      { name: 'default', route: [to('v1')] },
    ]);
    expect(changesOf(before, after)).toEqual({
      changes: [
        { kind: 'route-added', route: 'POST /explain (exact)', after: 'v1 100%', risk: 'review' },
        { kind: 'route-removed', route: '/predict', before: 'v1 90%, v2 10%', risk: 'review' },
      ],
      messages: ['route added: POST /explain (exact) → v1 100%', 'route removed: /predict (was → v1 90%, v2 10%)'],
    });
  });

  test('a version serving requests for the first time is risky', () => {
    const before = service([{ name: 'default', route: [to('v1')] }]);
    const after = canary(95, 5);
    expect(changesOf(before, after)).toEqual({
      changes: [
        { kind: 'version-first-traffic', version: 'v2', after: ['/predict 5%'], risk: 'risky' },
        { kind: 'route-added', route: '/predict', after: 'v1 95%, v2 5%', risk: 'review' },
      ],
      messages: ['version v2 serves requests for the first time: /predict 5%', 'route added: /predict → v1 95%, v2 5%'],
    });
    expect(diffObjects(before, after).summary).toBe(
      '1 service changes: 1 risky change, 1 to review, 0 informational. Risky: ml/m: version v2 serves requests for the first time: /predict 5%.');
  });

  test('versions declared and removed', () => {
    const http = [{ name: 'default', route: [to('v1')] }];
    expect(changesOf(service(http, { subsets: ['v1', 'v2'] }), service(http, { subsets: ['v1', 'v3'] }))).toEqual({
      changes: [
        { kind: 'version-added', version: 'v3', risk: 'info' },
        { kind: 'version-removed', version: 'v2', risk: 'review' },
      ],
      messages: ['version v3 added', 'version v2 removed'],
    });
  });

  test('mirror percentages, including a mirror that stops', () => {
    const shadow = (percent?: number) => service([{
      name: 'predict', match: prefix('/predict'), route: [to('v1')],
      ...(percent === undefined ? {} : { mirror: { host: 'm', subset: 'v2' }, mirrorPercentage: { value: percent } }),
    }]);
    expect(changesOf(shadow(20), shadow(50)).changes).toEqual([{ kind: 'mirror', route: '/predict', version: 'v2', before: 20, after: 50, risk: 'info' }]);
    expect(changesOf(shadow(20), shadow()).messages).toEqual(['/predict: mirror to v2 20% → 0%']);
  });

  test('timeouts, retries, faults, rewrites and actions', () => {
    const before = service([{ name: 'p', match: prefix('/p'), route: [to('v1')], timeout: '2s', retries: { attempts: 2, retryOn: 'connect-failure' } }]);
    const after = service([{
      name: 'p', match: prefix('/p'), route: [to('v1')], timeout: '5s', retries: { attempts: 0 },
      fault: { abort: { httpStatus: 503, percentage: { value: 10 } } }, rewrite: { uri: '/v1/predict' },
    }, { name: 'gone', match: prefix('/old'), directResponse: { status: 410 } }]);
    expect(changesOf(before, after).messages).toEqual([
      '/p: rewrite none → uri to /v1/predict',
      '/p: timeout 2s → 5s',
      '/p: retries 2 attempts on connect-failure → none',
      '/p: fault injection none → abort 503 on 10%',
      'route added: /old → direct response 410',
    ]);
    expect(changesOf(before, after).changes.map((c) => [c.kind, c.risk])).toEqual([
      ['rewrite', 'review'], ['timeout', 'info'], ['retries', 'info'], ['fault', 'review'], ['route-added', 'review'],
    ]);
  });

  test('exposure: a host or gateway added is risky, removed is for review', () => {
    const http = [{ name: 'default', route: [to('v1')] }];
    const before = service(http, { hosts: ['m', 'm.internal.example.com'] });
    const after = service(http, { hosts: ['m', 'm.models.example.com'], gateways: ['mesh', 'istio-ingress/public'] });
    expect(changesOf(before, after)).toEqual({
      changes: [
        { kind: 'host-added', after: 'm.models.example.com', risk: 'risky' },
        { kind: 'host-removed', before: 'm.internal.example.com', risk: 'review' },
        { kind: 'gateway-added', after: 'istio-ingress/public', risk: 'risky' },
      ],
      messages: ['now answers for host m.models.example.com', 'no longer answers for host m.internal.example.com', 'now exposed on gateway istio-ingress/public'],
    });
  });

  test('mTLS weakened is risky, per version when only one version changes; plain text newly served is too', () => {
    const http = [{ name: 'default', route: [to('v1')] }];
    expect(changesOf([...service(http), peerAuthentication('STRICT')], [...service(http), peerAuthentication('PERMISSIVE')])).toEqual({
      changes: [
        { kind: 'mtls', version: 'v1', before: 'STRICT', after: 'PERMISSIVE', risk: 'risky' },
        { kind: 'access', version: 'v1', after: ['a caller without a sidecar (plain text) may now call any path'], risk: 'risky' },
      ],
      messages: ['version v1: mTLS STRICT → PERMISSIVE (weakened)', 'version v1: newly reachable: a caller without a sidecar (plain text) may now call any path'],
    });
    expect(changesOf([...service(http), peerAuthentication('PERMISSIVE')], [...service(http), peerAuthentication('STRICT')]).changes)
      .toEqual([{ kind: 'mtls', version: 'v1', before: 'PERMISSIVE', after: 'STRICT', risk: 'review' }]);
  });

  test('authorization: what the policy says is for review, once for all versions; what it newly lets in is risky', () => {
    const http = [{ name: 'default', route: [to('v1')] }];
    const allow = (namespaces: string[], paths: string[]) => authorizationPolicy('m', {
      selector: { matchLabels: {} }, action: 'ALLOW', rules: [{ from: [{ source: { namespaces } }], to: [{ operation: { paths } }] }],
    });
    const before = [...service(http), allow(['web'], ['/predict'])];
    const after = [...service(http), allow(['web', 'batch'], ['/predict', '/admin'])];
    expect(changesOf(before, after)).toEqual({
      changes: [
        { kind: 'callers', before: ['namespace web'], after: ['namespace batch', 'namespace web'], risk: 'review' },
        { kind: 'paths', before: ['/predict'], after: ['/admin', '/predict'], risk: 'review' },
        { kind: 'access', after: ['namespace web may now call /admin', 'namespace batch may now call /predict', 'namespace batch may now call /admin'], risk: 'risky' },
      ],
      messages: [
        'allowed callers namespace web → namespace batch, namespace web',
        'allowed paths /predict → /admin, /predict',
        'newly reachable: namespace web may now call /admin; namespace batch may now call /predict; namespace batch may now call /admin',
      ],
    });
    expect(changesOf(after, before).changes.map((c) => [c.kind, c.risk])).toEqual([['callers', 'review'], ['paths', 'review']]);
    expect(changesOf(before, service(http)).changes.map((c) => [c.kind, c.after, c.risk])).toEqual([
      ['callers', ['any caller'], 'review'],
      ['paths', ['any path'], 'review'],
      ['access', ['a caller no policy names may now call a path no policy names', 'a caller without a sidecar (plain text) may now call a path no policy names'], 'risky'],
      ['policy-removed', undefined, 'risky'],
    ]);
  });

  test('a DENY policy removed lets its callers in', () => {
    const http = [{ name: 'default', route: [to('v1')] }];
    const deny = authorizationPolicy('no-batch', { action: 'DENY', rules: [{ from: [{ source: { namespaces: ['batch'] } }] }] });
    expect(changesOf([...service(http), deny], service(http))).toEqual({
      changes: [
        { kind: 'access', after: ['namespace batch may now call any path'], risk: 'risky' },
        { kind: 'deny-policies', before: ['ml/no-batch'], after: [], risk: 'review' },
        { kind: 'policy-removed', risk: 'risky' },
      ],
      messages: [
        'newly reachable: namespace batch may now call any path',
        'DENY policies ml/no-batch → none',
        'removed: what it required of the workloads it selected no longer applies (who may call them)',
      ],
    });
  });

  describe('who can reach what, compared by effect', () => {
    const http = [{ name: 'default', route: [to('v1')] }];
    const FRONTEND = 'cluster.local/ns/bank/sa/frontend';
    const ADMIN = 'cluster.local/ns/bank/sa/admin';
    const rule = (principals: string[], methods: string[], paths: string[]) => ({ from: [{ source: { principals } }], to: [{ operation: { methods, paths } }] });
    const policy = (name: string, action: string, rules: object[], selector: object = { version: 'v1' }) =>
      authorizationPolicy(name, { selector: { matchLabels: selector }, action, rules });
    const access = (before: object[], after: object[]) => changesOf([...service(http), ...before], [...service(http), ...after]).changes.filter((c) => c.kind === 'access');

    test('two ALLOW rules merged into one: the frontend may now POST /transfer, the admin GET /balance', () => {
      const before = policy('bank', 'ALLOW', [rule([FRONTEND], ['GET'], ['/balance']), rule([ADMIN], ['POST'], ['/transfer'])]);
      const after = policy('bank', 'ALLOW', [rule([FRONTEND, ADMIN], ['GET', 'POST'], ['/balance', '/transfer'])]);
      const { changes, messages } = changesOf([...service(http), before], [...service(http), after]);
      // The flattened lists show the same callers and paths, only the methods per path: for review.
      expect(changes.map((c) => [c.kind, c.risk])).toEqual([['paths', 'review'], ['access', 'risky']]);
      expect(changes[1]).toEqual({
        kind: 'access', version: 'v1', risk: 'risky',
        after: [
          'cluster.local/ns/bank/sa/frontend may now GET /transfer',
          'cluster.local/ns/bank/sa/frontend may now POST /balance',
          'cluster.local/ns/bank/sa/frontend may now POST /transfer',
          'cluster.local/ns/bank/sa/admin may now GET /balance',
          'cluster.local/ns/bank/sa/admin may now GET /transfer',
          'cluster.local/ns/bank/sa/admin may now POST /balance',
        ],
      });
      expect(messages[1]).toEqual([
        'version v1: newly reachable: cluster.local/ns/bank/sa/frontend may now GET /transfer; cluster.local/ns/bank/sa/frontend may now POST /balance; cluster.local/ns/bank/sa/frontend may now POST /transfer; and 3 more',
      ][0]);
      // Split back: narrower, nothing newly reachable.
      expect(access([after], [before])).toEqual([]);
    });

    test('a DENY rule that keeps its name but denies another path', () => {
      const deny = (path: string) => policy('no-admin', 'DENY', [{ to: [{ operation: { paths: [path] } }] }]);
      expect(access([deny('/admin')], [deny('/debug')])).toEqual([{
        kind: 'access', version: 'v1', risk: 'risky',
        after: ['a caller no policy names may now call /admin', 'a caller without a sidecar (plain text) may now call /admin'],
      }]);
    });

    test('a CUSTOM policy deleted: requests it sent to the external authorizer are served without it', () => {
      const custom = { ...policy('ext-authz', 'CUSTOM', [{ to: [{ operation: { paths: ['/admin/*'] } }] }]), spec: { selector: { matchLabels: { version: 'v1' } }, action: 'CUSTOM', provider: { name: 'opa' }, rules: [{ to: [{ operation: { paths: ['/admin/*'] } }] }] } };
      const { changes, messages } = changesOf([...service(http), custom], service(http));
      expect(changes.map((c) => [c.kind, c.risk])).toEqual([['access', 'risky'], ['policy-removed', 'risky']]);
      expect(messages[0]).toBe('version v1: newly reachable: a caller no policy names may now call /admin/* without the check of opa; a caller without a sidecar (plain text) may now call /admin/* without the check of opa');
    });

    test('a lost `when` condition', () => {
      const withWhen = policy('m', 'ALLOW', [{ to: [{ operation: { paths: ['/admin'] } }], when: [{ key: 'request.auth.claims[group]', values: ['admins'] }] }]);
      const without = policy('m', 'ALLOW', [{ to: [{ operation: { paths: ['/admin'] } }] }]);
      expect(access([withWhen], [without])).toEqual([{
        kind: 'access', version: 'v1', risk: 'risky',
        after: ['a caller no policy names may now call /admin', 'a caller without a sidecar (plain text) may now call /admin'],
      }]);
    });

    test('a lost `to.ports`', () => {
      const withPorts = policy('m', 'ALLOW', [{ from: [{ source: { namespaces: ['web'] } }], to: [{ operation: { ports: ['8080'], paths: ['/metrics'] } }] }]);
      const without = policy('m', 'ALLOW', [{ from: [{ source: { namespaces: ['web'] } }], to: [{ operation: { paths: ['/metrics'] } }] }]);
      expect(access([withPorts], [without])).toEqual([{ kind: 'access', version: 'v1', risk: 'risky', after: ['namespace web may now call /metrics'] }]);
    });

    test('a policy whose selector no longer picks the version, and subset labels that no longer match the selector', () => {
      const allow = (selector: object) => policy('m', 'ALLOW', [{ from: [{ source: { namespaces: ['web'] } }] }], selector);
      expect(access([allow({ version: 'v1' })], [allow({ version: 'v1-typo' })]).map((c) => c.after)).toEqual([
        ['a caller no policy names may now call any path', 'a caller without a sidecar (plain text) may now call any path'],
      ]);
      const { changes } = changesOf([...service(http), allow({ version: 'v1' })], [...service(http), allow({ version: 'v1-typo' })]);
      expect(changes.find((c) => c.kind === 'selector')).toEqual({ kind: 'selector', before: 'version=v1', after: 'version=v1-typo', risk: 'risky' });
      const relabelled = service(http).map((o) => o.kind !== 'DestinationRule' ? o : { ...o, spec: { ...o.spec, subsets: [{ name: 'v1', labels: { version: 'v1-new' } }, { name: 'v2', labels: { version: 'v2' } }] } });
      expect(changesOf([...service(http), allow({ version: 'v1' })], [...relabelled, allow({ version: 'v1' })]).changes).toEqual([
        { kind: 'labels', version: 'v1', before: 'version=v1', after: 'version=v1-new', risk: 'review' },
        { kind: 'callers', version: 'v1', before: ['namespace web'], after: ['any caller'], risk: 'review' },
        { kind: 'access', version: 'v1', risk: 'risky', after: ['a caller no policy names may now call any path', 'a caller without a sidecar (plain text) may now call any path'] },
      ]);
    });

    test('a security object\'s selector: risky when it may drop pods, for review when it only adds pods to check or to STRICT', () => {
      const named = (name: string, spec: object) => ({ ...authorizationPolicy(name, spec) });
      const ap = (labels: object) => named('m', { selector: { matchLabels: labels }, action: 'ALLOW', rules: [{}] });
      const selector = (before: object[], after: object[]) => changesOf(before, after).changes.filter((c) => c.kind === 'selector');
      expect(selector([ap({ app: 'm', version: 'v1' })], [ap({ app: 'm' })])).toEqual([{ kind: 'selector', before: 'app=m,version=v1', after: 'app=m', risk: 'review' }]);
      expect(selector([ap({ app: 'm' })], [ap({ app: 'n' })])).toEqual([{ kind: 'selector', before: 'app=m', after: 'app=n', risk: 'risky' }]);
      const pa = (mode: string, labels: object) => ({ ...peerAuthentication(mode), spec: { selector: { matchLabels: labels }, mtls: { mode } } });
      expect(selector([pa('STRICT', { app: 'm', version: 'v1' })], [pa('STRICT', { app: 'm' })]).map((c) => c.risk)).toEqual(['review']);
      expect(selector([pa('DISABLE', { app: 'm', version: 'v1' })], [pa('DISABLE', { app: 'm' })]).map((c) => c.risk)).toEqual(['risky']);
      expect(diffObjects([pa('STRICT', { app: 'm' })], [pa('STRICT', { app: 'n' })]).objects[0].changes[0].message)
        .toBe('selects app=n instead of app=m: pods it selected may lose it, or pods it did not get it');
    });

    test('a rule reworded with the same effect is not newly reachable', () => {
      const two = policy('m', 'ALLOW', [rule([FRONTEND], ['GET'], ['/a']), rule([FRONTEND], ['GET'], ['/b'])]);
      const one = policy('m', 'ALLOW', [rule([FRONTEND], ['GET'], ['/a', '/b'])]);
      expect(access([two], [one])).toEqual([]);
    });
  });

  test('services added (exposed on a gateway: risky) and removed', () => {
    const http = [{ name: 'default', route: [to('v1')] }];
    const other = service(http, { gateways: ['istio-ingress/public'] }).map((o) => ({ ...o, metadata: { ...o.metadata, name: 'n' } }));
    const diff = diffObjects(service(http), other);
    expect(diff.services.map((s) => [s.service, s.changes.map(({ message: _m, ...c }) => c)])).toEqual([
      ['ml/m', [{ kind: 'service-removed', risk: 'review' }]],
      ['ml/n', [{ kind: 'service-added', after: ['v1', 'v2'], risk: 'review' }, { kind: 'gateway-added', after: 'istio-ingress/public', risk: 'risky' }]],
    ]);
    expect(diff.summary).toBe(
      '2 services change (1 added, 1 removed): 1 risky change, 2 to review, 0 informational. Risky: ml/n: now exposed on gateway istio-ingress/public.');
  });

  describe('unknown is risky: objects of kinds the traffic model does not read', () => {
    const http = [{ name: 'default', route: [to('v1')] }];
    const envoyFilter = (patch: string) => ({
      apiVersion: 'networking.istio.io/v1alpha3', kind: 'EnvoyFilter', metadata: { name: 'strip-rbac', namespace: 'ml' },
      spec: { workloadSelector: { labels: { app: 'm' } }, configPatches: [{ applyTo: 'HTTP_FILTER', patch: { operation: patch } }] },
    });
    const gateway = (hosts: string[]) => ({
      apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'open', namespace: 'istio-ingress' },
      spec: { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts }] },
    });

    test('added, changed and removed, each by kind and name', () => {
      expect(diffObjects(service(http), [...service(http), envoyFilter('REMOVE'), gateway(['*/*'])])).toEqual({
        summary: '0 services change and 2 other objects: 2 risky changes, 0 to review, 0 informational. Risky: '
          + 'EnvoyFilter ml/strip-rbac: added: the traffic model does not read EnvoyFilter, so what it does to requests is not known; '
          + 'Gateway istio-ingress/open: added: the traffic model does not read Gateway, so what it does to requests is not known.',
        services: [],
        objects: [
          { object: 'EnvoyFilter ml/strip-rbac', changes: [{ kind: 'object-added', risk: 'risky', message: 'added: the traffic model does not read EnvoyFilter, so what it does to requests is not known' }] },
          { object: 'Gateway istio-ingress/open', changes: [{ kind: 'object-added', risk: 'risky', message: 'added: the traffic model does not read Gateway, so what it does to requests is not known' }] },
        ],
      });
      expect(changesOf([...service(http), envoyFilter('MERGE')], [...service(http), envoyFilter('REMOVE')]).changes).toEqual([{ kind: 'object-changed', risk: 'risky' }]);
      expect(changesOf([...service(http), gateway(['*/models.example.com'])], service(http)).changes).toEqual([{ kind: 'object-removed', risk: 'risky' }]);
    });

    test('any kind main.ts can write with ApiObject, Kubernetes ones included; an unchanged one is no change', () => {
      const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'ml' }, data: { a: '1' } };
      const sidecar = { apiVersion: 'networking.istio.io/v1', kind: 'Sidecar', metadata: { name: 'default', namespace: 'ml' }, spec: { egress: [{ hosts: ['*/*'] }] } };
      expect(diffObjects([...service(http), configMap], [...service(http), configMap, sidecar]).objects.map((o) => o.object)).toEqual(['Sidecar ml/default']);
      expect(diffObjects([...service(http), configMap], [...service(http), { ...configMap, data: { a: '2' } }]).objects)
        .toEqual([{ object: 'ConfigMap ml/c', changes: [{ kind: 'object-changed', risk: 'risky', message: 'changed: the traffic model does not read ConfigMap, so what it does to requests is not known' }] }]);
    });

    test('fields of a read kind that the diff does not compare: TCP and TLS routes, CORS, targetRefs, TLS settings are risky, the rest for review', () => {
      const withSpec = (kind: string, extra: object) => service(http).map((o) => o.kind !== kind ? o : { ...o, spec: { ...o.spec, ...extra } });
      const tcp = { tcp: [{ route: [{ destination: { host: 'db.partner.example.com', port: { number: 5432 } } }] }] };
      expect(changesOf(service(http), withSpec('VirtualService', tcp))).toEqual({
        changes: [{ kind: 'fields-changed', after: ['spec.tcp'], risk: 'risky' }],
        messages: ['fields the diff does not compare changed: spec.tcp (spec.tcp can let requests in or out by themselves)'],
      });
      const cors = service([{ name: 'default', route: [to('v1')], corsPolicy: { allowOrigins: [{ regex: '.*' }] } }]);
      expect(changesOf(service(http), cors).changes).toEqual([{ kind: 'fields-changed', after: ['spec.http[default].corsPolicy'], risk: 'risky' }]);
      expect(changesOf(service(http), withSpec('DestinationRule', { trafficPolicy: { tls: { mode: 'SIMPLE', insecureSkipVerify: true } } })).changes.filter((c) => c.kind === 'fields-changed'))
        .toEqual([{ kind: 'fields-changed', after: ['spec.trafficPolicy.tls.insecureSkipVerify'], risk: 'risky' }]);
      expect(changesOf(service(http), withSpec('DestinationRule', { trafficPolicy: { loadBalancer: { simple: 'LEAST_REQUEST' } } })).changes)
        .toEqual([{ kind: 'fields-changed', after: ['spec.trafficPolicy.loadBalancer'], risk: 'review' }]);
      const pool = (a: object, b: object) => withSpec('DestinationRule', { trafficPolicy: { connectionPool: { ...a, ...b } } });
      expect(changesOf(pool({ tcp: { maxConnections: 1 } }, { http: { maxRetries: 1 } }), pool({ http: { maxRetries: 1 } }, { tcp: { maxConnections: 1 } })).changes).toEqual([]);
      const policy = (extra: object) => authorizationPolicy('m', { action: 'ALLOW', rules: [{ from: [{ source: { namespaces: ['web'] } }] }], ...extra });
      expect(changesOf([...service(http), policy({})], [...service(http), policy({ targetRefs: [{ kind: 'Gateway', group: 'gateway.networking.k8s.io', name: 'waypoint' }] })]).changes)
        .toEqual([{ kind: 'fields-changed', after: ['spec.targetRefs'], risk: 'risky' }]);
    });

    test('a kustomization that only lists files is read; one with patches or remote resources is not', () => {
      const kustomization = (extra: object) => ({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: ['ml/m.yaml'], ...extra });
      expect(diffObjects(service(http), [...service(http), kustomization({})]).objects).toEqual([]);
      expect(diffObjects([...service(http), kustomization({})], [...service(http), kustomization({ patches: [{ path: 'p.yaml' }] })]).objects.map((o) => o.changes.map((c) => c.kind)))
        .toEqual([['object-added']]);
      expect(diffObjects(service(http), [...service(http), kustomization({ resources: ['https://example.com/evil.yaml'] })]).objects.map((o) => o.object))
        .toEqual(['Kustomization default/(no name)']);
    });
  });

  describe('weakened TLS, copies leaving the mesh, wider exportTo, test rules reachable from a gateway', () => {
    const http = [{ name: 'default', route: [to('v1')] }];

    test('portLevelMtls DISABLE on a STRICT workload: that port serves plain text', () => {
      const pa = (ports?: object) => ({ ...peerAuthentication('STRICT'), spec: { selector: { matchLabels: { version: 'v1' } }, mtls: { mode: 'STRICT' }, ...(ports ? { portLevelMtls: ports } : {}) } });
      expect(changesOf([...service(http), pa()], [...service(http), pa({ 8080: { mode: 'DISABLE' } })])).toEqual({
        changes: [
          { kind: 'mtls', version: 'v1', before: '8080: STRICT', after: '8080: DISABLE', risk: 'risky' },
          { kind: 'access', version: 'v1', after: ['a caller without a sidecar (plain text) may now call any path on port 8080'], risk: 'risky' },
        ],
        messages: [
          'version v1: port 8080: mTLS STRICT → DISABLE (weakened)',
          'version v1: newly reachable: a caller without a sidecar (plain text) may now call any path on port 8080',
        ],
      });
      expect(changesOf([...service(http), pa()], [...service(http), pa({ 8080: { mode: 'PERMISSIVE' } })]).changes.map((c) => [c.kind, c.risk]))
        .toEqual([['mtls', 'risky'], ['access', 'risky']]);
    });

    test('tls.mode DISABLE on a DestinationRule: clients send plain text, so identity-based DENY rules stop matching', () => {
      const dr = (tls?: string) => service(http).map((o) => o.kind !== 'DestinationRule' ? o : { ...o, spec: { ...o.spec, ...(tls ? { trafficPolicy: { tls: { mode: tls } } } : {}) } });
      const deny = authorizationPolicy('no-batch', { action: 'DENY', rules: [{ from: [{ source: { namespaces: ['batch'] } }] }] });
      expect(changesOf([...dr(), deny], [...dr('DISABLE'), deny])).toEqual({
        changes: [
          { kind: 'client-tls', before: 'automatic mTLS', after: 'DISABLE', risk: 'risky' },
          { kind: 'access', after: ['namespace batch may now call any path'], risk: 'risky' },
        ],
        messages: ["clients' TLS (DestinationRule) automatic mTLS → DISABLE (weakened)", 'newly reachable: namespace batch may now call any path'],
      });
      expect(changesOf(dr('DISABLE'), dr('ISTIO_MUTUAL')).changes).toEqual([{ kind: 'client-tls', before: 'DISABLE', after: 'ISTIO_MUTUAL', risk: 'review' }]);
    });

    test('a mirror to a host outside the mesh is risky, and not a version', () => {
      const shadow = (host?: string, percent = 100) => service([{ name: 'predict', match: prefix('/predict'), route: [to('v1')], ...(host ? { mirror: { host }, mirrorPercentage: { value: percent } } : {}) }]);
      expect(diffObjects(shadow(), shadow('collector.partner.example.com'))).toEqual({
        summary: '1 service changes: 1 risky change, 0 to review, 0 informational. Risky: ml/m: /predict: copies 100% of requests to collector.partner.example.com, outside the mesh (was 0%).',
        services: [{
          service: 'ml/m',
          changes: [{
            kind: 'mirror', route: '/predict', version: 'collector.partner.example.com', before: 0, after: 100, risk: 'risky',
            message: '/predict: copies 100% of requests to collector.partner.example.com, outside the mesh (was 0%)',
          }],
        }],
        objects: [],
      });
      expect(changesOf(shadow('collector.partner.example.com', 100), shadow('collector.partner.example.com', 10)).changes)
        .toEqual([{ kind: 'mirror', route: '/predict', version: 'collector.partner.example.com', before: 100, after: 10, risk: 'info' }]);
      // A mirror to a service of the mesh stays informational.
      expect(changesOf(shadow(), shadow('m')).changes.map((c) => [c.kind, c.risk])).toEqual([['version-added', 'info'], ['mirror', 'info']]);
    });

    test('requests routed to a host outside the mesh: risky, named by host and share', () => {
      const split = (percent: number) => service([{ name: 'predict', match: prefix('/predict'), route: [to('v1', 100 - percent), { destination: { host: 'api.partner.example.com' }, weight: percent }] }]);
      expect(changesOf(service([{ name: 'predict', match: prefix('/predict'), route: [to('v1')] }]), split(10))).toEqual({
        changes: [
          { kind: 'weight', route: '/predict', version: 'v1', before: 100, after: 90, risk: 'review' },
          { kind: 'weight', route: '/predict', version: 'api.partner.example.com', before: 0, after: 10, risk: 'risky' },
        ],
        messages: ['/predict: v1 100% → 90%', '/predict: sends 10% of requests to api.partner.example.com, outside the mesh (was 0%)'],
      });
    });

    test('exportTo widened', () => {
      const exported = (vs?: string[], dr?: string[]) => service(http).map((o) => {
        const exportTo = o.kind === 'VirtualService' ? vs : dr;
        return exportTo ? { ...o, spec: { ...o.spec, exportTo } } : o;
      });
      expect(changesOf(exported(['.']), exported())).toEqual({
        changes: [{ kind: 'export', before: ['.'], after: ['*'], risk: 'risky' }],
        messages: ['VirtualService exportTo . → * (now visible to more namespaces)'],
      });
      expect(changesOf(exported(undefined, ['ml']), exported(undefined, ['.', 'web'])).changes).toEqual([{ kind: 'export', before: ['ml'], after: ['.', 'web'], risk: 'risky' }]);
      expect(changesOf(exported(['*']), exported(['.'])).changes).toEqual([{ kind: 'export', before: ['*'], after: ['.'], risk: 'review' }]);
    });

    test('a version that a gateway reaches for the first time is one risky change, its first traffic', () => {
      const exposed = (v2: number) => service([{ name: 'default', route: [to('v1', 100 - v2), to('v2', v2)] }], { hosts: ['m', 'm.example.com'], gateways: ['mesh', 'edge/public'] });
      expect(changesOf(exposed(0), exposed(10)).changes.filter((c) => c.risk === 'risky')).toEqual([
        { kind: 'version-first-traffic', version: 'v2', after: ['any request 10%'], risk: 'risky' },
      ]);
    });

    describe('test rules kept to the mesh become reachable from the gateway', () => {
      const ingress = Exposure.ingress({ gateway: 'edge/public', hosts: ['m.example.com'] });
      const blueGreen = (extra: object, exposure = ingress) =>
        Object.values(synthService({ versions: { blue: {}, green: {} }, exposure, traffic: Strategy.blueGreen({ active: 'blue' }), ...extra }).objects);
      const risky = [
        { kind: 'entry', route: 'x-preview = true', before: ['mesh'], after: ['edge/public', 'mesh'], risk: 'risky' },
        { kind: 'entry', version: 'green', after: 'edge/public', risk: 'risky' },
        { kind: 'match', route: 'x-preview = true', before: 'x-preview = true, via mesh', after: 'x-preview = true', risk: 'review' },
      ];

      test('testRulesFromGateways: true', () => {
        expect(changesOf(blueGreen({}), blueGreen({ testRulesFromGateways: true }))).toEqual({
          changes: risky,
          messages: [
            'x-preview = true: now takes requests through gateway edge/public (was: from the mesh (sidecars))',
            'version green now reachable through gateway edge/public',
            'rule default-preview: matches x-preview = true instead of x-preview = true, via mesh',
          ],
        });
      });

      test('mesh: false (synth asks for testRulesFromGateways then; hand-written YAML may not)', () => {
        const gatewayOnly = Exposure.ingress({ gateway: 'edge/public', hosts: ['m.example.com'], mesh: false, unroutedMeshCallers: true });
        expect(changesOf(blueGreen({}), blueGreen({ testRulesFromGateways: true }, gatewayOnly)).changes).toEqual([
          { kind: 'gateway-removed', before: 'mesh', risk: 'review' },
          { ...risky[0], after: ['edge/public'] },
          ...risky.slice(1),
        ]);
      });
    });
  });
});
