import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Chart, Duration } from 'cdk8s';
import { EndpointPicker, Exposure, ExternalGateway, FailureMode, LlmService, Percent, RoutingApp, RoutingAppProps, Strategy } from '..';
import { runReleaseCli } from '../release/cli/release-cli';

const picker = (name: string) => EndpointPicker.service(name, { port: 9002, failureMode: FailureMode.FAIL_CLOSE });

/** A base-model rollout from pool llama-31 to llama-33, one step per commit. */
function llmApp(props: RoutingAppProps): RoutingApp {
  const app = new RoutingApp({ releasesFile: 'releases.yaml', inferenceExtension: true, ...props });
  new LlmService(new Chart(app, 'ml', { namespace: 'ml' }), 'chat', {
    exposure: Exposure.ingress({ gateway: ExternalGateway.of('istio-ingress/inference-gateway', { hosts: ['chat.example.com'] }), hosts: ['chat.example.com'], mesh: false, unroutedMeshCallers: true }),
    pools: {
      'llama-31': { selector: { model: 'llama-31' }, targetPorts: [8000], endpointPicker: picker('llama-31-epp') },
      'llama-33': { selector: { model: 'llama-33' }, targetPorts: [8000], endpointPicker: picker('llama-33-epp') },
    },
    routes: [{
      name: 'llama',
      baseModel: 'llama',
      strategy: Strategy.progressive({
        from: 'llama-31', to: 'llama-33', steps: [Percent.of(10), Percent.of(50), Percent.of(100)],
        analysis: { minRequests: 100, successRate: Percent.of(99), p99Latency: Duration.seconds(30), interval: Duration.minutes(5) },
      }),
      acceptLastPoolPicker: true,
    }],
  });
  return app;
}

let work: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'llm-release-'));
  writeFileSync(join(work, 'releases.yaml'), 'ml/chat:\n  from: llama-31\n  to: llama-33\n  state: progressing\n  step: 1\n  weights: { llama-31: 90, llama-33: 10 }\n');
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

async function release(...args: string[]): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  const code = await runReleaseCli([...args, '--releases', join(work, 'releases.yaml'), '--outdir', join(work, 'dist')], { stdout: (t) => (stdout += t), stderr: (t) => (stdout += t) }, llmApp);
  return { code, stdout };
}

const backends = () => readFileSync(join(work, 'dist/ml.chat.yaml'), 'utf8').split('backendRefs:\n')[1].split('matches:')[0];

describe('npm run release steps a base-model rollout through the pool weights', () => {
  test('status, then promote: the HTTPRoute\'s pool weights move one step, largest share last', async () => {
    expect(await release('status')).toEqual({ code: 0, stdout: 'ml/chat: llama-31 → llama-33, step 1 of 3 (10, 50, 100): llama-31 90%, llama-33 10%\n' });
    expect(await release('promote', 'ml/chat')).toEqual({ code: 0, stdout: 'ml/chat: llama-33 10% → 50%, llama-31 90% → 50% (step 2 of 3)\n' });
    expect(backends()).toBe([
      '        - group: inference.networking.k8s.io', '          kind: InferencePool', '          name: llama-31', '          weight: 50',
      '        - group: inference.networking.k8s.io', '          kind: InferencePool', '          name: llama-33', '          weight: 50', '      ',
    ].join('\n'));
    expect(await release('promote', 'ml/chat')).toEqual({ code: 0, stdout: 'ml/chat: llama-33 50% → 100%, llama-31 50% → 0% (step 3 of 3)\n' });
    // All on the new pool: one backend, no weight, and its own picker.
    expect(backends()).toBe('        - group: inference.networking.k8s.io\n          kind: InferencePool\n          name: llama-33\n      ');
  });
});
