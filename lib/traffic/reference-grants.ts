/**
 * Gateway API ReferenceGrants as Istio's gateway controller reads them
 * (gatewaycommon ReferenceGrantsCollection, BackendAllowed): which kinds in
 * which namespace may refer to which objects in the grant's namespace.
 */

type Json = { readonly [key: string]: any };

export interface ReferenceGrantEntry {
  /** `ns/name` of the ReferenceGrant. */
  readonly ref: string;
  /** `group/Kind` of the referring objects and their namespace. */
  readonly fromKind: string;
  readonly fromNamespace: string;
  /** `group/Kind` of the objects that may be referred to (core kinds as `/Service`), in the grant's namespace. */
  readonly toKind: string;
  readonly toNamespace: string;
  /** Undefined: every object of that kind. */
  readonly toName?: string;
}

const FROM_KINDS = new Set(['gateway.networking.k8s.io/Gateway', 'gateway.networking.k8s.io/HTTPRoute', 'gateway.networking.k8s.io/GRPCRoute',
  'gateway.networking.k8s.io/TLSRoute', 'gateway.networking.k8s.io/TCPRoute', 'gateway.networking.k8s.io/ListenerSet']);
const TO_KINDS = new Set(['/ConfigMap', '/Secret', '/Service', 'inference.networking.k8s.io/InferencePool']);

/** One entry per from × to pair of a grant, kinds Istio does not handle left out. */
export function readReferenceGrant(ref: string, namespace: string, spec: Json): ReferenceGrantEntry[] {
  const entries: ReferenceGrantEntry[] = [];
  for (const from of spec.from ?? []) {
    const fromKind = `${from.group ?? ''}/${from.kind}`;
    if (!FROM_KINDS.has(fromKind)) continue;
    for (const to of spec.to ?? []) {
      const toKind = `${to.group ?? ''}/${to.kind}`;
      if (!TO_KINDS.has(toKind)) continue;
      entries.push({ ref, fromKind, fromNamespace: String(from.namespace), toKind, toNamespace: namespace, ...(to.name ? { toName: String(to.name) } : {}) });
    }
  }
  return entries;
}

/** Whether a `fromKind` in `fromNamespace` may refer to `toKind` `toName` in `toNamespace`. */
export function referenceAllowed(grants: readonly ReferenceGrantEntry[], fromKind: string, fromNamespace: string, toKind: string, toName: string, toNamespace: string): boolean {
  return grants.some((g) => g.fromKind === fromKind && g.fromNamespace === fromNamespace && g.toKind === toKind
    && g.toNamespace === toNamespace && (g.toName === undefined || g.toName === toName));
}
