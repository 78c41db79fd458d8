import { checkWorkloadSelector } from './destination-rule-rules';
import { childPath } from '../core/field-path';
import { Findings, type Finding } from '../core/finding';

/** The cheap, obvious webhook checks for PeerAuthentication and AuthorizationPolicy; the CRD schema and CEL do the rest. */

export function checkPeerAuthentication(spec: any): Finding[] {
  const findings = new Findings();
  if (!spec || typeof spec !== 'object') return findings.list;
  const selectorLabels = spec.selector?.matchLabels ?? {};
  const portLevelMtls = spec.portLevelMtls;
  if (portLevelMtls != null && Object.keys(selectorLabels).length === 0 && Object.keys(portLevelMtls).length > 0) {
    findings.error('pa.port-level-mtls', 'spec.portLevelMtls', 'mesh/namespace peer authentication cannot have port level mTLS');
  }
  if (portLevelMtls != null && Object.keys(portLevelMtls).length === 0) {
    findings.error('pa.port-level-mtls', 'spec.portLevelMtls', 'port level mTLS, if defined, must have at least one element');
  }
  for (const port of Object.keys(portLevelMtls ?? {})) {
    const number = Number(port);
    if (!Number.isInteger(number) || number <= 0 || number > 65535) {
      findings.error('pa.port-level-mtls', childPath('spec.portLevelMtls', port), 'port must be in range 1..65535');
    }
  }
  checkWorkloadSelector(spec.selector, 'spec.selector', findings);
  return findings.list;
}

/** Istio prefixes every AuthorizationPolicy error with the policy's name and namespace. */
export function checkAuthorizationPolicy(spec: any, name: string, namespace: string): Finding[] {
  const findings = new Findings();
  if (!spec || typeof spec !== 'object') return findings.list;
  const prefix = `invalid policy ${name}.${namespace}: `;
  const error = (path: string, message: string) => findings.error('ap.rules', path, prefix + message);
  const rulesMissing = spec.rules === undefined || spec.rules === null;
  const action = spec.action ?? 'ALLOW';
  if (action === 'DENY' && rulesMissing) {
    error('spec.rules', 'DENY action without `rules` is meaningless as it will never be triggered, add an empty rule `{}` if you want it be triggered for every request');
  }
  if (action === 'CUSTOM' && rulesMissing) {
    error('spec.rules', 'CUSTOM action without `rules` is meaningless as it will never be triggered, add an empty rule `{}` if you want it be triggered for every request');
  }
  if (action === 'CUSTOM' && !rulesMissing && (spec.provider?.name ?? '') === '') error('spec.provider', '`provider.name` must not be empty');
  if (spec.provider != null && action !== 'CUSTOM') error('spec.provider', `\`provider\` must not be with non CUSTOM action, found ${action}`);
  // Istio's "`rule` must not be nil" and "`from`/`to` must not be empty" cannot fire from YAML: decoded
  // into protobuf, a null rule is an empty rule (proto-zero-values.ts) and `from: []` is no `from` at all.
  // istioctl 1.30 and the API server both accept `rules: [{from: [], to: []}]`.
  (Array.isArray(spec.rules) ? spec.rules : []).forEach((raw: any, index: number) => {
    const at = childPath('spec.rules', index);
    const rule = raw ?? {};
    (Array.isArray(rule.when) ? rule.when : []).forEach((condition: any, whenIndex: number) => {
      const whenPath = childPath(childPath(at, 'when'), whenIndex);
      const key = condition?.key ?? '';
      if (key === '') error(whenPath, '`key` must not be empty');
      else if (!nonEmpty(condition.values) && !nonEmpty(condition.notValues)) {
        error(whenPath, `at least one of \`values\` or \`notValues\` must be set for key ${key}`);
      }
    });
  });
  checkWorkloadSelector(spec.selector, 'spec.selector', findings);
  return findings.list;
}

function nonEmpty(value: unknown): boolean {
  return Array.isArray(value) && value.length > 0;
}
