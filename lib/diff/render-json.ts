import { Change, TrafficDiff } from './change';

/** `{ services: [{ service, changes: [{ kind, route?, version?, before?, after?, risk }] }], objects: [{ object, changes }], summary }`. */
export function renderJson(diff: TrafficDiff): string {
  const services = diff.services.map((s) => ({ service: s.service, changes: s.changes.map(fields) }));
  const objects = diff.objects.map((o) => ({ object: o.object, changes: o.changes.map(fields) }));
  return `${JSON.stringify({ services, objects, summary: diff.summary }, null, 2)}\n`;
}

function fields({ kind, route, version, before, after, risk }: Change) {
  return { kind, route, version, before, after, risk };
}
