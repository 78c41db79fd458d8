import { Chart, Duration } from 'cdk8s';
import { EndpointPicker, Exposure, ExternalGateway, FailureMode, LlmService, LlmServiceProps, Percent, RoutingApp, Strategy } from '..';

const GATEWAY = { gateway: ExternalGateway.of('istio-ingress/inference-gateway', { hosts: ['chat.example.com'] }), hosts: ['chat.example.com'], mesh: false, unroutedMeshCallers: true };
const picker = (name: string) => EndpointPicker.service(name, { port: 9002, failureMode: FailureMode.FAIL_CLOSE });

function props(overrides: Partial<LlmServiceProps> = {}): LlmServiceProps {
  return {
    exposure: Exposure.ingress(GATEWAY),
    pools: {
      a100: { selector: { app: 'vllm', hw: 'a100' }, targetPorts: [8000], endpointPicker: picker('a100-epp') },
      h100: { selector: { app: 'vllm', hw: 'h100' }, targetPorts: [8000], endpointPicker: picker('h100-epp') },
    },
    routes: [{ name: 'llama', baseModel: 'llama', strategy: Strategy.canary({ a100: Percent.of(90), h100: Percent.of(10) }) }],
    ...overrides,
  };
}

function synth(p: LlmServiceProps): { objects: Array<Record<string, any>>; warnings: readonly string[]; files: string[] } {
  const app = new RoutingApp({ outdir: '/nonexistent', inferenceExtension: true });
  new LlmService(new Chart(app, 'test', { namespace: 'ml' }), 'chat', p);
  const result = app.synthesize();
  return { objects: (app.node.findChild('test') as Chart).toJson(), warnings: result.warnings, files: [...result.files.keys()] };
}

function problems(p: LlmServiceProps): string[] {
  try {
    synth(p);
  } catch (err) {
    return (err as { problems?: string[] }).problems ?? [(err as Error).message];
  }
  return [];
}

describe('LlmService', () => {
  test('pools with their pickers, then the HTTPRoute splitting the base model by weight, in one file', () => {
    // GIVEN / WHEN
    const { objects, files } = synth(props());
    // THEN
    expect(files).toEqual(['ml.chat.yaml']);
    expect(objects.map((o) => `${o.apiVersion} ${o.kind} ${o.metadata.namespace}/${o.metadata.name}`)).toEqual([
      'inference.networking.k8s.io/v1 InferencePool ml/a100',
      'inference.networking.k8s.io/v1 InferencePool ml/h100',
      'gateway.networking.k8s.io/v1 HTTPRoute ml/chat',
    ]);
    expect(objects[0].spec).toEqual({
      selector: { matchLabels: { app: 'vllm', hw: 'a100' } },
      targetPorts: [{ number: 8000 }],
      endpointPickerRef: { kind: 'Service', name: 'a100-epp', port: { number: 9002 }, failureMode: 'FailClose' },
    });
    expect(objects[2].spec).toEqual({
      parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'inference-gateway', namespace: 'istio-ingress' }],
      hostnames: ['chat.example.com'],
      rules: [{
        name: 'llama',
        matches: [{ path: { type: 'PathPrefix', value: '/' }, headers: [{ type: 'Exact', name: 'X-Gateway-Base-Model-Name', value: 'llama' }] }],
        // The largest share last: Istio asks the last backend's picker for the whole rule.
        backendRefs: [
          { group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'h100', weight: 10 },
          { group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'a100', weight: 90 },
        ],
        timeouts: { request: '10m' },
      }],
    });
  });

  test('a rule whose weights span two pickers is warned about: Istio asks the last pool\'s picker for every request', () => {
    expect(synth(props()).warnings).toEqual([
      'test/chat: route "llama": Istio asks one endpoint picker per rule, the last backend\'s: every request asks ml/a100-epp (pool a100); the 10% sent to pool h100 get a pod that pool\'s cluster lacks, so Envoy picks theirs round robin, not by load; give each pool a rule of its own (a route per base model), or set acceptLastPoolPicker: true',
    ]);
    const withAdapters = (pool: string) => props({ adapterRollouts: [{ pool, model: 'support', adapters: ['s1', 's2'], strategy: Strategy.canary({ s1: Percent.of(90), s2: Percent.of(10) }) }] });
    expect(synth(withAdapters('h100')).warnings[0]).toContain('not by load; the adapter rollout of support in pool h100 is not applied (its picker is not asked); give each pool');
    expect(synth(withAdapters('a100')).warnings[0]).toContain('not by load; the 10% sent to pool h100 get support rewritten to pool a100\'s adapters (s1, s2), which their servers must load; give each pool');
    const accepted = props({ routes: [{ name: 'llama', baseModel: 'llama', strategy: Strategy.canary({ a100: Percent.of(90), h100: Percent.of(10) }), acceptLastPoolPicker: true }] });
    expect(synth(accepted).warnings).toEqual([]);
  });

  test('a route per base model gives each pool its own picker: no warning, one pool per rule', () => {
    const { objects, warnings } = synth(props({
      routes: [
        { name: 'llama-31', baseModel: 'llama-3.1', pathPrefix: '/v1/chat/completions', strategy: Strategy.to('a100') },
        { name: 'llama-33', baseModel: 'llama-3.3', strategy: Strategy.to('h100') },
      ],
      timeout: Duration.minutes(90),
    }));
    expect(warnings).toEqual([]);
    expect(objects[2].spec.rules.map((r: any) => [r.matches[0].path.value, r.backendRefs, r.timeouts])).toEqual([
      ['/v1/chat/completions', [{ group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'a100' }], { request: '1h30m' }],
      ['/', [{ group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'h100' }], { request: '1h30m' }],
    ]);
  });

  test('an adapter rollout is an llm-d InferenceModelRewrite on its pool', () => {
    const { objects } = synth(props({
      adapterRollouts: [{ pool: 'a100', model: 'support', adapters: ['support-v1', 'support-v2'], strategy: Strategy.canary({ 'support-v1': Percent.of(90), 'support-v2': Percent.of(10) }) }],
    }));
    const rewrite = objects.find((o) => o.kind === 'InferenceModelRewrite')!;
    expect(rewrite).toEqual({
      apiVersion: 'llm-d.ai/v1alpha2',
      kind: 'InferenceModelRewrite',
      metadata: { name: 'chat-a100', namespace: 'ml' },
      spec: {
        poolRef: { group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'a100' },
        rules: [{ matches: [{ model: { type: 'Exact', value: 'support' } }], targets: [{ modelRewrite: 'support-v1', weight: 90 }, { modelRewrite: 'support-v2', weight: 10 }] }],
      },
    });
  });

  test('a pool in another namespace is named with it, and a ReferenceGrant there opens it to this route only', () => {
    const p = props();
    const { objects } = synth({ ...p, pools: { ...p.pools, h100: { ...p.pools.h100, namespace: 'inference' } } });
    expect(objects.filter((o) => o.kind === 'ReferenceGrant')).toEqual([{
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'ReferenceGrant',
      metadata: { name: 'ml-chat', namespace: 'inference', annotations: { 'argocd.argoproj.io/sync-wave': '-1' } },
      spec: {
        from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'ml' }],
        to: [{ group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'h100' }],
      },
    }]);
    expect(objects.find((o) => o.kind === 'HTTPRoute')!.spec.rules[0].backendRefs[0]).toEqual({ group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'h100', namespace: 'inference', weight: 10 });
    expect(objects.find((o) => o.kind === 'InferencePool' && o.metadata.name === 'h100')!.metadata.namespace).toBe('inference');
  });

  test('a mesh-exposed pool is refused, naming the construct, the option and the value', () => {
    expect(problems(props({ exposure: Exposure.mesh() }))).toEqual([
      'test/chat: exposure must reach the pools through gateways only (Exposure.ingress({ gateway, hosts, mesh: false, unroutedMeshCallers: true })): Istio gives sidecars no ext_proc filter, so a request from the mesh would never ask the endpoint picker; received Exposure.mesh()',
    ]);
    expect(problems(props({ exposure: Exposure.ingress({ gateway: GATEWAY.gateway, hosts: ['chat.example.com'] }) }))).toEqual([
      'test/chat: exposure must reach the pools through gateways only (Exposure.ingress({ gateway, hosts, mesh: false, unroutedMeshCallers: true })): Istio gives sidecars no ext_proc filter, so a request from the mesh would never ask the endpoint picker; received Exposure.ingress with mesh: true (the default) for istio-ingress/inference-gateway',
    ]);
  });

  test('declaration mistakes name the option and the value', () => {
    expect(problems(props({ routes: [{ name: 'llama', baseModel: 'llama', strategy: Strategy.canary({ a100: Percent.of(90), b200: Percent.of(10) }) }] })))
      .toEqual(['test/chat: route "llama": strategy must name only the pools declared (a100, h100), received "b200"']);
    expect(problems(props({ routes: [{ name: 'llama', baseModel: 'llama', strategy: Strategy.shadow({ serve: Strategy.to('a100'), mirror: { h100: Percent.of(5) } }) }] })))
      .toEqual(['test/chat: route "llama": strategy must share requests by weight only (Strategy.to, Strategy.canary, Strategy.progressive), received Shadow, which adds mirrors']);
    expect(problems(props({ routes: [{ name: 'a', baseModel: 'llama', strategy: Strategy.to('a100') }, { name: 'b', baseModel: 'llama', pathPrefix: '/v1', strategy: Strategy.to('h100') }] })))
      .toEqual(['test/chat: route "b": no request reaches it, route "a" before it takes every request for llama under /v1; received baseModel "llama" with pathPrefix "/v1"']);
    const p = props();
    expect(problems({ ...p, pools: { ...p.pools, a100: { ...p.pools.a100, selector: {} } } }))
      .toEqual(['test/chat: pool "a100": selector must name at least one label (an empty selector takes every pod of the namespace), received {}']);
    expect(problems({ ...p, pools: { ...p.pools, a100: { ...p.pools.a100, targetPorts: [8000, 8000] } } }))
      .toEqual(['test/chat: pool "a100": targetPorts must be 1 to 8 distinct port numbers from 1 to 65535, received [8000, 8000]']);
    expect(problems(props({ adapterRollouts: [{ pool: 'b200', model: 'support', adapters: ['v1'], strategy: Strategy.to('v1') }] })))
      .toEqual(['test/chat: adapter rollout of "support": pool must be one of the service\'s pools (a100, h100), received "b200"']);
  });

  test('an app whose istiod lacks the Inference Extension flag refuses the service, naming the flag and the option', () => {
    const app = new RoutingApp({ outdir: '/nonexistent' });
    new LlmService(new Chart(app, 'test', { namespace: 'ml' }), 'chat', props());
    expect(() => app.synthesize()).toThrow('test/chat: istiod must run with ENABLE_GATEWAY_API_INFERENCE_EXTENSION=true for an HTTPRoute to reach an InferencePool (Istio refuses the backend otherwise): say so with new RoutingApp({ inferenceExtension: true }), received inferenceExtension: false');
  });

  test('the picker\'s failure mode has no default: anything but the two modes is refused', () => {
    expect(() => EndpointPicker.service('epp', { port: 9002, failureMode: 'FailSafe' as FailureMode }))
      .toThrow('EndpointPicker.service: failureMode must be FailureMode.FAIL_CLOSE or FailureMode.FAIL_OPEN, received "FailSafe"');
    expect(() => EndpointPicker.service('epp', { port: 0, failureMode: FailureMode.FAIL_OPEN }))
      .toThrow('EndpointPicker.service: port must be a whole number from 1 to 65535, received 0');
  });
});
