import { load } from 'js-yaml';
import { validateObjects } from '../validate-objects';

const objects = (...docs: string[]) => docs.map((d) => load(d));
const pool = (name: string, picker = `{kind: Service, name: ${name}-epp, port: {number: 9002}, failureMode: FailClose}`) => `apiVersion: inference.networking.k8s.io/v1
kind: InferencePool
metadata: {name: ${name}, namespace: ml}
spec: {selector: {matchLabels: {pool: ${name}}}, targetPorts: [{number: 8000}], endpointPickerRef: ${picker}}`;
const service = (name: string, port: number) => `apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: ml}
spec: {ports: [{name: grpc, port: ${port}}]}`;
const route = (parent: string, backends: string, extra = '') => `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: chat, namespace: ml${extra}}
spec:
  parentRefs: [${parent}]
  rules:
  - backendRefs:
${backends}`;
const A = '    - {group: inference.networking.k8s.io, kind: InferencePool, name: a100, weight: 90}';
const H = '    - {group: inference.networking.k8s.io, kind: InferencePool, name: h100, weight: 10}';
const GATEWAY = '{name: inference, namespace: gw}';

/** `rule: message` of every finding of these inference rules. */
const findings = (docs: unknown[]) => validateObjects(docs, { inferenceExtension: true })
  .filter((d) => /inference/.test(d.rule))
  .map((d) => `${d.object.kind} ${d.path} ${d.rule}: ${d.message}`);

describe('analysis of InferencePools and the routes to them', () => {
  test('the endpoint picker\'s Service: looked up when Services are given; it must exist in the pool\'s namespace, with the pool\'s port', () => {
    expect(findings(objects(pool('a100')))).toEqual([]);
    expect(findings(objects(pool('a100'), service('other', 80)))).toEqual([
      'InferencePool spec.endpointPickerRef inference.extension-ref-not-found: InvalidExtensionRef: Referenced ExtensionRef not found a100-epp (the endpoint picker\'s Service must be in the pool\'s namespace, ml)',
    ]);
    expect(findings(objects(pool('a100'), service('a100-epp', 9003)))).toEqual([
      'InferencePool spec.endpointPickerRef inference.picker-port: endpointPickerRef.port must be a port of Service ml/a100-epp (9003): Istio sends ext_proc to that port\'s cluster, which does not exist, so every request gets an error (FailClose); received 9002',
    ]);
    expect(findings(objects(pool('a100'), service('a100-epp', 9002)))).toEqual([]);
  });

  test('a picker that is not a Service is Istio\'s InvalidExtensionRef', () => {
    expect(findings(objects(pool('a100', '{kind: Deployment, name: epp, port: {number: 9002}}')))).toEqual([
      'InferencePool spec.endpointPickerRef inference.invalid-extension-ref: InvalidExtensionRef: Unsupported ExtensionRef kind Deployment',
    ]);
  });

  test('one rule across two pools: one picker, the last backend\'s; a mesh parent asks none; waivable on the route', () => {
    expect(findings(objects(pool('a100'), pool('h100'), route(GATEWAY, `${H}\n${A}`)))).toEqual([
      'HTTPRoute spec.rules[0].backendRefs ours.inference-one-picker-per-rule: Istio keeps one endpoint picker per rule: every request of this rule goes to the endpoint picker of the last backend (ml/a100-epp:9002), the share of InferencePool h100 included, whose pods Envoy then picks round robin',
    ]);
    expect(findings(objects(pool('a100'), route('{group: "", kind: Service, name: chat}', A)))).toEqual([
      'HTTPRoute spec.parentRefs[0] ours.inference-mesh-parent: a Service parent (the mesh) reaches InferencePool backends without their endpoint picker: Istio adds the ext_proc filter on gateways only, so sidecars pick the pool\'s pods by their own load balancing',
    ]);
    const waived = route(GATEWAY, `${H}\n${A}`, ', annotations: {ml-mesh-routing/waive: ours.inference-one-picker-per-rule}');
    expect(findings(objects(pool('a100'), pool('h100'), waived))).toEqual([]);
  });

  test('without the istiod flag, the backend is refused, naming ENABLE_GATEWAY_API_INFERENCE_EXTENSION', () => {
    const messages = validateObjects(objects(pool('a100'), route(GATEWAY, A))).map((d) => d.message);
    expect(messages).toContain('InvalidKind: InferencePool is not enabled. To enable, set ENABLE_GATEWAY_API_INFERENCE_EXTENSION to true in istiod');
  });

  test('llm-d\'s InferenceModelRewrite is checked against its CRD schema (llm-d-router v0.10.0)', () => {
    const rewrite = load(`apiVersion: llm-d.ai/v1alpha2
kind: InferenceModelRewrite
metadata: {name: bad, namespace: ml}
spec:
  poolRef: {group: inference.networking.k8s.io, kind: InferencePool, name: a100}
  rules: [{matches: [{model: {value: support}}], targets: [{modelRewrite: support-v1, weight: 0}]}]`);
    expect(validateObjects([rewrite]).map((d) => `${d.path}: ${d.message}`)).toEqual(['spec.rules[0].targets[0].weight: must be greater than or equal to 1']);
  });
});
