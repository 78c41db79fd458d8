import { isDns1123Label, portError } from '../core/dns';
import { childPath } from '../core/field-path';
import type { Findings } from '../core/finding';
import { checkGatewayNames } from './gateway-names';
import { matchHeaderNameError } from './header-rules';
import { labelProblems } from '../core/labels';
import { stringMatchError, stringMatchRegexError } from './string-match-rules';

/**
 * HTTPMatchRequest checks (catalogue rules 13-18), the same for every rule. Istio 1.30 validates the
 * matches of root and delegate VirtualServices like any other: the old "url match does not support regex
 * match for delegating" checks (validateChainingHTTPRoute) are gone, and istioctl 1.30 accepts a delegate
 * with a uri/header regex or sourceLabels (checked with istioctl validate).
 */
export function checkHttpMatches(matches: unknown, path: string, findings: Findings): void {
  if (!Array.isArray(matches)) return;
  matches.forEach((match, index) => {
    if (!match || typeof match !== 'object') return;
    const at = childPath(path, index);
    checkStringMatches(match, at, findings);
    checkMatchCommon(match, at, findings);
  });
}

function checkStringMatches(match: any, path: string, findings: Findings): void {
  checkHeaderMatches(match.headers, childPath(path, 'headers'), 'headers', findings);
  checkHeaderMatches(match.withoutHeaders, childPath(path, 'withoutHeaders'), 'withoutHeaders', findings);
  report(findings, childPath(path, 'uri'), stringMatchRegexError(match.uri, 'uri'));
  for (const field of ['scheme', 'method', 'authority'] as const) {
    report(findings, childPath(path, field), stringMatchError(match[field], field));
  }
  for (const [name, value] of entriesOf(match.queryParams)) {
    report(findings, childPath(childPath(path, 'queryParams'), name), stringMatchError(value, 'queryParams'));
  }
}

// Istio's "header match <n> cannot be null" cannot fire from YAML: a null value is decoded as an empty
// StringMatch (proto-zero-values.ts), which istioctl accepts; the API server rejects the null itself.
function checkHeaderMatches(headers: unknown, path: string, where: 'headers' | 'withoutHeaders', findings: Findings): void {
  for (const [name, value] of entriesOf(headers)) {
    const at = childPath(path, name);
    report(findings, at, matchHeaderNameError(name), 'vs.match-header');
    // For withoutHeaders, regex "*" means "header present" and is exempt from the RE2 check.
    if (where === 'withoutHeaders' && (value as any)?.regex === '*') continue;
    report(findings, at, stringMatchError(value, where));
  }
}

function checkMatchCommon(match: any, path: string, findings: Findings): void {
  const port = Number(match.port ?? 0);
  if (port !== 0) report(findings, childPath(path, 'port'), portError(port), 'vs.match-port');
  for (const problem of labelProblems(match.sourceLabels)) {
    findings.error('labels', childPath(childPath(path, 'sourceLabels'), problem.key), problem.message);
  }
  checkGatewayNames(match.gateways, childPath(path, 'gateways'), findings);
  const sourceNamespace = match.sourceNamespace;
  if (typeof sourceNamespace === 'string' && sourceNamespace !== '' && !isDns1123Label(sourceNamespace)) {
    findings.error('vs.match-source-namespace', childPath(path, 'sourceNamespace'), `sourceNamespace match ${sourceNamespace} is invalid`);
  }
}

function entriesOf(record: unknown): [string, unknown][] {
  return record && typeof record === 'object' ? Object.entries(record) : [];
}

function report(findings: Findings, path: string, message: string | undefined, rule = 'vs.string-match'): void {
  if (message) findings.error(rule, path, message);
}
