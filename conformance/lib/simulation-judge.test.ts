// The comparison of the traffic simulation: compareAnswers (one request), the documented
// differences, and judgeSets (the verdict), fed with a deliberately wrong Envoy answer.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { buildTrafficModel, explainRequest } from '../../lib/traffic';
import { compareAnswers } from './simulation-compare.mjs';
import { parseDifferences } from './simulation-differences.mjs';
import { judgeSets } from './simulation-judge.mjs';

const TESTDATA = join(__dirname, '..', 'testdata', 'simulation');
const fromMl = { kind: 'sidecar', namespace: 'ml', serviceAccount: 'default' };
const request = { host: 'ml-service', from: fromMl, path: '/predict' };

const routed = (destinations: object[], extra: object = {}) => ({
  status: 200, virtualService: 'ml/ml-service', rule: 'predict', destinations, mirrors: [], rewrite: null, envoy: {}, ...extra,
});
const v1 = (weight: number) => ({ host: 'ml-service.ml.svc.cluster.local', subset: 'v1', weight });
const v2 = (weight: number) => ({ host: 'ml-service.ml.svc.cluster.local', subset: 'v2', weight });

describe('compareAnswers', () => {
  test('the same routing agrees, whatever the order of the destinations', () => {
    expect(compareAnswers(request, routed([v1(90), v2(10)]), routed([v2(10), v1(90)]))).toEqual([]);
  });

  test('weights agree within 0.01 percent', () => {
    expect(compareAnswers(request, routed([v1(66.666667), v2(33.333333)]), routed([v1(66.67), v2(33.33)]))).toEqual([]);
    expect(compareAnswers(request, routed([v1(66.666667), v2(33.333333)]), routed([v1(66.7), v2(33.3)]))).toEqual([
      {
        field: 'destinations',
        envoy: [{ host: 'ml-service.ml.svc.cluster.local', subset: 'v1', share: 66.666667 }, { host: 'ml-service.ml.svc.cluster.local', subset: 'v2', share: 33.333333 }],
        ours: [{ host: 'ml-service.ml.svc.cluster.local', subset: 'v1', share: 66.7 }, { host: 'ml-service.ml.svc.cluster.local', subset: 'v2', share: 33.3 }],
      },
    ]);
  });

  test('a 403 from authorization is routed as far as routing goes', () => {
    const denied = routed([v1(100)], { status: 403, authorization: { allowed: false, policy: 'ml/deny', reason: '' } });
    expect(compareAnswers(request, routed([v1(100)]), denied)).toEqual([]);
  });

  test("a 503 from a connection the workload's mTLS refuses is routed as far as routing goes; a 503 for a missing cluster is not", () => {
    const refused = routed([v1(100)], { status: 503, authorization: { allowed: false, policy: null, reason: 'the connection fails: ...' } });
    expect(compareAnswers(request, routed([v1(100)]), refused)).toEqual([]);
    const noCluster = routed([v1(100)], { status: 503, authorization: { allowed: true, policy: null, reason: 'not judged: no cluster' } });
    expect(compareAnswers(request, routed([v1(100)]), noCluster)).toEqual([{ field: 'status', envoy: 200, ours: 503 }]);
  });

  test('both 404: Envoy names no VirtualService, ours may; not a difference', () => {
    const envoy404 = { status: 404, virtualService: null, rule: null, destinations: [], mirrors: [], rewrite: null, envoy: {} };
    expect(compareAnswers(request, envoy404, { ...envoy404, virtualService: 'ml/ml-service' })).toEqual([]);
  });

  test('routed against 404: status, VirtualService, rule and destinations differ', () => {
    const ours404 = { status: 404, virtualService: 'ml/ml-service', rule: null, destinations: [], mirrors: [] };
    expect(compareAnswers(request, routed([v1(100)]), ours404).map((d) => d.field)).toEqual(['status', 'rule', 'destinations']);
  });

  test('what the destination receives: path after the rewrite, host without port in lower case', () => {
    const envoy = routed([v1(100)], { rewrite: { uri: '/v1/models/m:predict?x=1' } });
    const ours = routed([v1(100)], { received: { path: '/v1/models/m:predict?x=1', host: 'ML-SERVICE' } });
    expect(compareAnswers({ ...request, path: '/predict?x=1' }, envoy, ours)).toEqual([]);
    const notRewritten = routed([v1(100)], { received: { path: '/predict?x=1', host: 'ml-service' } });
    expect(compareAnswers({ ...request, path: '/predict?x=1' }, envoy, notRewritten)).toEqual([
      { field: 'received.path', envoy: '/v1/models/m:predict?x=1', ours: '/predict?x=1' },
    ]);
    const authority = routed([v1(100)], { rewrite: { authority: 'api.example.com' } });
    expect(compareAnswers(request, authority, routed([v1(100)], { received: { path: '/predict', host: 'ml-service' } }))).toEqual([
      { field: 'received.host', envoy: 'api.example.com', ours: 'ml-service' },
    ]);
  });

  test('mirrors: host, subset and percentage', () => {
    const mirror = (percentage: number) => ({ host: 'ml-service.ml.svc.cluster.local', subset: 'v2', percentage });
    expect(compareAnswers(request, routed([v1(100)], { mirrors: [mirror(10)] }), routed([v1(100)], { mirrors: [mirror(10)] }))).toEqual([]);
    expect(compareAnswers(request, routed([v1(100)], { mirrors: [mirror(10)] }), routed([v1(100)], { mirrors: [] }))).toEqual([
      { field: 'mirrors', envoy: [{ host: 'ml-service.ml.svc.cluster.local', subset: 'v2', share: 10 }], ours: [] },
    ]);
  });
});

describe('parseDifferences', () => {
  test('an entry needs set, a known field and a reason', () => {
    expect(() => parseDifferences({ differences: [{ set: 'dist', field: 'weight', reason: 'x' }] }, 'f.yaml')).toThrow(
      'f.yaml entry #1: "field" must be one of status, virtualService, rule, destinations, mirrors, received.path, received.host, timeout, retries, error, received "weight"',
    );
    expect(() => parseDifferences({ differences: [{ set: 'dist', field: 'status' }] }, 'f.yaml')).toThrow('f.yaml entry #1: "reason" is required');
  });
});

describe('judgeSets, with a deliberately wrong Envoy answer', () => {
  const file = join(TESTDATA, 'canary.yaml');
  const objects = parseAllDocuments(readFileSync(file, 'utf8')).map((d) => d.toJS());
  const requests = [
    { host: 'ml-service', from: fromMl, path: '/other' },
    { host: 'ml-service', from: fromMl, path: '/predict' },
    { host: 'ml-service.ml.svc.cluster.local', from: { ...fromMl, namespace: 'web' }, method: 'POST', path: '/predict/x' },
  ];
  const sets = [{ name: 'canary', group: 'corpus', files: [file], objects, requests }];
  const wrong = JSON.parse(readFileSync(join(TESTDATA, 'canary-envoy-wrong.json'), 'utf8'));
  const envoy = new Map(wrong.sets.map((s: { name: string }) => [s.name, s]));
  const ours = { buildTrafficModel, explainRequest };

  test('the wrong answer is a disagreement, naming the request and the field', () => {
    const outcome = judgeSets(sets, envoy, ours, []);
    expect(outcome.judged).toBe(3);
    expect(outcome.disagreements).toHaveLength(1);
    expect(outcome.disagreements[0]).toMatchObject({
      group: 'corpus',
      set: 'canary',
      request: requests[1],
      diffs: [
        {
          field: 'destinations',
          envoy: [{ host: 'ml-service.ml.svc.cluster.local', subset: 'v1', share: 80 }, { host: 'ml-service.ml.svc.cluster.local', subset: 'v2', share: 20 }],
          ours: [{ host: 'ml-service.ml.svc.cluster.local', subset: 'v1', share: 90 }, { host: 'ml-service.ml.svc.cluster.local', subset: 'v2', share: 10 }],
        },
      ],
    });
  });

  test('documented, it is counted as such and no longer a disagreement', () => {
    const differences = parseDifferences(
      { differences: [{ set: 'can*', field: 'destinations', path: '/predict', from: 'sidecar ml', reason: 'test' }, { set: 'dist', field: 'status', reason: 'unused' }] },
      'test',
    );
    const outcome = judgeSets(sets, envoy, ours, differences);
    expect(outcome.disagreements).toEqual([]);
    expect(outcome.documented).toEqual([{ set: 'canary', request: requests[1], field: 'destinations', reason: 'test' }]);
    expect(differences.map((d: { used: number }) => d.used)).toEqual([1, 0]);
  });

  test('a set Istio cannot load is skipped with its reason', () => {
    const outcome = judgeSets(sets, new Map([['canary', { error: 'configuration is invalid: x' }]]), ours, []);
    expect(outcome.skipped).toEqual([{ name: 'canary', reason: "Istio's config generation cannot load it: configuration is invalid: x" }]);
    expect(outcome.judged).toBe(0);
  });
});
