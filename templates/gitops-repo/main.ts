// The app: your ML services and how their traffic is routed. `npm run synth`
// writes dist/, one file per service, which Argo CD or Flux applies.
import { Chart } from 'cdk8s';
import { ModelService, Percent, RequestMatch, RoutingApp, RoutingAppProps, runApp, Strategy } from 'ml-mesh-routing';

export function buildApp(props: RoutingAppProps = {}): RoutingApp {
  // Where progressive releases stand: data that `npm run release` edits, never this file.
  const app = new RoutingApp({ releasesFile: 'releases.yaml', ...props });
  const ml = new Chart(app, 'ml', { namespace: 'ml', disableResourceNameHashes: true });

  // 10% of /predict to the new model version; everything else to v1.
  new ModelService(ml, 'my-model', {
    versions: { v1: {}, v2: {} },
    routes: [{
      name: 'predict',
      match: RequestMatch.uriPrefix('/predict'),
      strategy: Strategy.canary({ v1: Percent.of(90), v2: Percent.of(10) }),
    }],
  });

  return app;
}

// `npm run synth` (cdk8s.yaml) and `npm run release` run this file; the tests import buildApp.
if (require.main === module) void runApp(buildApp);
