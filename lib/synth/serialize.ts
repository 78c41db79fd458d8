import { stringify } from 'yaml';
import { OutputFile } from './collect';

/** Multi-document YAML, byte-stable: keys are already sorted and lines never fold. */
export function serializeFile(file: OutputFile): string {
  return file.objects.map((o) => stringify(o.json, { lineWidth: 0 })).join('---\n');
}

/** Lists every file so that `kubectl apply -k`, Flux and Argo CD apply the same set. */
export function kustomization(files: readonly OutputFile[]): string {
  return stringify({
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    resources: files.map((f) => f.path),
  }, { lineWidth: 0 });
}
