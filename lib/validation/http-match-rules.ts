import { isDns1123Label, portError } from './dns';
import { childPath } from './field-path';
import type { Findings } from './finding';
import { checkGatewayNames } from './gateway-names';
import { matchHeaderNameError } from './header-rules';
import { labelProblems } from './labels';
import { stringMatchError, stringMatchRegexError } from './string-match-rules';

/** HTTPMatchRequest checks (catalogue rules 13-18); `delegating` for rules of a delegate VirtualService. */
export function checkHttpMatches(matches: unknown, path: string, findings: Findings, delegating: boolean): void {
  if (!Array.isArray(matches)) return;
  matches.forEach((match, index) => {
    if (!match || typeof match !== 'object') return;
    const at = childPath(path, index);
    if (delegating) checkDelegateMatch(match, at, findings);
    else checkIndependentMatch(match, at, findings);
    checkMatchCommon(match, at, findings);
  });
}

function checkIndependentMatch(match: any, path: string, findings: Findings): void {
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

function checkHeaderMatches(headers: unknown, path: string, where: 'headers' | 'withoutHeaders', findings: Findings): void {
  for (const [name, value] of entriesOf(headers)) {
    const at = childPath(path, name);
    if (value === null || value === undefined) findings.error('vs.match-header', at, `header match ${name} cannot be null`);
    report(findings, at, matchHeaderNameError(name), 'vs.match-header');
    // For withoutHeaders, regex "*" means "header present" and is exempt from the RE2 check.
    if (where === 'withoutHeaders' && (value as any)?.regex === '*') continue;
    report(findings, at, stringMatchError(value, where));
  }
}

/** A delegate VirtualService's matches are merged into the root's, so regex cannot be combined there. */
function checkDelegateMatch(match: any, path: string, findings: Findings): void {
  for (const [field, label] of [['uri', 'url'], ['scheme', 'scheme'], ['method', 'method'], ['authority', 'authority']] as const) {
    if (hasRegex(match[field])) findings.error('vs.delegate-regex', childPath(path, field), `${label} match does not support regex match for delegating`);
  }
  for (const [kind, label] of [['headers', 'header'], ['queryParams', 'query param'], ['withoutHeaders', 'withoutHeaders']] as const) {
    for (const [name, value] of entriesOf(match[kind])) {
      const at = childPath(childPath(path, kind), name);
      if (value === null || value === undefined) findings.error('vs.match-header', at, `${label} match ${name} cannot be null`);
      if (hasRegex(value)) findings.error('vs.delegate-regex', at, `${label} match ${name} does not support regex match for delegating`);
      if (kind !== 'queryParams') report(findings, at, matchHeaderNameError(name), 'vs.match-header');
    }
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

function hasRegex(match: any): boolean {
  return match !== null && typeof match === 'object' && match.regex !== undefined && match.regex !== null;
}

function entriesOf(record: unknown): [string, unknown][] {
  return record && typeof record === 'object' ? Object.entries(record) : [];
}

function report(findings: Findings, path: string, message: string | undefined, rule = 'vs.string-match'): void {
  if (message) findings.error(rule, path, message);
}
