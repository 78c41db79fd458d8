import { objectIdentity } from '../core/object-identity';

/**
 * The Gateway API objects Istio's gateway controller reads (HTTPRoutes, Gateways, ReferenceGrants,
 * InferencePools), from the validated objects and the context, by kind and `namespace/name`.
 */
export interface GatewayApiObject {
  /** Index into the validated objects; undefined for context objects (read, never reported on). */
  readonly index: number | undefined;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  readonly spec: any;
}

export const GATEWAY_GROUP = 'gateway.networking.k8s.io';
export const INFERENCE_GROUP = 'inference.networking.k8s.io';

export const CONTROLLER_KINDS: Readonly<Record<string, readonly string[]>> = {
  [GATEWAY_GROUP]: ['HTTPRoute', 'Gateway', 'ReferenceGrant'],
  [INFERENCE_GROUP]: ['InferencePool'],
};

export function isControllerKind(apiVersion: unknown, kind: unknown): boolean {
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') return false;
  return CONTROLLER_KINDS[apiVersion.slice(0, apiVersion.indexOf('/'))]?.includes(kind) ?? false;
}

export function toGatewayApiObject(o: Record<string, any>, index: number | undefined, defaultNamespace: string): GatewayApiObject {
  return { index, ...objectIdentity(o, defaultNamespace), spec: o.spec && typeof o.spec === 'object' ? o.spec : {} };
}

export class GatewayApiSet {
  private readonly byKind = new Map<string, Map<string, GatewayApiObject>>();

  public constructor(objects: readonly GatewayApiObject[]) {
    for (const object of objects) {
      let ofKind = this.byKind.get(object.kind);
      if (!ofKind) this.byKind.set(object.kind, (ofKind = new Map()));
      ofKind.set(`${object.namespace}/${object.name}`, object);
    }
  }

  public find(kind: string, namespace: string, name: string): GatewayApiObject | undefined {
    return this.byKind.get(kind)?.get(`${namespace}/${name}`);
  }

  public all(kind: string): readonly GatewayApiObject[] {
    return [...(this.byKind.get(kind)?.values() ?? [])];
  }
}
