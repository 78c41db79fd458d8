import { ApiObject, App, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { UserError } from '../errors';
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

/** Within a file: subsets and policies exist before the routes that use them. */
const KIND_ORDER: Record<string, number> = {
  DestinationRule: 0,
  PeerAuthentication: 1,
  AuthorizationPolicy: 2,
  VirtualService: 3,
};

/**
 * Groups every ApiObject of the app into output files: one per OutputUnit
 * (a ModelService), and one per chart for objects declared outside any unit.
 * Objects are rendered here, once: this is the expensive step.
 */
export function collectOutputFiles(app: App): OutputFile[] {
  const files = new Map<string, OutputFile>();
  // Not app.charts: it orders charts by their dependency graph, which costs
  // more than all the rest at 10,000 services; files are sorted by path below.
  for (const chart of chartsOf(app)) {
    visit(chart, `${chart.node.id}.yaml`, files);
  }
  const sorted = [...files.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const file of sorted) file.objects.sort((a, b) => rank(a) - rank(b));
  return sorted;
}

function chartsOf(construct: IConstruct): Chart[] {
  return construct.node.children.flatMap((child) => [...(child instanceof Chart ? [child] : []), ...chartsOf(child)]);
}

function visit(construct: IConstruct, filePath: string, files: Map<string, OutputFile>): void {
  const path = isOutputUnit(construct) ? construct.outputPath : filePath;
  if (construct instanceof ApiObject) {
    let file = files.get(path);
    if (!file) {
      file = { path, objects: [] };
      files.set(path, file);
    }
    file.objects.push({ json: render(construct), constructPath: construct.node.path });
  }
  for (const child of construct.node.children) {
    if (!(child instanceof Chart)) visit(child, path, files);
  }
}

/** Rendering runs the constructs' lazy values: name the construct when one refuses. */
function render(object: ApiObject): Record<string, any> {
  try {
    return object.toJson();
  } catch (err) {
    if (err instanceof UserError) throw new UserError(`${object.node.scope?.node.path ?? object.node.path}: ${err.message}`);
    throw err;
  }
}

function rank(object: SynthesizedObject): number {
  return KIND_ORDER[object.json.kind] ?? 10;
}
