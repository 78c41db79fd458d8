import { Diagnostic, formatDiagnostic } from '../validation';
import { OutputFile } from './collect';

export interface SynthFinding {
  readonly severity: 'error' | 'warning' | 'info';
  /** `<construct path>: <field path>: <message> (received <value>)` */
  readonly text: string;
}

/** Analysis codes that are warnings in istioctl but errors in synth: a host the declared Gateway does not serve is unreachable. */
const ERRORS_IN_SYNTH = new Set(['IST0132']);

/**
 * Synth's reading of the validation of its output (every object and the
 * whole set, our stricter rules as errors; see OutputCheck): each finding
 * names the construct that declared the object.
 */
export function synthFindings(diagnostics: readonly Diagnostic[], files: readonly OutputFile[]): SynthFinding[] {
  const objects = files.flatMap((file) => file.objects);
  return diagnostics.map((d) => ({
    severity: d.code !== undefined && ERRORS_IN_SYNTH.has(d.code) ? 'error' : d.severity,
    text: `${objects[d.objectIndex].constructPath}: ${formatDiagnostic(d)}`,
  }));
}
