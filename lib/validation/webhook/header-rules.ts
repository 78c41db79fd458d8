import { childPath } from '../core/field-path';
import type { Findings } from '../core/finding';

/** Header names, values and header operations (catalogue rules 15, 24, 25, 26). */

const TOKEN_NAME = /^[!#$%&'*+\-.^_`|~A-Za-z0-9]+$/;
const PSEUDO_HEADERS = new Set([':method', ':scheme', ':authority', ':path', ':status']);
const JWT_CLAIM_KEY = /^@request\.auth\.claims(?:\.|\[)/;
// Control characters other than horizontal tab (protoc-gen-validate's header value rule).
const CONTROL_CHARACTER = /[\u0000-\u0008\u000A-\u001F\u007F]/;

export function isJwtClaimKey(name: string): boolean {
  return JWT_CLAIM_KEY.test(name);
}

/** ValidateHTTPHeaderNameOrJwtClaimRoute, for match headers and withoutHeaders. */
export function matchHeaderNameError(name: string): string | undefined {
  if (name === '') return 'header name cannot be empty';
  if (isJwtClaimKey(name) || PSEUDO_HEADERS.has(name) || TOKEN_NAME.test(name)) return undefined;
  return `header name ${name} is not a valid header name`;
}

/** ValidateCORSHTTPHeaderName. */
export function corsHeaderNameError(name: string): string | undefined {
  if (name === '') return 'header name cannot be empty';
  if (name === '*' || TOKEN_NAME.test(name)) return undefined;
  return `header name ${name} is not a valid header name`;
}

function isInternalHeader(name: string): boolean {
  return name.startsWith(':') || name.toLowerCase() === 'host';
}

export function isAuthorityHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return lower === ':authority' || lower === 'host';
}

/** Request set/add may target the authority (Host, :authority) but no other pseudo-header. */
function setOrAddRequestHeaderError(name: string): string | undefined {
  if (name === '') return 'header name cannot be empty';
  if (isInternalHeader(name) && !isAuthorityHeader(name)) return `invalid header "${name}": header cannot have ":" prefix`;
  return undefined;
}

/** Request remove and every response operation may not touch Host or pseudo-headers. */
function otherHeaderOperationError(name: string): string | undefined {
  if (name === '') return 'header name cannot be empty';
  if (name.toLowerCase() === 'host') return `invalid header "${name}": cannot set Host header`;
  if (isInternalHeader(name)) return `invalid header "${name}": header cannot have ":" prefix`;
  return undefined;
}

/** ValidateHTTPHeaderValue: no control characters, and Envoy's %VARIABLE% syntax must be well formed. */
export function headerValueError(value: string): string | undefined {
  if (CONTROL_CHARACTER.test(value)) return `header value configuration ${value} is invalid`;
  const syntax = envoyHeaderValueSyntaxError(value);
  return syntax && `header value configuration: ${syntax}`;
}

/** Port of Istio's validateHeaderValue (itself a port of Envoy's header_parser.cc). */
function envoyHeaderValueSyntaxError(value: string): string | undefined {
  type State = 'literal' | 'name' | 'array' | 'string-start' | 'string' | 'delimiter' | 'args-end' | 'var-end';
  let state: State = 'literal';
  for (let pos = 0; pos < value.length; pos++) {
    const ch = value[pos];
    const hasNext = pos + 1 < value.length;
    switch (state) {
      case 'literal':
        if (ch !== '%') break;
        if (!hasNext) return 'invalid header configuration. Un-escaped %';
        if (value[pos + 1] === '%') pos++;
        else state = 'name';
        break;
      case 'name':
        if (ch === '%') state = 'literal';
        else if (ch === '(') state = 'array';
        break;
      case 'array':
        if (ch === '[') state = 'string-start';
        else if (ch !== ' ') state = 'string';
        break;
      case 'delimiter':
        if (ch === ',') state = 'string-start';
        else if (ch === ']') state = 'args-end';
        else if (ch !== ' ') return "invalid header configuration. Expecting ',', ']', or whitespace";
        break;
      case 'string-start':
        if (ch === '"') state = 'string';
        else if (ch !== ' ') return `invalid header configuration. Expecting '"'`;
        break;
      case 'string':
        if (ch === '\\') {
          if (!hasNext) return 'invalid header configuration. Un-terminated backslash in JSON string';
          pos++;
        } else if (ch === ')') state = 'var-end';
        else if (ch === '"') state = 'delimiter';
        break;
      case 'args-end':
        if (ch === ')') state = 'var-end';
        else if (ch !== ' ') return "invalid header configuration. Expecting ')' or whitespace after '{}', but found '{}'";
        break;
      case 'var-end':
        if (ch === '%') state = 'literal';
        else if (ch !== ' ') return "invalid header configuration. Expecting '%' or whitespace after";
        break;
    }
  }
  return state === 'literal' ? undefined : `invalid header configuration. Un-terminated variable expression '${value}'`;
}

/** Checks a Headers block ({request, response} each with set/add/remove). */
export function checkHeaderOperations(headers: any, path: string, findings: Findings): void {
  if (!headers || typeof headers !== 'object') return;
  const request = headers.request ?? {};
  const response = headers.response ?? {};
  const requestPath = childPath(path, 'request');
  const responsePath = childPath(path, 'response');
  checkNamedValues(request.add, childPath(requestPath, 'add'), setOrAddRequestHeaderError, findings);
  checkNamedValues(request.set, childPath(requestPath, 'set'), setOrAddRequestHeaderError, findings);
  checkRemoved(request.remove, childPath(requestPath, 'remove'), findings);
  checkNamedValues(response.add, childPath(responsePath, 'add'), otherHeaderOperationError, findings);
  checkNamedValues(response.set, childPath(responsePath, 'set'), otherHeaderOperationError, findings);
  checkRemoved(response.remove, childPath(responsePath, 'remove'), findings);
}

function checkNamedValues(entries: unknown, path: string, nameError: (name: string) => string | undefined, findings: Findings): void {
  if (!entries || typeof entries !== 'object') return;
  for (const [name, value] of Object.entries(entries as Record<string, unknown>)) {
    const entryPath = childPath(path, name);
    const badName = nameError(name);
    if (badName) findings.error('headers.operation-name', entryPath, badName);
    const badValue = typeof value === 'string' ? headerValueError(value) : undefined;
    if (badValue) findings.error('headers.value', entryPath, badValue);
  }
}

function checkRemoved(names: unknown, path: string, findings: Findings): void {
  if (!Array.isArray(names)) return;
  names.forEach((name, index) => {
    const problem = typeof name === 'string' ? otherHeaderOperationError(name) : undefined;
    if (problem) findings.error('headers.operation-name', childPath(path, index), problem);
  });
}

/** Catalogue rule 26: rewrite.authority, request set Host/:authority and request add Host/:authority are exclusive. */
export function authorityRewriteError(rewrite: any, headers: any): string | undefined {
  let current: string = typeof rewrite?.authority === 'string' ? rewrite.authority : '';
  for (const operation of ['set', 'add']) {
    const entries = headers?.request?.[operation];
    if (!entries || typeof entries !== 'object') continue;
    for (const [name, value] of Object.entries(entries as Record<string, string>)) {
      if (!isAuthorityHeader(name)) continue;
      if (current !== '') return `authority header cannot be set multiple times: have "${current}", attempting to set "${value}"`;
      current = value;
    }
  }
  return undefined;
}
