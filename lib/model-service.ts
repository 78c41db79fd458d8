import { Chart, Duration, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { DestinationRule, DestinationRuleSpec, DestinationRuleSpecSubsetsTrafficPolicy, VirtualService, VirtualServiceSpec } from '../imports/networking.istio.io';
import {
  AuthorizationPolicy, AuthorizationPolicySpec, AuthorizationPolicySpecAction, PeerAuthentication, PeerAuthenticationSpec, PeerAuthenticationSpecMtlsMode,
} from '../imports/security.istio.io';
import { UserError } from './errors';
import { HttpRuleJson, renderRoute } from './http-rules';
import { Caller } from './policies/caller';
import { Exposure } from './policies/exposure';
import { RetryPolicy } from './policies/retry-policy';
import { ClientTlsMode, trafficPolicyJson, TrafficPolicyOptions } from './policies/traffic-policy';
import { orderRoutes, ResolvedRoute, RouteOptions } from './route';
import { Strategy } from './strategies/strategy';
import { StrategyContext, TrafficStrategy } from './strategies/traffic-strategy';
import { OutputUnit } from './synth/output-unit';
import { checkHostname, checkLabelName, checkSubsetName } from './values/names';
import { authorizedPaths } from './authorized-paths';
import { WAIVER_ANNOTATION } from './validation';

/** One deployed version of a model: a DestinationRule subset. */
export interface ModelVersionOptions {
  /**
   * Pod labels that select this version.
   * @default { <versionLabelKey>: <version name> }
   */
  readonly labels?: Readonly<Record<string, string>>;
  /** Overrides the service's traffic policy for this version only. */
  readonly trafficPolicy?: TrafficPolicyOptions;
}

export interface ModelServiceProps extends TrafficPolicyOptions {
  /**
   * The Kubernetes Service that fronts every version.
   * @default the construct id
   */
  readonly host?: string;
  /**
   * @default the chart's namespace, else "default"
   */
  readonly namespace?: string;
  /** The Service port; set it when the Service exposes several ports. */
  readonly port?: number;
  /** Versions by subset name, in the order they should appear. */
  readonly versions: Readonly<Record<string, ModelVersionOptions>>;
  /**
   * @default 'version'
   */
  readonly versionLabelKey?: string;
  /**
   * The version that takes whatever no route claims.
   * @default the first version
   */
  readonly stable?: string;
  /** Routes for specific requests; ordered narrowest first in the output. */
  readonly routes?: readonly RouteOptions[];
  /**
   * How the catch-all default route shares traffic.
   * @default Strategy.to(stable)
   */
  readonly traffic?: TrafficStrategy;
  /**
   * End the route table with a catch-all route. Without one, a request that
   * matches no route gets a 404 from the sidecar.
   * @default true
   */
  readonly defaultRoute?: boolean;
  /** Default timeout of every route, retries included. */
  readonly timeout?: Duration;
  /**
   * Default retries of every route.
   * @default RetryPolicy.inferenceSafe(): 2 retries of connection failures and refused streams
   */
  readonly retries?: RetryPolicy;
  /**
   * @default Exposure.mesh()
   */
  readonly exposure?: Exposure;
  /**
   * TLS from clients to the model's pods.
   * @default ClientTlsMode.ISTIO_MUTUAL
   */
  readonly clientTls?: ClientTlsMode;
  /**
   * Emit a PeerAuthentication that makes the model's pods accept mutual TLS only.
   * @default false
   */
  readonly strictMtls?: boolean;
  /**
   * Emit an AuthorizationPolicy that lets only these callers reach the model's routes.
   * @default no AuthorizationPolicy
   */
  readonly allowedCallers?: readonly Caller[];
  /**
   * Labels of the model's pods, for PeerAuthentication and AuthorizationPolicy.
   * @default { app: <name> }
   */
  readonly workloadLabels?: Readonly<Record<string, string>>;
}

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
    const problems: string[] = [];
    const declared = new Set(this.versionNames);
    if (this.versionNames.length === 0) return ['versions must declare at least one version, received none'];
    for (const version of this.versionNames) {
      try {
        checkSubsetName(`version "${version}"`, version);
      } catch (err) {
        problems.push((err as Error).message);
      }
    }
    if (this.versionNames.length && !declared.has(this.stable)) {
      problems.push(`stable must be one of the declared versions (${this.versionNames.join(', ')}), received "${this.stable}"`);
    }
    if (this.props.defaultRoute === false && this.props.traffic) {
      problems.push('traffic sets the default route\'s strategy, so it cannot be used with defaultRoute: false');
    }
    if (this.props.defaultRoute === false && this.routes.length === 0) {
      problems.push('routes must not be empty when defaultRoute is false: the VirtualService would route nothing');
    }
    const policies: Array<[string, TrafficPolicyOptions]> = [
      ['trafficPolicy', this.props],
      ...this.versionNames.map((v): [string, TrafficPolicyOptions] => [`version "${v}": trafficPolicy`, this.props.versions[v].trafficPolicy ?? {}]),
    ];
    for (const [where, policy] of policies) {
      if (policy.warmup && policy.loadBalancing && !policy.loadBalancing.supportsWarmup) {
        problems.push(`${where}: warmup needs round robin or least request load balancing, received ${JSON.stringify(policy.loadBalancing.json)}`);
      }
    }
    for (const route of this.resolvedRoutes()) {
      const where = route.isDefault ? 'default route' : `route "${route.name}"`;
      for (const version of route.strategy.referencedVersions(this.context)) {
        if (!declared.has(version)) {
          problems.push(`${where}: sends traffic to version "${version}", which is not declared (declared: ${this.versionNames.join(', ')})`);
        }
      }
      problems.push(...route.strategy.check(this.context).map((p) => `${where}: ${p}`));
      const worst = route.retries.worstCaseMillis;
      if (route.timeout && worst !== undefined && worst > route.timeout.toMilliseconds({ integral: false })) {
        problems.push(`${where}: retries must fit in the timeout: (attempts ${route.retries.attempts} + 1) x perTryTimeout ${route.retries.perTryTimeout!.toMilliseconds()}ms = ${worst}ms exceeds timeout ${route.timeout.toMilliseconds()}ms`);
      }
    }
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
