// simulation-differences.yaml: the documented differences between our simulator and
// Istio's generated Envoy routes. A disagreement is accepted only when an entry covers it:
//
//   differences:
//     - set: "samples/bookinfo/*"   # glob ('*' only) on the set name
//       field: status               # the field that differs (see simulation-compare.mjs)
//       host: "*"                   # optional globs on the request
//       path: "*"
//       from: "gateway *"           # "sidecar <namespace>" or "gateway <ns/name>"
//       reason: why this is a modelling difference, not a bug   # required
//
// Pure (parsed data in): simulation.mjs reads the file.

const FIELDS = ['status', 'virtualService', 'rule', 'destinations', 'mirrors', 'received.path', 'received.host', 'timeout', 'retries', 'error'];

/** A glob with '*' only, anchored. */
const globToRegExp = (glob) => new RegExp(`^${String(glob).split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 's');

/** The entries of a parsed differences file, checked; throws Error naming the entry. */
export function parseDifferences(data, where) {
  const list = data?.differences ?? [];
  if (!Array.isArray(list)) throw new Error(`${where}: "differences" must be a list`);
  return list.map((entry, i) => {
    const at = `${where} entry #${i + 1}`;
    if (!entry || typeof entry.set !== 'string' || !entry.set.trim()) throw new Error(`${at}: "set" is required`);
    if (!FIELDS.includes(entry.field)) throw new Error(`${at}: "field" must be one of ${FIELDS.join(', ')}, received ${JSON.stringify(entry.field)}`);
    if (typeof entry.reason !== 'string' || !entry.reason.trim()) throw new Error(`${at}: "reason" is required`);
    const optional = (key) => (entry[key] === undefined ? null : globToRegExp(entry[key]));
    return {
      entry,
      set: globToRegExp(entry.set),
      host: optional('host'),
      path: optional('path'),
      from: optional('from'),
      used: 0,
    };
  });
}

/** "sidecar <namespace>" or "gateway <ns/name>": what `from` globs match. */
export const describeSource = (from) => (from.kind === 'gateway' ? `gateway ${from.gateway}` : `sidecar ${from.namespace}`);

/** The entry that documents this difference (and counts its use), or undefined. */
export function findDifference(entries, setName, request, field) {
  const found = entries.find(
    (d) =>
      d.entry.field === field &&
      d.set.test(setName) &&
      // Host names are case-insensitive.
      (!d.host || d.host.test(request.host.toLowerCase())) &&
      (!d.path || d.path.test(request.path)) &&
      (!d.from || d.from.test(describeSource(request.from))),
  );
  if (found) found.used += 1;
  return found;
}
