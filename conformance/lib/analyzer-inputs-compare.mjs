// The pure part of the "analyzer inputs" phase: which input sets Istio's analyzer tests
// use, which messages are compared, and the allow-list of reviewed differences.
import { HarnessError } from './harness-error.mjs';

/**
 * The input sets of Istio's analyzer tests (pkg/config/analysis/analyzers/analyzers_test.go):
 * one per distinct `inputFiles` list, in the order of the test grid, with the analyzers
 * whose test cases read it. Mesh config files are not inputs (they are not objects).
 */
export function parseTestGrid(goSource) {
  const sets = new Map();
  // A test case is `{ name: "...", inputFiles: []string{...}, ... analyzer: &pkg.Type{}, ... }`
  // (or `analyzer: pkg.Constructor(args)`).
  const casePattern = /inputFiles:\s*\[\]string\{([^}]*)\}[\s\S]*?analyzer:\s*([^\n]+?),?\s*\n/g;
  for (const m of goSource.matchAll(casePattern)) {
    const files = [...m[1].matchAll(/"([^"]+)"/g)].map((f) => f[1]);
    const analyzer = m[2].replace(/^&/, '').replace(/\{\}$/, '');
    const key = files.join('\n');
    const set = sets.get(key) ?? { files, analyzers: [] };
    if (!set.analyzers.includes(analyzer)) set.analyzers.push(analyzer);
    sets.set(key, set);
  }
  if (!sets.size) throw new HarnessError('analyzers_test.go: no test case with inputFiles found (did its layout change?)');
  return [...sets.values()];
}

/**
 * The kinds whose Istio rules our validator implements (webhook, and the analyzers that
 * report on VirtualServices and DestinationRules): what Istio says about them is compared,
 * every message. What it says about other kinds (Gateways, Pods...) is not our business.
 */
export const COMPARED_KINDS = new Set(['VirtualService', 'DestinationRule', 'PeerAuthentication', 'AuthorizationPolicy']);

/** `<Level> <code> <Kind> <namespace>/<name>: <message>`, as our report's `istioctl` field. */
export const lineOf = (m) => `${m.level} ${m.code} ${m.origin}: ${m.message}`;

const kindOf = (line) => line.split(' ')[2];

/** A glob with '*' only, anchored, matching across newlines. */
function globToRegExp(glob) {
  return new RegExp(`^${glob.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 's');
}

/**
 * The allow-list (`differences:` entries with `side`, `code`, `resource` glob
 * `<Kind> <namespace>/<name>`, optional `message` glob and `input` file names, and a
 * `reason`). `side` is `istio` (only Istio says it), `ours` (only we do) or `text` (both
 * report the code on the resource, in other words; `message` is matched against Istio's).
 * Each entry gets `matches(difference)` and a `used` count.
 */
export function parseAllowList(data, where) {
  const list = data?.differences ?? [];
  if (!Array.isArray(list)) throw new HarnessError(`${where}: "differences" must be a list`);
  return list.map((entry, i) => {
    const at = `${where} entry #${i + 1}`;
    if (!entry || typeof entry !== 'object') throw new HarnessError(`${at}: must be a mapping`);
    for (const key of ['side', 'code', 'resource', 'reason']) {
      if (typeof entry[key] !== 'string' || !entry[key].trim()) throw new HarnessError(`${at}: "${key}" is required`);
    }
    if (!SIDES.includes(entry.side)) throw new HarnessError(`${at}: "side" must be istio (only Istio says it), ours or text`);
    const resource = globToRegExp(entry.resource);
    const message = entry.message === undefined ? null : globToRegExp(String(entry.message));
    return {
      ...entry,
      used: 0,
      matches: (d) => d.side === entry.side && d.code === entry.code && resource.test(d.resource)
        && (!message || message.test(d.message)) && (entry.input === undefined || entry.input === d.input),
    };
  });
}

const SIDES = ['istio', 'ours', 'text'];

/**
 * Entries that need not match in every run: a `text` difference comes from Go's map order
 * (Istio names one of several hosts or keys, a different one from run to run).
 */
export const mayBeUnused = (entry) => entry.side === 'text';

/** `Error IST0101 VirtualService ns/n: text` -> its parts. */
function partsOf(line) {
  const m = /^(\S+) (\S+) (\S+ \S+): ([\s\S]*)$/.exec(line);
  return m ? { level: m[1], code: m[2], resource: m[3], message: m[4] } : { level: '', code: '', resource: '', message: line };
}

/**
 * Compares one input set's lines (multisets: a message twice is twice). A line only Istio
 * gives and one only we give with the same level, code and resource are one `text`
 * difference. Returns the differences, each { side, input, line, ...parts of Istio's line
 * (ours for side `ours`), ours (side `text`: our line), allowedBy }.
 */
export function compareInputSet({ input, istio, ours }, allowList) {
  const onlyOurs = [...ours];
  const onlyIstio = [];
  for (const line of istio) {
    const i = onlyOurs.indexOf(line);
    if (i >= 0) onlyOurs.splice(i, 1);
    else onlyIstio.push(line);
  }
  const differences = [];
  for (const line of onlyIstio) {
    const parts = partsOf(line);
    const sameSubject = onlyOurs.findIndex((l) => { const p = partsOf(l); return p.level === parts.level && p.code === parts.code && p.resource === parts.resource; });
    if (sameSubject >= 0) differences.push({ side: 'text', input, line, ...parts, ours: onlyOurs.splice(sameSubject, 1)[0] });
    else differences.push({ side: 'istio', input, line, ...parts });
  }
  for (const line of onlyOurs) differences.push({ side: 'ours', input, line, ...partsOf(line) });
  for (const d of differences) {
    d.allowedBy = allowList.find((entry) => entry.matches(d));
    if (d.allowedBy) d.allowedBy.used++;
  }
  return differences;
}

/** Istio's messages (istioctl analyze -o json) about the compared kinds, as lines, sorted. */
export function comparedIstioLines(messages) {
  return (messages ?? []).map(lineOf).filter((l) => COMPARED_KINDS.has(kindOf(l))).sort();
}

/** Our diagnostics with an Istio code about the compared kinds, as istioctl prints them, sorted. */
export function comparedOurLines(diagnostics) {
  return diagnostics.filter((d) => d.istioctl && COMPARED_KINDS.has(d.kind)).map((d) => d.istioctl).sort();
}
