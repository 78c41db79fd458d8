import type { AnalysisSet } from './analysis-set';

export interface PodLabels {
  readonly namespace: string;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** Labels Istio's service registry adds to an endpoint (pilot's serviceregistry/util/label). */
const HOSTNAME = 'kubernetes.io/hostname';
const REGION = 'topology.kubernetes.io/region';
const ZONE = 'topology.kubernetes.io/zone';
const SUBZONE = 'topology.istio.io/subzone';

/** The Pods of the inputs with their own labels (istioctl analyze reads Pods only; a Deployment's template is not a pod to it). */
export function podsOf(set: AnalysisSet): PodLabels[] {
  return set.all('Pod').map((pod) => ({ namespace: pod.namespace, name: pod.name, labels: pod.labels }));
}

/**
 * The Pods with the labels Istio gives their endpoints, which destinationrule.SubsetSelectPodAnalyzer matches
 * subsets against: the Pod's own, then `kubernetes.io/hostname` (its `spec.nodeName`) and the locality of its
 * Node (`topology.kubernetes.io/region`, `.../zone`, `topology.istio.io/subzone`), as pilot's AugmentLabels does.
 * Nodes are cluster-scoped: found by name alone.
 */
export function endpointsOf(set: AnalysisSet): PodLabels[] {
  const nodeLabels = new Map(set.all('Node').map((node) => [node.name, node.labels]));
  return set.all('Pod').map((pod) => {
    const nodeName = typeof pod.spec?.nodeName === 'string' ? pod.spec.nodeName : '';
    const node = nodeLabels.get(nodeName);
    return { namespace: pod.namespace, name: pod.name, labels: augmentLabels(pod.labels, nodeName, node ? localityOf(node) : '') };
  });
}

/**
 * pilot's LocalityToString over a Node's topology labels: `region[/zone[/subzone]]`; a zone without a region
 * gives `/zone`, and a subzone counts only under a zone.
 */
export function localityOf(nodeLabels: Readonly<Record<string, string>>): string {
  const region = nodeLabels[REGION] ?? '';
  const zone = nodeLabels[ZONE] ?? '';
  const subzone = nodeLabels[SUBZONE] ?? '';
  if (zone === '') return region;
  return subzone === '' ? `${region}/${zone}` : `${region}/${zone}/${subzone}`;
}

/** pilot's AugmentLabels without cluster and network: the locality's non-empty parts and the node name override the Pod's labels. */
export function augmentLabels(labels: Readonly<Record<string, string>>, nodeName: string, locality: string): Record<string, string> {
  const out: Record<string, string> = { ...labels };
  const [region = '', zone = '', subzone = ''] = locality.split('/');
  if (region !== '') out[REGION] = region;
  if (zone !== '') out[ZONE] = zone;
  if (subzone !== '') out[SUBZONE] = subzone;
  if (nodeName !== '') out[HOSTNAME] = nodeName;
  return out;
}

/** labels.SelectorFromSet(selector).Matches(labels): every selector label equal; an empty selector selects everything. */
export function selects(selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>): boolean {
  return Object.entries(selector).every(([key, value]) => labels[key] === value);
}
