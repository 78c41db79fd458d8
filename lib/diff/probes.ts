import { ReceivedRequest } from '../traffic/authorization';
import { ModelAuthorizationPolicy } from '../traffic/traffic-model';
import { AuthorizationRuleSpec } from '../traffic/specs';

/**
 * A concrete request that tests what policies decide: who sends it (and
 * whether with a sidecar, hence mTLS), and the values of every field a rule
 * may read. A field left out holds a value no policy names.
 */
export interface Probe {
  readonly caller: Caller;
  readonly method?: string;
  readonly path?: string;
  readonly port?: string;
  readonly host?: string;
  /** Other source and operation fields, and `when` keys, as [key, value as written in the policy]. */
  readonly attributes: readonly (readonly [string, string])[];
}

export interface Caller {
  /** A sidecar speaks Istio mTLS and carries an identity; a caller without one speaks plain text. */
  readonly sidecar: boolean;
  readonly principal?: string;
  readonly namespace?: string;
  readonly label: string;
}

/** A value no policy names: what a request holds in a field the probe leaves open. */
const OTHER = '~other';
const OTHER_PORT = 0;

export const UNNAMED_CALLER: Caller = { sidecar: true, principal: `cluster.local/ns/${OTHER}/sa/${OTHER}`, namespace: OTHER, label: 'a caller no policy names' };
export const PLAINTEXT_CALLER: Caller = { sidecar: false, label: 'a caller without a sidecar (plain text)' };

/** Without policies or ports, the requests that name nothing: an mTLS change, across a fleet. */
const BASELINE: Probe[] = [{ caller: UNNAMED_CALLER, attributes: [] }, { caller: PLAINTEXT_CALLER, attributes: [] }];

/** Rules rarely list more than a few values per field; a cross product beyond this is cut (and said). */
export const MAX_PROBES_PER_RULE = 512;

/**
 * Requests derived from the policies of both revisions: for each rule,
 * every combination of one value per field of its sources, operations and
 * conditions (and, for a negated field, a value it excludes and one it does
 * not), so that rules merged, split or reworded are compared by what they
 * admit; plus, on each port given, requests that name nothing.
 */
export function probesFor(policies: readonly ModelAuthorizationPolicy[], ports: readonly string[]): { probes: Probe[]; cut: boolean } {
  if (!policies.length && !ports.length) return { probes: BASELINE, cut: false };
  const probes = new Map<string, Probe>();
  let cut = false;
  const add = (probe: Probe) => probes.set(JSON.stringify(probe), probe);
  for (const port of [undefined, ...ports]) {
    for (const caller of [UNNAMED_CALLER, PLAINTEXT_CALLER]) add({ caller, ...(port === undefined ? {} : { port }), attributes: [] });
  }
  for (const policy of policies) {
    for (const rule of policy.rules) {
      const combinations = ruleProbes(rule);
      if (combinations.length > MAX_PROBES_PER_RULE) cut = true;
      combinations.slice(0, MAX_PROBES_PER_RULE).forEach(add);
    }
  }
  return { probes: [...probes.values()], cut };
}

type Assignment = Readonly<Record<string, string>>;

function ruleProbes(rule: AuthorizationRuleSpec): Probe[] {
  const sources = rule.from?.length ? rule.from.flatMap((f) => assignments(f.source ?? {})) : [{}];
  const operations = rule.to?.length ? rule.to.flatMap((t) => assignments(t.operation ?? {})) : [{}];
  const conditions = product((rule.when ?? []).map((c) => {
    const values = [...(c.values ?? []), ...(c.notValues ?? [])];
    return [...(c.values?.length ? [] : [{}]), ...values.map((v) => ({ [c.key]: v }))];
  }));
  const probes: Probe[] = [];
  for (const source of sources) {
    for (const caller of callersOf(source)) {
      for (const operation of operations) {
        for (const condition of conditions) {
          probes.push(probeOf(caller, source, operation, condition));
          if (probes.length > MAX_PROBES_PER_RULE) return probes;
        }
      }
    }
  }
  return probes;
}

/** One value per field set (a negated field: none of its values, or each of them), in every combination. */
function assignments(fields: Readonly<Record<string, readonly string[] | undefined>>): Assignment[] {
  return product(Object.entries(fields).filter(([, values]) => values?.length).map(([field, values]) => {
    const negated = /^not[A-Z]/.test(field);
    const key = negated ? field[3].toLowerCase() + field.slice(4) : field;
    return [...(negated ? [{}] : []), ...values!.map((v) => ({ [key]: v }))];
  }));
}

function product(options: readonly Assignment[][]): Assignment[] {
  let out: Assignment[] = [{}];
  for (const choices of options) {
    out = out.flatMap((partial) => choices.map((choice) => ({ ...partial, ...choice })));
    if (out.length > MAX_PROBES_PER_RULE) return out;
  }
  return out;
}

function callersOf(source: Assignment): Caller[] {
  const { principals: principal, namespaces: namespace } = source;
  if (principal === undefined && namespace === undefined) return [UNNAMED_CALLER, PLAINTEXT_CALLER];
  if (principal === undefined) return [{ sidecar: true, principal: `cluster.local/ns/${concrete(namespace!)}/sa/${OTHER}`, namespace, label: `namespace ${namespace}` }];
  const own = /^[^/]*\/ns\/([^/]+)\/sa\//.exec(principal)?.[1];
  return [{ sidecar: true, principal, namespace: namespace ?? (own !== undefined ? concrete(own) : OTHER), label: namespace === undefined ? principal : `${principal} (namespace ${namespace})` }];
}

function probeOf(caller: Caller, source: Assignment, operation: Assignment, condition: Assignment): Probe {
  const { principals: _p, namespaces: _n, ...sourceRest } = source;
  const { methods: method, paths: path, ports: port, hosts: host, ...operationRest } = operation;
  return {
    caller,
    ...(method !== undefined ? { method } : {}),
    ...(path !== undefined ? { path } : {}),
    ...(port !== undefined ? { port } : {}),
    ...(host !== undefined ? { host } : {}),
    attributes: Object.entries({ ...sourceRest, ...operationRest, ...condition }).sort(([a], [b]) => (a < b ? -1 : 1)),
  };
}

/** The request a probe stands for; a pattern (`/api/*`, `*.example.com`) becomes a value it matches. */
export function requestOf(probe: Probe, host: string): ReceivedRequest {
  const headers = new Map<string, string>();
  const attributes = new Map<string, string>();
  for (const [key, value] of probe.attributes) {
    const header = /^request\.headers\[(.+)\]$/.exec(key);
    if (header) headers.set(header[1].toLowerCase(), concrete(value));
    else attributes.set(key, concrete(value));
  }
  const port = probe.port === undefined ? OTHER_PORT : Number(concrete(probe.port));
  return {
    host: probe.host === undefined ? host : concrete(probe.host),
    port: Number.isInteger(port) ? port : OTHER_PORT,
    method: probe.method === undefined ? OTHER.toUpperCase() : concrete(probe.method),
    path: probe.path === undefined ? `/${OTHER}` : concrete(probe.path),
    headers,
    ...(probe.caller.principal !== undefined ? { principal: concrete(probe.caller.principal) } : {}),
    ...(probe.caller.namespace !== undefined ? { namespace: concrete(probe.caller.namespace) } : {}),
    attributes,
  };
}

/** `cluster.local/ns/web/sa/frontend may now POST /transfer`, `a caller no policy names may now call a path no policy names`. */
export function probeLabel(probe: Probe, pathsNamed: boolean): string {
  const what = [probe.method ?? 'call', probe.path ?? (pathsNamed ? 'a path no policy names' : 'any path')].join(' ');
  const where = [probe.host !== undefined ? ` on host ${probe.host}` : '', probe.port !== undefined ? ` on port ${probe.port}` : ''].join('');
  const conditions = probe.attributes.map(([key, value]) => `${key} ${value}`);
  return `${probe.caller.label} may now ${what}${where}${conditions.length ? ` with ${conditions.join(', ')}` : ''}`;
}

/** Istio's `*` patterns (prefix, suffix, or alone) as a value they match. */
function concrete(pattern: string): string {
  if (pattern === '*') return OTHER;
  if (pattern.endsWith('*')) return `${pattern.slice(0, -1)}${OTHER}`;
  if (pattern.startsWith('*')) return `${OTHER}${pattern.slice(1)}`;
  return pattern;
}
