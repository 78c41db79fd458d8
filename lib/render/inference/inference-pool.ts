import { LlmPool } from '../../llm/resolve-llm-service';

/** `inference.networking.k8s.io/v1` InferencePool spec: the pods, their ports, and the picker with its failure mode written out. */
export function renderInferencePool(pool: LlmPool): Record<string, unknown> {
  return {
    selector: { matchLabels: { ...pool.selector } },
    targetPorts: pool.targetPorts.map((number) => ({ number })),
    endpointPickerRef: {
      kind: 'Service',
      name: pool.picker.service,
      port: { number: pool.picker.port },
      failureMode: pool.picker.failureMode,
    },
  };
}
