import { formatDiagnostic, validateObjects } from '../validation';
import { OutputFile } from './collect';

export interface SynthFinding {
  readonly severity: 'error' | 'warning' | 'info';
  /** `<construct path>: <field path>: <message> (received <value>)` */
  readonly text: string;
}

/**
 * Runs the validation engine on every synthesized object and on the whole
 * set (cross-object rules such as a subset no DestinationRule defines), with
 * our stricter rules as errors. Findings name the construct that declared
 * the object.
 */
export function checkOutput(files: readonly OutputFile[]): SynthFinding[] {
  const objects = files.flatMap((file) => file.objects);
  return validateObjects(objects.map((o) => o.json), { profile: 'strict' }).map((d) => ({
    severity: d.severity,
    text: `${objects[d.objectIndex].constructPath}: ${formatDiagnostic(d)}`,
  }));
}
