import { ApiObject, Chart, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { HttpRoute } from '../imports/gateway.networking.k8s.io';
import { DestinationRule, VirtualService } from '../imports/networking.istio.io';
import { AuthorizationPolicy, PeerAuthentication } from '../imports/security.istio.io';
import { UserError } from './errors';
import { ModelServiceProps, ModelVersionOptions, ROUTING_APIS, RoutingApi } from './model-service-props';
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
import { GatewayApiSpec, gatewayApiLosses, gatewayApiNames, parentServiceOf, renderGatewayApi } from './render/gateway-api';
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
  /** By construct id, in the order of the constructs (and of the output file). */
  readonly specs: Map<string, { readonly kind: string; readonly name: string; readonly spec: unknown }>;
  rendered?: Array<{ json: Record<string, any>; constructPath: string }>;
}

/** Argo CD applies lower waves first: subsets must exist before routes point at them. */
export const DESTINATION_RULE_SYNC_WAVE = '-1';

const API_VERSIONS = {
  DestinationRule: 'networking.istio.io/v1',
  VirtualService: 'networking.istio.io/v1',
  PeerAuthentication: 'security.istio.io/v1',
  AuthorizationPolicy: 'security.istio.io/v1',
  Service: 'v1',
  HTTPRoute: 'gateway.networking.k8s.io/v1',
};

/**
 * A model endpoint and its versions. With the Istio API (the default), emits
 * one DestinationRule (subsets and traffic policy) and one VirtualService
 * (the route table), both named after the service; with the Gateway API, one
 * Service per version, DestinationRules for the versions' hosts where a
 * policy is declared, and HTTPRoutes (see lib/render/gateway-api). Plus the
 * optional security objects; all in one output file. The declaration is
 * resolved once into a routing model (lib/model); every object is a pure
 * function of it (lib/render).
 */
export class ModelService extends Construct implements OutputUnit {
  public readonly name: string;
  public readonly namespace: string;
  public readonly host: string;
  public readonly port?: number;
  public readonly stable: string;
  public readonly outputPath: string;
  /** The routing API its objects are written in. */
  public readonly api: RoutingApi;
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
    this.api = apiOf(this, props.api);
    // Flat: `kubectl apply -f dist` reads only the top level of a directory.
    this.outputPath = `${this.namespace}.${this.name}.yaml`;
    for (const route of props.routes ?? []) this.addRoute(route);

    this.node.addValidation({ validate: () => this.check() });
    if (this.api === 'gateway-api') {
      this.declareGatewayApiObjects();
      return;
    }
    new DestinationRule(this, 'DestinationRule', { metadata: this.metadataOf('DestinationRule'), spec: Lazy.any({ produce: () => this.spec('DestinationRule') }) });
    this.declareSecurityObjects();
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
    resolved.rendered ??= [...resolved.specs].map(([id, { kind, name, spec }]) => ({
      // cdk8s's rendering: apiVersion, kind and metadata first, then keys sorted at every level.
      json: { apiVersion: API_VERSIONS[kind as keyof typeof API_VERSIONS], kind, metadata: cdk8sJson(this.metadataOf(kind, name)), spec: cdk8sJson(spec) },
      constructPath: `${this.node.path}/${id}`,
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
    const declared = this.props.exposure?.declaredGateways ?? [];
    // HTTPRoutes attach to Kubernetes Gateways, VirtualServices name Istio Gateways.
    return declared.map((gateway) => (this.api === 'gateway-api' ? gateway.toKubernetesContextObject() : gateway.toContextObject()));
  }

  public get writesServices(): boolean {
    return this.api === 'gateway-api';
  }

  /** The Kubernetes Service of the host, owned elsewhere, when the host names one in the service's namespace. */
  public routedServiceContext(): Record<string, unknown> | undefined {
    const name = parentServiceOf({ host: this.host, namespace: this.namespace });
    if (name === undefined) return undefined;
    return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: this.namespace }, spec: { ports: this.port === undefined ? [] : [{ port: this.port }] } };
  }

  /**
   * What synth says about the Gateway API output without failing: the
   * selector it chose when the workload's labels are not declared. (An
   * experimental-channel field is validation's to refuse, unless the app
   * says the cluster has that channel: RoutingApp's gatewayApiChannel.)
   */
  public synthNotices(): string[] {
    if (this.api !== 'gateway-api') return [];
    const notices: string[] = [];
    if (!this.props.workloadLabels) {
      notices.push(`${this.node.path}: the per-version Services select app: ${this.name} plus each version's labels, since workloadLabels is not declared: pods without that label get no traffic`);
    }
    return notices;
  }

  /** Problems found while checking that are not errors (partly shadowed routes), one line each. */
  public synthWarnings(): string[] {
    return this.warnings.map((w) => `${this.node.path}: ${w}`);
  }

  /** The Gateway API objects, in the order they are applied; which exist is known from the props alone. */
  private declareGatewayApiObjects(): void {
    const props = this.props;
    const gatewayObject = (id: string, kind: string, name: string) => {
      const metadata = this.metadataOf(kind, name);
      const spec = Lazy.any({ produce: () => this.spec(id) });
      if (kind === 'HTTPRoute') new HttpRoute(this, id, { metadata, spec });
      else if (kind === 'DestinationRule') new DestinationRule(this, id, { metadata, spec });
      else new ApiObject(this, id, { apiVersion: API_VERSIONS.Service, kind, metadata, spec });
    };
    for (const version of this.versionNames) gatewayObject(`Service-${version}`, 'Service', gatewayApiNames.version(this, version));
    for (const version of this.versionNames) {
      if (declaresTrafficPolicy(props, props.versions[version])) gatewayObject(`DestinationRule-${version}`, 'DestinationRule', gatewayApiNames.version(this, version));
    }
    this.declareSecurityObjects();
    const exposure = props.exposure;
    if (exposure?.mesh ?? true) gatewayObject('HTTPRoute', 'HTTPRoute', gatewayApiNames.meshRoute(this));
    if (exposure?.gateways.length) gatewayObject('HTTPRoute-ingress', 'HTTPRoute', gatewayApiNames.ingressRoute(this));
  }

  private declareSecurityObjects(): void {
    if (this.props.strictMtls) {
      new PeerAuthentication(this, 'PeerAuthentication', { metadata: this.metadataOf('PeerAuthentication'), spec: Lazy.any({ produce: () => this.spec('PeerAuthentication') }) });
    }
    if (this.props.allowedCallers) {
      new AuthorizationPolicy(this, 'AuthorizationPolicy', { metadata: this.metadataOf('AuthorizationPolicy'), spec: Lazy.any({ produce: () => this.spec('AuthorizationPolicy') }) });
    }
  }

  private metadataOf(kind: string, name = this.name): { name: string; namespace: string; annotations?: Record<string, string> } {
    const { namespace } = this;
    // Argo CD applies lower waves first: backends and their policies before the routes that use them.
    if (kind === 'DestinationRule' || kind === 'Service') return { name, namespace, annotations: { 'argocd.argoproj.io/sync-wave': DESTINATION_RULE_SYNC_WAVE } };
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
      this.resolved = { model, specs: this.api === 'gateway-api' ? this.gatewayApiSpecs(model) : this.istioSpecs(model) };
    }
    return this.resolved;
  }

  /** In the order of the constructs (and of the output file): subsets and policies before routes. */
  private istioSpecs(model: ServiceModel): Resolved['specs'] {
    const specs: Resolved['specs'] = new Map([['DestinationRule', { kind: 'DestinationRule', name: this.name, spec: renderDestinationRule(model) }]]);
    this.addSecuritySpecs(model, specs);
    specs.set('VirtualService', { kind: 'VirtualService', name: this.name, spec: renderVirtualService(model) });
    return specs;
  }

  private gatewayApiSpecs(model: ServiceModel): Resolved['specs'] {
    const specs: Resolved['specs'] = new Map();
    const gateway = renderGatewayApi(model);
    const add = (list: GatewayApiSpec[]) => list.forEach(({ id, kind, name, spec }) => specs.set(id, { kind, name, spec }));
    add(gateway.filter((o) => o.kind !== 'HTTPRoute'));
    this.addSecuritySpecs(model, specs);
    add(gateway.filter((o) => o.kind === 'HTTPRoute'));
    return specs;
  }

  private addSecuritySpecs(model: ServiceModel, specs: Resolved['specs']): void {
    if (this.props.strictMtls) specs.set('PeerAuthentication', { kind: 'PeerAuthentication', name: this.name, spec: renderPeerAuthentication(model) });
    if (this.props.allowedCallers) specs.set('AuthorizationPolicy', { kind: 'AuthorizationPolicy', name: this.name, spec: renderAuthorizationPolicy(model) });
  }

  private resolveModel(): ServiceModel {
    return resolveService({ name: this.name, namespace: this.namespace, host: this.host }, this.props, this.routes, this.release);
  }

  private spec(id: string): unknown {
    return this.resolve().specs.get(id)?.spec;
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
    if (this.api === 'gateway-api') problems.push(...gatewayApiLosses(model));
    if (problems.length) return problems;
    // The Istio objects route as the Gateway API ones do (the loss report holds that), and the traffic model reads them.
    const objects = this.api === 'gateway-api' ? istioObjectsOf(this.istioSpecs(model), this.namespace) : this.renderedObjects().map((o) => o.json);
    return ownTrafficProblems(model, objects);
  }
}

/** The service's own api, else its RoutingApp's, else Istio's. */
function apiOf(service: Construct, declared: RoutingApi | undefined): RoutingApi {
  const api = declared ?? (service.node.root as { api?: RoutingApi }).api ?? 'istio';
  if (!ROUTING_APIS.includes(api)) {
    throw new UserError(`${service.node.path}: api must be one of ${ROUTING_APIS.map((a) => `'${a}'`).join(', ')}, received ${JSON.stringify(api)}`);
  }
  return api;
}

/** Whether a version's host gets a DestinationRule in the Gateway API output: what renderVersionDestinationRule decides from the model. */
function declaresTrafficPolicy(props: ModelServiceProps, version: ModelVersionOptions): boolean {
  const blocks = (p: { loadBalancing?: unknown; warmup?: unknown; outlierDetection?: unknown; connectionPool?: unknown } | undefined) =>
    p !== undefined && [p.loadBalancing, p.warmup, p.outlierDetection, p.connectionPool].some((b) => b !== undefined);
  return blocks(props) || props.clientTls !== undefined || blocks(version.trafficPolicy);
}

function istioObjectsOf(specs: Resolved['specs'], namespace: string): Array<Record<string, unknown>> {
  return [...specs.values()].map(({ kind, name, spec }) => ({ apiVersion: API_VERSIONS[kind as keyof typeof API_VERSIONS], kind, metadata: { name, namespace }, spec }));
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
