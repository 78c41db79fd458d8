import { checkHostname, checkLabelName } from '../values/names';

/**
 * A workload allowed to call a model, identified by its mTLS identity. Each
 * names exactly one identity or namespace: Istio reads `*` in a principal
 * as a wildcard, so names are checked, never passed through.
 */
export class Caller {
  /** One service account: `cluster.local/ns/<namespace>/sa/<name>`. */
  public static serviceAccount(namespace: string, name: string, trustDomain = 'cluster.local'): Caller {
    checkLabelName('Caller.serviceAccount: namespace', namespace);
    checkHostname('Caller.serviceAccount: name', name);
    checkHostname('Caller.serviceAccount: trustDomain', trustDomain);
    return new Caller({ principals: [`${trustDomain}/ns/${namespace}/sa/${name}`] });
  }

  /** Every workload of a namespace. */
  public static namespace(namespace: string): Caller {
    return new Caller({ namespaces: [checkLabelName('Caller.namespace: namespace', namespace)] });
  }

  private constructor(public readonly source: { principals?: string[]; namespaces?: string[] }) {}
}
