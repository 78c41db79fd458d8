import { validateObjects } from './validate-objects';
import type { Diagnostic, Severity, ValidationOptions } from './types';

/** Small object builders for the table-driven tests. */

export function virtualService(spec: object, metadata: object = {}): object {
  return { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'reviews', namespace: 'default', ...metadata }, spec };
}

/** A mesh VirtualService for `reviews` with one http rule. */
export function httpRule(rule: object): object {
  return virtualService({ hosts: ['reviews'], http: [rule] });
}

export function routeTo(host = 'reviews'): { route: object[] } {
  return { route: [{ destination: { host } }] };
}

export function destinationRule(spec: object, metadata: object = {}): object {
  return { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'reviews', namespace: 'default', ...metadata }, spec };
}

export function trafficPolicy(policy: object): object {
  return destinationRule({ host: 'reviews', trafficPolicy: policy });
}

export interface ExpectedDiagnostic {
  readonly path: string;
  readonly message: string;
  readonly severity?: Severity;
  readonly code?: string;
}

/** [case name, objects, one diagnostic the engine must report] */
export type InvalidCase = [string, object | object[], ExpectedDiagnostic];

export function diagnosticsOf(objects: object | object[], options?: ValidationOptions): Diagnostic[] {
  return validateObjects(Array.isArray(objects) ? objects : [objects], options);
}

/** The engine reports `expected` (severity defaults to error; code is compared only when given). */
export function expectDiagnostic(objects: object | object[], expected: ExpectedDiagnostic): void {
  const found = diagnosticsOf(objects).map((d) => ({
    path: d.path,
    message: d.message,
    severity: d.severity,
    ...(expected.code === undefined ? {} : { code: d.code }),
  }));
  expect(found).toContainEqual({ severity: 'error', ...expected });
}
