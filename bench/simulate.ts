import { RoutingApp } from '../lib';
import { collectOutputFiles } from '../lib/synth/collect';
import { buildTrafficModel, explainRequest, TrafficRequest } from '../lib/traffic';
import { declareFleet, NAMESPACES } from './fleet';

/** Requests each service of the fleet gets: its routes, its A/B header, a sticky cookie, and a miss. */
const SHAPES: ReadonlyArray<Omit<TrafficRequest, 'host' | 'from'>> = [
  { path: '/predict' },
  { path: '/predict/batch?x=1', method: 'POST' },
  { path: '/predict', headers: { 'x-user-group': 'beta' } },
  { path: '/predict', cookies: { 'model-version': 'v2' } },
  { path: '/explain' },
  { path: '/health' },
  { path: '/predict', headers: { 'x-preview': 'true' } },
  { path: '/v2/predict' },
  { path: '/predict', method: 'GET' },
  { path: '/' },
];

/**
 * `requests` requests spread over a fleet of `size` services, explained by
 * the traffic model. Only the model's work is timed: building the model
 * from the synthesized objects, then explaining every request.
 */
export function simulateFleet(size: number, requests: number): { seconds: number; buildSeconds: number; statuses: Record<number, number> } {
  const app = new RoutingApp();
  declareFleet(app, size);
  const objects = collectOutputFiles(app).flatMap((file) => file.objects.map((o) => o.json));
  const start = process.hrtime.bigint();
  const model = buildTrafficModel(objects);
  const built = process.hrtime.bigint();
  const statuses: Record<number, number> = {};
  for (let i = 0; i < requests; i++) {
    const service = i % size;
    const namespace = `team-${service % Math.min(NAMESPACES, size)}`;
    const explanation = explainRequest(model, {
      ...SHAPES[Math.floor(i / size) % SHAPES.length],
      host: `model-${service}`,
      from: { kind: 'sidecar', namespace, serviceAccount: 'default' },
    });
    statuses[explanation.status] = (statuses[explanation.status] ?? 0) + 1;
  }
  const end = process.hrtime.bigint();
  return { seconds: Number(end - start) / 1e9, buildSeconds: Number(built - start) / 1e9, statuses };
}
