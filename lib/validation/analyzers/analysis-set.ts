import type { Finding } from '../core/finding';
import { objectIdentity } from '../core/object-identity';

/**
 * One object as istioctl analyze's analyzers see it: a resource.Instance (full name, labels, annotations,
 * spec). `index` points into the array given to validateObjects; context objects (read for analysis only,
 * never reported on) have none.
 */
export interface AnalyzedObject {
  readonly index: number | undefined;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly spec: any;
}

/** A finding of a cross-object analyzer: always about one of the validated (not context) objects. */
export interface CrossObjectFinding extends Finding {
  readonly objectIndex: number;
}

/** Kinds the analyzers read, by apiVersion group; anything else is not part of analysis. */
const ANALYZED_KINDS: Readonly<Record<string, readonly string[]>> = {
  'networking.istio.io': ['VirtualService', 'DestinationRule', 'Gateway', 'ServiceEntry', 'Sidecar'],
  'security.istio.io': ['RequestAuthentication'],
  '': ['Service', 'Pod', 'Node'],
  apps: ['Deployment'],
};

/** The Kubernetes kinds (not Istio objects) that analysis reads: Services, Pods, Nodes, Deployments. */
export function isKubernetesContextKind(apiVersion: unknown, kind: unknown): boolean {
  return apiVersion === 'v1' ? kind === 'Service' || kind === 'Pod' || kind === 'Node' : apiVersion === 'apps/v1' && kind === 'Deployment';
}

export function isAnalyzedKind(apiVersion: unknown, kind: unknown): boolean {
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') return false;
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  return ANALYZED_KINDS[group]?.includes(kind) ?? false;
}

function stringMap(value: unknown): Record<string, string> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return {};
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(value)) if (typeof v === 'string') out[key] = v;
  return out;
}

const NO_STRINGS: Readonly<Record<string, string>> = Object.freeze({});

/**
 * The analyzers' view of a parsed object; kubectl (and so istioctl with -n default) puts objects without a
 * namespace in `default`. Only Pods' and Nodes' labels and Services' annotations are read by analyzers.
 */
export function toAnalyzedObject(o: Record<string, any>, index: number | undefined, defaultNamespace: string): AnalyzedObject {
  const metadata = o.metadata ?? {};
  return {
    index,
    ...objectIdentity(o, defaultNamespace),
    labels: o.kind === 'Pod' || o.kind === 'Node' ? stringMap(metadata.labels) : NO_STRINGS,
    annotations: o.kind === 'Service' ? stringMap(metadata.annotations) : NO_STRINGS,
    spec: o.spec,
  };
}

/**
 * What `istioctl analyze` adds when it reads files (IstiodAnalyzer.AddDefaultResources): the ingress gateway
 * Service and a Pod of it, in the Istio namespace. Only analyzers that read Services or Pods see them.
 */
export const ISTIOCTL_DEFAULT_OBJECTS: readonly AnalyzedObject[] = [
  {
    index: undefined, kind: 'Pod', name: 'istio-ingressgateway-dummypod', namespace: 'istio-system', labels: { istio: 'ingressgateway' }, annotations: {},
    spec: { containers: [{ name: 'istio-proxy' }] },
  },
  {
    index: undefined, kind: 'Service', name: 'istio-ingressgateway', namespace: 'istio-system', labels: {}, annotations: {},
    spec: {
      selector: { istio: 'ingressgateway' },
      ports: [{ name: 'http2', port: 80 }, { name: 'https', port: 443 }, { name: 'tcp', port: 31400 }, { name: 'tls', port: 15443 }],
    },
  },
];

/** Everything analysis reads, grouped by kind; objects with the same namespace/name are one object (the last applied wins). */
export class AnalysisSet {
  private readonly byKind = new Map<string, Map<string, AnalyzedObject>>();
  private readonly sorted = new Map<string, AnalyzedObject[]>();

  constructor(objects: readonly AnalyzedObject[]) {
    for (const object of objects) {
      let ofKind = this.byKind.get(object.kind);
      if (!ofKind) this.byKind.set(object.kind, (ofKind = new Map()));
      ofKind.set(fullName(object), object);
    }
  }

  /** In a stable order: by namespace, then name (istioctl's in-memory store lists them sorted). */
  all(kind: string): readonly AnalyzedObject[] {
    let list = this.sorted.get(kind);
    if (!list) {
      const entries = [...(this.byKind.get(kind) ?? new Map<string, AnalyzedObject>())];
      entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      this.sorted.set(kind, (list = entries.map(([, object]) => object)));
    }
    return list;
  }

  find(kind: string, namespace: string, name: string): AnalyzedObject | undefined {
    return this.byKind.get(kind)?.get(`${namespace}/${name}`);
  }

  /** Objects of the validated set (not context), the only ones findings may be about. */
  reported(kind: string): (AnalyzedObject & { readonly index: number })[] {
    return this.all(kind).filter((o): o is AnalyzedObject & { index: number } => o.index !== undefined);
  }
}

export function fullName(object: Pick<AnalyzedObject, 'namespace' | 'name'>): string {
  return `${object.namespace}/${object.name}`;
}

/** Go's %q for the strings analyzers quote (names and hosts): JSON's escaping agrees on them. */
export function goQuote(value: string): string {
  return JSON.stringify(value);
}

/** Go's %v of a []string: `[a b]`. */
export function goList(values: readonly unknown[]): string {
  return `[${values.map(String).join(' ')}]`;
}
