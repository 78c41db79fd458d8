/**
 * An object's kind, name and namespace as kubectl (and so istioctl with -n
 * default) reads them: a missing or empty namespace is `defaultNamespace`.
 */
export function objectIdentity(o: Record<string, any>, defaultNamespace: string): { kind: string; name: string; namespace: string } {
  const metadata = o.metadata ?? {};
  return {
    kind: o.kind,
    name: typeof metadata.name === 'string' ? metadata.name : '',
    namespace: typeof metadata.namespace === 'string' && metadata.namespace !== '' ? metadata.namespace : defaultNamespace,
  };
}
