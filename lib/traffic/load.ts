import { readFileSync } from 'node:fs';
import { UserError } from '../errors';
import { collectInputFiles, InputError } from '../validation/cli/input-files';
import { readDocuments } from './read-documents';
import { buildTrafficModel, TrafficModel } from './traffic-model';

/** Reads YAML files and folders (recursively) into a traffic model; unreadable or malformed input is a UserError naming the file. */
export function loadTrafficModel(paths: readonly string[]): TrafficModel {
  let files: string[];
  try {
    files = collectInputFiles(paths);
  } catch (error) {
    if (error instanceof InputError) throw new UserError(error.message);
    throw error;
  }
  return buildTrafficModel(files.flatMap((file) => readDocuments(readFileSync(file, 'utf8'), file)));
}
