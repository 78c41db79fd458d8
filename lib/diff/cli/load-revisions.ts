import { isAbsolute, relative } from 'node:path';
import { buildTrafficModel } from '../../traffic';
import { buildServiceViews, ServiceView } from '../../traffic-view';
import { defaultBase, resolveCommit } from './git';
import { parseYamlFiles, yamlFilesAt, yamlFilesOnDisk } from './yaml-files';

export interface Revisions {
  /** The base as given (or chosen), and the commit it names. */
  readonly base: string;
  readonly commit: string;
  readonly before: ServiceView[];
  readonly after: ServiceView[];
}

/** The service views of `dist` at the base commit and in the working tree. */
export function loadRevisions(cwd: string, dist: string, base: string | undefined): Revisions {
  const ref = base ?? defaultBase(cwd);
  const commit = resolveCommit(cwd, ref);
  const dir = (isAbsolute(dist) ? relative(cwd, dist) : dist).replace(/\/+$/, '') || '.';
  const cache = new Map<string, unknown[]>();
  const afterObjects = parseYamlFiles(yamlFilesOnDisk(cwd, dir), 'working tree', cache);
  const beforeObjects = parseYamlFiles(yamlFilesAt(cwd, commit, dir), `at ${ref}`, cache);
  return {
    base: ref,
    commit,
    before: buildServiceViews(buildTrafficModel(beforeObjects)),
    after: buildServiceViews(buildTrafficModel(afterObjects)),
  };
}
