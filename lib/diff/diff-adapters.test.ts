import { load } from 'js-yaml';
import { diffRevisions, revisionOf } from './diff-views';

const pool = (name: string) => `apiVersion: inference.networking.k8s.io/v1
kind: InferencePool
metadata: {name: ${name}, namespace: ml}
spec: {selector: {matchLabels: {pool: ${name}}}, targetPorts: [{number: 8000}], endpointPickerRef: {kind: Service, name: ${name}-epp, port: {number: 9002}, failureMode: FailClose}}`;
const route = (a100: number, h100: number) => `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: chat, namespace: ml}
spec:
  parentRefs: [{name: inference, namespace: gw}]
  rules:
  - matches: [{headers: [{name: X-Gateway-Base-Model-Name, value: llama}]}]
    backendRefs:
    - {group: inference.networking.k8s.io, kind: InferencePool, name: h100, weight: ${h100}}
    - {group: inference.networking.k8s.io, kind: InferencePool, name: a100, weight: ${a100}}`;
const rewrite = (v1: number, v2: number) => `apiVersion: llm-d.ai/v1alpha2
kind: InferenceModelRewrite
metadata: {name: chat-a100, namespace: ml}
spec:
  poolRef: {group: inference.networking.k8s.io, kind: InferencePool, name: a100}
  rules: [{matches: [{model: {value: support}}], targets: [{modelRewrite: support-v1, weight: ${v1}}, {modelRewrite: support-v2, weight: ${v2}}]}]`;
const revision = (...docs: string[]) => revisionOf(docs.map((d) => load(d)));

describe('diff: InferencePools and adapter shares', () => {
  test('a base-model rollout step moves shares between pools, and an adapter step moves shares inside one', () => {
    const before = revision(pool('a100'), pool('h100'), route(90, 10), rewrite(90, 10));
    const after = revision(pool('a100'), pool('h100'), route(75, 25), rewrite(50, 50));
    const diff = diffRevisions(before, after);
    expect(diff.services.map((s) => s.changes.map((c) => c.message))).toEqual([[
      '/ with X-Gateway-Base-Model-Name = llama: pool a100 90% → 75%',
      '/ with X-Gateway-Base-Model-Name = llama: pool h100 10% → 25%',
      'adapters of support in pool a100: support-v1 90% → 50%',
      'adapters of support in pool a100: support-v2 10% → 50%',
    ]]);
    expect(diff.objects).toEqual([]);
  });
});
