import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { crdSchema } from './crd-schemas';
import { childPath } from '../core/field-path';
import type { Finding } from '../core/finding';
import { schemaErrorMessage } from './schema-messages';
import { toAjvSchema } from './schema-conversion';
import { withDefinitions } from './schema-definitions';

/** The CRD schema describes spec and status; these are the other fields a Kubernetes object may carry. */
const OBJECT_ROOT_SCHEMA = {
  type: 'object',
  properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' } },
};

// The CRD schemas are generated and trusted: skip meta-schema validation and code optimisation,
// which cost more at start-up than they save on a synth of one app.
// inlineRefs false: each definition stays a function of its own (see schema-definitions.ts).
const AJV_OPTIONS = { allErrors: true, strict: false, verbose: true, validateSchema: false, inlineRefs: false, code: { optimize: false } };

/** The kinds our library emits: the build precompiles their validators (see scripts/build.mjs). */
export const PRECOMPILED_KEYS = [
  'networking.istio.io/v1/DestinationRule',
  'networking.istio.io/v1/VirtualService',
  'security.istio.io/v1/AuthorizationPolicy',
  'security.istio.io/v1/PeerAuthentication',
];

/** The Gateway API kinds the library writes, in the channels it may write them for (see crd-schemas.ts). */
export const GATEWAY_API_PRECOMPILED_KEYS = [
  'standard:gateway.networking.k8s.io/v1/HTTPRoute',
  'experimental:gateway.networking.k8s.io/v1/HTTPRoute',
  'standard:gateway.networking.k8s.io/v1/Gateway',
  'standard:gateway.networking.k8s.io/v1/ReferenceGrant',
  'standard:gateway.networking.k8s.io/v1beta1/ReferenceGrant',
  'standard:inference.networking.k8s.io/v1/InferencePool',
];

/** File name, beside the bundle, of the validators precompiled at build time. */
export const PRECOMPILED_FILE = 'istio-schema-validators.js';

export function createAjv(options: object = {}): Ajv {
  const ajv = new Ajv({ ...AJV_OPTIONS, ...options });
  addFormats(ajv);
  // Kubernetes formats ajv-formats does not define; the numeric bounds come with minimum/maximum.
  ajv.addFormat('uint32', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= 0 && n <= 4294967295 });
  ajv.addFormat('uint64', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= 0 });
  return ajv;
}

/** The schema an object is checked against: its CRD's, plus the fields every Kubernetes object has. */
export function objectSchema(key: string): object {
  const crd = toAjvSchema(crdSchema(key));
  return withDefinitions({ ...crd, properties: { ...OBJECT_ROOT_SCHEMA.properties, ...crd.properties }, additionalProperties: false });
}

let ajv: Ajv | undefined;
const compiled = new Map<string, ValidateFunction>(Object.entries(loadPrecompiled()));

function validatorFor(key: string): ValidateFunction {
  let validate = compiled.get(key);
  if (!validate) {
    ajv ??= createAjv();
    validate = ajv.compile(objectSchema(key));
    compiled.set(key, validate);
  }
  return validate;
}

/**
 * Compiling the VirtualService and DestinationRule schemas takes longer than
 * the rest of a small synth, so the build writes their validators as code
 * beside the bundle. Run from source (tests), there is none: compile instead.
 */
function loadPrecompiled(): Record<string, ValidateFunction> {
  const file = join(__dirname, PRECOMPILED_FILE);
  if (!existsSync(file)) return {};
  // A path computed at run time, so that bundlers leave this require alone.
  return module.require(file);
}

/** Checks an object against its CRD schema (types, enums, required, oneOf groups, unknown fields, limits). */
export function checkSchema(key: string, obj: object): Finding[] {
  const validate = validatorFor(key);
  if (validate(obj)) return [];
  const errors = (validate.errors ?? []).filter(isReportable);
  // The API server checks a string's length before its pattern, and stops at the first that fails.
  const lengthFailed = new Set(errors.filter((e) => e.keyword === 'minLength' || e.keyword === 'maxLength').map((e) => e.instancePath));
  return errors.filter((e) => e.keyword !== 'pattern' || !lengthFailed.has(e.instancePath)).map((error) => toFinding(error));
}

/** Errors inside oneOf/anyOf/not branches only explain why a branch failed; the group error says it better. */
function isReportable(error: ErrorObject): boolean {
  if (error.keyword === 'oneOf' && !isPlainObject(error.data)) return false;
  return !/\/(oneOf|anyOf|not)\/\d*/.test(error.schemaPath.replace(/\/(oneOf|anyOf)$/, ''));
}

/**
 * A oneOf group (e.g. StringMatch exact/prefix/regex) only says something about an object. For a null
 * map value the API server reports just `must be of type object` (checked with kubectl --dry-run=server),
 * while ajv would add a misleading "only one of [...] may be set" for it.
 */
function isPlainObject(data: unknown): boolean {
  return data !== null && typeof data === 'object' && !Array.isArray(data);
}

function toFinding(error: ErrorObject): Finding {
  const base = instancePath(error.instancePath);
  const { path, message, received } = schemaErrorMessage(error, base);
  return { severity: 'error', rule: 'schema', path, message, ...(received === undefined ? {} : { received }) };
}

/** ajv's JSON pointer ('/spec/http/0') in our notation ('spec.http[0]'). */
function instancePath(pointer: string): string {
  if (pointer === '') return '';
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<string>((path, part) => childPath(path, /^\d+$/.test(part) ? Number(part) : part), '');
}
