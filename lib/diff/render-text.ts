import { TrafficDiff } from './change';
import { shifts } from './summary';

/** The summary paragraph, then per service one line per change with its risk, then the weight moves; then the other objects. */
export function renderText(diff: TrafficDiff): string {
  const out = [diff.summary];
  for (const service of diff.services) {
    out.push('', `${service.service}`);
    for (const change of service.changes) out.push(`  ${change.risk.padEnd(6)}  ${change.message}`);
    for (const shift of shifts(service)) out.push(`  ${'moves'.padEnd(6)}  ${shift}`);
  }
  for (const object of diff.objects) {
    out.push('', object.object);
    for (const change of object.changes) out.push(`  ${change.risk.padEnd(6)}  ${change.message}`);
  }
  return `${out.join('\n')}\n`;
}
