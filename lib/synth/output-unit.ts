import { IConstruct } from 'constructs';

/** A construct whose objects are written together to one file of the output. */
export interface OutputUnit extends IConstruct {
  /** Path of the file under the output directory, e.g. `ml.ml-service.yaml`: flat, because `kubectl apply -f dist` does not recurse into folders. */
  readonly outputPath: string;
  /** Findings that do not stop synth (errors go through construct validation), each prefixed with the construct path. */
  synthWarnings?(): string[];
  /** What synth says about the output without failing, even when strict, each prefixed with the construct path. */
  synthNotices?(): string[];
  /** The unit's objects, rendered as its ApiObjects would render them; when present, synthesis uses these. */
  renderedObjects?(): Array<{ json: Record<string, any>; constructPath: string }>;
  /** Objects the unit's output refers to but does not own (declared Gateways): analysis reads them, synth never writes them. */
  contextObjects?(): Array<Record<string, unknown>>;
  /** Whether its output holds Kubernetes Services (the Gateway API's per-version Services). */
  readonly writesServices?: boolean;
  /**
   * The Service it routes for, owned elsewhere, if it names one. Analysis
   * checks route hosts against Services once the output holds any (as
   * istioctl does with the cluster's), so then every unit's is context.
   */
  routedServiceContext?(): Record<string, unknown> | undefined;
}

export function isOutputUnit(construct: IConstruct): construct is OutputUnit {
  return typeof (construct as Partial<OutputUnit>).outputPath === 'string';
}
