import { AnalysisSet, ISTIOCTL_DEFAULT_OBJECTS, type AnalyzedObject, type CrossObjectFinding } from './analysis-set';
import { analyzeCaCertificates } from './ca-certificates';
import { analyzeConflictingMeshHosts } from './conflicting-mesh-hosts';
import { analyzeDestinationHosts } from './destination-hosts';
import { analyzeDeprecatedFields } from './deprecation';
import { analyzeDestinationRules } from './destination-rules';
import { analyzeGateways } from './gateways';
import { analyzeJwtClaimRoutes } from './jwt-claim-route';
import { analyzeSubsetPods } from './subset-pods';

/**
 * istioctl analyze's analyzers that report on VirtualServices and DestinationRules, over the validated objects
 * and the context objects (Gateways, Services, ServiceEntries, Pods, RequestAuthentications...). Findings are
 * only ever about validated objects. Identical findings (same object, field, code and message) are one, as
 * istioctl dedupes its messages.
 *
 * Like istioctl, an analyzer runs only when all its inputs are available. Istio config kinds always are
 * (none given is none there); the Kubernetes kinds an analyzer reads from a cluster (Services, Pods) are
 * available when at least one object of that kind is given, as if the inputs were the cluster's content.
 * Without them, as with `istioctl analyze --use-kube=false`, the destination host, subset-pod and JWT-claim
 * analyzers do not run.
 *
 * The gateway analyzer (IST0101 gateway, IST0132, IST0165) judges references to objects that are often owned
 * elsewhere; it runs when the caller said what exists besides the objects (`contextDeclared`, possibly
 * nothing), as the CLI always does.
 */
export function analyzeObjects(objects: readonly AnalyzedObject[], { contextDeclared }: { readonly contextDeclared: boolean }): CrossObjectFinding[] {
  // Whether Services and Pods were given decides which analyzers run; istioctl's defaults do not count.
  const services = objects.some((o) => o.kind === 'Service');
  const pods = objects.some((o) => o.kind === 'Pod');
  const set = new AnalysisSet([...ISTIOCTL_DEFAULT_OBJECTS, ...objects]);
  const findings = [
    ...analyzeConflictingMeshHosts(set),
    ...(services ? analyzeDestinationHosts(set) : []),
    ...analyzeDestinationRules(set),
    ...(contextDeclared ? analyzeGateways(set) : []),
    ...(pods ? analyzeJwtClaimRoutes(set) : []),
    ...analyzeCaCertificates(set),
    ...analyzeDeprecatedFields(set),
    ...(services && pods ? analyzeSubsetPods(set) : []),
  ];
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.objectIndex}|${f.path}|${f.code}|${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
