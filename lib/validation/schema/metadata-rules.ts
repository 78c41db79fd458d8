import { childPath } from '../core/field-path';
import type { Finding } from '../core/finding';

/** The API server checks metadata, which the CRD schemas do not describe. */

const DNS1123_SUBDOMAIN = /^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*$/;

function subdomainError(name: string): string | undefined {
  if (name.length > 253) return 'must be no more than 253 characters';
  if (!DNS1123_SUBDOMAIN.test(name)) {
    return "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
  }
  return undefined;
}

function labelError(namespace: string): string | undefined {
  if (namespace.length <= 63 && /^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?$/.test(namespace)) return undefined;
  return "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
}

export function checkMetadata(metadata: unknown): Finding[] {
  if (metadata === undefined || metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) {
    return [{ severity: 'error', rule: 'metadata', path: 'metadata', message: 'Required value: metadata.name is required' }];
  }
  const { name, generateName, namespace } = metadata as Record<string, unknown>;
  const typeProblems = metadataTypeErrors(metadata as Record<string, unknown>);
  if (typeProblems.length > 0) return typeProblems;
  const findings: Finding[] = [];
  if ((name === undefined || name === null || name === '') && !generateName) {
    findings.push({ severity: 'error', rule: 'metadata', path: 'metadata.name', message: 'Required value: name or generateName is required' });
  } else if (name !== undefined && name !== null) {
    const problem = subdomainError(String(name));
    if (problem) findings.push({ severity: 'error', rule: 'metadata', path: 'metadata.name', message: `Invalid value: ${problem}`, received: name });
  }
  if (namespace !== undefined && namespace !== null && namespace !== '') {
    const problem = labelError(String(namespace));
    if (problem) findings.push({ severity: 'error', rule: 'metadata', path: 'metadata.namespace', message: `Invalid value: ${problem}`, received: namespace });
  }
  return findings;
}

const notOfType = (path: string, type: string, received: unknown): Finding => ({ severity: 'error', rule: 'metadata', path, message: `must be of type ${type}`, received });

/**
 * Kubernetes decodes ObjectMeta into Go types before anything else: a name that is not a string, or a label or
 * annotation value that is not one, makes the API server refuse the object (`unable to decode ...: json: cannot
 * unmarshal number into Go struct field ObjectMeta.metadata.labels of type string`). Null reads as unset.
 */
function metadataTypeErrors(metadata: Record<string, unknown>): Finding[] {
  const findings: Finding[] = [];
  for (const field of ['name', 'generateName', 'namespace']) {
    const value = metadata[field];
    if (value !== undefined && value !== null && typeof value !== 'string') findings.push(notOfType(`metadata.${field}`, 'string', value));
  }
  for (const field of ['labels', 'annotations']) {
    const map = metadata[field];
    if (map === undefined || map === null) continue;
    if (typeof map !== 'object' || Array.isArray(map)) {
      findings.push(notOfType(`metadata.${field}`, 'object', map));
      continue;
    }
    for (const [key, value] of Object.entries(map)) {
      if (value !== null && typeof value !== 'string') findings.push(notOfType(childPath(`metadata.${field}`, key), 'string', value));
    }
  }
  return findings;
}
