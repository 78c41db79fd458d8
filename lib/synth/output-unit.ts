import { IConstruct } from 'constructs';

/** A construct whose objects are written together to one file of the output. */
export interface OutputUnit extends IConstruct {
  /** Path of the file under the output directory, e.g. `ml.ml-service.yaml`: flat, because `kubectl apply -f dist` does not recurse into folders. */
  readonly outputPath: string;
  /** Findings that do not stop synth (errors go through construct validation), each prefixed with the construct path. */
  synthWarnings?(): string[];
  /** The unit's objects, rendered as its ApiObjects would render them; when present, synthesis uses these. */
  renderedObjects?(): Array<{ json: Record<string, any>; constructPath: string }>;
  /** Objects the unit's output refers to but does not own (declared Gateways): analysis reads them, synth never writes them. */
  contextObjects?(): Array<Record<string, unknown>>;
}

export function isOutputUnit(construct: IConstruct): construct is OutputUnit {
  return typeof (construct as Partial<OutputUnit>).outputPath === 'string';
}
