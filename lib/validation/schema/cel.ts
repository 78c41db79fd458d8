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
  for (const location of celLocations(key)) {
    forEachValue(obj, location.steps, 0, '', (value, path) => {
      for (const rule of location.rules) {
        if (passes(rule, value)) continue;
        // Rules on whole objects would echo the object; only scalar values are worth printing.
        const received = typeof value === 'object' ? {} : { received: value };
        findings.push({ severity: 'error', rule: 'cel', path, message: rule.message, ...received });
      }
    });
  }
  return findings;
}

function passes(rule: CelRule, value: unknown): boolean {
  try {
    return rule.evaluate({ self: value }) === true;
  } catch {
    // An evaluation error (e.g. duration('10') is not a duration) rejects the object, as in the API server.
    return false;
  }
}

function forEachValue(value: unknown, steps: readonly SchemaStep[], depth: number, path: string, visit: (value: unknown, path: string) => void): void {
  if (value === undefined || value === null) return;
  if (depth === steps.length) {
    visit(value, path);
    return;
  }
  const step = steps[depth];
  if (step === '*') {
    if (Array.isArray(value)) value.forEach((item, index) => forEachValue(item, steps, depth + 1, childPath(path, index), visit));
    else if (typeof value === 'object') {
      for (const [entryKey, entry] of Object.entries(value)) forEachValue(entry, steps, depth + 1, childPath(path, entryKey), visit);
    }
    return;
  }
  if (typeof value === 'object' && !Array.isArray(value)) {
    forEachValue((value as Record<string, unknown>)[step], steps, depth + 1, childPath(path, step), visit);
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
