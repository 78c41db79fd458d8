import type { Severity } from '../types';

/** A diagnostic before it is attached to an object; rule modules only produce these. */
export interface Finding {
  readonly severity: Severity;
  readonly code?: string;
  readonly rule: string;
  readonly path: string;
  readonly message: string;
  readonly received?: unknown;
}

/** Istio wraps every webhook error as IST0106 and every webhook warning as IST0133 (catalogue rule 55). */
export const WEBHOOK_ERROR_CODE = 'IST0106';
export const WEBHOOK_WARNING_CODE = 'IST0133';

/** Collects findings; `received` is optional so messages that already quote the value stay short. */
export class Findings {
  readonly list: Finding[] = [];

  error(rule: string, path: string, message: string, received?: unknown): void {
    this.push({ severity: 'error', code: WEBHOOK_ERROR_CODE, rule, path, message, received });
  }

  warning(rule: string, path: string, message: string, received?: unknown): void {
    this.push({ severity: 'warning', code: WEBHOOK_WARNING_CODE, rule, path, message, received });
  }

  push(finding: Finding): void {
    const clean = finding.received === undefined ? withoutReceived(finding) : finding;
    this.list.push(clean);
  }
}

function withoutReceived(finding: Finding): Finding {
  const { received: _unused, ...rest } = finding;
  return rest;
}
