import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../errors';
import { git } from './git';
import { readDocuments } from '../../traffic/read-documents';

/** A YAML file of a revision: its path (relative to the repository's top), git blob id, and content. */
export interface YamlFile {
  readonly path: string;
  readonly oid: string;
  readonly text: string;
}

export const YAML = /\.ya?ml$/;

/** The YAML files under `dir` at a commit (or, given `paths`, those of them that exist, YAML or not): path → blob id, from one `git ls-tree`. */
export function listAt(top: string, commit: string, dir: string, paths?: readonly string[]): Map<string, string> {
  if (paths && !paths.length) return new Map();
  const listing = git(top, ['ls-tree', '-r', '-z', '--full-tree', commit, '--', ...(paths ?? [`${dir}/`])]).toString();
  const files = new Map<string, string>();
  for (const line of listing.split('\0')) {
    if (!line) continue;
    const [meta, path] = line.split('\t');
    const [, type, oid] = meta.split(' ');
    if (type === 'blob' && (paths !== undefined || YAML.test(path))) files.set(path, oid);
  }
  return files;
}

/** The contents of the given files at a commit, by one `git cat-file --batch`. */
export function readAt(top: string, files: ReadonlyMap<string, string>): YamlFile[] {
  const entries = [...files].sort(([a], [b]) => (a < b ? -1 : 1));
  if (!entries.length) return [];
  const batch = git(top, ['cat-file', '--batch'], entries.map(([, oid]) => oid).join('\n') + '\n');
  const out: YamlFile[] = [];
  let offset = 0;
  for (const [path, oid] of entries) {
    const headerEnd = batch.indexOf(10, offset);
    const size = Number(batch.subarray(offset, headerEnd).toString().split(' ')[2]);
    const start = headerEnd + 1;
    out.push({ path, oid, text: batch.subarray(start, start + size).toString('utf8') });
    offset = start + size + 1;
  }
  return out;
}

/** The YAML files under `dir` in the working tree, relative to `top`; a missing folder is the user's mistake. */
export function listOnDisk(top: string, dir: string): string[] {
  const root = join(top, dir);
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new UserError(`${dir}: no such folder (run npm run synth first, or pass --dist)`);
  const files: string[] = [];
  const walk = (folder: string, prefix: string) => {
    for (const name of readdirSync(folder)) {
      const path = join(folder, name);
      // A link could make the diff read (and print) a file outside dist/, such as git's credentials in a CI checkout.
      if (lstatSync(path).isSymbolicLink()) throw new UserError(`${prefix}${name}: a symbolic link; dist/ holds files only (the diff does not follow links)`);
      if (statSync(path).isDirectory()) walk(path, `${prefix}${name}/`);
      else if (YAML.test(name)) files.push(`${prefix}${name}`);
    }
  };
  walk(root, dir === '.' ? '' : `${dir}/`);
  return files.sort();
}

export function readOnDisk(top: string, paths: readonly string[]): YamlFile[] {
  return [...paths].sort().map((path) => {
    const bytes = readFileSync(join(top, path));
    return { path, oid: blobId(bytes), text: bytes.toString('utf8') };
  });
}

/** Git's blob id, so that a file unchanged since the base is parsed once. */
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
  return readDocuments(file.text, file.path, where);
}
