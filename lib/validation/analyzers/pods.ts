import type { AnalysisSet } from './analysis-set';

export interface PodLabels {
  readonly namespace: string;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** The Pods of the inputs (istioctl analyze reads Pods only; a Deployment's template is not a pod to it). */
export function podsOf(set: AnalysisSet): PodLabels[] {
  return set.all('Pod').map((pod) => ({ namespace: pod.namespace, name: pod.name, labels: pod.labels }));
}

/** labels.SelectorFromSet(selector).Matches(labels): every selector label equal; an empty selector selects everything. */
export function selects(selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>): boolean {
  return Object.entries(selector).every(([key, value]) => labels[key] === value);
}
