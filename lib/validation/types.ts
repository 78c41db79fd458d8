/** Public types of the validation engine (see README.md for the rule catalogue). */

export type Severity = 'error' | 'warning' | 'info';

export interface ObjectRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name?: string;
}

export interface Diagnostic {
  readonly severity: Severity;
  /** Istio's analyzer code where Istio has one (IST0106 webhook error, IST0133 webhook warning, IST0101, ...). */
  readonly code?: string;
  /** Stable id of our rule, e.g. 'schema', 'cel', 'vs.weight-negative', 'ours.weights-sum-100'. */
  readonly rule: string;
  readonly object: ObjectRef;
  /** Index into the array passed to validateObjects. */
  readonly objectIndex: number;
  /** Field path from the object root: 'spec.http[0].route[1].weight'. */
  readonly path: string;
  /** Istio's wording where it has one, e.g. 'weight -1 < 0'. */
  readonly message: string;
  /** Offending value, printed as (received <json>). */
  readonly received?: unknown;
}

export interface ValidationOptions {
  /**
   * 'istio': report exactly what Istio rejects as errors; our stricter rules become warnings.
   * 'strict': our stricter rules are errors too (used by synth).
   * @default 'istio'
   */
  readonly profile?: 'istio' | 'strict';
}

/** A plain JSON object as parsed from YAML; fields are read defensively. */
export type JsonObject = { readonly [key: string]: any };
