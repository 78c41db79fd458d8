import { connectionTo, portMtlsModes } from '../traffic/mtls';
import { AuthorizationRuleSpec } from '../traffic/specs';
import { ModelAuthorizationPolicy, ROOT_NAMESPACE, TrafficModel } from '../traffic/traffic-model';
import { DestinationWorkload, selectorPicks } from '../traffic/workload';
import { ANY_CALLER, ANY_PATH, VersionSecurity } from './service-view';

/** Who may reach one version's pods: its PeerAuthentication mode and the AuthorizationPolicies that select them. */
export function versionSecurity(model: TrafficModel, version: string, workload: DestinationWorkload, clientPortTls: Readonly<Record<string, string>>): VersionSecurity {
  const applying = model.authorizationPolicies.filter((policy) => applies(policy, workload));
  const allows = applying.filter((p) => p.action === 'ALLOW');
  const rules = allows.flatMap((p) => p.rules);
  return {
    version,
    host: workload.host,
    labels: workload.labels,
    policies: applying,
    mtls: connectionTo(model, workload).serverMode,
    portMtls: portMtlsModes(model, workload),
    ...(workload.clientTls !== undefined ? { clientTls: workload.clientTls } : {}),
    clientPortTls,
    callers: allows.length ? sorted(rules.flatMap(callersOf)) : [ANY_CALLER],
    paths: allows.length ? sorted(rules.flatMap(pathsOf)) : [ANY_PATH],
    denyPolicies: sorted(applying.filter((p) => p.action === 'DENY').map((p) => p.ref)),
  };
}

function applies(policy: ModelAuthorizationPolicy, workload: DestinationWorkload): boolean {
  if (policy.namespace !== ROOT_NAMESPACE && policy.namespace !== workload.namespace) return false;
  return selectorPicks(policy.selector, workload).picks;
}

/** `principal cluster.local/ns/web/sa/frontend`, `namespace web`, `not namespace x`; a rule without `from` admits any caller. */
function callersOf(rule: AuthorizationRuleSpec): string[] {
  if (!rule.from?.length) return [ANY_CALLER];
  return rule.from.flatMap((f) => fieldValues(f.source ?? {}));
}

/** `/v1/models/x:predict`, `POST /score`; a rule without `to`, or an operation without paths, admits any path. */
function pathsOf(rule: AuthorizationRuleSpec): string[] {
  if (!rule.to?.length) return [ANY_PATH];
  return rule.to.flatMap((t) => {
    const op = t.operation ?? {};
    const methods = op.methods?.length ? `${[...op.methods].sort().join(',')} ` : '';
    const paths = op.paths?.length ? op.paths.map((p) => `${methods}${p}`) : [`${methods}${ANY_PATH}`];
    const not = (op.notPaths ?? []).map((p) => `not ${p}`);
    return [...paths, ...not];
  });
}

/** `principals: [a]` → `principal a`; `notNamespaces: [b]` → `not namespace b`. */
function fieldValues(fields: Readonly<Record<string, readonly string[] | undefined>>): string[] {
  const out: string[] = [];
  for (const [field, values] of Object.entries(fields)) {
    const negated = /^not[A-Z]/.test(field);
    const base = negated ? field[3].toLowerCase() + field.slice(4) : field;
    const singular = base.endsWith('s') ? base.slice(0, -1) : base;
    for (const value of values ?? []) out.push(`${negated ? 'not ' : ''}${singular} ${value}`);
  }
  return out.length ? out : [ANY_CALLER];
}

function sorted(list: string[]): string[] {
  return [...new Set(list)].sort();
}
