import { Chart } from 'cdk8s';
import { ModelService, ModelServiceProps, RoutingApp } from '../lib';

export interface SynthesizedService {
  readonly app: RoutingApp;
  readonly service: ModelService;
  /** Objects by kind. */
  readonly objects: Record<string, any>;
}

/** One ModelService named `model` in namespace `ml`, rendered to plain objects. */
export function synthService(props: ModelServiceProps, name = 'model'): SynthesizedService {
  const app = new RoutingApp({ outdir: '/nonexistent' });
  const chart = new Chart(app, 'test', { namespace: 'ml' });
  const service = new ModelService(chart, name, props);
  return {
    app,
    service,
    // Rendered on first use: rendering runs the construct validations.
    get objects() {
      const byKind: Record<string, any> = {};
      for (const object of chart.toJson()) byKind[object.kind] = object;
      return byKind;
    },
  };
}

/** The messages of a failed synth, one per problem. */
export function synthProblems(props: ModelServiceProps): string[] {
  const { app } = synthService(props);
  try {
    app.synthesize();
  } catch (err) {
    return (err as { problems?: string[] }).problems ?? [(err as Error).message];
  }
  return [];
}

export const SAFE_RETRIES = { attempts: 2, retryOn: 'connect-failure,refused-stream' };
