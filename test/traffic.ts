import { App } from 'cdk8s';
import { buildTrafficModel, Explanation, explainRequest, TrafficModel, TrafficRequest } from '../lib/traffic';

/** The traffic model of everything an app synthesizes. */
export function trafficOf(app: App): TrafficModel {
  return buildTrafficModel(app.charts.flatMap((chart) => chart.toJson()));
}

/** From a sidecar in `ml` unless `from` says otherwise. */
export function send(model: TrafficModel, request: Partial<TrafficRequest> & { host: string; path: string }): Explanation {
  return explainRequest(model, { from: { kind: 'sidecar', namespace: 'ml', serviceAccount: 'default' }, method: 'POST', ...request });
}

/** `{ v1: 90, v2: 10 }`: each subset's share of the request's traffic. */
export function shares(explanation: Explanation): Record<string, number> {
  return Object.fromEntries(explanation.destinations.map((d) => [d.subset ?? d.host, d.weight]));
}
