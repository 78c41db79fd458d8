import { ExplainedDestination } from '../traffic';

type Json = Record<string, any>;

/**
 * Names each destination of one output by what it stands for, `ns/service@version`,
 * so that the Istio output (a DestinationRule subset of the service's host) and the
 * Gateway API output (a per-version Service `<service>-<version>`) can be compared
 * request by request. A per-version Service counts as the version only if its
 * selector holds the subset's labels; anything else keeps its raw name and so
 * differs from the other side.
 */
export interface VersionKeys {
  keyOf(destination: Pick<ExplainedDestination, 'host' | 'subset'>): string;
}

const FQDN = /^([^.]+)\.([^.]+)\.svc\.cluster\.local$/;

export interface ServiceSubsets {
  /** `ns/service` of the DestinationRule's host. */
  readonly service: string;
  /** Subset name → its labels. */
  readonly subsets: ReadonlyMap<string, Readonly<Record<string, string>>>;
}

/**
 * The Istio output's subsets by `ns/<DestinationRule name>`: the library names
 * the DestinationRule, and the per-version Services `<name>-<version>`, after
 * the ModelService, whose host may be another Service's name.
 */
export function subsetsOf(objects: readonly unknown[]): Map<string, ServiceSubsets> {
  const byRule = new Map<string, ServiceSubsets>();
  for (const o of objects as Json[]) {
    if (o?.kind !== 'DestinationRule' || typeof o.spec?.host !== 'string') continue;
    const namespace = o.metadata?.namespace ?? 'default';
    const host: string = o.spec.host;
    const subsets = new Map<string, Readonly<Record<string, string>>>();
    for (const s of o.spec.subsets ?? []) subsets.set(s.name, s.labels ?? {});
    // A short host is the Service of the rule's namespace; `name.ns...` names its own.
    const [name, hostNamespace] = host.split('.');
    if (subsets.size) byRule.set(`${namespace}/${o.metadata?.name}`, { service: `${hostNamespace ?? namespace}/${name}`, subsets });
  }
  return byRule;
}

/** The Istio output: a subset of a service's host is that service's version. */
export function istioVersionKeys(): VersionKeys {
  return {
    keyOf({ host, subset }) {
      const m = FQDN.exec(host);
      if (!m) return subset === null ? host : `${host}#${subset}`;
      return subset === null ? `${m[2]}/${m[1]}` : `${m[2]}/${m[1]}@${subset}`;
    },
  };
}

/**
 * The Gateway API output: a per-version Service `<name>-<version>` whose
 * selector holds the labels of subset `<version>` of the Istio output's
 * DestinationRule `<name>` is that version of the rule's host; checked, not
 * assumed from the name alone.
 */
export function gatewayApiVersionKeys(objects: readonly unknown[], subsets: ReturnType<typeof subsetsOf>): VersionKeys {
  const versionOfService = new Map<string, string>();
  for (const o of objects as Json[]) {
    if (o?.kind !== 'Service' || o.apiVersion !== 'v1') continue;
    const namespace = o.metadata?.namespace ?? 'default';
    const name: string = o.metadata?.name ?? '';
    const selector: Record<string, string> = o.spec?.selector ?? {};
    // `<name>-<version>`, either of which may hold dashes: each split is one lookup, not a scan of every rule.
    for (let dash = name.indexOf('-'); dash > 0; dash = name.indexOf('-', dash + 1)) {
      const rule = subsets.get(`${namespace}/${name.slice(0, dash)}`);
      const version = name.slice(dash + 1);
      const labels = rule?.subsets.get(version);
      if (labels && Object.entries(labels).every(([k, v]) => selector[k] === v)) versionOfService.set(`${namespace}/${name}`, `${rule!.service}@${version}`);
    }
  }
  const istio = istioVersionKeys();
  return {
    keyOf(destination) {
      const m = FQDN.exec(destination.host);
      const version = m && destination.subset === null ? versionOfService.get(`${m[2]}/${m[1]}`) : undefined;
      return version ?? istio.keyOf(destination);
    },
  };
}
