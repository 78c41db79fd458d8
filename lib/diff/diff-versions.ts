import { ServiceView } from '../traffic-view';
import { Change } from './change';
import { outsideTargets } from './diff-copies';

/** Subsets declared or removed, and versions that serve requests for the first time (risky). */
export function diffVersions(before: ServiceView, after: ServiceView): Change[] {
  const changes: Change[] = [];
  // A mirror's host outside the mesh is not a version: diffCopies reports it.
  const outside = new Set([...outsideTargets(before), ...outsideTargets(after)]);
  for (const version of after.versions.filter((v) => !before.versions.includes(v) && !outside.has(v))) {
    changes.push({ kind: 'version-added', version, risk: 'info', message: `version ${version} added` });
  }
  for (const version of before.versions.filter((v) => !after.versions.includes(v) && !outside.has(v))) {
    changes.push({ kind: 'version-removed', version, risk: 'review', message: `version ${version} removed` });
  }
  const labelsBefore = new Map(before.security.map((s) => [s.version, labelText(s.labels)]));
  for (const security of after.security) {
    const was = labelsBefore.get(security.version);
    const now = labelText(security.labels);
    if (was === undefined || was === now) continue;
    // Who may reach the new pods is diffAccess's to judge; here, that the version names other pods.
    changes.push({ kind: 'labels', version: security.version, before: was, after: now, risk: 'review', message: `version ${security.version}: pods with ${now} instead of ${was}` });
  }
  const served = servingVersions(before);
  for (const [version, routes] of servingVersions(after)) {
    if (served.has(version) || outside.has(version)) continue;
    changes.push({
      kind: 'version-first-traffic', version, after: routes, risk: 'risky',
      message: `version ${version} serves requests for the first time: ${routes.join('; ')}`,
    });
  }
  return changes;
}

function labelText(labels: Readonly<Record<string, string>>): string {
  return Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${k}=${v}`).join(',') || 'any labels';
}

/** Version → the routes that send it requests (`/predict 10%`), in route order. */
function servingVersions(view: ServiceView): Map<string, string[]> {
  const serving = new Map<string, string[]>();
  for (const route of view.routes) {
    for (const share of route.destinations) serving.set(share.version, [...(serving.get(share.version) ?? []), `${route.label} ${share.percent}%`]);
  }
  return new Map([...serving].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
