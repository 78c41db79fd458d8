import type { ExplainedEndpointPicker } from './endpoint-picker-view';
import type { HttpRouteOrigin } from './specs';

/** A destination of the matched rule: host as an FQDN, subset or null, and this request's share in percent. */
export interface ExplainedDestination {
  readonly host: string;
  readonly subset: string | null;
  readonly port?: number;
  /** `ns/name` of the InferencePool when the destination is one (its shadow Service is the host). */
  readonly pool?: string;
  /** Percent of this request's traffic (all destinations add up to 100). */
  readonly weight: number;
}

export interface ExplainedMirror {
  readonly host: string;
  readonly subset: string | null;
  readonly port?: number;
  /** Percent of this request's traffic that is copied there. */
  readonly percentage: number;
}

export interface ExplainedAuthorization {
  readonly allowed: boolean;
  /** `ns/name` of the policy that decided, or null when no policy applies. */
  readonly policy: string | null;
  readonly reason: string;
}

/** What the mesh does with one request. JSON-serializable: `npm run explain -- --json` prints it. */
export interface Explanation {
  /** 200 routed and allowed; 404 no rule matched; 403 denied; an abort's code when every request is aborted. */
  readonly status: number;
  /** One sentence a reviewer can read. */
  readonly summary: string;
  /** `ns/name` of the VirtualService that routed the request, or null. */
  readonly virtualService: string | null;
  /** The http rule's name, or its index when it has none; null when none matched. */
  readonly rule: string | number | null;
  readonly destinations: readonly ExplainedDestination[];
  readonly mirrors: readonly ExplainedMirror[];
  readonly rewrite: { readonly uri?: string; readonly authority?: string } | null;
  /** The request as the destination workload receives it (after the rewrite). */
  readonly received: { readonly host: string; readonly path: string } | null;
  readonly timeout: string | null;
  readonly retries: { readonly attempts: number; readonly perTryTimeout?: string; readonly retryOn?: string } | null;
  readonly fault: unknown | null;
  readonly headers: unknown | null;
  readonly authorization: ExplainedAuthorization;
  /** A redirect's Location header. */
  readonly redirect?: { readonly location: string };
  /** The HTTPRoute rule and match that answered, when the VirtualService was converted from HTTPRoutes. */
  readonly httpRoute?: HttpRouteOrigin;
  /** Present when a destination is an InferencePool: whose endpoint picker chooses the pod, if any. */
  readonly endpointPicker?: ExplainedEndpointPicker;
}
