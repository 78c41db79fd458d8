/** What changed, in the words of the JSON: one closed set of kinds. */
export type ChangeKind =
  | 'service-added'
  | 'service-removed'
  | 'version-added'
  | 'version-removed'
  | 'version-first-traffic'
  | 'route-added'
  | 'route-removed'
  | 'route-renamed'
  | 'route-order'
  | 'match'
  | 'weight'
  | 'mirror'
  | 'action'
  | 'rewrite'
  | 'timeout'
  | 'retries'
  | 'fault'
  | 'host-added'
  | 'host-removed'
  | 'gateway-added'
  | 'gateway-removed'
  | 'mtls'
  | 'callers'
  | 'paths'
  | 'deny-policies'
  | 'release-gate'
  | 'access'
  | 'client-tls'
  | 'export'
  | 'entry'
  | 'object-added'
  | 'object-removed'
  | 'object-changed'
  | 'policy-removed'
  | 'fields-changed'
  | 'selector'
  | 'labels';

/**
 * `risky`: a request can reach what it could not, or a protection is gone,
 * or the diff cannot tell (an object it does not read): exposure widened,
 * newly reachable by effect, mTLS or TLS weakened, copies leaving the mesh, a
 * security object gone, a version serving traffic for the first time.
 * `review`: what requests get changes. `info`: nothing a request notices (a
 * rename, a subset nobody uses yet).
 */
export type Risk = 'risky' | 'review' | 'info';

export type ChangeValue = number | string | readonly string[];

export interface Change {
  readonly kind: ChangeKind;
  /** The route's match conditions (`/predict`), which identify it. */
  readonly route?: string;
  readonly version?: string;
  readonly before?: ChangeValue;
  readonly after?: ChangeValue;
  readonly risk: Risk;
  /** One line for people; not part of the JSON output. */
  readonly message: string;
}

export interface ServiceDiff {
  /** `namespace/name` */
  readonly service: string;
  readonly changes: readonly Change[];
}

/** An object outside the services' views: of a kind the traffic model does not read, or a security object that disappeared. */
export interface ObjectDiff {
  /** `Kind namespace/name` */
  readonly object: string;
  readonly changes: readonly Change[];
}

export interface TrafficDiff {
  readonly summary: string;
  readonly services: readonly ServiceDiff[];
  readonly objects: readonly ObjectDiff[];
}

export const RISKS: readonly Risk[] = ['risky', 'review', 'info'];
