import { crdSchema, schemaKey } from '../schema/crd-schemas';
import { parseGoDuration } from '../webhook/duration';

/**
 * Whether `istioctl analyze` can read the object at all. Its file source decodes each document into Istio's
 * Go types (the object's metadata as Kubernetes decodes it, the spec with the legacy jsonpb decoder, unknown
 * fields allowed); a document that does not decode is left out of analysis: no analyzer reads it, nothing is
 * reported about it, and objects that name it find nothing (`Error(s) adding files`, then the rest is analyzed).
 * An object that decodes is analyzed even when the API server or the webhook would reject it.
 *
 * What does not decode, by the CRD's types: a string field given a number, boolean, list or mapping; a
 * boolean given anything but true/false; an integer given a fraction, a value out of its range (int32, or
 * uint32's 0..4294967295), or a string that is not an integer; a number given a string that is not a
 * number; an enum given a name it does not have; a duration that Go's time.ParseDuration rejects; a message
 * or map given a list or a scalar; a list given anything but a list. Null is always read as unset. Numeric
 * strings are read as numbers (`weight: "50"`), and both fields of a oneof may be set.
 */
export function istioctlCanRead(o: Record<string, any>): boolean {
  if (!metadataDecodes(o.metadata)) return false;
  const key = schemaKey(o.apiVersion, o.kind);
  const spec = key === undefined ? undefined : (crdSchema(key) as Schema).properties?.spec;
  return spec === undefined || decodes(o.spec, spec, '');
}

/** ObjectMeta's fields analysis reads, as Kubernetes' JSON decoding types them. */
function metadataDecodes(metadata: unknown): boolean {
  if (metadata === undefined || metadata === null) return true;
  if (typeof metadata !== 'object' || Array.isArray(metadata)) return false;
  const m = metadata as Record<string, unknown>;
  const isStringOrNull = (v: unknown) => v === undefined || v === null || typeof v === 'string';
  const isStringMap = (v: unknown) => v === undefined || v === null
    || (typeof v === 'object' && !Array.isArray(v) && Object.values(v as object).every(isStringOrNull));
  return ['name', 'namespace', 'generateName'].every((field) => isStringOrNull(m[field])) && isStringMap(m.labels) && isStringMap(m.annotations);
}

interface Schema {
  readonly type?: string;
  readonly format?: string;
  readonly enum?: readonly unknown[];
  readonly minimum?: number;
  readonly maximum?: number;
  readonly properties?: Readonly<Record<string, Schema>>;
  readonly additionalProperties?: Schema | boolean;
  readonly items?: Schema;
  readonly 'x-kubernetes-preserve-unknown-fields'?: boolean;
  readonly 'x-kubernetes-int-or-string'?: boolean;
  readonly 'x-kubernetes-validations'?: readonly { readonly rule: string }[];
}

/** google.protobuf.Duration fields whose CRD schema has no `duration(self)` rule to tell them from strings. */
const DURATIONS_WITHOUT_CEL = new Set(['tcp.idleTimeout', 'httpCookie.ttl']);

const UINT32_MAX = 4294967295;
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
const INTEGER_TEXT = /^-?(0|[1-9]\d*)$/;
const NUMBER_TEXT = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

/** `field` is `<parent property>.<property>`, to know the durations that have no CEL rule. */
function decodes(value: unknown, schema: Schema, field: string): boolean {
  if (value === null || value === undefined) return true;
  if (schema['x-kubernetes-preserve-unknown-fields'] || schema['x-kubernetes-int-or-string']) return true;
  switch (schema.type) {
    case 'object':
      return objectDecodes(value, schema, field);
    case 'array':
      return Array.isArray(value) && value.every((item) => decodes(item, schema.items ?? {}, field));
    case 'string':
      if (schema.enum) return typeof value === 'string' ? schema.enum.includes(value) : integerDecodes(value, INT32_MIN, INT32_MAX, false);
      if (isDuration(schema, field)) return typeof value === 'string' && parseGoDuration(value) !== undefined;
      return typeof value === 'string';
    case 'boolean':
      return typeof value === 'boolean';
    case 'integer':
      return schema.maximum === UINT32_MAX && schema.minimum === 0
        ? integerDecodes(value, 0, UINT32_MAX, true)
        : schema.format === 'int32' ? integerDecodes(value, INT32_MIN, INT32_MAX, true) : integerDecodes(value, -Infinity, Infinity, true);
    case 'number':
      return typeof value === 'number' || (typeof value === 'string' && (NUMBER_TEXT.test(value) || ['NaN', 'Infinity', '-Infinity'].includes(value)));
    default:
      return true;
  }
}

function objectDecodes(value: unknown, schema: Schema, field: string): boolean {
  if (typeof value !== 'object' || Array.isArray(value)) return false;
  const entries = Object.entries(value as Record<string, unknown>);
  const parent = field.slice(field.lastIndexOf('.') + 1);
  if (schema.properties) {
    // Unknown fields are skipped (AllowUnknownFields).
    return entries.every(([name, v]) => schema.properties![name] === undefined || decodes(v, schema.properties![name], `${parent}.${name}`));
  }
  const values = typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
  return values === undefined || entries.every(([, v]) => decodes(v, values, parent));
}

/** An integer field: a whole number in range, or (quotes stripped, `quoted`) the same as a string. */
function integerDecodes(value: unknown, min: number, max: number, quoted: boolean): boolean {
  if (typeof value === 'number') return Number.isInteger(value) && value >= min && value <= max;
  if (!quoted || typeof value !== 'string' || !INTEGER_TEXT.test(value)) return false;
  const n = Number(value);
  return n >= min && n <= max;
}

function isDuration(schema: Schema, field: string): boolean {
  return DURATIONS_WITHOUT_CEL.has(field) || (schema['x-kubernetes-validations'] ?? []).some((v) => v.rule.includes('duration(self)'));
}
