import { ApiObject, App, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { isOutputUnit } from './output-unit';

/** A synthesized object and the construct that declared it. */
export interface SynthesizedObject {
  readonly json: Record<string, any>;
  readonly constructPath: string;
}

export interface OutputFile {
  /** Relative to the output directory, with '/' separators. */
  readonly path: string;
  readonly objects: SynthesizedObject[];
}

/** Within a file: backends, subsets and policies exist before the routes that use them. */
const KIND_ORDER: Record<string, number> = {
  Service: -1,
  InferencePool: -1,
  ReferenceGrant: -1,
  DestinationRule: 0,
  PeerAuthentication: 1,
  AuthorizationPolicy: 2,
  VirtualService: 3,
  InferenceModelRewrite: 3,
  HTTPRoute: 4,
};

/**
 * Groups every ApiObject of the app into output files: one per OutputUnit
 * (a ModelService), and one per chart for objects declared outside any unit.
 * Objects are rendered here, once: this is the expensive step.
 */
export function collectOutputFiles(app: App): OutputFile[] {
  const files = new Map<string, OutputFile>();
  // One walk of the tree, not app.charts: that orders charts by their dependency
  // graph, which costs more than all the rest at 10,000 services; files are sorted by path below.
  visit(app, 'app.yaml', files);
  const sorted = [...files.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const file of sorted) file.objects.sort((a, b) => rank(a) - rank(b));
  return sorted;
}

function visit(construct: IConstruct, filePath: string, files: Map<string, OutputFile>): void {
  const path = isOutputUnit(construct) ? construct.outputPath : construct instanceof Chart ? `${construct.node.id}.yaml` : filePath;
  if (isOutputUnit(construct) && construct.renderedObjects) {
    fileAt(files, path).objects.push(...construct.renderedObjects());
    return;
  }
  if (construct instanceof ApiObject) {
    // Rendering problems were reported by construct validation, which renders first (ModelService.check).
    fileAt(files, path).objects.push({ json: construct.toJson(), constructPath: construct.node.path });
  }
  for (const child of construct.node.children) visit(child, path, files);
}

function fileAt(files: Map<string, OutputFile>, path: string): OutputFile {
  let file = files.get(path);
  if (!file) {
    file = { path, objects: [] };
    files.set(path, file);
  }
  return file;
}

function rank(object: SynthesizedObject): number {
  return KIND_ORDER[object.json.kind] ?? 10;
}
