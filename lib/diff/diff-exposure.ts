import { ServiceView } from '../traffic-view';
import { Change } from './change';

/** Hosts and gateways added (exposure widened: risky) or removed. */
export function diffExposure(before: ServiceView, after: ServiceView): Change[] {
  return [
    ...setChanges(before.hosts, after.hosts, 'host', (h) => `now answers for host ${h}`, (h) => `no longer answers for host ${h}`),
    ...setChanges(before.gateways, after.gateways, 'gateway', exposedOn, (g) => `no longer reachable through ${g === 'mesh' ? 'the mesh (sidecars)' : `gateway ${g}`}`),
  ];
}

export function exposedOn(gateway: string): string {
  return gateway === 'mesh' ? 'now routed for the mesh (sidecars)' : `now exposed on gateway ${gateway}`;
}

function setChanges(before: readonly string[], after: readonly string[], noun: 'host' | 'gateway', added: (v: string) => string, removed: (v: string) => string): Change[] {
  const was = new Set(before);
  const now = new Set(after);
  return [
    ...after.filter((v) => !was.has(v)).map((v): Change => ({ kind: `${noun}-added`, after: v, risk: 'risky', message: added(v) })),
    ...before.filter((v) => !now.has(v)).map((v): Change => ({ kind: `${noun}-removed`, before: v, risk: 'review', message: removed(v) })),
  ];
}
