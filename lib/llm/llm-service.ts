import { ApiObjectMetadata, Chart, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { HttpRoute, ReferenceGrant } from '../../imports/gateway.networking.k8s.io';
import { InferencePool } from '../../imports/inference.networking.k8s.io';
import { InferenceModelRewrite } from '../../imports/llm-d.ai';
import { UserError } from '../errors';
import { releaseSlotOf } from '../release/release-book';
import { cdk8sJson } from '../render/cdk8s-json';
import { renderHttpRoute } from '../render/inference/http-route';
import { renderInferencePool } from '../render/inference/inference-pool';
import { renderModelRewrites } from '../render/inference/model-rewrites';
import { renderReferenceGrants } from '../render/inference/reference-grants';
import { OutputUnit } from '../synth/output-unit';
import { shadowServiceName } from '../traffic/inference-pools';
import { WAIVER_ANNOTATION } from '../validation';
import { checkLabelName } from '../values/names';
import { LlmServiceProps } from './llm-service-props';
import { pickerMismatch, pickerPerRuleWarnings } from './picker-per-rule';
import { LlmServiceModel, resolveLlmService } from './resolve-llm-service';

/** Argo CD applies lower waves first: pools (and the grants that open them) exist before the route names them. */
const POOL_SYNC_WAVE = '-1';

interface Rendered {
  readonly json: Record<string, any>;
  readonly constructPath: string;
}

/**
 * An LLM service behind the Gateway API Inference Extension: its versions
 * are InferencePools (each with its endpoint picker), and one HTTPRoute at
 * the Gateway shares each base model's requests between them by weight.
 * Adapter rollouts inside a pool are llm-d InferenceModelRewrites. All its
 * objects go to one output file, `<namespace>.<name>.yaml`.
 */
export class LlmService extends Construct implements OutputUnit {
  public readonly name: string;
  public readonly namespace: string;
  /** The external hostnames (for release gates: the route's host). */
  public readonly host: string;
  public readonly outputPath: string;
  private readonly props: LlmServiceProps;
  private model?: LlmServiceModel;
  private rendered?: Rendered[];
  private readonly route: HttpRoute;

  public constructor(scope: Construct, id: string, props: LlmServiceProps) {
    super(scope, id);
    this.props = props;
    this.name = checkLabelName(`${this.node.path}: name (the construct id)`, id);
    this.namespace = checkLabelName(`${this.node.path}: namespace`, props.namespace ?? Chart.of(this).namespace ?? 'default');
    this.host = props.exposure.externalHosts[0] ?? id;
    this.outputPath = `${this.namespace}.${this.name}.yaml`;
    this.node.addValidation({ validate: () => this.check() });
    // The L1 objects, for `cdk8s synth` and the construct tree; synthesis reads renderedObjects(), the same JSON.
    for (const [poolName, pool] of Object.entries(props.pools)) {
      new InferencePool(this, `InferencePool-${poolName}`, {
        metadata: this.metadataOf(poolName, pool.namespace ?? this.namespace, true),
        spec: Lazy.any({ produce: () => this.objectsOf('InferencePool').find((o) => o.json.metadata.name === poolName)?.json.spec }),
      });
    }
    this.route = new HttpRoute(this, 'HTTPRoute', { metadata: this.metadataOf(this.name, this.namespace, false), spec: Lazy.any({ produce: () => this.objectsOf('HTTPRoute')[0].json.spec }) });
    this.grantAndRewriteConstructs();
  }

  /** The objects, as their ApiObjects render them: pools, grants, adapter rewrites, then the route. */
  public renderedObjects(): Rendered[] {
    if (!this.rendered) {
      const model = this.resolve();
      const object = (apiVersion: string, kind: string, metadata: ApiObjectMetadata, spec: unknown, suffix: string): Rendered => ({
        json: { apiVersion, kind, metadata: cdk8sJson(metadata), spec: cdk8sJson(spec) } as Record<string, any>,
        constructPath: `${this.node.path}/${kind}${suffix}`,
      });
      this.rendered = [
        ...model.pools.map((pool) => object('inference.networking.k8s.io/v1', 'InferencePool', this.metadataOf(pool.name, pool.namespace, true), renderInferencePool(pool), `-${pool.name}`)),
        ...renderReferenceGrants(model).map((grant) => object('gateway.networking.k8s.io/v1', 'ReferenceGrant', this.metadataOf(this.grantName, grant.namespace, true), grant.spec, `-${grant.namespace}`)),
        ...renderModelRewrites(model).map(({ pool, spec }) => object('llm-d.ai/v1alpha2', 'InferenceModelRewrite', this.metadataOf(`${this.name}-${pool.name}`, pool.namespace, false), spec, `-${pool.name}`)),
        object('gateway.networking.k8s.io/v1', 'HTTPRoute', this.routeMetadata(model), renderHttpRoute(model), ''),
      ];
    }
    return this.rendered;
  }

  /** The resolved model (for views and tests). Throws UserError when the declaration is wrong. */
  public resolve(): LlmServiceModel {
    this.model ??= resolveLlmService(this.node.path, { name: this.name, namespace: this.namespace }, this.props, releaseSlotOf(this, `${this.namespace}/${this.name}`));
    return this.model;
  }

  /**
   * The Service Istio creates for a pool (`<pool>-ip-<hash>`, FQDN): where
   * its requests go, and what Istio's metrics name as their destination.
   */
  public poolHost(pool: string): string {
    const namespace = this.props.pools[pool]?.namespace ?? this.namespace;
    return `${shadowServiceName(pool)}.${namespace}.svc.cluster.local`;
  }

  /** The Gateways the route attaches to, owned elsewhere and declared (ExternalGateway): analysis reads them as Kubernetes Gateways. */
  public contextObjects(): Array<Record<string, unknown>> {
    // The pickers' Services are deployed with them (llm-d's chart): declared here by EndpointPicker.service.
    const pickers = Object.entries(this.props.pools).map(([, pool]) => ({
      apiVersion: 'v1', kind: 'Service',
      metadata: { name: pool.endpointPicker.service, namespace: pool.namespace ?? this.namespace },
      spec: { ports: [{ name: 'grpc-ext-proc', port: pool.endpointPicker.port }] },
    }));
    return [...this.props.exposure.declaredGateways.map((gateway) => gateway.toKubernetesContextObject()), ...pickers];
  }

  public synthWarnings(): string[] {
    try {
      const model = this.resolve();
      return pickerPerRuleWarnings(model.rules, model.adapterRollouts).map((w) => `${this.node.path}: ${w}`);
    } catch (err) {
      if (err instanceof UserError) return [];
      throw err;
    }
  }

  /** `<service namespace>-<service>`: in the pool's namespace, it names whose route it opens the pools to. */
  private get grantName(): string {
    return `${this.namespace}-${this.name}`;
  }

  private objectsOf(kind: string): Rendered[] {
    return this.renderedObjects().filter((o) => o.json.kind === kind);
  }

  /**
   * The route's metadata. A rule whose shares span pools with different
   * pickers is this construct's judgement (it warns, or the route accepts
   * it): the validator's generic warning is waived where reviewers see it.
   */
  private routeMetadata(model: LlmServiceModel): ApiObjectMetadata {
    const metadata = this.metadataOf(this.name, this.namespace, false);
    if (!model.rules.some((rule) => pickerMismatch(rule))) return metadata;
    return { ...metadata, annotations: { [WAIVER_ANNOTATION]: 'ours.inference-one-picker-per-rule' } };
  }

  private metadataOf(name: string, namespace: string, early: boolean): ApiObjectMetadata {
    return early ? { name, namespace, annotations: { 'argocd.argoproj.io/sync-wave': POOL_SYNC_WAVE } } : { name, namespace };
  }

  /** Grants and rewrites depend on the pools' namespaces and the rollouts: one construct each, rendered from the model. */
  private grantAndRewriteConstructs(): void {
    const namespaces = new Set(Object.values(this.props.pools).map((p) => p.namespace).filter((ns): ns is string => ns !== undefined && ns !== this.namespace));
    for (const namespace of namespaces) {
      new ReferenceGrant(this, `ReferenceGrant-${namespace}`, {
        metadata: this.metadataOf(this.grantName, namespace, true),
        spec: Lazy.any({ produce: () => this.objectsOf('ReferenceGrant').find((o) => o.json.metadata.namespace === namespace)?.json.spec }),
      });
    }
    const pools = new Set((this.props.adapterRollouts ?? []).map((r) => r.pool));
    for (const poolName of pools) {
      new InferenceModelRewrite(this, `InferenceModelRewrite-${poolName}`, {
        metadata: this.metadataOf(`${this.name}-${poolName}`, this.props.pools[poolName]?.namespace ?? this.namespace, false),
        spec: Lazy.any({ produce: () => this.objectsOf('InferenceModelRewrite').find((o) => o.json.metadata.name === `${this.name}-${poolName}`)?.json.spec }),
      });
    }
  }

  /** Everything wrong with the declaration, reported at synth with this construct's path. */
  private check(): string[] {
    const root = this.node.root as { cluster?: { inferenceExtension?: boolean } };
    if (root.cluster?.inferenceExtension === false) {
      return ['istiod must run with ENABLE_GATEWAY_API_INFERENCE_EXTENSION=true for an HTTPRoute to reach an InferencePool (Istio refuses the backend otherwise): say so with new RoutingApp({ inferenceExtension: true }), received inferenceExtension: false'];
    }
    try {
      const model = this.resolve();
      // The L1 route follows renderedObjects (its metadata cannot be lazy): known once resolved.
      const waiver = this.routeMetadata(model).annotations?.[WAIVER_ANNOTATION];
      if (waiver) this.route.metadata.addAnnotation(WAIVER_ANNOTATION, waiver);
      return [];
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      // Synth puts the construct path before each problem; the message already starts with it.
      const prefix = `${this.node.path}: `;
      return [err.message.startsWith(prefix) ? err.message.slice(prefix.length) : err.message];
    }
  }
}
