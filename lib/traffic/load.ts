import { readFileSync } from 'node:fs';
import { loadAll } from 'js-yaml';
import { UserError } from '../errors';
import { collectInputFiles, InputError } from '../validation/cli/input-files';
import { buildTrafficModel, TrafficModel } from './traffic-model';

/** Reads YAML files and folders (recursively) into a traffic model; unreadable input is a UserError naming the file. */
export function loadTrafficModel(paths: readonly string[]): TrafficModel {
  let files: string[];
  try {
    files = collectInputFiles(paths);
  } catch (error) {
    if (error instanceof InputError) throw new UserError(error.message);
    throw error;
  }
  const objects: unknown[] = [];
  for (const file of files) {
    try {
      loadAll(readFileSync(file, 'utf8'), (doc) => objects.push(doc));
    } catch (error) {
      const mark = (error as { mark?: { line: number } }).mark;
      const reason = (error as { reason?: string }).reason ?? (error as Error).message;
      throw new UserError(`${file}${mark ? `:${mark.line + 1}` : ''}: not valid YAML: ${reason}`);
    }
  }
  return buildTrafficModel(objects);
}
