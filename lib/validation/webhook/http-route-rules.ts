import { childPath } from '../core/field-path';
import type { Findings } from '../core/finding';
import { authorityRewriteError, checkHeaderOperations } from './header-rules';
import { checkHttpMatches } from './http-match-rules';
import {
  checkCorsPolicy,
  checkDirectResponse,
  checkDuration,
  checkFault,
  checkMirrors,
  checkRetries,
  redirectError,
  rewriteError,
} from './http-policy-rules';
import { checkRouteDestinations } from './route-destination-rules';

/** How a rule relates to delegation: a root rule delegates, a delegate rule lives in a VirtualService without hosts. */
type HttpRouteType = 'independent' | 'root' | 'delegate';

/** validateHTTPRoute for spec.http[i] (catalogue rules 9-35). */
export function checkHttpRoute(http: any, path: string, inDelegateVirtualService: boolean, findings: Findings): void {
  const type: HttpRouteType = inDelegateVirtualService ? 'delegate' : http.delegate != null ? 'root' : 'independent';
  checkConflicts(http, type, path, findings);
  checkHttpMatches(http.match, childPath(path, 'match'), findings);
  checkHeaderOperations(http.headers, childPath(path, 'headers'), findings);
  checkCorsPolicy(http.corsPolicy, childPath(path, 'corsPolicy'), findings);
  checkFault(http.fault, childPath(path, 'fault'), findings);
  checkMirrors(http, path, findings);
  const redirect = redirectError(http.redirect, http.match);
  if (redirect) findings.error('vs.redirect', childPath(path, 'redirect'), redirect);
  checkDirectResponse(http.directResponse, childPath(path, 'directResponse'), findings);
  checkRetries(http.retries, childPath(path, 'retries'), findings);
  const rewrite = rewriteError(http.rewrite);
  if (rewrite) findings.error('vs.rewrite', rewrite.field ? `${childPath(path, 'rewrite')}.${rewrite.field}` : childPath(path, 'rewrite'), rewrite.message);
  const authority = authorityRewriteError(http.rewrite, http.headers);
  if (authority) findings.error('vs.authority-rewrite', childPath(path, 'headers'), authority);
  checkRouteDestinations(http.route, childPath(path, 'route'), findings, true);
  checkDuration(http.timeout, childPath(path, 'timeout'), findings);
}

function present(value: unknown): boolean {
  return value !== undefined && value !== null;
}

function checkConflicts(http: any, type: HttpRouteType, path: string, findings: Findings): void {
  const conflict = (message: string) => findings.error('vs.http-action', path, message);
  if (type === 'root') {
    const name = http.name ?? '';
    if (present(http.redirect)) conflict(`root HTTP route ${name} must not specify redirect`);
    if (present(http.route)) conflict(`root HTTP route ${name} must not specify route`);
    return;
  }
  if (type === 'delegate' && present(http.delegate)) conflict('delegate HTTP route cannot contain delegate');
  const hasRoute = Array.isArray(http.route) && http.route.length > 0;
  if (present(http.redirect)) {
    if (hasRoute) conflict('HTTP route cannot contain both route and redirect');
    if (present(http.fault)) conflict('HTTP route cannot contain both fault and redirect');
    if (present(http.rewrite)) conflict('HTTP route rule cannot contain both rewrite and redirect');
    if (present(http.directResponse)) conflict('HTTP route rule cannot contain both direct_response and redirect');
  } else if (present(http.directResponse)) {
    if (hasRoute) conflict('HTTP route cannot contain both route and direct_response');
    if (present(http.fault)) conflict('HTTP route cannot contain both fault and direct_response');
    if (present(http.rewrite)) conflict('HTTP route rule cannot contain both rewrite and direct_response');
  } else if (!hasRoute) {
    conflict('HTTP route, redirect or direct_response is required');
  }
  if (present(http.mirror) && Array.isArray(http.mirrors) && http.mirrors.length > 0) {
    conflict('HTTP route cannot contain both mirror and mirrors');
  }
}
