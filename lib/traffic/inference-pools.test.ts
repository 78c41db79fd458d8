import { load } from 'js-yaml';
import { runExplainCli } from '../../bin/explain';
import { explainRequest } from './explain';
import { shadowServiceName } from './inference-pools';
import { TrafficRequest } from './request';
import { buildTrafficModel } from './traffic-model';

const objects = (yaml: string) => yaml.split('\n---\n').map((doc) => load(doc));
const GATEWAY = { kind: 'gateway' as const, gateway: 'gw/inference' };
const ask = (yaml: string, request: Partial<TrafficRequest> = {}) =>
  explainRequest(buildTrafficModel(objects(yaml)), { host: 'chat.example.com', path: '/v1/completions', method: 'POST', from: GATEWAY, headers: { 'X-Gateway-Base-Model-Name': 'llama' }, ...request });

const pool = (name: string, failureMode = 'FailClose') => `apiVersion: inference.networking.k8s.io/v1
kind: InferencePool
metadata: {name: ${name}, namespace: ml}
spec:
  selector: {matchLabels: {pool: ${name}}}
  targetPorts: [{number: 8000}]
  endpointPickerRef: {kind: Service, name: ${name}-epp, port: {number: 9002}, failureMode: ${failureMode}}`;

const route = (backends: string, extra = '') => `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: chat, namespace: ml}
spec:
  parentRefs: [{name: inference, namespace: gw}]
  hostnames: [chat.example.com]
  rules:
  - name: llama
    matches: [{headers: [{name: X-Gateway-Base-Model-Name, value: llama}]}]
${extra}    backendRefs:
${backends}`;

const A = '    - {group: inference.networking.k8s.io, kind: InferencePool, name: a100, weight: 90}';
const H = '    - {group: inference.networking.k8s.io, kind: InferencePool, name: h100, weight: 10}';

describe('InferencePool backends, as Istio 1.30 converts them', () => {
  test('the shadow Service name is Istio\'s: <pool>-ip-<sha256[:8]>, cut to 63 characters', () => {
    expect(shadowServiceName('llama-3-1-8b')).toBe('llama-3-1-8b-ip-761cdf67');
    expect(shadowServiceName('p'.repeat(60))).toBe(`${'p'.repeat(51)}-ip-${shadowServiceName('p'.repeat(60)).slice(-8)}`);
    expect(shadowServiceName('p'.repeat(60))).toHaveLength(63);
  });

  test('one pool: its picker chooses the pod, and explain does not say which', () => {
    const answer = ask([pool('a100'), route('    - {group: inference.networking.k8s.io, kind: InferencePool, name: a100}')].join('\n---\n'));
    expect(answer.status).toBe(200);
    expect(answer.destinations).toEqual([{ host: `${shadowServiceName('a100')}.ml.svc.cluster.local`, subset: null, port: 54321, pool: 'ml/a100', weight: 100 }]);
    expect(answer.endpointPicker).toEqual({
      pool: 'ml/a100', service: 'ml/a100-epp:9002', failureMode: 'FailClose',
      note: 'the endpoint picker ml/a100-epp:9002 of pool ml/a100 (FailClose) chooses the pod; which pod is its choice at run time',
    });
  });

  test('a weighted split across two pools: the shares, and the last pool\'s picker asked for all of them', () => {
    const answer = ask([pool('a100'), pool('h100', 'FailOpen'), route(`${A}\n${H}`)].join('\n---\n'));
    expect(answer.destinations.map((d) => [d.pool, d.weight])).toEqual([['ml/a100', 90], ['ml/h100', 10]]);
    expect(answer.endpointPicker).toEqual({
      pool: 'ml/h100', service: 'ml/h100-epp:9002', failureMode: 'FailOpen',
      note: 'the endpoint picker ml/h100-epp:9002 of pool ml/h100 (FailOpen) chooses the pod for every share: Istio asks one picker per rule, the last pool\'s; the 90% sent to pool ml/a100 get a pod that pool\'s cluster lacks, so Envoy picks theirs round robin',
    });
  });

  test('a Service as the last backend leaves the rule without a picker (buildHTTPDestination takes the last backend\'s)', () => {
    const answer = ask([pool('a100'), route(`${A}\n    - {name: fallback, port: 8000, weight: 10}`)].join('\n---\n'));
    expect(answer.endpointPicker?.note).toBe('no endpoint picker is asked: Istio takes the rule\'s picker from its last backend, which is not an InferencePool; Envoy balances the pool\'s pods round robin');
  });

  test('a CORS filter drops the route\'s ext_proc settings, and with them the picker', () => {
    const cors = '    filters: [{type: CORS, cors: {allowOrigins: ["https://app.example.com"]}}]\n';
    const answer = ask([pool('a100'), route(A, cors)].join('\n---\n'));
    expect(answer.endpointPicker?.note).toBe('no endpoint picker is asked: the rule has a CORS filter, which makes Istio drop the route\'s ext_proc settings; Envoy balances the pool\'s pods round robin');
  });

  test('a pool that does not exist is a backend Istio keeps unresolved: 500', () => {
    const answer = ask(route(A));
    expect(answer.status).toBe(500);
    expect(answer.summary).toContain('backend(a100) not found: Istio keeps the backend without a cluster; Envoy answers 500');
  });

  test('a request for another base model matches no rule: 404', () => {
    expect(ask([pool('a100'), route(A)].join('\n---\n'), { headers: { 'X-Gateway-Base-Model-Name': 'mistral' } }).status).toBe(404);
  });

  test('a pool in another namespace needs a ReferenceGrant there; with one, it is routed', () => {
    const crossNamespace = (grant: string) => [pool('a100').replace('namespace: ml', 'namespace: shared'), route('    - {group: inference.networking.k8s.io, kind: InferencePool, name: a100, namespace: shared}'), grant].filter(Boolean).join('\n---\n');
    expect(ask(crossNamespace('')).summary).toContain('backendRef a100/shared not accessible to a HTTPRoute in namespace "ml" (missing a ReferenceGrant?)');
    const grant = `apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata: {name: ml-chat, namespace: shared}
spec:
  from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: ml}]
  to: [{group: inference.networking.k8s.io, kind: InferencePool, name: a100}]`;
    const answer = ask(crossNamespace(grant));
    expect(answer.status).toBe(200);
    expect(answer.endpointPicker?.service).toBe('shared/a100-epp:9002');
  });

  test('from the mesh (a Service parent), a sidecar reaches the pool without any picker', () => {
    const mesh = route(A).replace('parentRefs: [{name: inference, namespace: gw}]', 'parentRefs: [{group: "", kind: Service, name: chat}]').replace('  hostnames: [chat.example.com]\n', '');
    const answer = ask([pool('a100'), mesh].join('\n---\n'), { host: 'chat.ml', from: { kind: 'sidecar', namespace: 'ml', serviceAccount: 'default' } });
    expect([answer.status, answer.destinations.map((d) => d.pool)]).toEqual([200, ['ml/a100']]);
    expect(answer.endpointPicker).toEqual({ pool: null, service: null, failureMode: null, note: 'a sidecar has no ext_proc filter (Istio adds it on gateways only): no endpoint picker is asked, and Envoy picks the pool\'s pods by the cluster\'s own load balancing' });
  });

  test('npm run explain on dist/: chat\'s base model reaches the declared pool shares, with the picker caveat', () => {
    let stdout = '';
    const code = runExplainCli(['dist', '--host', 'chat.models.example.com', '--gateway', 'istio-ingress/inference-gateway', '--method', 'POST', '--path', '/v1/chat/completions', '--header', 'X-Gateway-Base-Model-Name=llama-chat'], { stdout: (t) => (stdout += t), stderr: () => undefined });
    expect(code).toBe(0);
    expect(stdout.split('\n').slice(0, 9)).toEqual([
      'request          POST chat.models.example.com/v1/chat/completions from gateway istio-ingress/inference-gateway',
      'status           200',
      'summary          rule 0 ("llama-chat") of HTTPRoute ml/chat (dist/ml.chat.yaml), match 0 sends it to 10% InferencePool ml/llama-3-3-8b, 90% InferencePool ml/llama-3-1-8b; the endpoint picker ml/llama-3-1-8b-epp:9002 of pool ml/llama-3-1-8b (FailClose) chooses the pod for every share: Istio asks one picker per rule, the last pool\'s; the 10% sent to pool ml/llama-3-3-8b get a pod that pool\'s cluster lacks, so Envoy picks theirs round robin; it rewrites the body\'s model for every share: model support → support-v1 90%, support-v2 10% (InferenceModelRewrite ml/chat-llama-3-1-8b); no ALLOW policy applies to the workload',
      'virtual service  ml/istio-ingress~inference-gateway~chat.models.example.com, rule "llama-chat"',
      'http route       ml/chat, rule 0 "llama-chat", match 0, in dist/ml.chat.yaml',
      'destinations     10% InferencePool ml/llama-3-3-8b (llama-3-3-8b-ip-e50b71cc.ml.svc.cluster.local:54321)',
      '                 90% InferencePool ml/llama-3-1-8b (llama-3-1-8b-ip-761cdf67.ml.svc.cluster.local:54321)',
      'endpoint picker  the endpoint picker ml/llama-3-1-8b-epp:9002 of pool ml/llama-3-1-8b (FailClose) chooses the pod for every share: Istio asks one picker per rule, the last pool\'s; the 10% sent to pool ml/llama-3-3-8b get a pod that pool\'s cluster lacks, so Envoy picks theirs round robin; it rewrites the body\'s model for every share: model support → support-v1 90%, support-v2 10% (InferenceModelRewrite ml/chat-llama-3-1-8b)',
      'mirrors          none',
    ]);
  });
});
