import { canonical } from '../traffic-view/match-label';
import { readsObject } from '../traffic/traffic-model';
import { unreadFields } from './unread-fields';

/** What a revision holds besides its services: its security objects, and what the traffic model cannot read. */
export interface Inventory {
  /** AuthorizationPolicies and PeerAuthentications, `Kind namespace/name` → the pods they select (and a PeerAuthentication's mode). */
  readonly securityObjects: ReadonlyMap<string, SecurityTarget>;
  /** Objects of kinds the traffic model does not read, `Kind namespace/name` → their content (canonical JSON). */
  readonly unread: ReadonlyMap<string, string>;
  /** Every object it reads, with the fields it does not compare: `Kind namespace/name` → field path → JSON. */
  readonly unreadFields: ReadonlyMap<string, ReadonlyMap<string, string>>;
}

export interface SecurityTarget {
  /** `matchLabels`; empty: every pod of the namespace (of the mesh, in the root namespace). */
  readonly selector: Readonly<Record<string, string>>;
  readonly mode?: string;
}

const NONE: ReadonlyMap<string, string> = new Map();

const SECURITY_KINDS = new Set(['AuthorizationPolicy', 'PeerAuthentication']);

type Json = { readonly [key: string]: unknown };

export function inventoryOf(objects: readonly unknown[]): Inventory {
  const securityObjects = new Map<string, SecurityTarget>();
  const unread = new Map<string, string[]>();
  const fields = new Map<string, ReadonlyMap<string, string>>();
  for (const object of objects) {
    if (object === null || object === undefined) continue; // an empty YAML document
    if (readsObject(object)) {
      const { kind } = object as Json;
      if (SECURITY_KINDS.has(kind as string)) securityObjects.set(objectName(object), securityTarget(object as Json));
      const parts = unreadFields(object);
      fields.set(objectName(object), parts.size ? parts : NONE);
      continue;
    }
    if (isPlainKustomization(object)) continue;
    const name = objectName(object);
    unread.set(name, [...(unread.get(name) ?? []), canonical(object)]);
  }
  return { securityObjects, unread: new Map([...unread].map(([name, texts]) => [name, texts.sort().join('\n')])), unreadFields: fields };
}

function securityTarget(object: Json): SecurityTarget {
  const spec = (object.spec ?? {}) as { selector?: { matchLabels?: Record<string, string> }; mtls?: { mode?: string } };
  const mode = spec.mtls?.mode;
  return { selector: { ...(spec.selector?.matchLabels ?? {}) }, ...(mode !== undefined ? { mode: String(mode) } : {}) };
}

/** `EnvoyFilter ml/strip-rbac`; an object without a namespace is in `default`, as the model reads it. */
export function objectName(object: unknown): string {
  const o = (typeof object === 'object' && object !== null && !Array.isArray(object) ? object : {}) as Json;
  const metadata = (typeof o.metadata === 'object' && o.metadata !== null ? o.metadata : {}) as Json;
  const kind = typeof o.kind === 'string' ? o.kind : '(no kind)';
  const name = typeof metadata.name === 'string' ? metadata.name : '(no name)';
  return `${kind} ${typeof metadata.namespace === 'string' ? metadata.namespace : 'default'}/${name}`;
}

/**
 * A kustomization that only lists files of dist/ adds nothing the diff does
 * not read; patches, generators, remote or outside resources would.
 */
function isPlainKustomization(object: unknown): boolean {
  const o = object as Json;
  if (typeof o !== 'object' || o.kind !== 'Kustomization' || !String(o.apiVersion ?? '').startsWith('kustomize.config.k8s.io/')) return false;
  if (Object.keys(o).some((key) => !['apiVersion', 'kind', 'resources'].includes(key))) return false;
  const resources = o.resources ?? [];
  return Array.isArray(resources) && resources.every((r) => typeof r === 'string' && /\.ya?ml$/.test(r) && !r.startsWith('/') && !r.includes('://') && !r.split('/').includes('..'));
}
