import { Chart, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { DestinationRule, DestinationRuleSpec, DestinationRuleSpecSubsetsTrafficPolicy, VirtualService, VirtualServiceSpec } from '../imports/networking.istio.io';
import {
  AuthorizationPolicy, AuthorizationPolicySpec, AuthorizationPolicySpecAction, PeerAuthentication, PeerAuthenticationSpec, PeerAuthenticationSpecMtlsMode,
} from '../imports/security.istio.io';
import { UserError } from './errors';
import { HttpRuleJson, renderRoute } from './http-rules';
import { Exposure } from './policies/exposure';
import { RetryPolicy } from './policies/retry-policy';
import { ClientTlsMode, trafficPolicyJson } from './policies/traffic-policy';
import { orderRoutes, ResolvedRoute, RouteOptions } from './route';
import { Strategy } from './strategies/strategy';
import { StrategyContext } from './strategies/traffic-strategy';
import { OutputUnit } from './synth/output-unit';
import { checkHostname, checkLabelName } from './values/names';
import { ModelServiceProps } from './model-service-props';
import { serviceProblems } from './service-checks';
import { authorizedPaths } from './authorized-paths';
import { WAIVER_ANNOTATION } from './validation';

/** Argo CD applies lower waves first: subsets must exist before routes point at them. */
export const DESTINATION_RULE_SYNC_WAVE = '-1';

/**
 * A model endpoint and its versions. Emits one DestinationRule (subsets and
 * traffic policy) and one VirtualService (the route table), both named after
 * the service, plus the optional security objects; all in one output file.
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
  /** Specs rendered during validation, reused by synthesis so each is built once. */
  private readonly renderCache = new Map<string, unknown>();

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
    const metadata = { name: this.name, namespace: this.namespace };
    new DestinationRule(this, 'DestinationRule', {
      metadata: { ...metadata, annotations: { 'argocd.argoproj.io/sync-wave': DESTINATION_RULE_SYNC_WAVE } },
      spec: Lazy.any({ produce: () => this.rendered('DestinationRule', () => this.renderDestinationRule()) }),
    });
    if (props.strictMtls) {
      new PeerAuthentication(this, 'PeerAuthentication', {
        metadata,
        spec: Lazy.any({ produce: (): PeerAuthenticationSpec => ({ selector: { matchLabels: this.workloadLabels }, mtls: { mode: PeerAuthenticationSpecMtlsMode.STRICT } }) }),
      });
    }
    if (props.allowedCallers) {
      new AuthorizationPolicy(this, 'AuthorizationPolicy', {
        metadata,
        spec: Lazy.any({ produce: () => this.rendered('AuthorizationPolicy', () => this.renderAuthorizationPolicy()) }),
      });
    }
    new VirtualService(this, 'VirtualService', {
      // `defaultRoute: false` is deliberate: say so where the validator and reviewers see it.
      metadata: props.defaultRoute === false ? { ...metadata, annotations: { [WAIVER_ANNOTATION]: 'ours.default-route-last' } } : metadata,
      spec: Lazy.any({ produce: () => this.rendered('VirtualService', () => this.renderVirtualService()) }),
    });
  }

  /** Adds a route; its place in the table follows its specificity, not call order. */
  public addRoute(route: RouteOptions): void {
    checkLabelName(`${this.node.path}: route name`, route.name);
    if (route.name === 'default' || this.routes.some((r) => r.name === route.name)) {
      throw new UserError(`${this.node.path}: route names must be unique and not "default", received "${route.name}"`);
    }
    const matches = Array.isArray(route.match) ? route.match : [route.match];
    if (matches.length === 0) throw new UserError(`${this.node.path}: route "${route.name}" needs at least one match, received none`);
    this.routes.push(route);
  }

  private get context(): StrategyContext {
    return { versions: this.versionNames, stable: this.stable };
  }

  private get workloadLabels(): Record<string, string> {
    return { ...(this.props.workloadLabels ?? { app: this.name }) };
  }

  /** Routes with defaults applied, in evaluation order, the default route last. */
  private resolvedRoutes(): ResolvedRoute[] {
    const serviceRetries = this.props.retries ?? RetryPolicy.inferenceSafe();
    const routes: ResolvedRoute[] = this.routes.map((r) => ({
      name: r.name,
      matches: Array.isArray(r.match) ? r.match : [r.match as never],
      strategy: r.strategy,
      timeout: r.timeout ?? this.props.timeout,
      retries: r.retries ?? serviceRetries,
      fault: r.fault,
      rewrite: r.rewrite,
      isDefault: false,
    }));
    if (this.props.defaultRoute ?? true) {
      routes.push({
        name: 'default',
        matches: [],
        strategy: this.props.traffic ?? Strategy.to(this.stable),
        timeout: this.props.timeout,
        retries: serviceRetries,
        isDefault: true,
      });
    }
    return orderRoutes(routes);
  }

  /** Rules that need the whole service; reported together at synth with this construct's path. */
  private check(): string[] {
    const problems = serviceProblems({ props: this.props, versions: this.versionNames, stable: this.stable, routes: this.resolvedRoutes() });
    return problems.length ? problems : this.renderingProblems();
  }

  private rendered(kind: string, render: () => unknown): unknown {
    if (!this.renderCache.has(kind)) this.renderCache.set(kind, render());
    return this.renderCache.get(kind);
  }

  /** Rendering refuses contradictions only visible in the output (conflicting matches, bad durations). */
  private renderingProblems(): string[] {
    this.renderCache.clear();
    const renderers: Array<[string, () => unknown]> = [
      ['DestinationRule', () => this.renderDestinationRule()],
      ['VirtualService', () => this.renderVirtualService()],
    ];
    if (this.props.allowedCallers) renderers.push(['AuthorizationPolicy', () => this.renderAuthorizationPolicy()]);
    const problems: string[] = [];
    for (const [kind, render] of renderers) {
      try {
        this.rendered(kind, render);
      } catch (err) {
        if (!(err instanceof UserError)) throw err;
        problems.push(err.message);
      }
    }
    return problems;
  }

  private renderDestinationRule(): DestinationRuleSpec {
    const topLevel = trafficPolicyJson('trafficPolicy', this.props, this.props.clientTls ?? ClientTlsMode.ISTIO_MUTUAL);
    const labelKey = this.props.versionLabelKey ?? 'version';
    return {
      host: this.host,
      trafficPolicy: topLevel,
      subsets: this.versionNames.map((version) => {
        const options = this.props.versions[version];
        const policy = options.trafficPolicy && trafficPolicyJson(`version "${version}": trafficPolicy`, options.trafficPolicy);
        return {
          name: version,
          labels: { ...(options.labels ?? { [labelKey]: version }) },
          // Subset and service policies share one schema; the generated types differ only by name.
          ...(policy && { trafficPolicy: policy as unknown as DestinationRuleSpecSubsetsTrafficPolicy }),
        };
      }),
    };
  }

  private renderVirtualService(): VirtualServiceSpec {
    const exposure = this.props.exposure ?? Exposure.mesh();
    const http: HttpRuleJson[] = [];
    for (const route of this.resolvedRoutes()) {
      http.push(...renderRoute(route, { host: this.host, port: this.port }, this.context));
    }
    return {
      hosts: [this.host, ...exposure.externalHosts],
      gateways: exposure.gatewaysField,
      http,
    };
  }

  private renderAuthorizationPolicy(): AuthorizationPolicySpec {
    const paths = authorizedPaths(this.resolvedRoutes());
    return {
      selector: { matchLabels: this.workloadLabels },
      action: AuthorizationPolicySpecAction.ALLOW,
      rules: [{
        from: (this.props.allowedCallers ?? []).map((caller) => ({ source: caller.source })),
        ...(paths && { to: [{ operation: { paths } }] }),
      }],
    };
  }
}
