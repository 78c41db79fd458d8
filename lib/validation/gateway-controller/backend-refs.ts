import { GATEWAY_GROUP, INFERENCE_GROUP, type GatewayApiSet } from './gateway-api-set';
import type { RouteCondition } from './route-condition';

/** What the checks know of the cluster besides the Gateway API objects. */
export interface ControllerContext {
  readonly set: GatewayApiSet;
  /** Whether a Service exists; undefined when no Service was given (then none is looked up, as analysis does). */
  readonly serviceExists: ((namespace: string, name: string) => boolean) | undefined;
  /** istiod's ENABLE_GATEWAY_API_INFERENCE_EXTENSION. */
  readonly inferenceExtension: boolean;
}

const ISTIO_GROUP = 'networking.istio.io';
const MCS_GROUP = 'multicluster.x-k8s.io';

/** The feature flag's name, as Istio's condition names it. */
export const INFERENCE_EXTENSION_FLAG = 'ENABLE_GATEWAY_API_INFERENCE_EXTENSION';

/**
 * buildDestination (pilot/pkg/config/kube/gateway/conversion.go) for one backendRef or mirror backendRef of an
 * HTTPRoute in `namespace`: the condition Istio writes in the route's status (ResolvedRefs), or undefined.
 * BackendNotFound, RefNotPermitted and InvalidKind drop the backend (its share of requests fails);
 * InvalidDestination rejects the rule.
 */
export function backendCondition(ref: any, namespace: string, context: ControllerContext): RouteCondition | undefined {
  const group = typeof ref?.group === 'string' ? ref.group : '';
  const kind = typeof ref?.kind === 'string' ? ref.kind : 'Service';
  const name = String(ref?.name ?? '');
  const toNamespace = typeof ref?.namespace === 'string' ? ref.namespace : undefined;
  if (toNamespace !== undefined && toNamespace !== namespace && !backendAllowed(context.set, group, kind, name, toNamespace, namespace)) {
    return { reason: 'RefNotPermitted', message: `backendRef ${name}/${toNamespace} not accessible to a HTTPRoute in namespace "${namespace}" (missing a ReferenceGrant?)` };
  }
  const target = toNamespace ?? namespace;
  let notFound: RouteCondition | undefined;
  if ((group === '' || group === 'core') && kind === 'Service') {
    if (name.includes('.')) return { reason: 'InvalidDestination', message: 'service name invalid; the name of the Service must be used, not the hostname.' };
    // A Service reference without port never reaches Istio: the CRD's CEL rule rejects it first.
    if (context.serviceExists && !context.serviceExists(target, name)) return { reason: 'BackendNotFound', message: `backend(${name}.${target}.svc.cluster.local) not found` };
    return undefined;
  } else if (group === ISTIO_GROUP && kind === 'Hostname') {
    if (toNamespace !== undefined) return { reason: 'InvalidDestination', message: 'namespace may not be set with Hostname type' };
  } else if (group === MCS_GROUP && kind === 'ServiceImport') {
    if (context.serviceExists && !context.serviceExists(target, name)) notFound = { reason: 'BackendNotFound', message: `backend(${name}.${target}.svc.cluster.local) not found` };
  } else if (group === INFERENCE_GROUP && kind === 'InferencePool') {
    if (!context.inferenceExtension) return { reason: 'InvalidKind', message: `InferencePool is not enabled. To enable, set ${INFERENCE_EXTENSION_FLAG} to true in istiod` };
    if (name.includes('.')) return { reason: 'InvalidDestination', message: 'InferencePool.Name invalid; the name of the InferencePool must be used, not the hostname.' };
    if (!context.set.find('InferencePool', target, name)) return { reason: 'BackendNotFound', message: `backend(${name}) not found` };
    return undefined;
  } else {
    return { reason: 'InvalidKind', message: `referencing unsupported backendRef: group "${group}" kind "${kind}"` };
  }
  if (ref?.port === undefined || ref?.port === null) return { reason: 'InvalidDestination', message: 'port is required in backendRef' };
  return notFound;
}

/**
 * ReferenceGrant semantics (Grants.BackendAllowed): a grant in the backend's namespace lets HTTPRoutes of the
 * route's namespace reach that kind (and name, when the grant names one).
 */
function backendAllowed(set: GatewayApiSet, group: string, kind: string, name: string, toNamespace: string, fromNamespace: string): boolean {
  const normalizedGroup = group === 'core' ? '' : group;
  return set.all('ReferenceGrant').some((grant) => grant.namespace === toNamespace
    && asList(grant.spec.from).some((from: any) => from?.group === GATEWAY_GROUP && from?.kind === 'HTTPRoute' && from?.namespace === fromNamespace)
    && asList(grant.spec.to).some((to: any) => (to?.group === 'core' ? '' : to?.group ?? '') === normalizedGroup && to?.kind === kind && (to?.name === undefined || to?.name === '' || to?.name === name)));
}

export function asList(value: unknown): any[] {
  return Array.isArray(value) ? value : [];
}
