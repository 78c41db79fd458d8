import { formatDiagnostic, validateObjects } from '../validation';
import { OutputFile } from './collect';

export interface SynthFinding {
  readonly severity: 'error' | 'warning' | 'info';
  /** `<construct path>: <field path>: <message> (received <value>)` */
  readonly text: string;
}

/** Analysis codes that are warnings in istioctl but errors in synth: a host the declared Gateway does not serve is unreachable. */
const ERRORS_IN_SYNTH = new Set(['IST0132']);

/**
 * Runs the validation engine on every synthesized object and on the whole
 * set (cross-object rules such as a subset no DestinationRule defines), with
 * our stricter rules as errors, against the declared objects owned elsewhere
 * (`context`: a Gateway no declaration names is IST0101, as istioctl says).
 * Findings name the construct that declared the object.
 */
export function checkOutput(files: readonly OutputFile[], context: readonly unknown[] = []): SynthFinding[] {
  const objects = files.flatMap((file) => file.objects);
  return validateObjects(objects.map((o) => o.json), { profile: 'strict', context }).map((d) => ({
    severity: d.code !== undefined && ERRORS_IN_SYNTH.has(d.code) ? 'error' : d.severity,
    text: `${objects[d.objectIndex].constructPath}: ${formatDiagnostic(d)}`,
  }));
}
