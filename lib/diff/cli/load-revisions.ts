import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { UserError } from '../../errors';
import { buildServiceViews, ServiceView } from '../../traffic-view';
import { buildTrafficModel } from '../../traffic';
import { changedFiles, filesMentioning } from './changed-files';
import { defaultBase, resolveCommit, topLevel } from './git';
import { listAt, listOnDisk, parseYamlFiles, readAt, readOnDisk, YAML } from './yaml-files';

export interface Revisions {
  /** The base as given (or chosen), and the commit it names. */
  readonly base: string;
  readonly commit: string;
  /** The services to compare: all of them, or (when few files changed) those the changed files can affect. */
  readonly before: ServiceView[];
  readonly after: ServiceView[];
}

/** Beyond this many changed files, reading everything is as quick as finding what they affect. */
const MAX_SCOPED_FILES = 500;

/** Security objects apply namespace- or mesh-wide: when one changes, every service is compared. */
const SECURITY_KINDS = ['AuthorizationPolicy', 'PeerAuthentication'];

/**
 * The service views of `dist` at the base commit and in the working tree.
 * When few files changed and none holds a security object, only the changed
 * files and the files naming the same hosts (their DestinationRules and
 * VirtualServices) or holding security objects are read: the other services
 * cannot have changed.
 */
export function loadRevisions(cwd: string, dist: string, base: string | undefined): Revisions {
  const top = topLevel(cwd);
  const dir = relative(top, resolve(cwd, dist)) || '.';
  if (dir.startsWith('..')) throw new UserError(`--dist ${dist}: outside the git repository ${top}`);
  const ref = base ?? defaultBase(cwd);
  const commit = resolveCommit(cwd, ref);
  const onDisk = listOnDisk(top, dir);
  const atBase = listAt(top, commit, dir);
  const changed = changedFiles(top, commit, dir).filter((p) => YAML.test(p));
  const where = { before: `at ${ref}`, after: 'working tree' };
  const scoped = changed.length <= MAX_SCOPED_FILES ? loadScoped(top, commit, dir, changed, atBase, where) : undefined;
  if (scoped) return { base: ref, commit, ...scoped };
  const cache = new Map<string, unknown[]>();
  const after = parseYamlFiles(readOnDisk(top, onDisk), where.after, cache);
  const before = parseYamlFiles(readAt(top, atBase), where.before, cache);
  return { base: ref, commit, before: viewsOf(before), after: viewsOf(after) };
}

function loadScoped(top: string, commit: string, dir: string, changed: readonly string[], atBase: ReadonlyMap<string, string>, where: { before: string; after: string }) {
  const cache = new Map<string, unknown[]>();
  const changedAtBase = new Map([...atBase].filter(([path]) => changed.includes(path)));
  const before = parseYamlFiles(readAt(top, changedAtBase), where.before, cache);
  const after = parseYamlFiles(readOnDisk(top, changed.filter((p) => existsSync(join(top, p)))), where.after, cache);
  const scope = scopeOf([...before, ...after]);
  if (!scope) return undefined;
  const related = filesMentioning(top, commit, dir, [...scope.words, ...SECURITY_KINDS]).filter((p) => atBase.has(p) && !changed.includes(p));
  const unchanged = parseYamlFiles(readAt(top, new Map(related.map((p) => [p, atBase.get(p)!]))), where.before, cache);
  const affected = (view: ServiceView) => scope.services.has(view.service) || (view.host !== undefined && scope.hosts.has(view.host));
  return {
    before: viewsOf([...before, ...unchanged]).filter(affected),
    after: viewsOf([...after, ...unchanged]).filter(affected),
  };
}

/** The services and hosts the changed objects touch, and the words naming them; undefined when a security object changed. */
function scopeOf(objects: readonly unknown[]): { services: Set<string>; hosts: Set<string>; words: Set<string> } | undefined {
  const model = buildTrafficModel(objects);
  if (model.authorizationPolicies.length || model.peerAuthentications.length) return undefined;
  const hosts = new Set(model.destinationRules.map((dr) => dr.host));
  const services = new Set(model.virtualServices.map((vs) => vs.ref));
  const words = new Set<string>();
  for (const host of [...hosts, ...model.virtualServices.flatMap((vs) => vs.hosts)]) {
    const label = host.split('.')[0];
    if (label && label !== '*') words.add(label);
  }
  return { services, hosts, words };
}

function viewsOf(objects: readonly unknown[]): ServiceView[] {
  return buildServiceViews(buildTrafficModel(objects));
}
