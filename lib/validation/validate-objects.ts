import { analyzeObjects } from './analyzers/analyze';
import { analyzeInferencePools } from './analyzers/inference-pools';
import { isAnalyzedKind, toAnalyzedObject, type AnalyzedObject } from './analyzers/analysis-set';
import { istioctlCanRead } from './analyzers/decodable';
import { checkCelRules } from './schema/cel';
import { isGatewayApiObject, isIstioObject, schemaKey } from './schema/crd-schemas';
import { checkGatewayApiObject } from './schema/gateway-api-objects';
import { analyzeHttpRoutes } from './gateway-controller/http-routes';
import { GatewayApiSet, isControllerKind, toGatewayApiObject, type GatewayApiObject } from './gateway-controller/gateway-api-set';
import { checkDestinationRule } from './webhook/destination-rule-rules';
import type { Finding } from './core/finding';
import { checkMetadata } from './schema/metadata-rules';
import { withProtoZeroValues } from './webhook/proto-zero-values';
import { checkSchema } from './schema/schema';
import { checkAuthorizationPolicy, checkPeerAuthentication } from './webhook/security-rules';
import { checkStricterVirtualServiceRules } from './ours/stricter-rules';
import type { Diagnostic, ObjectRef, ValidationOptions } from './types';
import { checkVirtualService } from './webhook/virtual-service-rules';
import { waivedRules } from './ours/waivers';

/** kubectl applies objects without a namespace to `default`; Istio's rules resolve `.` and short hosts against it. */
const DEFAULT_NAMESPACE = 'default';

/**
 * Validates Istio objects as the API server (schema, CEL), istiod's webhook and istioctl analyze would,
 * plus our stricter `ours.*` rules. Non-Istio objects are skipped.
 */
export function validateObjects(objects: readonly unknown[], options: ValidationOptions = {}): Diagnostic[] {
  const validation = new ObjectValidation(options);
  for (const obj of objects) validation.add(obj);
  return validation.finish();
}

/**
 * validateObjects one object at a time: `add` runs the rules that read one
 * object as it arrives (most of the cost), `finish` the analyzers that read
 * the whole set. Synth adds each service's objects as soon as they are
 * rendered, on a second thread, while the first resolves the next service.
 */
export class ObjectValidation {
  private readonly profile: 'istio' | 'strict';
  private readonly objects: unknown[] = [];
  private readonly diagnostics: Diagnostic[] = [];
  private readonly analyzed: AnalyzedObject[] = [];
  private readonly gatewayApi: GatewayApiObject[] = [];

  public constructor(private readonly options: ValidationOptions = {}) {
    this.profile = options.profile ?? 'istio';
  }

  /** Checks one object on its own; its `objectIndex` is the number of objects added before it. */
  public add(obj: unknown): void {
    const index = this.objects.length;
    this.objects.push(obj);
    const identityProblem = identityDiagnostic(obj, index);
    if (identityProblem) {
      this.diagnostics.push(identityProblem);
      return;
    }
    const o = obj as Record<string, any>;
    const analyzedKind = isAnalyzedKind(o.apiVersion, o.kind);
    if (!analyzedKind && !isIstioObject(obj)) {
      if (isGatewayApiObject(obj)) this.addGatewayApiObject(o, index);
      return;
    }
    // istioctl leaves out a document it cannot decode: no analyzer reads it, and its webhook rules never run.
    const readable = istioctlCanRead(o);
    if (analyzedKind && readable) this.analyzed.push(toAnalyzedObject(o, index, DEFAULT_NAMESPACE));
    if (!isIstioObject(obj)) return;
    const object = objectRef(o);
    const namespace = object.namespace ?? DEFAULT_NAMESPACE;
    const waived = waivedRules(o.metadata);
    for (const finding of checkObject(o, namespace, readable)) {
      if (!waived.has(finding.rule)) this.diagnostics.push(toDiagnostic(finding, object, index, this.profile));
    }
  }

  /**
   * What Istio's gateway controller says about the HTTPRoutes (see gateway-controller/http-routes.ts). Like
   * the Kubernetes kinds analysis reads, Services are looked up when some were given; Gateways, configuration
   * like Istio's Gateways, when the context was declared (as the gateway analyzer judges VirtualServices').
   */
  private controllerFindings(analyzed: readonly AnalyzedObject[], context: readonly unknown[] | undefined, at: (index: number) => number) {
    const services = analyzed.filter((o) => o.kind === 'Service');
    const serviceNames = new Set(services.map((o) => `${o.namespace}/${o.name}`));
    const set = new GatewayApiSet([...contextGatewayApiObjects(context ?? []), ...this.gatewayApi.map((o) => ({ ...o, index: at(o.index!) }))]);
    const routes = analyzeHttpRoutes({
      set,
      serviceExists: services.length ? (namespace, name) => serviceNames.has(`${namespace}/${name}`) : undefined,
      inferenceExtension: this.options.inferenceExtension ?? false,
    }, context !== undefined);
    return [...routes, ...analyzeInferencePools(set, services.length ? services : undefined)];
  }

  /** A Gateway API or Inference Extension object: what the API server says about it. */
  private addGatewayApiObject(o: Record<string, any>, index: number): void {
    if (isControllerKind(o.apiVersion, o.kind)) this.gatewayApi.push(toGatewayApiObject(o, index, DEFAULT_NAMESPACE));
    const object = objectRef(o);
    const waived = waivedRules(o.metadata);
    for (const finding of checkGatewayApiObject(o, this.options.gatewayApiChannel ?? 'standard')) {
      if (!waived.has(finding.rule)) this.diagnostics.push(toDiagnostic(finding, object, index, this.profile));
    }
  }

  /**
   * Analyzes the whole set and returns every finding, by object then field.
   * `positions[i]` is where the i-th added object stands in the output: the
   * analyzers read the objects in that order, and `objectIndex` counts in it.
   * `context`, when known only now, stands for the options' context.
   * @default positions: the order the objects were added in
   */
  public finish(positions?: readonly number[], context: readonly unknown[] | undefined = this.options.context): Diagnostic[] {
    const at = (index: number) => (positions ? positions[index] : index);
    const byPosition: unknown[] = positions ? [] : this.objects;
    if (positions) this.objects.forEach((obj, index) => (byPosition[positions[index]] = obj));
    const analyzed = positions ? this.analyzed.map((o) => ({ ...o, index: at(o.index!) })).sort((a, b) => a.index - b.index) : this.analyzed;
    const diagnostics = this.diagnostics.map((d) => (positions ? { ...d, objectIndex: at(d.objectIndex) } : d));
    const contextAnalyzed = contextObjects(context ?? []);
    const findings = analyzeObjects([...contextAnalyzed, ...analyzed], { contextDeclared: context !== undefined });
    if (this.gatewayApi.length) findings.push(...this.controllerFindings([...contextAnalyzed, ...analyzed], context, at));
    for (const finding of findings) {
      const object = byPosition[finding.objectIndex] as Record<string, any>;
      // Our cross-object rules (ours.*) can be waived on the object they report on, as the per-object ones.
      if (waivedRules(object?.metadata).has(finding.rule)) continue;
      diagnostics.push(toDiagnostic(finding, objectRef(object), finding.objectIndex, this.profile));
    }
    return diagnostics.sort(byObjectThenPath);
  }
}

function isPlainObject(o: unknown): o is Record<string, any> {
  return o !== null && typeof o === 'object' && !Array.isArray(o);
}

/** The Gateway API objects of the context (Gateways, ReferenceGrants, InferencePools owned elsewhere). */
function contextGatewayApiObjects(context: readonly unknown[]): GatewayApiObject[] {
  return context.filter((o): o is Record<string, any> => isPlainObject(o) && isControllerKind(o.apiVersion, o.kind)).map((o) => toGatewayApiObject(o, undefined, DEFAULT_NAMESPACE));
}

/** Context objects of the kinds analysis reads; anything else in the context is ignored. */
function contextObjects(context: readonly unknown[]): AnalyzedObject[] {
  return context
    .filter((o): o is Record<string, any> => isPlainObject(o) && isAnalyzedKind((o as any).apiVersion, (o as any).kind) && istioctlCanRead(o as Record<string, any>))
    .map((o) => toAnalyzedObject(o, undefined, DEFAULT_NAMESPACE));
}

function checkObject(o: Record<string, any>, namespace: string, readable: boolean): Finding[] {
  const key = schemaKey(o.apiVersion, o.kind) as string;
  const findings = [...checkMetadata(o.metadata), ...checkSchema(key, o), ...checkCelRules(key, o)];
  const name = typeof o.metadata?.name === 'string' ? o.metadata.name : '';
  // istiod cannot decode it (`cannot parse proto message`): its webhook rules never see it, the schema speaks.
  if (!readable) return o.kind === 'VirtualService' ? findings.concat(checkStricterVirtualServiceRules(o.spec)) : findings;
  // The webhook rules see the spec as istiod decodes it (null list entries become empty messages).
  const spec = withProtoZeroValues(key, o).spec;
  switch (o.kind) {
    case 'VirtualService':
      return findings.concat(checkVirtualService(spec, namespace), checkStricterVirtualServiceRules(o.spec));
    case 'DestinationRule':
      return findings.concat(checkDestinationRule(spec, namespace));
    case 'PeerAuthentication':
      return findings.concat(checkPeerAuthentication(spec));
    case 'AuthorizationPolicy':
      return findings.concat(checkAuthorizationPolicy(spec, name, namespace));
    default:
      return findings;
  }
}

function identityDiagnostic(obj: unknown, index: number): Diagnostic | undefined {
  const isObject = obj !== null && typeof obj === 'object' && !Array.isArray(obj);
  const o = (isObject ? obj : {}) as Record<string, unknown>;
  const missing = ['apiVersion', 'kind'].filter((field) => typeof o[field] !== 'string' || o[field] === '');
  if (isObject && missing.length === 0) return undefined;
  const message = isObject ? `${missing.join(' and ')} must be set` : 'a Kubernetes object must be a mapping';
  return {
    severity: 'error',
    rule: 'object',
    object: { apiVersion: String(o.apiVersion ?? ''), kind: String(o.kind ?? '') },
    objectIndex: index,
    path: isObject ? missing[0] : '',
    message,
    ...(isObject ? {} : { received: obj }),
  };
}

export function objectRef(o: Record<string, any>): ObjectRef {
  const metadata = o?.metadata ?? {};
  return {
    apiVersion: String(o?.apiVersion ?? ''),
    kind: String(o?.kind ?? ''),
    ...(typeof metadata.namespace === 'string' && metadata.namespace !== '' ? { namespace: metadata.namespace } : {}),
    ...(typeof metadata.name === 'string' ? { name: metadata.name } : {}),
  };
}

function toDiagnostic(finding: Finding, object: ObjectRef, objectIndex: number, profile: 'istio' | 'strict'): Diagnostic {
  const severity = finding.rule.startsWith('ours.') ? (profile === 'strict' ? 'error' : 'warning') : finding.severity;
  return {
    severity,
    ...(finding.code ? { code: finding.code } : {}),
    rule: finding.rule,
    object,
    objectIndex,
    path: finding.path,
    message: finding.message,
    ...(finding.received === undefined ? {} : { received: finding.received }),
  };
}

const pathOrder = new Intl.Collator('en', { numeric: true });

function byObjectThenPath(a: Diagnostic, b: Diagnostic): number {
  return a.objectIndex - b.objectIndex || pathOrder.compare(a.path, b.path);
}
