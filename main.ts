// The app: this repository's ML services and how their traffic is routed.
// `npm run synth` writes dist/; `npm test` checks it. See README.md.
import { Chart, Duration } from 'cdk8s';
import {
  Caller, ConnectionPool, EndpointPicker, Exposure, ExternalGateway, FailureMode, FaultInjection, HashKey, LlmService, LoadBalancing,
  ModelService, OutlierDetection, Percent, RequestMatch, RetryOn, RetryPolicy, RoutingApp, RoutingAppProps, runApp, Strategy, StringMatch, UriRewrite,
} from './lib';

export function buildApp(props: RoutingAppProps = {}): RoutingApp {
  // Where the progressive releases stand: data that `npm run release` edits, never this file.
  // istiod runs with ENABLE_GATEWAY_API_INFERENCE_EXTENSION=true: the LLM service below needs it.
  const app = new RoutingApp({ releasesFile: 'releases.yaml', inferenceExtension: true, ...props });
  const ml = new Chart(app, 'ml', { namespace: 'ml', disableResourceNameHashes: true });
  // The cluster's ingress Gateway belongs to the platform team; we declare what it serves, and synth checks our hosts against it.
  const publicGateway = ExternalGateway.of('istio-ingress/public-gateway', { hosts: ['classify.models.example.com'] });
  // `buildApp({ api: 'gateway-api' })` writes HTTPRoutes instead of VirtualServices. Services that
  // use what the Gateway API cannot express on Istio (character prefixes, fault injection, retry
  // conditions) keep `api: 'istio'`: synth names each such option otherwise.

  // The starting example: 10% of /predict to the new model; everything else to v1.
  new ModelService(ml, 'ml-service', {
    api: 'istio',
    versions: { v1: {}, v2: {} },
    routes: [{
      name: 'predict',
      match: RequestMatch.uriPrefix('/predict'),
      strategy: Strategy.canary({ v1: Percent.of(90), v2: Percent.of(10) }),
    }],
  });

  // A three-way canary with resilience: bounded latency, circuit breaking, and retries of
  // slow or failed tries (scoring is idempotent), which is what makes the per-try timeout useful.
  new ModelService(ml, 'fraud-scorer', {
    api: 'istio',
    port: 8080,
    versions: { v1: {}, v2: {}, v3: {} },
    timeout: Duration.seconds(2),
    retries: RetryPolicy.of({
      attempts: 2,
      perTryTimeout: Duration.millis(500),
      on: [RetryOn.CONNECT_FAILURE, RetryOn.REFUSED_STREAM, RetryOn.GATEWAY_ERROR],
      statusCodes: [429],
    }),
    warmup: Duration.seconds(60),
    outlierDetection: OutlierDetection.of({ consecutive5xxErrors: 3 }),
    connectionPool: ConnectionPool.of({ maxRequests: 200, maxPendingRequests: 50 }),
    routes: [{
      name: 'score',
      match: [RequestMatch.uriPrefix('/score').and(RequestMatch.method('POST'))],
      strategy: Strategy.canary({ v1: Percent.of(80), v2: Percent.of(15), v3: Percent.of(5) }),
    }],
  });

  // An A/B test: beta users get model-b; everyone else is split 80/20 and stays on what they got.
  new ModelService(ml, 'recommender', {
    api: 'istio',
    versions: { 'model-a': {}, 'model-b': {} },
    routes: [{
      name: 'recommend',
      match: RequestMatch.uriPrefix('/recommend'),
      strategy: Strategy.abTest({
        variants: [{ name: 'beta', when: RequestMatch.header('x-user-group', StringMatch.exact('beta')), version: 'model-b' }],
        otherwise: Strategy.stickyCanary({
          split: { 'model-a': Percent.of(80), 'model-b': Percent.of(20) },
          cookie: 'reco-model',
        }),
      }),
    }],
  });

  // Shadow: v1 answers; 20% of the same requests are mirrored to the candidate.
  // Consistent hashing keeps a tenant on one pod (its embedding cache).
  new ModelService(ml, 'embeddings', {
    api: 'istio',
    versions: { v1: {}, candidate: { labels: { version: 'v2-rc1' } } },
    loadBalancing: LoadBalancing.consistentHash(HashKey.header('x-tenant-id')),
    routes: [{
      name: 'embed',
      match: RequestMatch.uriPrefix('/embed'),
      strategy: Strategy.shadow({ serve: Strategy.to('v1'), mirror: { candidate: Percent.of(20) } }),
    }],
  });

  // Blue-green: all traffic to blue; green answers only requests with `x-preview: true`.
  // Switching is changing 'blue' to 'green' on the next line.
  // Chaos tests add `x-chaos-test: true` to get a 2 s delay; real users never do.
  const sentimentRelease = Strategy.blueGreen({ active: 'blue' });
  new ModelService(ml, 'sentiment', {
    api: 'istio',
    versions: { blue: {}, green: {} },
    traffic: sentimentRelease,
    routes: [{
      name: 'classify',
      match: RequestMatch.uriExact('/classify'),
      strategy: sentimentRelease,
      fault: FaultInjection.delay(Duration.seconds(2)),
    }],
  });

  // Exposed to the internet through the ingress gateway, on KServe's v1 protocol;
  // only the gateway and the web frontend may call it, over mutual TLS only. The security
  // objects select the pods by the labels they really carry.
  new ModelService(ml, 'image-classifier', {
    versions: { v1: {} },
    // The pod port the Service forwards to: the Gateway API's per-version Services forward there too.
    targetPort: 8080,
    workloadLabels: { app: 'image-classifier' },
    exposure: Exposure.ingress({ gateway: publicGateway, hosts: ['classify.models.example.com'] }),
    strictMtls: true,
    allowedCallers: [
      Caller.serviceAccount('istio-ingress', 'istio-ingressgateway'),
      Caller.namespace('web'),
    ],
    defaultRoute: false,
    routes: [{
      name: 'predict',
      match: RequestMatch.uriExact('/predict'),
      strategy: Strategy.to('v1'),
      timeout: Duration.seconds(10),
      rewrite: UriRewrite.kserveV1('resnet50'),
    }],
  });

  // A progressive release: v2 takes 10%, 25%, 50%, then 100% of the traffic, one step per
  // commit (`npm run release -- promote ml/demand-forecast`), each automatic step gated on v2's
  // success rate and p99 latency. The current step is data, in releases.yaml.
  new ModelService(ml, 'demand-forecast', {
    versions: { v1: {}, v2: {} },
    targetPort: 8080,
    traffic: Strategy.progressive({
      from: 'v1',
      to: 'v2',
      steps: [Percent.of(10), Percent.of(25), Percent.of(50), Percent.of(100)],
      analysis: {
        minRequests: 100,
        successRate: Percent.of(99),
        p99Latency: Duration.millis(500),
        interval: Duration.minutes(5),
      },
    }),
  });

  // An LLM behind the Gateway API Inference Extension, at the inference Gateway only (istiod runs with
  // ENABLE_GATEWAY_API_INFERENCE_EXTENSION=true). Each version is an InferencePool: vLLM pods and the
  // endpoint picker that chooses one by queue depth and KV cache. Both pools serve the base model
  // `llama-chat`; Llama 3.3 takes 10% of its requests. Istio 1.30 asks one picker per rule (the
  // last backend's: the largest share's), so the 10% on 3.3 is balanced round robin while the canary
  // runs: accepted here, `npm run explain` shows it. In the 3.1 pool, LoRA adapter support-v2 takes
  // 10% of `support` (3.3's servers load the same adapters: its share gets 3.1's rewrite).
  const inferenceGateway = ExternalGateway.of('istio-ingress/inference-gateway', { hosts: ['chat.models.example.com'] });
  const llamaPicker = (name: string) => EndpointPicker.service(name, { port: 9002, failureMode: FailureMode.FAIL_CLOSE });
  new LlmService(ml, 'chat', {
    exposure: Exposure.ingress({ gateway: inferenceGateway, hosts: ['chat.models.example.com'], mesh: false, unroutedMeshCallers: true }),
    pools: {
      'llama-3-1-8b': { selector: { app: 'vllm', model: 'llama-3-1-8b' }, targetPorts: [8000], endpointPicker: llamaPicker('llama-3-1-8b-epp') },
      'llama-3-3-8b': { selector: { app: 'vllm', model: 'llama-3-3-8b' }, targetPorts: [8000], endpointPicker: llamaPicker('llama-3-3-8b-epp') },
    },
    routes: [{
      name: 'llama-chat',
      baseModel: 'llama-chat',
      strategy: Strategy.canary({ 'llama-3-1-8b': Percent.of(90), 'llama-3-3-8b': Percent.of(10) }),
      acceptLastPoolPicker: true,
    }],
    adapterRollouts: [{
      pool: 'llama-3-1-8b',
      model: 'support',
      adapters: ['support-v1', 'support-v2'],
      strategy: Strategy.canary({ 'support-v1': Percent.of(90), 'support-v2': Percent.of(10) }),
    }],
  });

  return app;
}

/**
 * `npm run synth` and `cdk8s synth` run this (scripts/synth.mjs); tests call
 * buildApp() instead. It does not run itself when loaded: the release CLI's
 * bundle holds this file too.
 */
export function main(argv: readonly string[] = process.argv): void {
  runApp(buildApp, argv);
}
