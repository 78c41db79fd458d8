import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { DestinationRule, VirtualService } from './imports/networking.istio.io';
import { AuthorizationPolicy, PeerAuthentication } from './imports/security.istio.io';
import { LlmService, ModelService } from './lib';
import { buildApp } from './main';
import { send, shares, trafficOf } from './test/traffic';

const DIST = join(__dirname, 'dist');

function objectsOf(kind: string, name: string) {
  const app = buildApp();
  const all = app.charts.flatMap((chart) => chart.toJson());
  const found = all.filter((o) => o.kind === kind && o.metadata.name === name);
  expect(found).toHaveLength(1);
  return found[0];
}

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

describe('imports', () => {
  test('the classes we use emit the GA Istio APIs', () => {
    // A re-import must not silently switch to v1alpha3 or v1beta1.
    expect(DestinationRule.GVK).toEqual({ apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule' });
    expect(VirtualService.GVK).toEqual({ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService' });
    expect(PeerAuthentication.GVK).toEqual({ apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication' });
    expect(AuthorizationPolicy.GVK).toEqual({ apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy' });
  });
});

const SHARED_CRDS = join(__dirname, '..', 'shared', 'istio', '1.30.3', 'crd-all.gen.yaml');
const sharedTest = existsSync(SHARED_CRDS) ? test : test.skip;

describe('imports/ provenance', () => {
  sharedTest('the schemas come from the pinned Istio 1.30.3 CRDs (skipped when ../shared is absent)', () => {
    const schemas = JSON.parse(readFileSync(join(__dirname, 'imports', 'istio-crd-schemas.json'), 'utf8'));
    expect(schemas.istioVersion).toBe('1.30.3');
    expect(schemas.sha256).toBe(createHash('sha256').update(readFileSync(SHARED_CRDS)).digest('hex'));
  });
});

describe('the starting example: ml-service', () => {
  test('DestinationRule defines subsets v1 and v2 by version label, leaving mTLS to Istio\'s automatic mode', () => {
    const dr = objectsOf('DestinationRule', 'ml-service');
    expect(dr.apiVersion).toBe('networking.istio.io/v1');
    expect(dr.metadata).toEqual({
      name: 'ml-service',
      namespace: 'ml',
      annotations: { 'argocd.argoproj.io/sync-wave': '-1' },
    });
    expect(dr.spec).toEqual({
      host: 'ml-service',
      subsets: [
        { name: 'v1', labels: { version: 'v1' } },
        { name: 'v2', labels: { version: 'v2' } },
      ],
    });
  });

  test('/predict is split 90/10 between v1 and v2, and everything else goes to v1', () => {
    const vs = objectsOf('VirtualService', 'ml-service');
    expect(vs.apiVersion).toBe('networking.istio.io/v1');
    expect(vs.metadata).toEqual({ name: 'ml-service', namespace: 'ml' });
    expect(vs.spec.hosts).toEqual(['ml-service']);
    expect(vs.spec.gateways).toBeUndefined();
    const [predict, fallback, ...rest] = vs.spec.http;
    expect(rest).toEqual([]);
    expect(predict.name).toBe('predict');
    expect(predict.match).toEqual([{ uri: { prefix: '/predict' } }]);
    expect(predict.route).toEqual([
      { destination: { host: 'ml-service', subset: 'v1' }, weight: 90 },
      { destination: { host: 'ml-service', subset: 'v2' }, weight: 10 },
    ]);
    // The default route: without it, requests outside /predict would get a 404.
    expect(fallback.name).toBe('default');
    expect(fallback.match).toBeUndefined();
    expect(fallback.route).toEqual([{ destination: { host: 'ml-service', subset: 'v1' } }]);
  });
});

describe('the app', () => {
  const app = buildApp();

  test.each(app.charts.map((chart) => [chart.node.id, chart] as const))('chart %s matches its snapshot', (_id, chart) => {
    expect(chart.toJson()).toMatchSnapshot();
  });

  test('dist/ holds exactly what the app synthesizes (run `npm run synth` to update it)', () => {
    expect(existsSync(DIST)).toBe(true);
    const synthesized = Object.fromEntries(buildApp().synthesize().files);
    const committed = Object.fromEntries(listFiles(DIST).map((f) => [relative(DIST, f).split('\\').join('/'), readFileSync(f, 'utf8')]));
    expect(committed).toEqual(synthesized);
  });

  test('every service file puts its DestinationRule before its VirtualService', () => {
    for (const [file, content] of buildApp().synthesize().files) {
      if (file === 'ml.chat.yaml') continue; // the LLM service: its own test below
      const kinds = [...content.matchAll(/^kind: (\w+)$/gm)].map((m) => m[1]);
      expect(kinds[0]).toBe('DestinationRule');
      expect(kinds[kinds.length - 1]).toBe('VirtualService');
    }
  });

  test('the LLM service chat: its pools and adapter rewrite before the HTTPRoute that names them', () => {
    const content = buildApp().synthesize().files.get('ml.chat.yaml')!;
    const objects = [...content.matchAll(/^kind: (\w+)\nmetadata:\n(?:  .*\n)*?  name: (\S+)$/gm)].map((m) => `${m[1]} ${m[2]}`);
    expect(objects).toEqual(['InferencePool llama-3-1-8b', 'InferencePool llama-3-3-8b', 'InferenceModelRewrite chat-llama-3-1-8b', 'HTTPRoute chat']);
  });

  test('the LLM service chat, object by object: FailClose pickers, the 90/10 split with the larger pool last, a 10-minute streaming timeout', () => {
    const chat = ([] as any[]).concat(...buildApp().charts.map((c) => c.toJson())).filter((o) => o.metadata.name.startsWith('llama-') || o.metadata.name.startsWith('chat'));
    const pool = (name: string) => chat.find((o) => o.kind === 'InferencePool' && o.metadata.name === name).spec;
    expect(pool('llama-3-1-8b')).toEqual({
      endpointPickerRef: { failureMode: 'FailClose', kind: 'Service', name: 'llama-3-1-8b-epp', port: { number: 9002 } },
      selector: { matchLabels: { app: 'vllm', model: 'llama-3-1-8b' } },
      targetPorts: [{ number: 8000 }],
    });
    expect(pool('llama-3-3-8b').selector).toEqual({ matchLabels: { app: 'vllm', model: 'llama-3-3-8b' } });
    expect(chat.find((o) => o.kind === 'InferenceModelRewrite').spec).toEqual({
      poolRef: { group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'llama-3-1-8b' },
      rules: [{ matches: [{ model: { type: 'Exact', value: 'support' } }], targets: [{ modelRewrite: 'support-v1', weight: 90 }, { modelRewrite: 'support-v2', weight: 10 }] }],
    });
    const route = chat.find((o) => o.kind === 'HTTPRoute');
    expect(route.metadata.annotations).toEqual({ 'ml-mesh-routing/waive': 'ours.inference-one-picker-per-rule' });
    expect(route.spec.rules).toEqual([{
      backendRefs: [
        { group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'llama-3-3-8b', weight: 10 },
        { group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'llama-3-1-8b', weight: 90 },
      ],
      matches: [{ headers: [{ name: 'X-Gateway-Base-Model-Name', type: 'Exact', value: 'llama-chat' }], path: { type: 'PathPrefix', value: '/' } }],
      name: 'llama-chat',
      timeouts: { request: '10m' },
    }]);
  });
});

describe('what the example services do to real requests', () => {
  const traffic = trafficOf(buildApp());
  const fromGateway = { kind: 'gateway' as const, gateway: 'istio-ingress/public-gateway' };

  test('chat: the base model llama-chat is shared 90/10 between its pools through the inference gateway; another model, and the mesh, reach no pool', () => {
    const fromInferenceGateway = { kind: 'gateway' as const, gateway: 'istio-ingress/inference-gateway' };
    const chat = (model: string, from: Parameters<typeof send>[1]['from'] = fromInferenceGateway) =>
      send(traffic, { host: 'chat.models.example.com', path: '/v1/chat/completions', headers: { 'X-Gateway-Base-Model-Name': model }, from });
    const routed = chat('llama-chat');
    expect([routed.status, routed.destinations.map((d) => [d.pool, d.weight]), routed.timeout]).toEqual([200, [['ml/llama-3-3-8b', 10], ['ml/llama-3-1-8b', 90]], '10m']);
    expect(routed.endpointPicker).toMatchObject({ pool: 'ml/llama-3-1-8b', service: 'ml/llama-3-1-8b-epp:9002', failureMode: 'FailClose' });
    expect([chat('mistral-7b').status, chat('mistral-7b').destinations]).toEqual([404, []]);
    // No mesh binding: a sidecar naming the public host is not routed to a pool (it leaves for that name).
    expect(chat('llama-chat', { kind: 'sidecar', namespace: 'ml', serviceAccount: 'default' }).destinations.map((d) => d.pool ?? null)).toEqual([null]);
  });

  test('ml-service: 10% of /predict reaches v2; any other path goes to v1', () => {
    expect(shares(send(traffic, { host: 'ml-service', path: '/predict?batch=1' }))).toEqual({ v1: 90, v2: 10 });
    const other = send(traffic, { host: 'ml-service', path: '/metadata' });
    expect([other.status, other.rule, shares(other)]).toEqual([200, 'default', { v1: 100 }]);
  });

  test('fraud-scorer: POST /score is split 80/15/5 within 2 s, and slow or refused tries and 429s are retried', () => {
    // Its Service port: the routes answer requests that arrive on it (each port routes to itself).
    const score = send(traffic, { host: 'fraud-scorer', port: 8080, path: '/score', method: 'POST' });
    expect([shares(score), score.timeout, score.retries]).toEqual([
      { v1: 80, v2: 15, v3: 5 },
      '2s',
      { attempts: 2, perTryTimeout: '500ms', retryOn: 'connect-failure,refused-stream,gateway-error,429' },
    ]);
    // Only POST is the scoring route; other methods take the default route to v1.
    expect(shares(send(traffic, { host: 'fraud-scorer', port: 8080, path: '/score', method: 'GET' }))).toEqual({ v1: 100 });
    // Every rule, the default included, is on port 8080 (issue 22, item 7): a request on another port is not
    // taken by this table, so the canary split never leaks onto a port the service does not route.
    const rules = buildApp().synthesize().files.get('ml.fraud-scorer.yaml')!.split('kind: VirtualService')[1];
    expect([...rules.matchAll(/^ +(?:- )?port: (\d+)$/gm)].map((m) => m[1])).toEqual(['8080', '8080']);
    const elsewhere = send(traffic, { host: 'fraud-scorer', port: 9090, path: '/score', method: 'POST' });
    expect([elsewhere.virtualService, elsewhere.rule]).toEqual([null, null]);
  });

  test('recommender: beta users reach model-b; a user holding the sticky cookie stays on their version', () => {
    expect(shares(send(traffic, { host: 'recommender', path: '/recommend', headers: { 'X-User-Group': 'beta' } }))).toEqual({ 'model-b': 100 });
    const pinned = send(traffic, { host: 'recommender', path: '/recommend', cookies: { session: 'abc', 'reco-model': 'model-b' } });
    expect([pinned.rule, shares(pinned)]).toEqual(['recommend-sticky-model-b', { 'model-b': 100 }]);
    expect(shares(send(traffic, { host: 'recommender', path: '/recommend' }))).toEqual({ 'model-a': 80, 'model-b': 20 });
  });

  test('embeddings: v1 answers and 20% of the same requests are copied to the candidate', () => {
    const embed = send(traffic, { host: 'embeddings', path: '/embed' });
    expect([shares(embed), embed.mirrors]).toEqual([{ v1: 100 }, [{ host: 'embeddings.ml.svc.cluster.local', subset: 'candidate', percentage: 20 }]]);
  });

  test('sentiment: the preview header reaches green, also during a chaos test, which adds its delay on top', () => {
    expect(shares(send(traffic, { host: 'sentiment', path: '/classify', headers: { 'x-preview': 'true' } }))).toEqual({ green: 100 });
    const chaos = send(traffic, { host: 'sentiment', path: '/classify', headers: { 'x-preview': 'true', 'x-chaos-test': 'true' } });
    expect([shares(chaos), chaos.fault]).toEqual([{ green: 100 }, { delay: { fixedDelay: '2s', percentage: { value: 100 } } }]);
    expect(shares(send(traffic, { host: 'sentiment', path: '/classify' }))).toEqual({ blue: 100 });
    const chaosOnly = send(traffic, { host: 'sentiment', path: '/classify', headers: { 'x-chaos-test': 'true' } });
    expect([chaosOnly.rule, shares(chaosOnly), chaosOnly.fault]).toEqual(['classify-fault-test', { blue: 100 }, { delay: { fixedDelay: '2s', percentage: { value: 100 } } }]);
  });

  test('recommender: the sticky cookie is set per version, HttpOnly and SameSite=Lax', () => {
    const vs = objectsOf('VirtualService', 'recommender');
    const weighted = vs.spec.http.find((rule: any) => rule.name === 'recommend');
    expect(weighted.route.map((r: any) => r.headers.response.add['set-cookie'])).toEqual([
      'reco-model=model-a; Path=/; Max-Age=86400; HttpOnly; SameSite=Lax',
      'reco-model=model-b; Path=/; Max-Age=86400; HttpOnly; SameSite=Lax',
    ]);
  });

  test('image-classifier: its security objects select the stated pod labels; the policy allows the path the pods receive', () => {
    expect(objectsOf('PeerAuthentication', 'image-classifier').spec.selector).toEqual({ matchLabels: { app: 'image-classifier' } });
    const policy = objectsOf('AuthorizationPolicy', 'image-classifier').spec;
    expect([policy.selector, policy.rules[0].to]).toEqual([{ matchLabels: { app: 'image-classifier' } }, [{ operation: { paths: ['/v1/models/resnet50:predict'] } }]]);
    expect(objectsOf('DestinationRule', 'image-classifier').spec.subsets).toEqual([{ name: 'v1', labels: { app: 'image-classifier', version: 'v1' } }]);
  });

  test('image-classifier: the public host\'s /predict reaches v1 as the KServe path, and is allowed', () => {
    const predict = send(traffic, { host: 'classify.models.example.com', path: '/predict', from: fromGateway });
    expect(predict).toMatchObject({
      status: 200,
      virtualService: 'ml/image-classifier',
      destinations: [{ host: 'image-classifier.ml.svc.cluster.local', subset: 'v1', weight: 100 }],
      received: { path: '/v1/models/resnet50:predict' },
      authorization: { allowed: true, policy: 'ml/image-classifier' },
    });
  });

  test('image-classifier: a caller outside the allow list is denied; a path no rule covers gets a 404', () => {
    const stranger = send(traffic, { host: 'image-classifier.ml', path: '/predict', from: { kind: 'sidecar', namespace: 'batch', serviceAccount: 'etl' } });
    expect([stranger.status, stranger.authorization.allowed]).toEqual([403, false]);
    expect(send(traffic, { host: 'classify.models.example.com', path: '/predictions', from: fromGateway }).status).toBe(404);
  });
});

describe('the example app with the Gateway API: buildApp({ api: "gateway-api" })', () => {
  const app = buildApp({ api: 'gateway-api' });
  const result = app.synthesize();
  const objectsIn = (file: string) => app.node.findAll()
    .filter((c): c is ModelService | LlmService => (c instanceof ModelService || c instanceof LlmService) && c.outputPath === file)
    .flatMap((service) => service.renderedObjects().map((o) => o.json));
  const versionService = (name: string, selector: Record<string, string>) => ({
    apiVersion: 'v1', kind: 'Service',
    metadata: { annotations: { 'argocd.argoproj.io/sync-wave': '-1' }, name, namespace: 'ml' },
    spec: { ports: [{ port: 80, targetPort: 8080 }], selector },
  });

  test('services that use what the Gateway API cannot express keep Istio\'s API by their own api: \'istio\'; the rest are written with the Gateway API', () => {
    const kinds = Object.fromEntries([...result.files.keys()].map((file) => [file, objectsIn(file).map((o) => o.kind)]));
    expect(kinds).toEqual({
      // The LLM service is written with the Gateway API whatever the app's api.
      'ml.chat.yaml': ['InferencePool', 'InferencePool', 'InferenceModelRewrite', 'HTTPRoute'],
      'ml.demand-forecast.yaml': ['Service', 'Service', 'HTTPRoute'],
      'ml.embeddings.yaml': ['DestinationRule', 'VirtualService'],
      'ml.fraud-scorer.yaml': ['DestinationRule', 'VirtualService'],
      'ml.image-classifier.yaml': ['Service', 'PeerAuthentication', 'AuthorizationPolicy', 'HTTPRoute', 'HTTPRoute'],
      'ml.ml-service.yaml': ['DestinationRule', 'VirtualService'],
      'ml.recommender.yaml': ['DestinationRule', 'VirtualService'],
      'ml.sentiment.yaml': ['DestinationRule', 'VirtualService'],
    });
    // The Istio services' files are those of dist/, byte for byte.
    for (const file of ['ml.embeddings.yaml', 'ml.fraud-scorer.yaml', 'ml.ml-service.yaml', 'ml.recommender.yaml', 'ml.sentiment.yaml']) {
      expect(result.files.get(file)).toBe(readFileSync(join(DIST, file), 'utf8'));
    }
  });

  test('image-classifier: its Service, the mesh HTTPRoute and the ingress HTTPRoute on the public Gateway, both rewriting to the KServe path within 10 s', () => {
    const [service, , , mesh, ingress] = objectsIn('ml.image-classifier.yaml');
    expect(service).toEqual(versionService('image-classifier-v1', { app: 'image-classifier', version: 'v1' }));
    const predict = {
      backendRefs: [{ name: 'image-classifier-v1', port: 80 }],
      filters: [{ type: 'URLRewrite', urlRewrite: { path: { replaceFullPath: '/v1/models/resnet50:predict', type: 'ReplaceFullPath' } } }],
      matches: [{ path: { type: 'Exact', value: '/predict' } }],
      name: 'predict',
      timeouts: { request: '10s' },
    };
    expect(mesh).toEqual({
      apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute',
      metadata: { name: 'image-classifier', namespace: 'ml' },
      spec: { parentRefs: [{ group: '', kind: 'Service', name: 'image-classifier' }], rules: [predict] },
    });
    expect(ingress).toEqual({
      apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute',
      metadata: { name: 'image-classifier-ingress', namespace: 'ml' },
      spec: {
        hostnames: ['classify.models.example.com'],
        parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'public-gateway', namespace: 'istio-ingress' }],
        rules: [predict],
      },
    });
  });

  test('demand-forecast: one Service per version and the release\'s current step as weights', () => {
    expect(objectsIn('ml.demand-forecast.yaml')).toEqual([
      versionService('demand-forecast-v1', { app: 'demand-forecast', version: 'v1' }),
      versionService('demand-forecast-v2', { app: 'demand-forecast', version: 'v2' }),
      {
        apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute',
        metadata: { name: 'demand-forecast', namespace: 'ml' },
        spec: {
          parentRefs: [{ group: '', kind: 'Service', name: 'demand-forecast' }],
          rules: [{
            backendRefs: [{ name: 'demand-forecast-v1', port: 80, weight: 90 }, { name: 'demand-forecast-v2', port: 80, weight: 10 }],
            matches: [{ path: { type: 'PathPrefix', value: '/' } }],
            name: 'default',
          }],
        },
      },
    ]);
  });

  test('synth says what it chose for demand-forecast, which declares no workload labels; nothing is experimental', () => {
    expect(result.warnings).toEqual([]);
    expect(result.notices).toEqual(['ml/demand-forecast: the per-version Services select app: demand-forecast plus each version\'s labels, since workloadLabels is not declared: pods without that label get no traffic']);
  });

  test('the default (Istio) output is the same with api: \'istio\' said out loud', () => {
    expect(buildApp({ api: 'istio' }).synthesize().files).toEqual(buildApp().synthesize().files);
  });
});
