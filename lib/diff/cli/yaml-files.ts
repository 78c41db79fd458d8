import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { loadAll } from 'js-yaml';
import { UserError } from '../../errors';
import { git } from './git';

/** A YAML file of a revision: its path (relative to the working directory), git blob id, and content. */
export interface YamlFile {
  readonly path: string;
  readonly oid: string;
  readonly text: string;
}

const YAML = /\.ya?ml$/;

/** The YAML files under `dir` at a commit, read with one `git ls-tree` and one `git cat-file --batch`. */
export function yamlFilesAt(cwd: string, commit: string, dir: string): YamlFile[] {
  const listing = git(cwd, ['ls-tree', '-r', '-z', commit, '--', `${dir}/`]).toString();
  const entries = listing.split('\0').filter(Boolean).map((line) => {
    const [meta, path] = line.split('\t');
    const [, type, oid] = meta.split(' ');
    return { type, oid, path };
  }).filter((e) => e.type === 'blob' && YAML.test(e.path));
  if (!entries.length) return [];
  const batch = git(cwd, ['cat-file', '--batch'], entries.map((e) => e.oid).join('\n') + '\n');
  const files: YamlFile[] = [];
  let offset = 0;
  for (const entry of entries) {
    const headerEnd = batch.indexOf(10, offset);
    const size = Number(batch.subarray(offset, headerEnd).toString().split(' ')[2]);
    const start = headerEnd + 1;
    files.push({ path: entry.path, oid: entry.oid, text: batch.subarray(start, start + size).toString('utf8') });
    offset = start + size + 1;
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : 1));
}

/** The YAML files under `dir` in the working tree; a missing folder is the user's mistake. */
export function yamlFilesOnDisk(cwd: string, dir: string): YamlFile[] {
  const root = join(cwd, dir);
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new UserError(`${dir}: no such folder (run npm run synth first, or pass --dist)`);
  const files: YamlFile[] = [];
  const walk = (folder: string) => {
    for (const name of readdirSync(folder).sort()) {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (YAML.test(name)) {
        const bytes = readFileSync(path);
        files.push({ path: relative(cwd, path), oid: blobId(bytes), text: bytes.toString('utf8') });
      }
    }
  };
  walk(root);
  return files.sort((a, b) => (a.path < b.path ? -1 : 1));
}

/** Git's blob id, so that files unchanged since the base are parsed once. */
function blobId(bytes: Buffer): string {
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

/** Parses files into objects; a file already parsed (same blob) is not parsed again. */
export function parseYamlFiles(files: readonly YamlFile[], where: string, cache: Map<string, unknown[]>): unknown[] {
  const objects: unknown[] = [];
  for (const file of files) {
    let docs = cache.get(file.oid);
    if (!docs) {
      docs = parseYaml(file, where);
      cache.set(file.oid, docs);
    }
    objects.push(...docs);
  }
  return objects;
}

function parseYaml(file: YamlFile, where: string): unknown[] {
  const docs: unknown[] = [];
  try {
    loadAll(file.text, (doc) => docs.push(doc));
  } catch (error) {
    const mark = (error as { mark?: { line: number } }).mark;
    const reason = (error as { reason?: string }).reason ?? (error as Error).message;
    throw new UserError(`${file.path}${mark ? `:${mark.line + 1}` : ''} (${where}): not valid YAML: ${reason}`);
  }
  return docs;
}
