import { buildTrafficModel } from '../traffic';
import { buildServiceViews, ServiceView } from '../traffic-view';
import { Change, ServiceDiff, TrafficDiff } from './change';
import { diffAdapters } from './diff-adapters';
import { diffCopies } from './diff-copies';
import { diffEntries } from './diff-entries';
import { diffExport } from './diff-export';
import { diffExposure, exposedOn } from './diff-exposure';
import { diffObjects } from './diff-objects';
import { diffRoutes } from './diff-routes';
import { diffSecurity } from './diff-security';
import { diffVersions } from './diff-versions';
import { Inventory, inventoryOf } from './inventory';
import { summarize } from './summary';

/** What the diff compares of one revision of dist/: its services, and the objects around them. */
export interface Revision {
  readonly services: readonly ServiceView[];
  readonly inventory: Inventory;
}

/** A revision from its parsed YAML documents. */
export function revisionOf(objects: readonly unknown[]): Revision {
  return { services: buildServiceViews(buildTrafficModel(objects)), inventory: inventoryOf(objects) };
}

/** The semantic difference between two revisions; services and objects without changes are left out. */
export function diffRevisions(before: Revision, after: Revision): TrafficDiff {
  const was = new Map(before.services.map((v) => [v.service, v]));
  const now = new Map(after.services.map((v) => [v.service, v]));
  const names = [...new Set([...was.keys(), ...now.keys()])].sort();
  const services: ServiceDiff[] = [];
  for (const service of names) {
    const changes = diffService(was.get(service), now.get(service));
    if (changes.length) services.push({ service, changes });
  }
  const objects = diffObjects(before.inventory, after.inventory);
  return { summary: summarize(services, objects), services, objects };
}

export function diffService(before: ServiceView | undefined, after: ServiceView | undefined): Change[] {
  if (!before && !after) return [];
  if (!before) return addedService(after!);
  if (!after) {
    return [{ kind: 'service-removed', risk: 'review', message: `service removed: its requests are no longer routed by a VirtualService (was: ${before.routes.length} route${before.routes.length === 1 ? '' : 's'})` }];
  }
  return [
    ...diffExposure(before, after),
    ...diffEntries(before, after),
    ...diffVersions(before, after),
    ...diffRoutes(before.routes, after.routes),
    ...diffAdapters(before, after),
    ...diffCopies(before, after),
    ...diffExport(before, after),
    ...diffSecurity(before, after),
  ];
}

/** A new service is one change; exposing it on a gateway is another, risky one. */
function addedService(view: ServiceView): Change[] {
  const gateways = view.gateways.filter((g) => g !== 'mesh');
  return [
    {
      kind: 'service-added', after: view.versions, risk: 'review',
      message: `service added: versions ${view.versions.join(', ') || 'none'}, ${view.routes.length} route${view.routes.length === 1 ? '' : 's'}`,
    },
    ...gateways.map((g): Change => ({ kind: 'gateway-added', after: g, risk: 'risky', message: exposedOn(g) })),
    ...diffCopies({ ...view, routes: [] }, view),
  ];
}
