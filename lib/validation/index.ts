export type { Diagnostic, ObjectRef, Severity, ValidationOptions } from './types';
export { ObjectValidation, validateObjects } from './validate-objects';
export { formatDiagnostic } from './core/format';
export { isIstioObject } from './schema/crd-schemas';
export { WAIVER_ANNOTATION } from './ours/waivers';
