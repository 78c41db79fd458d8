import fs from 'node:fs';
import path from 'node:path';
import YAML from './yaml.mjs';

/** Every *.yaml / *.yml under dir, recursively, in name order. */
export function listYamlFiles(dir) {
  const out = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && /\.ya?ml$/i.test(e.name)) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** The group of an apiVersion ("" for core "v1"). */
export const apiGroupOf = (apiVersion) => (String(apiVersion).includes('/') ? String(apiVersion).split('/')[0] : '');

/**
 * The documents of a file: parse errors, Kubernetes objects (with apiVersion and
 * kind; `doc` keeps the source text) and other non-empty documents.
 */
export function readKubernetesObjects(file) {
  const docs = YAML.parseAllDocuments(fs.readFileSync(file, 'utf8'));
  const errors = docs.flatMap((d) => d.errors.map((e) => e.message));
  const objects = [];
  const other = [];
  for (const doc of docs) {
    const value = doc.toJS();
    if (value == null) continue;
    if (typeof value === 'object' && !Array.isArray(value) && value.apiVersion && value.kind) objects.push({ doc, obj: value });
    else other.push(value);
  }
  return { errors, objects, other };
}
