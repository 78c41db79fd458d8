// Sorts the files of the dist dir into what each check gets. istioctl gets every
// file with Kubernetes objects; the CRD-only API server gets only objects of the
// groups it serves (a file mixing in e.g. a core Service is dry-run as a copy
// holding just its Istio objects).
import fs from 'node:fs';
import path from 'node:path';
import { rel } from './log.mjs';
import { apiGroupOf, listYamlFiles, readKubernetesObjects } from './yaml-files.mjs';

const isKustomization = (file) => /^kustomization\.ya?ml$/.test(path.basename(file).toLowerCase());

/**
 * @returns {{ objectFiles: string[], applyFiles: string[], distFileOf: Map<string, string>,
 *   objectCount: number, namespaces: Set<string>, unnamespaced: number, notes: string[], failures: string[] }}
 *   distFileOf maps a filtered copy back to its dist file.
 */
export function sortDistFiles(distDir, servedGroups, copiesDir) {
  const inputs = {
    objectFiles: [],
    applyFiles: [],
    distFileOf: new Map(),
    objectCount: 0,
    namespaces: new Set(),
    unnamespaced: 0,
    notes: [],
    failures: [],
  };
  for (const file of listYamlFiles(distDir)) {
    if (isKustomization(file)) {
      // `kubectl apply -f dist` refuses it (not a Kubernetes object), and applies nothing else either.
      inputs.failures.push(`dist: ${rel(file)} is a kustomization, not a Kubernetes object: \`kubectl apply -f\` refuses the directory`);
      continue;
    }
    if (path.dirname(file) !== distDir) {
      // kubectl reads only a directory's top level without -R: this file's objects would never be applied.
      inputs.failures.push(`dist: ${rel(file)} is in a subfolder, which \`kubectl apply -f ${rel(distDir)}\` does not read`);
    }
    const { errors, objects, other } = readKubernetesObjects(file);
    if (errors.length) {
      inputs.failures.push(`dist: ${rel(file)} is not valid YAML: ${errors[0]}`);
      continue;
    }
    if (other.length) inputs.notes.push(`${rel(file)}: ${other.length} document(s) without apiVersion/kind ignored`);
    if (!objects.length) {
      inputs.notes.push(`skipped ${rel(file)}: no Kubernetes objects`);
      continue;
    }
    inputs.objectCount += objects.length;
    inputs.objectFiles.push(file);
    for (const { obj } of objects) {
      if (obj.metadata?.namespace) inputs.namespaces.add(obj.metadata.namespace);
      else inputs.unnamespaced++;
    }

    const served = objects.filter(({ obj }) => servedGroups.has(apiGroupOf(obj.apiVersion)));
    for (const { obj } of objects.filter((o) => !served.includes(o))) {
      inputs.notes.push(`${rel(file)}: ${obj.apiVersion} ${obj.kind} ${obj.metadata?.name ?? ''} not dry-run (the CRD-only API server does not serve it)`);
    }
    if (served.length === objects.length && !other.length) {
      inputs.applyFiles.push(file);
    } else if (served.length) {
      const copy = path.join(copiesDir, path.relative(distDir, file));
      fs.mkdirSync(path.dirname(copy), { recursive: true });
      fs.writeFileSync(copy, served.map(({ doc }) => doc.toString()).join('---\n'));
      inputs.applyFiles.push(copy);
      inputs.distFileOf.set(copy, file);
    }
  }
  return inputs;
}
