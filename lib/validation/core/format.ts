import type { Diagnostic } from '../types';

/** '<field path>: <message> (received <value>)' plus ' [IST0101]' when Istio has a code; callers prefix the location. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.path === '' ? '' : `${d.path}: `;
  const received = d.received === undefined ? '' : ` (received ${formatValue(d.received)})`;
  const code = d.code ? ` [${d.code}]` : '';
  return `${where}${d.message}${received}${code}`;
}

const MAX_VALUE_LENGTH = 120;

function formatValue(value: unknown): string {
  const json = JSON.stringify(value) ?? String(value);
  return json.length > MAX_VALUE_LENGTH ? `${json.slice(0, MAX_VALUE_LENGTH - 3)}...` : json;
}
