import { crdSchema, isGatewayApiKey } from './crd-schemas';
import { evaluationErrorMessage, parseRule, toCelValue } from './kubernetes-cel';
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
  readonly schema: object;
}

/** The locations of one kind as a tree of steps, so that one walk of an object visits every location it has. */
interface CelNode {
  readonly rules: CelRule[];
  readonly fields: Map<string, CelNode>;
  /** '*': every array item or map value. */
  every?: CelNode;
  /** Set where the values are handed to CEL as the API server does (see toCelValue): the node's schema. */
  schema?: object;
}

const compiledRules = new Map<string, CelRule['evaluate']>();

/** Evaluates the CRD's x-kubernetes-validations rules where the object has a value, like the API server. */
export function checkCelRules(key: string, obj: object): Finding[] {
  const findings: Finding[] = [];
  visit(obj, celTree(key), [], findings);
  return findings;
}

/**
 * Judges one value by the rules of its location. Where the node has a schema (Gateway API kinds), the value
 * is converted as the API server converts it, and a rule that fails to evaluate says why, as the API server
 * does; the Istio kinds keep the rule's message.
 */
function judge(node: CelNode, value: unknown, segments: readonly (string | number)[], findings: Finding[]): void {
  const self = node.schema ? toCelValue(value, node.schema) : value;
  for (const rule of node.rules) {
    const verdict = passes(rule, self);
    if (verdict === true) continue;
    // Rules on whole objects would echo the object; only scalar values are worth printing.
    const received = typeof value === 'object' ? {} : { received: value };
    const path = segments.reduce<string>((parent, segment) => childPath(parent, segment), '');
    const message = verdict !== false && node.schema ? evaluationErrorMessage(verdict.error, rule.message) : rule.message;
    findings.push({ severity: 'error', rule: 'cel', path, message, ...received });
  }
}

/** A rule's verdict: true or false, or the error its evaluation ended in. */
type Verdict = boolean | { readonly error: unknown };

/** Scalar values repeat across objects (the same durations everywhere): each rule judges each once. */
const scalarVerdicts = new WeakMap<CelRule, Map<unknown, Verdict>>();

function passes(rule: CelRule, value: unknown): Verdict {
  const scalar = typeof value !== 'object';
  let verdicts = scalar ? scalarVerdicts.get(rule) : undefined;
  const known = verdicts?.get(value);
  if (known !== undefined) return known;
  let verdict: Verdict;
  try {
    verdict = rule.evaluate({ self: value }) === true;
  } catch (error) {
    // An evaluation error (e.g. duration('10') is not a duration) rejects the object, as in the API server.
    verdict = { error };
  }
  if (scalar) {
    if (!verdicts) scalarVerdicts.set(rule, (verdicts = new Map()));
    verdicts.set(value, verdict);
  }
  return verdict;
}

/**
 * Judges the value at a node of the tree, then the values below it that
 * have rules; `segments` holds the path to the value visited (built only
 * when a rule fails).
 */
function visit(value: unknown, node: CelNode, segments: (string | number)[], findings: Finding[]): void {
  if (value === undefined || value === null) return;
  if (node.rules.length) judge(node, value, segments, findings);
  if (typeof value !== 'object') return;
  if (!Array.isArray(value)) {
    for (const [field, child] of node.fields) {
      segments.push(field);
      visit((value as Record<string, unknown>)[field], child, segments, findings);
      segments.pop();
    }
  }
  const every = node.every;
  if (!every) return;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      segments.push(index);
      visit(value[index], every, segments, findings);
      segments.pop();
    }
  } else {
    for (const entryKey of Object.keys(value)) {
      segments.push(entryKey);
      visit((value as Record<string, unknown>)[entryKey], every, segments, findings);
      segments.pop();
    }
  }
}

const treesBySchema = new Map<string, CelNode>();

function celTree(key: string): CelNode {
  let tree = treesBySchema.get(key);
  if (!tree) {
    tree = { rules: [], fields: new Map() };
    for (const location of celLocations(key)) {
      let node = tree;
      for (const step of location.steps) {
        if (step === '*') node = node.every ??= { rules: [], fields: new Map() };
        else {
          let child = node.fields.get(step);
          if (!child) node.fields.set(step, (child = { rules: [], fields: new Map() }));
          node = child;
        }
      }
      node.rules.push(...location.rules);
      if (isGatewayApiKey(key)) node.schema = location.schema;
    }
    treesBySchema.set(key, tree);
  }
  return tree;
}

/** The schema's rules with where they apply; read once per kind, to build its tree. */
function celLocations(key: string): CelLocation[] {
  const locations: CelLocation[] = [];
  collectLocations(crdSchema(key), [], locations);
  return locations;
}

function collectLocations(node: any, steps: SchemaStep[], out: CelLocation[]): void {
  if (!node || typeof node !== 'object') return;
  const validations = node['x-kubernetes-validations'] as { rule: string; message?: string }[] | undefined;
  if (validations?.length) {
    out.push({ steps: [...steps], rules: validations.map((v) => compileRule(v.rule, v.message ?? `failed rule: ${v.rule}`)), schema: node });
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
    evaluate = parseRule(source);
    compiledRules.set(source, evaluate);
  }
  return { source, message, evaluate };
}
