import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { UserError } from '../../errors';
import { buildServiceViews, ServiceView } from '../../traffic-view';
import { Revision } from '../diff-views';
import { inventoryOf } from '../inventory';
import { buildTrafficModel } from '../../traffic';
import { serviceNamespace } from '../../traffic/hosts';
import { ROOT_NAMESPACE } from '../../traffic/traffic-model';
import { changedFiles, filesMentioning } from './changed-files';
import { defaultBase, resolveCommit, topLevel } from './git';
import { listAt, listOnDisk, parseYamlFiles, readAt, readOnDisk, YAML } from './yaml-files';

export interface Revisions {
  /** The base as given (or chosen), and the commit it names. */
  readonly base: string;
  readonly commit: string;
  /**
   * The services to compare: all of them, or (when few files changed) those
   * the changed files can affect; and the objects around them.
   */
  readonly before: Revision;
  readonly after: Revision;
}

/** Beyond this many changed files, reading everything is as quick as finding what they affect. */
const MAX_SCOPED_FILES = 500;

/** Policies in these namespaces may apply to any service (the root namespace), or to objects written without a namespace. */
const WIDE_NAMESPACES = [ROOT_NAMESPACE, 'default'];

/** Words that find every file holding a security object, whose policies may apply to the services compared. */
const SECURITY_KINDS = ['AuthorizationPolicy', 'PeerAuthentication'];

/**
 * The service views of `dist` at the base commit and in the working tree.
 * When few files changed, only the changed files are read, with the
 * unchanged files that name the same hosts or namespaces (their
 * DestinationRules, VirtualServices) or hold security objects: the other
 * services cannot have changed. Otherwise, or when a mesh-wide policy
 * changed, both revisions are read whole.
 */
export function loadRevisions(cwd: string, dist: string, base: string | undefined, options: { readAll?: boolean } = {}): Revisions {
  const top = topLevel(cwd);
  const dir = relative(top, resolve(cwd, dist)) || '.';
  if (dir.startsWith('..')) throw new UserError(`--dist ${dist}: outside the git repository ${top}`);
  const ref = base ?? defaultBase(cwd);
  const commit = resolveCommit(cwd, ref);
  const onDisk = listOnDisk(top, dir);
  const atBase = listAt(top, commit, dir);
  const allChanged = changedFiles(top, commit, dir);
  const changed = allChanged.filter((p) => YAML.test(p));
  const others = otherFiles(top, commit, allChanged.filter((p) => !YAML.test(p)));
  const where = { before: `at ${ref}`, after: 'working tree' };
  const scoped = !options.readAll && changed.length <= MAX_SCOPED_FILES ? loadScoped(top, commit, dir, changed, atBase, where) : undefined;
  if (scoped) return { base: ref, commit, before: withFiles(scoped.before, others.before), after: withFiles(scoped.after, others.after) };
  const cache = new Map<string, unknown[]>();
  const after = parseYamlFiles(readOnDisk(top, onDisk), where.after, cache);
  const before = parseYamlFiles(readAt(top, atBase), where.before, cache);
  return {
    base: ref,
    commit,
    before: withFiles({ services: viewsOf(before), inventory: inventoryOf(before) }, others.before),
    after: withFiles({ services: viewsOf(after), inventory: inventoryOf(after) }, others.after),
  };
}

/**
 * Changed files that are not YAML (a JSON manifest that Argo CD applies
 * from the folder, anything else): the diff cannot read them, so each is an
 * unread object, `File path` → its blob id in each revision that has it.
 */
function otherFiles(top: string, commit: string, paths: readonly string[]): { before: Map<string, string>; after: Map<string, string> } {
  const atBase = listAt(top, commit, '', paths);
  const before = new Map([...atBase].map(([path, oid]) => [`File ${path}`, oid]));
  const after = new Map(readOnDisk(top, paths.filter((p) => existsSync(join(top, p)))).map((f) => [`File ${f.path}`, f.oid]));
  return { before, after };
}

function withFiles(revision: Revision, files: ReadonlyMap<string, string>): Revision {
  if (!files.size) return revision;
  return { ...revision, inventory: { ...revision.inventory, unread: new Map([...revision.inventory.unread, ...files]) } };
}

function loadScoped(top: string, commit: string, dir: string, changed: readonly string[], atBase: ReadonlyMap<string, string>, where: { before: string; after: string }) {
  const cache = new Map<string, unknown[]>();
  const isChanged = new Set(changed);
  const changedAtBase = new Map([...atBase].filter(([path]) => isChanged.has(path)));
  const before = parseYamlFiles(readAt(top, changedAtBase), where.before, cache);
  const after = parseYamlFiles(readOnDisk(top, changed.filter((p) => existsSync(join(top, p)))), where.after, cache);
  const scope = scopeOf([...before, ...after]);
  if (!scope) return undefined;
  const related = filesMentioning(top, commit, dir, [...scope.words, ...SECURITY_KINDS]).filter((p) => atBase.has(p) && !isChanged.has(p));
  const unchanged = parseYamlFiles(readAt(top, new Map(related.map((p) => [p, atBase.get(p)!]))), where.before, cache);
  const affected = (view: ServiceView) =>
    scope.services.has(view.service) || (view.host !== undefined && scope.hosts.has(view.host)) || scope.namespaces.has(workloadNamespace(view));
  // Unchanged files hold the same objects in both revisions: only the changed files' objects can differ.
  return {
    before: { services: viewsOf([...before, ...unchanged]).filter(affected), inventory: inventoryOf(before) },
    after: { services: viewsOf([...after, ...unchanged]).filter(affected), inventory: inventoryOf(after) },
  };
}

interface Scope {
  readonly services: Set<string>;
  readonly hosts: Set<string>;
  /** Namespaces whose policies changed: every service there is compared. */
  readonly namespaces: Set<string>;
  /** What the files of those services and hosts mention. */
  readonly words: Set<string>;
}

/** What the changed objects can affect; undefined when a policy may apply to any service. */
function scopeOf(objects: readonly unknown[]): Scope | undefined {
  const model = buildTrafficModel(objects);
  const namespaces = new Set([...model.authorizationPolicies, ...model.peerAuthentications].map((p) => p.namespace));
  if (WIDE_NAMESPACES.some((n) => namespaces.has(n))) return undefined;
  const hosts = new Set(model.destinationRules.map((dr) => dr.host));
  const services = new Set(model.virtualServices.map((vs) => vs.ref));
  const words = new Set(namespaces);
  for (const host of [...hosts, ...model.virtualServices.flatMap((vs) => vs.hosts)]) {
    const label = host.split('.')[0];
    if (label && label !== '*') words.add(label);
  }
  return { services, hosts, namespaces, words };
}

/** Where the service's pods run, whose policies apply to them. */
function workloadNamespace(view: ServiceView): string {
  return (view.host !== undefined ? serviceNamespace(view.host) : undefined) ?? view.service.split('/')[0];
}

function viewsOf(objects: readonly unknown[]): ServiceView[] {
  return buildServiceViews(buildTrafficModel(objects));
}
