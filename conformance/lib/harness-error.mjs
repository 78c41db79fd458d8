/**
 * A failure of the harness or of its inputs, never a verdict on the YAML: the run
 * stops and prints `conformance: FAILED: <message>` instead of a summary.
 */
export class HarnessError extends Error {}
