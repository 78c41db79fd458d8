import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { buildTrafficModel, explainRequest, TrafficRequest } from '.';
import { runExplainCli } from '../../bin/explain';

const objects = (yaml: string) => yaml.split('\n---\n').map((doc) => load(doc));
const sidecar = (namespace: string) => ({ kind: 'sidecar' as const, namespace, serviceAccount: 'default' });
const ask = (yaml: string, request: Partial<TrafficRequest>) =>
  explainRequest(buildTrafficModel(objects(yaml)), { host: 'reviews', path: '/', from: sidecar('shop'), ...request });

const REVIEWS = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews, namespace: shop}
spec:
  hosts: [reviews]
  http:
  - name: jason
    match:
    - headers: {end-user: {exact: jason}}
      uri: {prefix: /api}
    - queryParams: {v: {regex: "[0-9]+"}}
    route: [{destination: {host: reviews, subset: v2}}]
  - name: not-bots
    match:
    - uri: {exact: /PAGE}
      ignoreUriCase: true
      withoutHeaders: {user-agent: {prefix: bot}}
    route: [{destination: {host: reviews, subset: v3}}]
  - match: [{uri: {regex: "/items/[0-9]+"}}]
    route:
    - {destination: {host: reviews, subset: v1}, weight: 3}
    - {destination: {host: reviews, subset: v2}, weight: 1}
    - {destination: {host: reviews, subset: v3}, weight: 0}`;

describe('the traffic model', () => {
  test('first matching rule wins; blocks are ORed, conditions ANDed; header names are case-insensitive', () => {
    expect(ask(REVIEWS, { path: '/api/x', headers: { 'End-User': 'jason' } }).rule).toBe('jason');
    expect(ask(REVIEWS, { path: '/other?v=12' }).rule).toBe('jason');
    expect(ask(REVIEWS, { path: '/other?v=12a' }).status).toBe(404);
    expect(ask(REVIEWS, { path: '/api/x' }).status).toBe(404);
  });

  test('ignoreUriCase, withoutHeaders, and regex full match on the path without its query', () => {
    expect(ask(REVIEWS, { path: '/page' }).rule).toBe('not-bots');
    expect(ask(REVIEWS, { path: '/page', headers: { 'user-agent': 'botty' } }).status).toBe(404);
    const items = ask(REVIEWS, { path: '/items/42?full=1' });
    expect([items.rule, items.destinations]).toEqual([2, [
      { host: 'reviews.shop.svc.cluster.local', subset: 'v1', weight: 75 },
      { host: 'reviews.shop.svc.cluster.local', subset: 'v2', weight: 25 },
    ]]);
    expect(ask(REVIEWS, { path: '/items/42/more' }).status).toBe(404);
  });

  test('short names resolve in the caller\'s namespace; another namespace needs name.namespace', () => {
    // No service reviews.web is known: the sidecar passes the request through as it is.
    expect(ask(REVIEWS, { host: 'reviews', from: sidecar('web'), path: '/page' })).toMatchObject({ virtualService: null, destinations: [{ host: 'reviews', subset: null, weight: 100 }] });
    expect(ask(REVIEWS, { host: 'reviews.shop', from: sidecar('web'), path: '/page' }).virtualService).toBe('shop/reviews');
    expect(ask(REVIEWS, { host: 'reviews.shop.svc.cluster.local', from: sidecar('web'), path: '/page' }).virtualService).toBe('shop/reviews');
  });

  test('exportTo hides a VirtualService from other namespaces; exact hosts beat wildcards; a wildcard applies to no known host', () => {
    const yaml = `${REVIEWS.replace('spec:\n  hosts: [reviews]', 'spec:\n  exportTo: ["."]\n  hosts: [reviews]')}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: wild, namespace: shop}
spec:
  hosts: ["*.example.com"]
  http: [{route: [{destination: {host: wild}}]}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: exact, namespace: shop}
spec:
  hosts: [a.example.com]
  http: [{route: [{destination: {host: exact}}]}]`;
    expect(ask(yaml, { host: 'reviews.shop', from: sidecar('web'), path: '/page' }).virtualService).toBeNull();
    expect(ask(yaml, { host: 'a.example.com' }).virtualService).toBe('shop/exact');
    // a.example.com is the only service under *.example.com: the wildcard has no route of its own.
    expect(ask(yaml, { host: 'b.example.com' })).toMatchObject({ virtualService: null, destinations: [{ host: 'b.example.com' }] });
    expect(ask(yaml.replace('hosts: [a.example.com]', 'hosts: [a.example.org]'), { host: 'b.example.com' }).virtualService).toBe('shop/wild');
  });

  test('gateway binding: a mesh-only VirtualService does not route gateway traffic; match.gateways narrows a rule', () => {
    const yaml = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: m, namespace: ml}
spec:
  hosts: [m, m.example.com]
  gateways: [mesh, edge/public]
  http:
  - name: preview
    match: [{headers: {x-preview: {exact: "true"}}, gateways: [mesh]}]
    route: [{destination: {host: m, subset: green}}]
  - route: [{destination: {host: m, subset: blue}}]`;
    const gateway = { kind: 'gateway' as const, gateway: 'edge/public' };
    expect(ask(yaml, { host: 'm.example.com', from: gateway, headers: { 'x-preview': 'true' } }).destinations[0].subset).toBe('blue');
    expect(ask(yaml, { host: 'm', from: sidecar('ml'), headers: { 'x-preview': 'true' } }).destinations[0].subset).toBe('green');
    expect(ask(yaml, { host: 'm.example.com', from: { kind: 'gateway', gateway: 'edge/other' } }).status).toBe(404);
  });

  test('authorization judges the request the workload receives; DENY before ALLOW; no mTLS, no identity', () => {
    const yaml = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: m, namespace: ml}
spec:
  hosts: [m]
  http: [{match: [{uri: {prefix: /predict}}], rewrite: {uri: /v2/infer}, route: [{destination: {host: m, subset: v1}}]}]
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: m, namespace: ml}
spec: {host: m, subsets: [{name: v1, labels: {app: m, version: v1}}]}
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: allow, namespace: ml}
spec:
  selector: {matchLabels: {app: m}}
  rules: [{from: [{source: {namespaces: [web]}}], to: [{operation: {paths: ["/v2/*"], methods: [POST]}}]}]
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: deny, namespace: ml}
spec:
  action: DENY
  rules: [{when: [{key: "request.headers[x-block]", values: ["yes"]}]}]`;
    const from = sidecar('web');
    expect(ask(yaml, { host: 'm.ml', from, method: 'POST', path: '/predict/x' })).toMatchObject({ status: 200, received: { path: '/v2/infer/x' }, authorization: { allowed: true, policy: 'ml/allow' } });
    expect(ask(yaml, { host: 'm.ml', from, method: 'GET', path: '/predict' }).authorization).toMatchObject({ allowed: false, policy: 'ml/allow' });
    expect(ask(yaml, { host: 'm.ml', from, method: 'POST', path: '/predict', headers: { 'x-block': 'yes' } })).toMatchObject({ status: 403, authorization: { policy: 'ml/deny' } });
    const plain = yaml.replace('spec: {host: m, subsets', 'spec: {host: m, trafficPolicy: {tls: {mode: DISABLE}}, subsets');
    expect(ask(plain, { host: 'm.ml', from, method: 'POST', path: '/predict' }).status).toBe(403);
    const strict = `${plain}\n---\napiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: {name: default, namespace: ml}\nspec: {mtls: {mode: STRICT}}`;
    expect(ask(strict, { host: 'm.ml', from, method: 'POST', path: '/predict' }).status).toBe(503);
  });

  test('mirrors, fault aborts, redirects and delegates', () => {
    const yaml = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: root, namespace: ml}
spec:
  hosts: [m]
  http:
  - {name: moved, match: [{uri: {exact: /old}}], redirect: {uri: /new}}
  - {name: broken, match: [{uri: {exact: /broken}}], fault: {abort: {httpStatus: 503, percentage: {value: 100}}}, route: [{destination: {host: m}}]}
  - {name: unset, match: [{uri: {exact: /unset}}], fault: {abort: {httpStatus: 503}}, route: [{destination: {host: m}}]}
  - {match: [{uri: {prefix: /team}}], delegate: {name: team}}
  - name: shadow
    mirror: {host: m, subset: canary}
    mirrorPercentage: {value: 12.5}
    route: [{destination: {host: m, subset: v1}}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: team, namespace: ml}
spec:
  http: [{name: team-v2, match: [{uri: {prefix: /team/v2}}], route: [{destination: {host: m, subset: v2}}]}]`;
    const from = sidecar('ml');
    expect(ask(yaml, { host: 'm', from, path: '/old' }).status).toBe(301);
    expect(ask(yaml, { host: 'm', from, path: '/broken' }).status).toBe(503);
    // Istio writes no percentage for an abort without one, and Envoy's unset percentage aborts nothing.
    expect(ask(yaml, { host: 'm', from, path: '/unset' })).toMatchObject({ status: 200, rule: 'unset', timeout: null });
    expect(ask(yaml, { host: 'm', from, path: '/team/v2/x' })).toMatchObject({ virtualService: 'ml/team', rule: 'team-v2' });
    expect(ask(yaml, { host: 'm', from, path: '/team/v1' }).rule).toBe('shadow');
    expect(ask(yaml, { host: 'm', from, path: '/x' }).mirrors).toEqual([{ host: 'm.ml.svc.cluster.local', subset: 'canary', percentage: 12.5 }]);
  });
});

describe('npm run explain', () => {
  const run = (...args: string[]) => {
    let stdout = '';
    let stderr = '';
    const code = runExplainCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
    return { code, stdout, stderr };
  };

  test('explains a request through dist/ as JSON, exit 0', () => {
    const { code, stdout } = run('dist', '--host', 'ml-service', '--path', '/predict', '--json');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({
      status: 200, virtualService: 'ml/ml-service', rule: 'predict', mirrors: [], rewrite: null,
      destinations: [{ host: 'ml-service.ml.svc.cluster.local', subset: 'v1', weight: 90 }, { host: 'ml-service.ml.svc.cluster.local', subset: 'v2', weight: 10 }],
      authorization: { allowed: true, policy: null },
    });
  });

  test('text by default, naming where the request came from', () => {
    const { code, stdout } = run('dist', '--host', 'classify.models.example.com', '--gateway', 'istio-ingress/public-gateway', '--method', 'POST', '--path', '/predict');
    expect(code).toBe(0);
    expect(stdout.split('\n').slice(0, 2)).toEqual([
      'request          POST classify.models.example.com/predict from gateway istio-ingress/public-gateway',
      'status           200',
    ]);
  });

  test('bad input exits 2 with a message that names it', () => {
    expect(run('dist', '--host', 'm', '--path', 'predict')).toEqual({ code: 2, stdout: '', stderr: 'error: --path must start with "/", received "predict"\n' });
    expect(run('nowhere', '--host', 'm', '--path', '/')).toEqual({ code: 2, stdout: '', stderr: 'error: nowhere: no such file or directory\n' });
    expect(run('dist', '--host', 'm', '--path', '/', '--from', 'web')).toEqual({ code: 2, stdout: '', stderr: 'error: --from must be "namespace/serviceaccount", received "web"\n' });
    expect(run('dist', '--path', '/').code).toBe(2);
  });

  test('an object Istio would refuse is named, with its field, instead of being explained', () => {
    const dir = mkdtempSync(join(tmpdir(), 'explain-'));
    try {
      const file = join(dir, 'bad.yaml');
      // In every version the model reads: v1beta1 objects are routed too.
      for (const version of ['v1', 'v1beta1']) {
        writeFileSync(file, `apiVersion: networking.istio.io/${version}\nkind: VirtualService\nmetadata: {name: m, namespace: ml}\nspec:\n  hosts: m\n`);
        expect(run(file, '--host', 'm.ml', '--path', '/')).toEqual({
          code: 2,
          stdout: '',
          stderr: `error: ${file}: VirtualService ml/m: spec.hosts: must be of type array (received "m"); Istio would refuse it (run npm run validate)\n`,
        });
      }
      // kubectl reads YAML 1.1: an unquoted `on` is a boolean where a string belongs.
      writeFileSync(file, 'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: m, namespace: ml}\nspec:\n  hosts: [m]\n  http:\n  - match: [{headers: {x-debug: {exact: on}}}]\n    route: [{destination: {host: m}}]\n');
      expect(run(file, '--host', 'm.ml', '--path', '/')).toEqual({
        code: 2,
        stdout: '',
        stderr: `error: ${file}: VirtualService ml/m: spec.http[0].match[0].headers["x-debug"].exact: must be of type string (received true); Istio would refuse it (run npm run validate)\n`,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('where Istio\'s generated Envoy routes corrected the model', () => {
  const yaml = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: m, namespace: ml}
spec:
  hosts: [m]
  gateways: [mesh, edge/public]
  http:
  - name: gold
    match: [{headers: {"@request.auth.claims.tier": {exact: gold}}}]
    route: [{destination: {host: m, subset: gold}}]
  - name: batch
    match: [{uri: {regex: "/batch/[a-z]+"}, ignoreUriCase: true}]
    headers: {request: {set: {Host: batch.internal}}}
    route: [{destination: {host: m, subset: batch}}]
  - name: rest
    route: [{destination: {host: m, subset: v1}}]`;
  const from = sidecar('ml');

  test('a sidecar accepts the absolute form of a host (a gateway does not), and the workload receives it as sent', () => {
    expect(ask(yaml, { host: 'm.ml.svc.cluster.local.', from })).toMatchObject({ virtualService: 'ml/m', rule: 'rest', received: { host: 'm.ml.svc.cluster.local.' } });
    expect(ask(yaml.replace('hosts: [m]', 'hosts: [m, m.example.com]'), { host: 'm.example.com.', from: { kind: 'gateway', gateway: 'edge/public' } }).status).toBe(404);
  });

  test('a JWT claim is never a header; a regex uri ignores ignoreUriCase; setting Host rewrites the authority', () => {
    expect(ask(yaml, { host: 'm', from, headers: { '@request.auth.claims.tier': 'gold' } }).rule).toBe('rest');
    expect(ask(yaml, { host: 'm', from, path: '/BATCH/abc' }).rule).toBe('rest');
    expect(ask(yaml, { host: 'm', from, path: '/batch/abc' })).toMatchObject({ rule: 'batch', rewrite: { authority: 'batch.internal' }, received: { host: 'batch.internal' } });
  });

  test('a VirtualService none of whose rules fit the caller leaves the host on its default route', () => {
    const onlyWeb = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: s, namespace: ml}
spec:
  hosts: [s]
  http: [{match: [{sourceLabels: {app: web}}], route: [{destination: {host: s, subset: v2}}]}]`;
    expect(ask(onlyWeb, { host: 's', from })).toMatchObject({ status: 200, virtualService: null, destinations: [{ host: 's.ml.svc.cluster.local', subset: null, weight: 100 }] });
    expect(ask(onlyWeb, { host: 's', from: { ...from, labels: { app: 'web' } } })).toMatchObject({ virtualService: 'ml/s', destinations: [{ subset: 'v2' }] });
  });
});
