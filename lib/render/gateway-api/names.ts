import { ServiceModel } from '../../model/service-model';

/**
 * How the Gateway API output names its objects, all in the service's
 * namespace: fixed names, never hashes, so GitOps tools track them.
 */
export const gatewayApiNames = {
  /** The in-mesh routes (Service parent): the service's own name. */
  meshRoute: (service: Named): string => service.name,
  /** The routes of the ingress Gateways. */
  ingressRoute: (service: Named): string => `${service.name}-ingress`,
  /** A version's Service, and the DestinationRule of its host: `<service>-<version>`. */
  version: (service: Named, version: string): string => `${service.name}-${version}`,
};

/** A service as its names need it (the model, or the construct before it is resolved). */
interface Named {
  readonly name: string;
}

/** Kubernetes Service names: DNS-1035 labels. */
export const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/**
 * The Kubernetes Service a host names in the service's namespace: a short
 * name, or `name.<namespace>.svc.<domain>`. Undefined for any other host (a
 * ServiceEntry's), which no Service parentRef can name.
 */
export function parentServiceOf(model: Pick<ServiceModel, 'host' | 'namespace'>): string | undefined {
  const parts = model.host.split('.');
  if (parts.length === 1) return model.host;
  return parts.length > 3 && parts[1] === model.namespace && parts[2] === 'svc' ? parts[0] : undefined;
}

/** The per-version Services' port: the service's port, else 80 (a port of our own Services only; the pods' port is targetPort). */
export function backendPortOf(model: ServiceModel): number {
  return model.port ?? 80;
}
