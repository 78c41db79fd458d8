import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { EndpointPicker, Exposure, ExternalGateway, FailureMode, LlmService, Percent, Strategy } from '../lib';
import { NAMESPACES } from './fleet';

/**
 * A fleet of `size` LLM services over NAMESPACES charts, each as main.ts's
 * chat: two pools (a 90/10 base-model rollout, each with its picker, the
 * split acknowledged) and a 90/10 adapter canary in the larger pool.
 */
export function declareLlmFleet(scope: Construct, size: number): void {
  const charts = Array.from({ length: Math.min(NAMESPACES, size) }, (_, i) => new Chart(scope, `llm-${i}`, { namespace: `llm-${i}`, disableResourceNameHashes: true }));
  const gateway = ExternalGateway.of('istio-ingress/inference-gateway', { hosts: ['*.llm.example.com'] });
  const picker = (name: string) => EndpointPicker.service(name, { port: 9002, failureMode: FailureMode.FAIL_CLOSE });
  for (let i = 0; i < size; i++) {
    const name = `llm-${i}`;
    new LlmService(charts[i % charts.length], name, {
      exposure: Exposure.ingress({ gateway, hosts: [`${name}.llm.example.com`], mesh: false, unroutedMeshCallers: true }),
      pools: {
        [`${name}-a`]: { selector: { app: name, pool: 'a' }, targetPorts: [8000], endpointPicker: picker(`${name}-a-epp`) },
        [`${name}-b`]: { selector: { app: name, pool: 'b' }, targetPorts: [8000], endpointPicker: picker(`${name}-b-epp`) },
      },
      routes: [{ name: 'chat', baseModel: name, strategy: Strategy.canary({ [`${name}-a`]: Percent.of(90), [`${name}-b`]: Percent.of(10) }), acceptLastPoolPicker: true }],
      adapterRollouts: [{ pool: `${name}-a`, model: `${name}-support`, adapters: ['v1', 'v2'], strategy: Strategy.canary({ v1: Percent.of(90), v2: Percent.of(10) }) }],
    });
  }
}
