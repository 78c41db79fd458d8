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
  /**
   * Objects owned elsewhere (the platform team's Gateways, Services from a Helm chart, Pods...): read by the
   * analyzers as istioctl analyze reads the objects it is given, never validated nor reported on.
   *
   * Given (even `[]`), analysis is istioctl analyze's: a Gateway a VirtualService names must be among the
   * objects or the context (IST0101) and serve one of its hosts (IST0132). Omitted, what exists besides the
   * objects is unknown, and gateway references are not judged. The CLI always gives it (its `--with` files).
   * @default undefined
   */
  readonly context?: readonly unknown[];
  /**
   * The Gateway API CRD channel installed in the cluster. 'standard': an HTTPRoute field only the
   * experimental CRDs define (e.g. `spec.rules[].retry`) is an error (`gateway-api.experimental-field`) that
   * says the cluster needs the experimental-channel CRDs. 'experimental': those fields are accepted.
   * @default 'standard'
   */
  readonly gatewayApiChannel?: 'standard' | 'experimental';
  /**
   * Whether istiod runs with ENABLE_GATEWAY_API_INFERENCE_EXTENSION=true. Off (Istio's default), every
   * HTTPRoute backend that is an InferencePool is refused (`InvalidKind`), as Istio refuses it.
   * @default false
   */
  readonly inferenceExtension?: boolean;
}

/** A plain JSON object as parsed from YAML; fields are read defensively. */
export type JsonObject = { readonly [key: string]: any };
