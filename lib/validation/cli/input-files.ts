import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const YAML_FILE = /\.ya?ml$/i;

export class InputError extends Error {}

/** Expands the CLI paths: files as given, folders recursively to their .yaml/.yml files, in a stable order. */
export function collectInputFiles(paths: readonly string[]): string[] {
  const files: string[] = [];
  for (const path of paths) {
    let stats;
    try {
      stats = statSync(path);
    } catch {
      throw new InputError(`${path}: no such file or directory`);
    }
    if (stats.isDirectory()) files.push(...yamlFilesUnder(path));
    else files.push(path);
  }
  return [...new Set(files)];
}

function yamlFilesUnder(folder: string): string[] {
  const entries = readdirSync(folder, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return entries.flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return yamlFilesUnder(path);
    return entry.isFile() && YAML_FILE.test(entry.name) ? [path] : [];
  });
}
