import { Chart, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { DestinationRule, VirtualService } from '../imports/networking.istio.io';
import { AuthorizationPolicy, PeerAuthentication } from '../imports/security.istio.io';
import { UserError } from './errors';
import { ModelServiceProps } from './model-service-props';
import { declarationProblems } from './model/declaration-checks';
import { ownTrafficProblems } from './model/own-traffic-check';
import { resilienceProblems } from './model/resilience-checks';
import { resolveService, strategyContext } from './model/resolve-service';
import { ServiceModel } from './model/service-model';
import { shadowingFindings } from './model/shadowing';
import { versionReachabilityProblems } from './model/version-reachability';
import { releaseSlotOf } from './release/release-book';
import { renderDestinationRule } from './render/destination-rule';
import { renderAuthorizationPolicy, renderPeerAuthentication } from './render/security-policies';
import { renderVirtualService } from './render/virtual-service';
import { RouteOptions } from './route';
import { OutputUnit } from './synth/output-unit';
import { WAIVER_ANNOTATION } from './validation';
import { checkHostname, checkLabelName } from './values/names';

/** A declaration resolved: its routing model, the specs rendered from it, and its objects once asked for. */
interface Resolved {
  readonly model: ServiceModel;
  readonly specs: Map<string, unknown>;
  rendered?: Array<{ json: Record<string, any>; constructPath: string }>;
}

/** Argo CD applies lower waves first: subsets must exist before routes point at them. */
export const DESTINATION_RULE_SYNC_WAVE = '-1';

const API_VERSIONS = { DestinationRule: 'networking.istio.io/v1', VirtualService: 'networking.istio.io/v1', PeerAuthentication: 'security.istio.io/v1', AuthorizationPolicy: 'security.istio.io/v1' };

/**
 * The one field whose generated TypeScript name is not Istio's; the
 * generated converters (toJson_*) rename it. Synthesis renames it itself:
 * the converters rebuild every object once per field, the dearest step of
 * rendering at 10,000 services. A test holds the imports to this one
 * difference and the result equal to cdk8s's rendering, byte for byte.
 */
export const ISTIO_FIELD_NAMES: ReadonlyMap<string, string> = new Map([['consecutive5XxErrors', 'consecutive5xxErrors']]);

/**
 * A model endpoint and its versions. Emits one DestinationRule (subsets and
 * traffic policy) and one VirtualService (the route table), both named after
 * the service, plus the optional security objects; all in one output file.
 * The declaration is resolved once into a routing model (lib/model); every
 * object is a pure function of it (lib/render).
 */
export class ModelService extends Construct implements OutputUnit {
  public readonly name: string;
  public readonly namespace: string;
  public readonly host: string;
  public readonly port?: number;
  public readonly stable: string;
  public readonly outputPath: string;
  private readonly props: ModelServiceProps;
  private readonly routes: RouteOptions[] = [];
  private readonly versionNames: string[];
  private resolved?: Resolved;
  private readonly warnings: string[] = [];

  public constructor(scope: Construct, id: string, props: ModelServiceProps) {
    super(scope, id);
    this.props = props;
    this.name = checkLabelName(`${this.node.path}: name (the construct id)`, id);
    this.namespace = checkLabelName(`${this.node.path}: namespace`, props.namespace ?? Chart.of(this).namespace ?? 'default');
    this.host = checkHostname(`${this.node.path}: host`, props.host ?? id);
    this.port = props.port;
    this.versionNames = Object.keys(props.versions);
    this.stable = props.stable ?? this.versionNames[0];
    this.outputPath = `${this.namespace}/${this.name}.yaml`;
    for (const route of props.routes ?? []) this.addRoute(route);

    this.node.addValidation({ validate: () => this.check() });
    new DestinationRule(this, 'DestinationRule', { metadata: this.metadataOf('DestinationRule'), spec: Lazy.any({ produce: () => this.spec('DestinationRule') }) });
    if (props.strictMtls) {
      new PeerAuthentication(this, 'PeerAuthentication', { metadata: this.metadataOf('PeerAuthentication'), spec: Lazy.any({ produce: () => this.spec('PeerAuthentication') }) });
    }
    if (props.allowedCallers) {
      new AuthorizationPolicy(this, 'AuthorizationPolicy', { metadata: this.metadataOf('AuthorizationPolicy'), spec: Lazy.any({ produce: () => this.spec('AuthorizationPolicy') }) });
    }
    new VirtualService(this, 'VirtualService', { metadata: this.metadataOf('VirtualService'), spec: Lazy.any({ produce: () => this.spec('VirtualService') }) });
  }

  /**
   * The objects of this service exactly as its cdk8s ApiObjects render them
   * (keys sorted, empty values dropped), straight from the routing model:
   * synthesis reads these instead of resolving every construct again, which
   * is most of cdk8s's cost at 10,000 services. A test holds both equal.
   */
  public renderedObjects(): Array<{ json: Record<string, any>; constructPath: string }> {
    // Once per declaration: synthesis finds these same instances in the output files (see OutputCheck).
    const resolved = this.resolve();
    resolved.rendered ??= [...resolved.specs].map(([kind, spec]) => ({
      // cdk8s's rendering: apiVersion, kind and metadata first, then keys sorted at every level.
      json: { apiVersion: API_VERSIONS[kind as keyof typeof API_VERSIONS], kind, metadata: sortDeep(this.metadataOf(kind)), spec: sortDeep(spec) },
      constructPath: `${this.node.path}/${kind}`,
    }));
    return resolved.rendered;
  }

  /** Adds a route after those already declared: Istio evaluates routes in declaration order. */
  public addRoute(route: RouteOptions): void {
    checkLabelName(`${this.node.path}: route name`, route.name);
    if (route.name === 'default' || this.routes.some((r) => r.name === route.name)) {
      throw new UserError(`${this.node.path}: route names must be unique and not "default", received "${route.name}"`);
    }
    const matches = Array.isArray(route.match) ? route.match : [route.match];
    if (matches.length === 0) throw new UserError(`${this.node.path}: route "${route.name}" needs at least one match, received none`);
    this.routes.push(route);
    this.resolved = undefined;
  }

  /** The Gateways this service is exposed through that the repository does not own, as analysis context. */
  public contextObjects(): Array<Record<string, unknown>> {
    return (this.props.exposure?.declaredGateways ?? []).map((gateway) => gateway.toContextObject());
  }

  /** Problems found while checking that are not errors (partly shadowed routes), one line each. */
  public synthWarnings(): string[] {
    return this.warnings.map((w) => `${this.node.path}: ${w}`);
  }

  private metadataOf(kind: string): { name: string; namespace: string; annotations?: Record<string, string> } {
    const { name, namespace } = this;
    if (kind === 'DestinationRule') return { name, namespace, annotations: { 'argocd.argoproj.io/sync-wave': DESTINATION_RULE_SYNC_WAVE } };
    // `defaultRoute: false` is deliberate: say so where the validator and reviewers see it.
    if (kind === 'VirtualService' && this.props.defaultRoute === false) return { name, namespace, annotations: { [WAIVER_ANNOTATION]: 'ours.default-route-last' } };
    return { name, namespace };
  }

  /** This service's entry in the app's releases.yaml (for Strategy.progressive). */
  private get release() {
    return releaseSlotOf(this, `${this.namespace}/${this.name}`);
  }

  /** The routing model and the specs rendered from it, built once per declaration. */
  private resolve(): Resolved {
    if (!this.resolved) {
      const model = resolveService({ name: this.name, namespace: this.namespace, host: this.host }, this.props, this.routes, this.release);
      // In the order of the constructs (and of the output file): subsets and policies before routes.
      const specs = new Map<string, unknown>([['DestinationRule', renderDestinationRule(model)]]);
      if (this.props.strictMtls) specs.set('PeerAuthentication', renderPeerAuthentication(model));
      if (this.props.allowedCallers) specs.set('AuthorizationPolicy', renderAuthorizationPolicy(model));
      specs.set('VirtualService', renderVirtualService(model));
      this.resolved = { model, specs };
    }
    return this.resolved;
  }

  private spec(kind: string): unknown {
    return this.resolve().specs.get(kind);
  }

  /** Rules that need the whole service; reported together at synth with this construct's path. */
  private check(): string[] {
    this.warnings.length = 0;
    const declared = declarationProblems(this.props, this.routes, strategyContext(this.props, this.release));
    if (declared.length) return declared;
    let resolved: Resolved;
    try {
      resolved = this.resolve();
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      return [err.message];
    }
    const shadowing = shadowingFindings(resolved.model.routes);
    this.warnings.push(...shadowing.warnings);
    const problems = [...shadowing.errors, ...versionReachabilityProblems(resolved.model), ...resilienceProblems(resolved.model)];
    if (problems.length) return problems;
    if (!resolved.model.security.allowedCallers?.length) return [];
    return ownTrafficProblems(resolved.model, this.renderedObjects().map((o) => o.json));
  }
}

/**
 * cdk8s's rendering of plain data: keys sorted at every level, undefined
 * and null dropped, Istio's field names. Copies only what that changes: the
 * renderers write most objects in this form already, and those are kept
 * as they are (shared with the specs, which nothing changes).
 */
function sortDeep(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const inner = sortDeep(value[i]);
      if (inner !== value[i]) (copy ??= [...value])[i] = inner;
    }
    return copy ?? value;
  }
  const source = value as Record<string, unknown>;
  const keys = Object.keys(source);
  // The children as rendered, once any differs from the source's.
  let children: unknown[] | undefined;
  let inOrder = true;
  for (let i = 0; i < keys.length; i++) {
    const child = source[keys[i]];
    const inner = sortDeep(child);
    if (i > 0 && keys[i - 1] > keys[i]) inOrder = false;
    const kept = inner === child && inner !== undefined && inner !== null && !ISTIO_FIELD_NAMES.has(keys[i]);
    if (!kept && !children) children = keys.slice(0, i).map((key) => source[key]);
    children?.push(inner);
  }
  if (!children && inOrder) return source;
  const rendered = children ?? keys.map((key) => source[key]);
  const sorted: Record<string, unknown> = {};
  for (const i of indicesByKey(keys)) {
    if (rendered[i] !== undefined && rendered[i] !== null) sorted[ISTIO_FIELD_NAMES.get(keys[i]) ?? keys[i]] = rendered[i];
  }
  return sorted;
}

/**
 * The keys' indices in key order, by insertion sort: an object has few keys,
 * and Array.prototype.sort allocates a work array on every call (a third of
 * all memory allocated while resolving 10,000 services, when it sorted here).
 */
function indicesByKey(keys: readonly string[]): number[] {
  const order = keys.map((_, i) => i);
  for (let i = 1; i < order.length; i++) {
    const index = order[i];
    let j = i - 1;
    for (; j >= 0 && keys[order[j]] > keys[index]; j--) order[j + 1] = order[j];
    order[j + 1] = index;
  }
  return order;
}
