import { writeFileSync } from 'node:fs';
import { RoutingApp } from '../lib';
import { declareFleet } from './fleet';

/**
 * Writes one YAML file holding `objects` Istio objects (a fleet of objects/2 services, a DestinationRule and
 * a VirtualService each), as `validate` gets it from a repository; returns its size in bytes.
 */
export function writeValidateInput(file: string, objects: number): number {
  const app = new RoutingApp({ outdir: 'unused' });
  declareFleet(app, Math.ceil(objects / 2));
  const text = [...app.synthesize().files.values()].join('---\n');
  writeFileSync(file, text);
  return Buffer.byteLength(text);
}
