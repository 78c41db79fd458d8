import { Environment } from '@marcbachmann/cel-js';
import { crdSchema } from './crd-schemas';
import { childPath } from '../core/field-path';
import type { Finding } from '../core/finding';

/** '*' stands for every array item or every map value. */
type SchemaStep = string | '*';

interface CelRule {
  readonly source: string;
  readonly message: string;
  readonly evaluate: (context: { self: unknown }) => unknown;
}

interface CelLocation {
  readonly steps: readonly SchemaStep[];
  readonly rules: readonly CelRule[];
}

// Kubernetes CEL has no declared variable types here: `self` is whatever the field holds.
const environment = new Environment({ unlistedVariablesAreDyn: true, homogeneousAggregateLiterals: false });
const compiledRules = new Map<string, CelRule['evaluate']>();
const locationsBySchema = new Map<string, CelLocation[]>();

/** Evaluates the CRD's x-kubernetes-validations rules where the object has a value, like the API server. */
export function checkCelRules(key: string, obj: object): Finding[] {
  const findings: Finding[] = [];
  const segments: (string | number)[] = [];
  for (const location of celLocations(key)) forEachValue(obj, location, 0, segments, findings);
  return findings;
}

/** Judges one value by the rules of its location. */
function judge(location: CelLocation, value: unknown, segments: readonly (string | number)[], findings: Finding[]): void {
  for (const rule of location.rules) {
    if (passes(rule, value)) continue;
    // Rules on whole objects would echo the object; only scalar values are worth printing.
    const received = typeof value === 'object' ? {} : { received: value };
    const path = segments.reduce<string>((parent, segment) => childPath(parent, segment), '');
    findings.push({ severity: 'error', rule: 'cel', path, message: rule.message, ...received });
  }
}

/** Scalar values repeat across objects (the same durations everywhere): each rule judges each once. */
const scalarVerdicts = new WeakMap<CelRule, Map<unknown, boolean>>();

function passes(rule: CelRule, value: unknown): boolean {
  const scalar = typeof value !== 'object';
  let verdicts = scalar ? scalarVerdicts.get(rule) : undefined;
  const known = verdicts?.get(value);
  if (known !== undefined) return known;
  let verdict: boolean;
  try {
    verdict = rule.evaluate({ self: value }) === true;
  } catch {
    // An evaluation error (e.g. duration('10') is not a duration) rejects the object, as in the API server.
    verdict = false;
  }
  if (scalar) {
    if (!verdicts) scalarVerdicts.set(rule, (verdicts = new Map()));
    verdicts.set(value, verdict);
  }
  return verdict;
}

/**
 * Judges the values at the location's steps; `segments` holds the path to the
 * value visited (built only when a rule fails). No closure per call: this
 * runs for every location of every object.
 */
function forEachValue(value: unknown, location: CelLocation, depth: number, segments: (string | number)[], findings: Finding[]): void {
  if (value === undefined || value === null) return;
  const { steps } = location;
  if (depth === steps.length) {
    judge(location, value, segments, findings);
    return;
  }
  const step = steps[depth];
  if (step === '*') {
    if (Array.isArray(value)) {
      for (let index = 0; index < value.length; index++) {
        segments.push(index);
        forEachValue(value[index], location, depth + 1, segments, findings);
        segments.pop();
      }
    } else if (typeof value === 'object') {
      for (const entryKey of Object.keys(value)) {
        segments.push(entryKey);
        forEachValue((value as Record<string, unknown>)[entryKey], location, depth + 1, segments, findings);
        segments.pop();
      }
    }
    return;
  }
  if (typeof value === 'object' && !Array.isArray(value)) {
    segments.push(step);
    forEachValue((value as Record<string, unknown>)[step], location, depth + 1, segments, findings);
    segments.pop();
  }
}

function celLocations(key: string): CelLocation[] {
  let locations = locationsBySchema.get(key);
  if (!locations) {
    locations = [];
    collectLocations(crdSchema(key), [], locations);
    locationsBySchema.set(key, locations);
  }
  return locations;
}

function collectLocations(node: any, steps: SchemaStep[], out: CelLocation[]): void {
  if (!node || typeof node !== 'object') return;
  const validations = node['x-kubernetes-validations'] as { rule: string; message?: string }[] | undefined;
  if (validations?.length) {
    out.push({ steps: [...steps], rules: validations.map((v) => compileRule(v.rule, v.message ?? `failed rule: ${v.rule}`)) });
  }
  for (const [name, child] of Object.entries(node.properties ?? {})) collectLocations(child, [...steps, name], out);
  if (node.items) collectLocations(node.items, [...steps, '*'], out);
  if (node.additionalProperties && typeof node.additionalProperties === 'object') {
    collectLocations(node.additionalProperties, [...steps, '*'], out);
  }
}

function compileRule(source: string, message: string): CelRule {
  let evaluate = compiledRules.get(source);
  if (!evaluate) {
    evaluate = environment.parse(source) as CelRule['evaluate'];
    compiledRules.set(source, evaluate);
  }
  return { source, message, evaluate };
}
