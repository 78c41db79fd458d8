import { UserError } from '../errors';

/**
 * The namespace a ModelService host names, if it names a Kubernetes Service
 * by its full name (`name.namespace.svc.<cluster domain>`). Istio expands
 * only names without dots, so a partly qualified `name.namespace.svc` names
 * no Service at all and is refused.
 */
export function hostNamespaceOf(where: string, host: string): string | undefined {
  const parts = host.split('.');
  const svcAt = parts.indexOf('svc');
  if (svcAt === 2 && parts.length === 3) {
    throw new UserError(`${where}: host must be a short name or a fully qualified name (${parts[0]}.${parts[1]}.svc.cluster.local): Istio expands only names without dots, so this one names no Service, received "${host}"`);
  }
  return svcAt === 2 && parts.length > 3 ? parts[1] : undefined;
}
