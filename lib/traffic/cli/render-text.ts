import { Explanation } from '../explanation';

/** The explanation as a short table a person reads in a terminal. */
export function renderExplanation(request: string, explanation: Explanation): string {
  const lines: Array<[string, string]> = [
    ['request', request],
    ['status', String(explanation.status)],
    ['summary', explanation.summary],
    ['virtual service', explanation.virtualService === null ? 'none' : `${explanation.virtualService}, rule ${JSON.stringify(explanation.rule)}`],
  ];
  const origin = explanation.httpRoute;
  if (origin) {
    const rule = `rule ${origin.rule}${origin.ruleName !== undefined ? ` ${JSON.stringify(origin.ruleName)}` : ''}, match ${origin.match}`;
    lines.push(['http route', `${origin.ref}, ${rule}${origin.source !== undefined ? `, in ${origin.source}` : ''}`]);
  }
  if (explanation.redirect) lines.push(['redirect to', explanation.redirect.location]);
  const destinations = explanation.destinations.map((d) => `${d.weight}% ${target(d)}`);
  lines.push(['destinations', destinations.length ? destinations.join('\n') : 'none']);
  if (explanation.endpointPicker) lines.push(['endpoint picker', explanation.endpointPicker.note]);
  const mirrors = explanation.mirrors.map((m) => `${m.percentage}% copied to ${target(m)}`);
  lines.push(['mirrors', mirrors.length ? mirrors.join('\n') : 'none']);
  if (explanation.received) lines.push(['received as', `${explanation.received.host} ${explanation.received.path}`]);
  lines.push(['timeout', explanation.timeout ?? 'none']);
  const r = explanation.retries;
  lines.push(['retries', r === null ? 'none' : r.attempts === 0 ? 'disabled' : `${r.attempts} on ${r.retryOn ?? 'Istio\'s default conditions'}${r.perTryTimeout ? `, ${r.perTryTimeout} per try` : ''}`]);
  if (explanation.fault) lines.push(['fault', JSON.stringify(explanation.fault)]);
  lines.push(['authorization', `${explanation.authorization.allowed ? 'allowed' : 'denied'}: ${explanation.authorization.reason}`]);
  const width = Math.max(...lines.map(([label]) => label.length)) + 2;
  return lines
    .map(([label, value]) => value.split('\n').map((line, i) => `${(i === 0 ? label : '').padEnd(width)}${line}`).join('\n'))
    .join('\n');
}

function target(d: { host: string; subset: string | null; port?: number; pool?: string }): string {
  if (d.pool) return `InferencePool ${d.pool} (${d.host}:${d.port})`;
  if (d.host === '') return 'an unresolved backendRef (no cluster)';
  return `${d.host}${d.port !== undefined ? `:${d.port}` : ''}${d.subset ? ` subset ${d.subset}` : ''}`;
}
