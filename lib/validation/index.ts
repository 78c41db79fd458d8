export type { Diagnostic, ObjectRef, Severity, ValidationOptions } from './types';
export { validateObjects } from './validate-objects';
export { formatDiagnostic } from './format';
export { isIstioObject } from './crd-schemas';
export { WAIVER_ANNOTATION } from './waivers';
