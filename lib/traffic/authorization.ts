import { ExplainedAuthorization } from './explanation';
import { sourceNamespaceOf } from './match-request';
import { RequestSource } from './request';
import { AuthorizationRuleSpec } from './specs';
import { ModelAuthorizationPolicy, ROOT_NAMESPACE, TrafficModel } from './traffic-model';
import { DestinationWorkload, selectorPicks } from './workload';

/** The request as the workload's sidecar sees it: after rewrites, with the caller's identity if mTLS carried it. */
export interface ReceivedRequest {
  readonly host: string;
  readonly port: number;
  readonly method: string;
  readonly path: string;
  readonly headers: ReadonlyMap<string, string>;
  readonly principal?: string;
  readonly namespace?: string;
  /**
   * What else authorization may read, by policy field (`requestPrincipals`,
   * `ipBlocks`) or condition key (`request.auth.claims[group]`): the diff's
   * probes set them; a request explained from the routing objects has none.
   */
  readonly attributes?: ReadonlyMap<string, string>;
}

export function receivedIdentity(source: RequestSource, mutualTls: boolean): { principal?: string; namespace?: string } {
  if (!mutualTls) return {};
  const namespace = sourceNamespaceOf(source);
  const serviceAccount = source.kind === 'sidecar' ? source.serviceAccount : source.serviceAccount ?? 'istio-ingressgateway';
  return { principal: `cluster.local/ns/${namespace}/sa/${serviceAccount}`, namespace };
}

/**
 * Istio's authorization order for a workload: any matching DENY policy
 * denies; then, if ALLOW policies apply, one of them must match; with no
 * ALLOW policy everything is allowed. CUSTOM and AUDIT do not decide here.
 */
export function authorize(model: TrafficModel, workload: DestinationWorkload, request: ReceivedRequest): ExplainedAuthorization {
  const policies = [
    ...(model.authorizationPoliciesByNamespace.get(ROOT_NAMESPACE) ?? []),
    ...(workload.namespace === undefined || workload.namespace === ROOT_NAMESPACE ? [] : model.authorizationPoliciesByNamespace.get(workload.namespace) ?? []),
  ];
  const selections = policies.map((policy) => ({ policy, selection: applies(policy, workload) }));
  const applying = selections.filter((p) => p.selection.picks);
  // A hint, not a decision: a policy whose unseen selector names this service was probably meant for it.
  const serviceName = workload.host.split('.')[0];
  const unsure = selections.filter((p) => p.selection.unknown.some((label) => label.endsWith(`=${serviceName}`)));
  const note = unsure.length
    ? ` (not applied: ${unsure.map((p) => `${p.policy.ref}, whose selector ${p.selection.unknown.join(', ')} the subset's labels do not show`).join('; ')})`
    : '';
  const deny = applying.find((p) => p.policy.action === 'DENY' && policyMatches(p.policy, request));
  if (deny) return { allowed: false, policy: deny.policy.ref, reason: `denied by DENY policy ${deny.policy.ref}${note}` };
  const allows = applying.filter((p) => p.policy.action === 'ALLOW');
  if (allows.length === 0) return { allowed: true, policy: null, reason: `no ALLOW policy applies to the workload${note}` };
  const allow = allows.find((p) => policyMatches(p.policy, request));
  if (allow) return { allowed: true, policy: allow.policy.ref, reason: `allowed by ${allow.policy.ref}${note}` };
  return {
    allowed: false,
    policy: allows[0].policy.ref,
    reason: `no rule of ALLOW policy ${allows.map((p) => p.policy.ref).join(', ')} matches ${request.method} ${request.path} from ${request.principal ?? 'an unauthenticated caller'}${note}`,
  };
}

function applies(policy: ModelAuthorizationPolicy, workload: DestinationWorkload): { picks: boolean; unknown: string[] } {
  if (policy.namespace !== ROOT_NAMESPACE && policy.namespace !== workload.namespace) return { picks: false, unknown: [] };
  return selectorPicks(policy.selector, workload);
}

/** Whether one of the policy's rules matches the request (for ALLOW, DENY and CUSTOM alike). */
export function policyMatches(policy: ModelAuthorizationPolicy, request: ReceivedRequest): boolean {
  return policy.rules.some((rule) => ruleMatches(rule, request));
}

/** Istio decodes rules into protobuf, where an empty list is an unset field: `from: []` admits any source. */
function ruleMatches(rule: AuthorizationRuleSpec, request: ReceivedRequest): boolean {
  if (rule.from?.length && !rule.from.some((f) => fieldsMatch(f.source ?? {}, sourceValues(request), request.attributes))) return false;
  if (rule.to?.length && !rule.to.some((t) => fieldsMatch(t.operation ?? {}, operationValues(request), request.attributes))) return false;
  return (rule.when ?? []).every((condition) => conditionHolds(condition, request));
}

type Values = Record<string, string | undefined>;

function sourceValues(request: ReceivedRequest): Values {
  return { principals: request.principal, namespaces: request.namespace };
}

function operationValues(request: ReceivedRequest): Values {
  return { hosts: request.host, ports: String(request.port), methods: request.method, paths: request.path.split('?')[0] };
}

/**
 * Every field set in a source or operation holds: `principals: [...]` holds
 * when the value matches one entry, `notPrincipals` when it matches none.
 * An empty list is an unset field, as in Istio. A field we cannot know from
 * YAML (ipBlocks, requestPrincipals) never holds.
 */
function fieldsMatch(fields: Readonly<Record<string, readonly string[] | undefined>>, values: Values, attributes: ReadonlyMap<string, string> | undefined): boolean {
  for (const [field, patterns] of Object.entries(fields)) {
    if (!patterns || patterns.length === 0) continue;
    const negated = /^not[A-Z]/.test(field);
    const key = negated ? field[3].toLowerCase() + field.slice(4) : field;
    const value = values[key] ?? attributes?.get(key);
    const hit = value !== undefined && patterns.some((p) => valueMatches(p, value, key === 'hosts'));
    if (negated ? hit : !hit) return false;
  }
  return true;
}

/** Istio's authorization string match: exact, `prefix*`, `*suffix`, or `*` for any value. */
function valueMatches(pattern: string, value: string, ignoreCase: boolean): boolean {
  const p = ignoreCase ? pattern.toLowerCase() : pattern;
  const v = ignoreCase ? value.toLowerCase() : value;
  if (p === '*') return true;
  if (p.endsWith('*')) return v.startsWith(p.slice(0, -1));
  if (p.startsWith('*')) return v.endsWith(p.slice(1));
  return p === v;
}

function conditionHolds(condition: { key: string; values?: readonly string[]; notValues?: readonly string[] }, request: ReceivedRequest): boolean {
  const value = conditionValue(condition.key, request);
  const matchesAny = (list: readonly string[] | undefined) => value !== undefined && (list ?? []).some((p) => valueMatches(p, value, false));
  if (condition.values?.length && !matchesAny(condition.values)) return false;
  if (condition.notValues?.length && matchesAny(condition.notValues)) return false;
  return true;
}

function conditionValue(key: string, request: ReceivedRequest): string | undefined {
  const header = /^request\.headers\[(.+)\]$/.exec(key);
  if (header) return request.headers.get(header[1].toLowerCase());
  if (key === 'source.principal') return request.principal;
  if (key === 'source.namespace') return request.namespace;
  if (key === 'destination.port') return String(request.port);
  // JWT claims, IPs and SNI are not in the routing objects: such a condition never holds here, unless a probe sets it.
  return request.attributes?.get(key);
}
