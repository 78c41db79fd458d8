import type { ErrorObject } from 'ajv';
import { childPath } from '../core/field-path';

export interface SchemaMessage {
  readonly path: string;
  readonly message: string;
  readonly received?: unknown;
}

/** Readable text for one ajv error, worded like the API server and istioctl where they have wording. */
export function schemaErrorMessage(error: ErrorObject, path: string): SchemaMessage {
  const params = error.params as Record<string, any>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const field = String(params.additionalProperty);
      return { path: childPath(path, field), message: `unknown field "${field}"` };
    }
    case 'required':
      return { path: childPath(path, String(params.missingProperty)), message: 'Required value' };
    case 'enum':
      return { path, message: `must be one of [${(params.allowedValues as unknown[]).filter((v) => v !== null).join(', ')}]`, received: error.data };
    case 'type':
      return { path, message: `must be of type ${params.type}`, received: error.data };
    case 'oneOf':
      return oneOfMessage(error, path);
    case 'anyOf':
      return { path, message: 'must be an integer or a string', received: error.data };
    case 'minimum':
      return { path, message: `must be greater than or equal to ${params.limit}`, received: error.data };
    case 'maximum':
      return { path, message: `must be less than or equal to ${params.limit}`, received: error.data };
    case 'maxItems':
      return { path, message: `must have at most ${params.limit} items`, received: countOf(error.data) };
    case 'minProperties':
      // kube-apiserver's wording (checked with kubectl --dry-run=server on PeerAuthentication portLevelMtls: {}).
      return { path, message: `should have at least ${params.limit} properties`, received: countOf(error.data) };
    case 'maxProperties':
      return { path, message: `must have at most ${params.limit} properties`, received: countOf(error.data) };
    case 'maxLength':
      return { path, message: `may not be longer than ${params.limit}`, received: error.data };
    case 'minLength':
      return { path, message: `should be at least ${params.limit} chars long`, received: error.data };
    case 'pattern':
      return { path, message: `should match '${params.pattern}'`, received: error.data };
    case 'minItems':
      return { path, message: `should have at least ${params.limit} items`, received: countOf(error.data) };
    case 'format':
      return { path, message: `must be a valid ${params.format}`, received: error.data };
    default:
      return { path, message: error.message ?? error.keyword, received: error.data };
  }
}

/**
 * Istio's CRDs express protobuf oneofs as `oneOf: [not anyOf required..., required a, required b]`;
 * the only way to fail one is to set several members.
 */
function oneOfMessage(error: ErrorObject, path: string): SchemaMessage {
  const members = oneOfMembers(error.schema);
  const data = (error.data ?? {}) as Record<string, unknown>;
  const present = members.filter((member) => data[member] !== undefined && data[member] !== null);
  return { path, message: `only one of [${members.join(', ')}] may be set`, received: present };
}

function oneOfMembers(branches: unknown): string[] {
  if (!Array.isArray(branches)) return [];
  return branches.flatMap((branch: any) => (Array.isArray(branch?.required) ? branch.required : []));
}

function countOf(data: unknown): number {
  if (Array.isArray(data)) return data.length;
  return data && typeof data === 'object' ? Object.keys(data).length : 0;
}
