import { portError } from '../core/dns';
import { durationError, parseGoDuration } from './duration';
import { goFixed, goShortest } from '../core/go-format';
import { childPath } from '../core/field-path';
import { rememberedByText } from '../core/remembered';
import type { Findings } from '../core/finding';
import { corsHeaderNameError } from './header-rules';
import { istioRegexError } from './regex';
import { checkDestination } from './route-destination-rules';
import { stringMatchRegexError } from './string-match-rules';
import { GRPC_STATUS_NAMES, isGoHttpStatusToken, RETRY_ON_POLICIES } from './istio-constants';

/** The policies of one HTTP route: mirror, redirect, directResponse, rewrite, retries, timeout, fault, CORS (rules 27-35). */

const NANOS_PER_SECOND = 1_000_000_000n;
const KIB = 1024;
const MIB = 1024 * KIB;
const CORS_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', '*']);


export function checkMirrors(http: any, path: string, findings: Findings): void {
  if (http.mirrorPercent !== undefined && http.mirrorPercent !== null) {
    const value = Number(http.mirrorPercent);
    const at = childPath(path, 'mirrorPercent');
    if (value > 100) findings.error('vs.mirror-percent', at, `mirror_percent must have a max value of 100 (it has ${value})`);
    findings.warning('vs.mirror-percent-deprecated', at, 'using deprecated setting "mirrorPercent", use "mirrorPercentage" instead');
  }
  checkPercentageRange(http.mirrorPercentage?.value, childPath(childPath(path, 'mirrorPercentage'), 'value'), 'mirror_percentage', findings);
  checkDestination(http.mirror, childPath(path, 'mirror'), findings);
  if (!Array.isArray(http.mirrors)) return;
  // A null entry is checked as {} ("destination is required for mirrors"), as istiod decodes it (proto-zero-values.ts).
  http.mirrors.forEach((raw: any, index: number) => {
    const at = childPath(childPath(path, 'mirrors'), index);
    const mirror = raw ?? {};
    if (mirror.destination === null || mirror.destination === undefined) {
      return findings.error('vs.mirrors', childPath(at, 'destination'), 'destination is required for mirrors');
    }
    checkDestination(mirror.destination, childPath(at, 'destination'), findings);
    checkPercentageRange(mirror.percentage?.value, childPath(childPath(at, 'percentage'), 'value'), 'mirror percentage', findings);
  });
}

function checkPercentageRange(raw: unknown, path: string, label: string, findings: Findings): void {
  if (raw === undefined || raw === null) return;
  const value = Number(raw);
  if (value > 100) findings.error('vs.mirror-percentage', path, `${label} must have a max value of 100 (it has ${goFixed(value)})`);
  if (value < 0) findings.error('vs.mirror-percentage', path, `${label} must have a min value of 0 (it has ${goFixed(value)})`);
}

/** validateHTTPRedirect: only the first problem is reported, as in Istio. */
export function redirectError(redirect: any, matches: unknown): string | undefined {
  if (!redirect || typeof redirect !== 'object') return undefined;
  const uri = redirect.uri ?? '';
  const prefixRewrite = redirect.prefixRewrite ?? '';
  if (uri !== '' && prefixRewrite !== '') return 'redirect may only specify one of uri or prefix_rewrite';
  if (prefixRewrite !== '' && Array.isArray(matches) && matches.some((m: any) => m?.uri && (m.uri.prefix ?? '') === '')) {
    return 'redirect prefix_rewrite requires all URI matches to use prefix match type';
  }
  const hasPort = redirect.port !== undefined || redirect.derivePort !== undefined;
  if (uri === '' && prefixRewrite === '' && (redirect.authority ?? '') === '' && !hasPort && (redirect.scheme ?? '') === '') {
    return 'redirect must specify URI, authority, scheme, or port';
  }
  const code = Number(redirect.redirectCode ?? 0);
  if (code !== 0 && (code < 300 || code > 399)) return `${code} is not a valid redirect code, must be 3xx`;
  const scheme = redirect.scheme ?? '';
  if (scheme !== '' && scheme !== 'http' && scheme !== 'https') return 'invalid redirect scheme, must be "http" or "https"';
  const port = Number(redirect.port ?? 0);
  return port > 0 ? portError(port) : undefined;
}

/** validateHTTPStatus: the code tests > 600, so 600 passes although the message says 599. */
export function httpStatusError(status: number): string | undefined {
  return status < 200 || status > 600 ? `HTTP status ${status} is not in range 200-599` : undefined;
}

export function checkDirectResponse(directResponse: any, path: string, findings: Findings): void {
  if (!directResponse || typeof directResponse !== 'object') return;
  const body = directResponse.body;
  const size = typeof body?.string === 'string' ? Buffer.byteLength(body.string) : typeof body?.bytes === 'string' ? Buffer.from(body.bytes, 'base64').length : 0;
  const bodyPath = childPath(path, 'body');
  if (size > MIB) findings.error('vs.direct-response-body', bodyPath, 'large direct_responses may impact control plane performance, must be less than 1MB', size);
  else if (size > 100 * KIB) findings.warning('vs.direct-response-body', bodyPath, 'large direct_responses may impact control plane performance', size);
  const statusError = httpStatusError(Number(directResponse.status ?? 0));
  if (statusError) findings.error('vs.http-status', childPath(path, 'status'), statusError);
}

export function rewriteError(rewrite: any): { field: string; message: string } | undefined {
  if (!rewrite || typeof rewrite !== 'object') return undefined;
  const uri = rewrite.uri ?? '';
  const regexRewrite = rewrite.uriRegexRewrite;
  const hasRegexRewrite = regexRewrite !== undefined && regexRewrite !== null;
  if (uri !== '' && hasRegexRewrite) return { field: '', message: 'rewrite may only contain one of URI or UriRegexRewrite' };
  if (uri === '' && !hasRegexRewrite && (rewrite.authority ?? '') === '') {
    return { field: '', message: 'rewrite must specify at least one of URI, UriRegexRewrite, or authority. Only one of URI or UriRegexRewrite may be specified' };
  }
  if (!hasRegexRewrite) return undefined;
  if ((regexRewrite.match ?? '') === '' || (regexRewrite.rewrite ?? '') === '') {
    return { field: 'uriRegexRewrite', message: 'UriRegexRewrite has errors\nUriRegexRewrite requires both Rewrite and Match fields to be specified' };
  }
  const regex = istioRegexError(String(regexRewrite.match), 'HTTPRewrite.UriRegexRewrite.Match');
  return regex ? { field: 'uriRegexRewrite.match', message: `UriRegexRewrite has errors\n${regex}` } : undefined;
}

export function checkRetries(retries: any, path: string, findings: Findings): void {
  if (!retries || typeof retries !== 'object') return;
  const attempts = Number(retries.attempts ?? 0);
  const attemptsPath = childPath(path, 'attempts');
  if (attempts < 0) findings.error('vs.retries-attempts', attemptsPath, 'attempts cannot be negative', attempts);
  const configured = retries.perTryTimeout != null || (retries.retryOn ?? '') !== '' || retries.retryRemoteLocalities != null;
  if (attempts === 0 && configured) {
    findings.error('vs.retries-disabled', attemptsPath, 'http retry policy configured when attempts are set to 0 (disabled)', attempts);
  }
  checkDuration(retries.perTryTimeout, childPath(path, 'perTryTimeout'), findings);
  if (typeof retries.retryOn === 'string' && retries.retryOn !== '') {
    for (const policy of invalidRetryOnPolicies(retries.retryOn)) {
      findings.error('vs.retry-on', childPath(path, 'retryOn'), `"${policy}" is not a valid retryOn policy`);
    }
  }
  checkDuration(retries.backoff, childPath(path, 'backoff'), findings);
}

/** The policies of a retryOn list that Istio does not know, in order; remembered, as splitting each anew was a tenth of checking a route's policies. */
const invalidRetryOnPolicies = rememberedByText((retryOn): readonly string[] =>
  retryOn.split(',').filter((policy) => !RETRY_ON_POLICIES.has(policy) && !isGoHttpStatusToken(policy)));

export function checkDuration(value: unknown, path: string, findings: Findings): void {
  const problem = durationError(value);
  if (problem) findings.error('duration', path, problem, value);
}

export function checkFault(fault: any, path: string, findings: Findings): void {
  if (!fault || typeof fault !== 'object') return;
  const { abort, delay } = fault;
  if (abort == null && delay == null) findings.error('vs.fault-empty', path, 'HTTP fault injection must have an abort and/or a delay');
  if (abort != null) checkAbort(abort, childPath(path, 'abort'), findings);
  if (delay != null) {
    const at = childPath(path, 'delay');
    checkFaultPercentage(delay.percentage, at, findings);
    checkDuration(delay.fixedDelay, childPath(at, 'fixedDelay'), findings);
    if (delay.exponentialDelay != null) {
      checkDuration(delay.exponentialDelay, childPath(at, 'exponentialDelay'), findings);
      findings.error('vs.fault-exponential-delay', childPath(at, 'exponentialDelay'), 'exponentialDelay not supported yet');
    }
  }
}

function checkAbort(abort: any, path: string, findings: Findings): void {
  checkFaultPercentage(abort.percentage, path, findings);
  if (abort.grpcStatus != null) {
    const status = String(abort.grpcStatus);
    if (!GRPC_STATUS_NAMES.has(status)) {
      findings.error('vs.fault-grpc-status', childPath(path, 'grpcStatus'), `gRPC status "${status}" is not supported. See https://github.com/grpc/grpc/blob/master/doc/statuscodes.md for a list of supported codes, for example 'NOT_FOUND'`);
    }
  } else if (abort.http2Error != null) {
    findings.error('vs.fault-http2', childPath(path, 'http2Error'), 'HTTP/2 abort fault injection not supported yet');
  } else if (abort.httpStatus != null) {
    const problem = httpStatusError(Number(abort.httpStatus));
    if (problem) findings.error('vs.http-status', childPath(path, 'httpStatus'), problem);
  }
}

function checkFaultPercentage(percentage: any, path: string, findings: Findings): void {
  if (percentage == null) return;
  const value = Number(percentage.value ?? 0);
  if (value < 0 || value > 100 || (value > 0 && value < 0.0001)) {
    findings.error('vs.fault-percentage', childPath(childPath(path, 'percentage'), 'value'), `percentage ${goShortest(value)} is neither 0.0, nor in range [0.0001, 100.0]`);
  }
}

export function checkCorsPolicy(policy: any, path: string, findings: Findings): void {
  if (!policy || typeof policy !== 'object') return;
  (Array.isArray(policy.allowOrigins) ? policy.allowOrigins : []).forEach((origin: any, index: number) => {
    const at = childPath(childPath(path, 'allowOrigins'), index);
    const match = origin?.exact ?? origin?.prefix ?? origin?.regex ?? '';
    if (match === '') findings.error('vs.cors-origin', at, `'' is not a valid match type for CORS allow origins`);
    else {
      const problem = stringMatchRegexError(origin, 'corsPolicy.allowOrigins');
      if (problem) findings.error('vs.cors-origin', at, problem);
    }
  });
  (Array.isArray(policy.allowMethods) ? policy.allowMethods : []).forEach((method: unknown, index: number) => {
    if (!CORS_METHODS.has(String(method))) findings.error('vs.cors-method', childPath(childPath(path, 'allowMethods'), index), `"${method}" is not a supported HTTP method`);
  });
  for (const field of ['allowHeaders', 'exposeHeaders']) {
    (Array.isArray(policy[field]) ? policy[field] : []).forEach((name: unknown, index: number) => {
      const problem = corsHeaderNameError(String(name ?? ''));
      if (problem) findings.error('vs.cors-header', childPath(childPath(path, field), index), problem);
    });
  }
  if (policy.maxAge != null) {
    const at = childPath(path, 'maxAge');
    checkDuration(policy.maxAge, at, findings);
    const nanos = parseGoDuration(String(policy.maxAge));
    if (nanos !== undefined && nanos % NANOS_PER_SECOND !== 0n) {
      findings.error('vs.cors-max-age', at, 'max_age duration is accurate only to seconds precision', policy.maxAge);
    }
  }
}
