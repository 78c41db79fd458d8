import { Chart, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { DestinationRule, VirtualService } from '../imports/networking.istio.io';
import { AuthorizationPolicy, PeerAuthentication } from '../imports/security.istio.io';
import { UserError } from './errors';
import { ModelServiceProps } from './model-service-props';
import { uncarriableMatchProblems } from './model/carriable-matches';
import { declarationProblems } from './model/declaration-checks';
import { ownTrafficProblems } from './model/own-traffic-check';
import { resilienceProblems } from './model/resilience-checks';
import { resolveService, strategyContext } from './model/resolve-service';
import { ServiceModel } from './model/service-model';
import { shadowingFindings } from './model/shadowing';
import { testRuleExposureProblems } from './model/test-rule-exposure';
import { versionReachabilityProblems } from './model/version-reachability';
import { releaseSlotOf } from './release/release-book';
import { cdk8sJson } from './render/cdk8s-json';
import { renderDestinationRule } from './render/destination-rule';
import { renderAuthorizationPolicy, renderPeerAuthentication } from './render/security-policies';
import { renderVirtualService } from './render/virtual-service';
import { RouteOptions } from './route';
import { OutputUnit } from './synth/output-unit';
import { WAIVER_ANNOTATION } from './validation';
import { checkHostname, checkLabelName } from './values/names';
import { hostNamespaceOf } from './values/service-host';

/** A declaration resolved: its routing model, the specs rendered from it, and its objects once asked for. */
interface Resolved {
  /**
   * Until the service's checks have read it: nothing else does, and kept
   * through synth it would be a third of what the main thread holds (32 MB
   * at 10,000 services, copied by every young-generation collection).
   */
  model?: ServiceModel;
  readonly specs: Map<string, unknown>;
  rendered?: Array<{ json: Record<string, any>; constructPath: string }>;
}

/** Argo CD applies lower waves first: subsets must exist before routes point at them. */
export const DESTINATION_RULE_SYNC_WAVE = '-1';

const API_VERSIONS = { DestinationRule: 'networking.istio.io/v1', VirtualService: 'networking.istio.io/v1', PeerAuthentication: 'security.istio.io/v1', AuthorizationPolicy: 'security.istio.io/v1' };

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
    this.host = checkHostname(`${this.node.path}: host`, props.host ?? id);
    this.namespace = checkLabelName(`${this.node.path}: namespace`, namespaceOf(this.node.path, this.host, props.namespace, Chart.of(this).namespace));
    this.port = props.port;
    this.versionNames = Object.keys(props.versions);
    this.stable = props.stable ?? this.versionNames[0];
    // Flat: `kubectl apply -f dist` reads only the top level of a directory.
    this.outputPath = `${this.namespace}.${this.name}.yaml`;
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
      json: { apiVersion: API_VERSIONS[kind as keyof typeof API_VERSIONS], kind, metadata: cdk8sJson(this.metadataOf(kind)), spec: cdk8sJson(spec) },
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
      const model = this.resolveModel();
      // In the order of the constructs (and of the output file): subsets and policies before routes.
      const specs = new Map<string, unknown>([['DestinationRule', renderDestinationRule(model)]]);
      if (this.props.strictMtls) specs.set('PeerAuthentication', renderPeerAuthentication(model));
      if (this.props.allowedCallers) specs.set('AuthorizationPolicy', renderAuthorizationPolicy(model));
      specs.set('VirtualService', renderVirtualService(model));
      this.resolved = { model, specs };
    }
    return this.resolved;
  }

  private resolveModel(): ServiceModel {
    return resolveService({ name: this.name, namespace: this.namespace, host: this.host }, this.props, this.routes, this.release);
  }

  private spec(kind: string): unknown {
    return this.resolve().specs.get(kind);
  }

  /** Rules that need the whole service; reported together at synth with this construct's path. */
  private check(): string[] {
    this.warnings.length = 0;
    const declared = declarationProblems(this.props, this.routes, strategyContext(this.props, this.release));
    if (declared.length) return declared;
    let model: ServiceModel;
    try {
      const resolved = this.resolve();
      // Checked before (validate called twice): the same declaration resolves to an equal model.
      model = resolved.model ?? this.resolveModel();
      resolved.model = undefined;
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      return [err.message];
    }
    const shadowing = shadowingFindings(model.routes);
    this.warnings.push(...shadowing.warnings);
    const problems = [...uncarriableMatchProblems(model), ...shadowing.errors, ...versionReachabilityProblems(model), ...resilienceProblems(model), ...testRuleExposureProblems(model)];
    if (problems.length) return problems;
    return ownTrafficProblems(model, this.renderedObjects().map((o) => o.json));
  }
}

/**
 * Where the service's objects go: the namespace of its Service. Istio looks a
 * DestinationRule up in the caller's namespace, then the Service's, then the
 * root namespace, and security policies select pods of their own namespace
 * only; so objects in any other namespace would give subsets to that
 * namespace's callers alone, and guard no pod.
 */
function namespaceOf(path: string, host: string, declared: string | undefined, chart: string | undefined): string {
  const ofHost = hostNamespaceOf(path, host);
  if (ofHost !== undefined && declared !== undefined && declared !== ofHost) {
    throw new UserError(`${path}: namespace must be the namespace of the host's Service ("${ofHost}"): a DestinationRule in "${declared}" gives subsets to callers in "${declared}" only (Istio looks in the caller's namespace, then the Service's, then the root namespace), and security policies there select no pod of "${ofHost}"; received "${declared}"`);
  }
  return declared ?? ofHost ?? chart ?? 'default';
}
