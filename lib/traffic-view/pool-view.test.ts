import { load } from 'js-yaml';
import { serviceFlowchart } from '../diagram/service-flowchart';
import { buildTrafficModel } from '../traffic';
import { buildServiceViews } from './build-views';

const pool = (name: string) => `apiVersion: inference.networking.k8s.io/v1
kind: InferencePool
metadata: {name: ${name}, namespace: ml}
spec: {selector: {matchLabels: {pool: ${name}}}, targetPorts: [{number: 8000}], endpointPickerRef: {kind: Service, name: ${name}-epp, port: {number: 9002}, failureMode: FailClose}}`;
const ROUTE = `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: chat, namespace: ml}
spec:
  parentRefs: [{name: inference, namespace: gw}]
  hostnames: [chat.example.com]
  rules:
  - matches: [{headers: [{name: X-Gateway-Base-Model-Name, value: llama}]}]
    backendRefs:
    - {group: inference.networking.k8s.io, kind: InferencePool, name: h100, weight: 10}
    - {group: inference.networking.k8s.io, kind: InferencePool, name: a100, weight: 90}`;
const REWRITE = `apiVersion: llm-d.ai/v1alpha2
kind: InferenceModelRewrite
metadata: {name: chat-a100, namespace: ml}
spec:
  poolRef: {group: inference.networking.k8s.io, kind: InferencePool, name: a100}
  rules: [{matches: [{model: {value: support}}], targets: [{modelRewrite: support-v1, weight: 3}, {modelRewrite: support-v2, weight: 1}]}]`;

test('a service routing to pools: the versions are the pools, with their pickers and adapter shares; the rule names the one picker Istio asks', () => {
  const [view] = buildServiceViews(buildTrafficModel([pool('a100'), pool('h100'), ROUTE, REWRITE].map((d) => load(d))));
  expect(view.versions).toEqual(['pool a100', 'pool h100']);
  expect(view.routes.map((r) => [r.destinations, r.picker])).toEqual([[[{ version: 'pool a100', percent: 90 }, { version: 'pool h100', percent: 10 }], 'ml/a100-epp:9002 (for every share)']]);
  expect(view.pools).toEqual([
    { version: 'pool a100', pool: 'ml/a100', picker: 'ml/a100-epp:9002 (FailClose)', adapters: [{ model: 'support', shares: [{ version: 'support-v1', percent: 75 }, { version: 'support-v2', percent: 25 }] }] },
    { version: 'pool h100', pool: 'ml/h100', picker: 'ml/h100-epp:9002 (FailClose)', adapters: [] },
  ]);
  expect(serviceFlowchart(view)).toContain('  version0("pool a100<br/>picker ml/a100-epp:9002 (FailClose)<br/>support: support-v1 75%, support-v2 25%")\n');
});
