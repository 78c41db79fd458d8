import { cpSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { App } from 'cdk8s';
import { IConstruct } from 'constructs';
import { UserError, ValidationFailed } from '../errors';
import { ROUTING_APIS, RoutingApi } from '../model-service-props';
import { ReleaseBook } from '../release/release-book';
import { readReleasesFile, ReleasePositions } from '../release/releases-file';
import { unrecordedReleaseProblems } from '../release/unrecorded-releases';
import { collectOutputFiles } from './collect';
import { SynthFinding, synthFindings } from './check-output';
import type { ClusterOptions } from './output-check/protocol';
import { OutputCheck } from './output-check/output-check';
import { isOutputUnit, OutputUnit } from './output-unit';
import { removedVersionProblems } from './removed-versions';
import { StagedDirectory } from './write-atomically';

const GATEWAY_API_CHANNELS: ReadonlyArray<'standard' | 'experimental'> = ['standard', 'experimental'];

export interface RoutingAppProps {
  /**
   * The routing API every service is written in, unless it sets its own
   * `api`: 'istio' (VirtualService, DestinationRule subsets) or
   * 'gateway-api' (HTTPRoute, one Service per version). Synth refuses, by
   * name, each declared option the Gateway API cannot express on Istio.
   * @default 'istio'
   */
  readonly api?: RoutingApi;
  /**
   * The Gateway API CRD channel the cluster has installed. 'standard':
   * synth refuses an HTTPRoute field only the experimental CRDs define (a
   * `retry` other than Istio's default) and says the cluster needs them;
   * 'experimental': such fields are written.
   * @default 'standard'
   */
  readonly gatewayApiChannel?: 'standard' | 'experimental';
  /**
   * Whether istiod runs with ENABLE_GATEWAY_API_INFERENCE_EXTENSION=true, so
   * that HTTPRoutes may send to InferencePools (LlmService).
   * @default false
   */
  readonly inferenceExtension?: boolean;
  /**
   * Where the GitOps manifests go.
   * @default 'dist'
   */
  readonly outdir?: string;
  /**
   * Treat warnings as errors (CI).
   * @default false
   */
  readonly strict?: boolean;
  /**
   * Where the positions of progressive releases are recorded, e.g.
   * 'releases.yaml' beside cdk8s.yaml (read at construction; a missing file
   * records nothing, which synth refuses once outdir shows a release under
   * way). `npm run release` edits it.
   * @default none: every progressive release stays at step 0 (all to `from`)
   */
  readonly releasesFile?: string;
  /**
   * The positions themselves, instead of reading `releasesFile` (the release
   * CLI synthesizes a move before it writes the file).
   * @default read from releasesFile
   */
  readonly releases?: ReleasePositions;
  /**
   * Validate and serialize on a second thread, while this one resolves the
   * services (at 10,000 services on two cores, about a third less time).
   * Needs the build's worker bundle: run from source (tests), synth stays on
   * one thread. Both ways give the same bytes and the same findings.
   * @default true from 3,000 services on
   */
  readonly parallel?: boolean;
}

export interface SynthResult {
  /** File contents by path relative to the output directory. */
  readonly files: ReadonlyMap<string, string>;
  readonly warnings: readonly string[];
  /** What the output needs that is worth saying but wrong with nothing (experimental-channel Gateway API fields). */
  readonly notices: readonly string[];
  /** How many Kubernetes objects the files hold. */
  readonly objectCount: number;
}

/** Below this many services one thread is as fast (measured: 2,000 services 1.3 s either way, 4,000 services 2.8 s on one thread, 2.35 s on two). */
const PARALLEL_FROM_SERVICES = 3000;

/**
 * A cdk8s App whose synth validates every object against Istio's rules and
 * ours, and writes one file per model service (`<namespace>.<service>.yaml`,
 * all at the top level, so that `kubectl apply -f dist`, Flux and Argo CD all
 * apply every object) and nothing at all when anything is wrong.
 */
export class RoutingApp extends App {
  public readonly strict: boolean;
  /** The routing API of every service that does not choose its own. */
  public readonly api: RoutingApi;
  /** Where each progressive release stands; its strategies read their position here. */
  public readonly releases: ReleaseBook;
  /** What the cluster runs, as validation needs to know it. */
  public readonly cluster: ClusterOptions;
  private readonly parallel?: boolean;

  public constructor(props: RoutingAppProps = {}) {
    super({ outdir: props.outdir ?? 'dist' });
    this.strict = props.strict ?? false;
    this.api = props.api ?? 'istio';
    if (!ROUTING_APIS.includes(this.api)) throw new UserError(`RoutingApp: api must be one of ${ROUTING_APIS.map((a) => `'${a}'`).join(', ')}, received ${JSON.stringify(props.api)}`);
    if (props.gatewayApiChannel !== undefined && !GATEWAY_API_CHANNELS.includes(props.gatewayApiChannel)) {
      throw new UserError(`RoutingApp: gatewayApiChannel must be one of ${GATEWAY_API_CHANNELS.map((c) => `'${c}'`).join(', ')}, received ${JSON.stringify(props.gatewayApiChannel)}`);
    }
    this.cluster = { gatewayApiChannel: props.gatewayApiChannel ?? 'standard', inferenceExtension: props.inferenceExtension ?? false };
    this.parallel = props.parallel;
    const file = props.releasesFile;
    this.releases = new ReleaseBook(file, props.releases ?? (file === undefined ? {} : readReleasesFile(file)));
  }

  /** Everything synth does except writing: throws ValidationFailed on any error. */
  public synthesize(): SynthResult {
    return this.run(undefined);
  }

  /**
   * Synthesizes, then puts the files in place of `outdir` at once. Each file
   * is written to a staging directory as soon as it is serialized (on either
   * thread); on any error the staging directory goes and `outdir` stays.
   */
  public override synth(): SynthResult {
    const staged = new StagedDirectory(this.outdir);
    try {
      const result = this.run(staged);
      for (const warning of result.warnings) process.stderr.write(`warning: ${warning}\n`);
      for (const notice of result.notices) process.stderr.write(`notice: ${notice}\n`);
      staged.publish();
      mirrorForCdk8sCli(this.outdir);
      return result;
    } finally {
      staged.discard();
    }
  }

  /** `staged`: where each file is written as soon as it is serialized. */
  private run(staged: StagedDirectory | undefined): SynthResult {
    // One walk of the tree serves every step below.
    const constructs = this.node.findAll() as IConstruct[];
    const units = constructs.filter(isOutputUnit);
    const check = OutputCheck.start(this.parallel ?? units.length >= PARALLEL_FROM_SERVICES, this.cluster);
    try {
      return this.synthesizeChecked(constructs, units, check, staged);
    } finally {
      check.close();
    }
  }

  private synthesizeChecked(constructs: readonly IConstruct[], units: readonly OutputUnit[], check: OutputCheck, staged: StagedDirectory | undefined): SynthResult {
    // Validating resolves every strategy, so the release book knows the plans after it.
    const constructProblems = constructValidationErrors(constructs, check);
    if (!constructProblems.length) constructProblems.push(...this.releases.unclaimedProblems());
    if (constructProblems.length) throw failure(constructProblems);
    const outputFiles = collectOutputFiles(this);
    staged?.makeFolders(outputFiles.map((file) => file.path));
    const { diagnostics, contents } = check.finish(outputFiles, declaredContext(units), staged?.path);
    const files = new Map(outputFiles.map((file, i) => [file.path, contents[i]]));
    const removed = [...removedVersionProblems(this.outdir, outputFiles, files), ...unrecordedReleaseProblems(this.releases, this.outdir, outputFiles)];
    if (removed.length) throw failure(removed);
    const findings = [...unitWarnings(units), ...synthFindings(diagnostics, outputFiles)];
    const errors = findings.filter((f) => f.severity === 'error' || (this.strict && f.severity === 'warning'));
    if (errors.length) throw failure(errors.map((f) => f.text));
    return {
      files,
      warnings: findings.filter((f) => f.severity === 'warning').map((f) => f.text),
      notices: units.flatMap((unit) => unit.synthNotices?.() ?? []),
      objectCount: outputFiles.reduce((count, file) => count + file.objects.length, 0),
    };
  }
}

/**
 * Objects owned elsewhere that the units declare (Gateways), once each. One
 * Gateway declared by several services serves every host any of them says
 * it does: their servers (an Istio Gateway's) or listeners (a Kubernetes
 * Gateway's, renamed so that their names stay unique) are put together, as
 * in one Gateway object.
 */
function declaredContext(units: readonly OutputUnit[]): Array<Record<string, unknown>> {
  const writesServices = units.some((unit) => unit.writesServices);
  const services = writesServices ? units.map((unit) => unit.routedServiceContext?.()).filter((s) => s !== undefined) : [];
  const byRef = new Map<string, { object: Record<string, unknown>; field: 'servers' | 'listeners'; entries: Array<Record<string, unknown>> }>();
  for (const unit of units) {
    for (const object of unit.contextObjects?.() ?? []) {
      // Services owned elsewhere (endpoint pickers) count only where the output has Services: given alone, they would make analysis look up every host.
      if (object.kind === 'Service') {
        if (writesServices) services.push(object);
        continue;
      }
      const metadata = object.metadata as { namespace: string; name: string };
      const key = `${object.apiVersion}/${object.kind}/${metadata.namespace}/${metadata.name}`;
      const spec = object.spec as Record<string, Array<Record<string, unknown>> | undefined>;
      const field = spec.listeners ? 'listeners' : 'servers';
      const known = byRef.get(key) ?? byRef.set(key, { object, field, entries: [] }).get(key)!;
      for (const entry of spec[field] ?? []) {
        if (!known.entries.some((e) => isDeepStrictEqual({ ...e, name: '' }, { ...entry, name: '' }))) known.entries.push(entry);
      }
    }
  }
  const gateways = [...byRef.values()].map(({ object, field, entries }) => ({
    ...object,
    spec: { ...(object.spec as object), [field]: field === 'listeners' ? entries.map((e, i) => ({ ...e, name: `http-${i}` })) : entries },
  }));
  return [...gateways, ...services];
}

function unitWarnings(units: readonly OutputUnit[]): SynthFinding[] {
  return units
    .flatMap((unit) => unit.synthWarnings?.() ?? [])
    .map((text) => ({ severity: 'warning' as const, text }));
}

/**
 * Every construct's own validation, in tree order. A service that passes
 * hands its rendered objects to the output check at once, so that their
 * validation overlaps with checking the next services.
 */
function constructValidationErrors(constructs: readonly IConstruct[], check: OutputCheck): string[] {
  const problems: string[] = [];
  for (const construct of constructs) {
    for (const message of construct.node.validate()) problems.push(`${construct.node.path}: ${message}`);
    // Once anything is wrong nothing is written: validating more output would be wasted.
    if (!problems.length && isOutputUnit(construct) && construct.renderedObjects) check.add(construct.renderedObjects().map((o) => o.json));
  }
  return problems;
}

function failure(problems: readonly string[]): ValidationFailed {
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  return new ValidationFailed(problems, `synth failed with ${count}; nothing was written:`);
}

/**
 * `cdk8s synth` deletes its output directory before it runs the app, so
 * cdk8s.yaml points it at a scratch directory, never at dist/. The app
 * publishes dist/ itself, atomically, and copies it there for the CLI to list.
 */
function mirrorForCdk8sCli(outdir: string): void {
  const cliOutdir = process.env.CDK8S_OUTDIR;
  if (!cliOutdir || resolve(cliOutdir) === resolve(outdir)) return;
  mkdirSync(cliOutdir, { recursive: true });
  cpSync(outdir, cliOutdir, { recursive: true });
}
