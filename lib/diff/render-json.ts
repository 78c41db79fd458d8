import { TrafficDiff } from './change';

/** The shape: `{ services: [{ service, changes: [{ kind, route?, version?, before?, after?, risk }] }], summary }`. */
export function renderJson(diff: TrafficDiff): string {
  const services = diff.services.map((s) => ({
    service: s.service,
    changes: s.changes.map(({ kind, route, version, before, after, risk }) => ({ kind, route, version, before, after, risk })),
  }));
  return `${JSON.stringify({ services, summary: diff.summary }, null, 2)}\n`;
}
