// What must agree in the differential corpus. Istio's verdict is "reject" when
// istioctl (webhook rules) OR the API server (schema, CEL) rejects: each checks
// things the other does not.
import path from 'node:path';

/**
 * Sets each case's `reference` and `result` (ok, MISLABELED, ERROR, STALE,
 * stricter, DIFF) and returns the failures, one line each.
 */
export function judgeCases(cases, stricter, stricterName) {
  const failures = [];
  for (const c of cases) {
    c.reference = c.istioctl === 'reject' || c.api === 'reject' ? 'reject' : 'accept';
    const stricterEntry = stricter.get(path.normalize(c.id));
    if (stricterEntry) stricterEntry.seen = true;
    c.result = 'ok';
    if (c.reference !== c.expected) {
      c.result = 'MISLABELED';
      failures.push(`${c.id}: filed under ${c.expected === 'accept' ? 'valid' : 'invalid'}/ but Istio ${c.reference}s it ` +
        `(istioctl: ${c.istioctl}${c.istioctlMsg ? ` - ${c.istioctlMsg}` : ''}; apiserver: ${c.api}${c.apiMsg ? ` - ${c.apiMsg}` : ''})`);
      continue;
    }
    if (c.ours !== 'accept' && c.ours !== 'reject') {
      c.result = 'ERROR';
      const why = c.oursExitCode === 2 ? ': usage or input error' : '';
      failures.push(`${c.id}: our validator exited ${c.oursExitCode}${why}${c.oursMsg ? ` (${c.oursMsg})` : ''}`);
      continue;
    }
    if (c.ours === c.reference) {
      if (stricterEntry) {
        c.result = 'STALE';
        failures.push(`${c.id}: listed in ${stricterName} but our verdict now equals Istio's (${c.ours}): remove the entry`);
      }
    } else if (stricterEntry && c.ours === 'reject' && c.reference === 'accept') {
      c.result = 'stricter';
    } else {
      c.result = 'DIFF';
      failures.push(`${c.id}: ours ${c.ours}${c.oursMsg ? ` (${c.oursMsg})` : ''}, Istio ${c.reference}` +
        (c.reference === 'accept'
          ? ' (add to stricter.yaml with a reason if this is deliberate)'
          : ` (istioctl: ${c.istioctlMsg || c.istioctl}; apiserver: ${c.apiMsg || c.api})`));
    }
  }
  for (const [file, entry] of stricter) {
    if (!entry.seen) failures.push(`${stricterName}: entry ${file} matches no corpus case`);
  }
  return failures;
}
