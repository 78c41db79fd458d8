import { checkLabelName } from '../values/names';

/** A workload allowed to call a model, identified by its mTLS identity. */
export class Caller {
  /** One service account: `cluster.local/ns/<namespace>/sa/<name>`. */
  public static serviceAccount(namespace: string, name: string, trustDomain = 'cluster.local'): Caller {
    checkLabelName('Caller.serviceAccount: namespace', namespace);
    return new Caller({ principals: [`${trustDomain}/ns/${namespace}/sa/${name}`] });
  }

  /** Every workload of a namespace. */
  public static namespace(namespace: string): Caller {
    return new Caller({ namespaces: [checkLabelName('Caller.namespace: namespace', namespace)] });
  }

  private constructor(public readonly source: { principals?: string[]; namespaces?: string[] }) {}
}
