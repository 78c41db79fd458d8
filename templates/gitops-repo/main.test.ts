// What the routing does, as requests see it: the traffic model reads the
// objects main.ts synthesizes and answers where each request goes.
import { Explanation, TrafficRequest, buildTrafficModel, explainRequest } from 'ml-mesh-routing/traffic';
import { buildApp } from './main';

const app = buildApp();
const model = buildTrafficModel(app.charts.flatMap((chart) => chart.toJson()));

/** A request from a pod in namespace ml. */
function send(request: Omit<TrafficRequest, 'from'>): Explanation {
  return explainRequest(model, { from: { kind: 'sidecar', namespace: 'ml', serviceAccount: 'default' }, ...request });
}

/** `{ v1: 90, v2: 10 }`: each version's share of the request's traffic. */
function shares(explanation: Explanation): Record<string, number> {
  return Object.fromEntries(explanation.destinations.map((d) => [d.subset ?? d.host, d.weight]));
}

describe('my-model', () => {
  test('/predict: 90% to v1, 10% to v2', () => {
    const explanation = send({ host: 'my-model', method: 'POST', path: '/predict' });
    expect(explanation.status).toBe(200);
    expect(shares(explanation)).toEqual({ v1: 90, v2: 10 });
  });

  test('every other path goes to v1 only', () => {
    const explanation = send({ host: 'my-model', method: 'GET', path: '/healthz' });
    expect(explanation.status).toBe(200);
    expect(shares(explanation)).toEqual({ v1: 100 });
  });

  test('the app synthesizes with no warnings', () => {
    expect(buildApp().synthesize().warnings).toEqual([]);
  });
});
