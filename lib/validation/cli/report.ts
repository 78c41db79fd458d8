import { formatDiagnostic } from '../core/format';
import type { Diagnostic } from '../types';
import type { LocatedDiagnostic, ValidationReport } from './validate-files';

export interface SeverityCounts {
  readonly errors: number;
  readonly warnings: number;
  readonly infos: number;
}

export function countSeverities(report: ValidationReport): SeverityCounts {
  const count = (severity: string) => report.diagnostics.filter((d) => d.severity === severity).length;
  return { errors: count('error'), warnings: count('warning'), infos: count('info') };
}

/** 2 when some input could not be read, 1 when an error was found (or, with --strict, a warning), else 0. */
export function exitCodeOf(report: ValidationReport, strict: boolean): number {
  if (report.inputErrors.length > 0) return 2;
  const counts = countSeverities(report);
  return counts.errors > 0 || (strict && counts.warnings > 0) ? 1 : 0;
}

/** `file:line severity kind namespace/name field: message (received v) [ISTxxxx]` */
export function diagnosticLine(d: LocatedDiagnostic): string {
  const name = d.object.name === undefined ? '' : ` ${d.object.namespace ?? 'default'}/${d.object.name}`;
  const kind = d.object.kind === '' ? '' : ` ${d.object.kind}`;
  return `${d.file}:${d.line} ${d.severity}${kind}${name} ${formatDiagnostic(d)}`;
}

export function summaryLine(report: ValidationReport): string {
  const { errors, warnings, infos } = countSeverities(report);
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${plural(errors, 'error')}, ${plural(warnings, 'warning')}, ${infos} info in ${plural(report.objects, 'object')} from ${plural(report.files.length, 'file')}`;
}

/** Per input file: could it be read, and how many errors and warnings it has. */
function fileResult(report: ValidationReport, file: string) {
  const ofFile = report.diagnostics.filter((d) => d.file === file);
  return {
    file,
    readable: !report.inputErrors.some((e) => e.startsWith(`${file}:`)),
    errors: ofFile.filter((d) => d.severity === 'error').length,
    warnings: ofFile.filter((d) => d.severity === 'warning').length,
  };
}

const ISTIOCTL_LEVEL = { error: 'Error', warning: 'Warning', info: 'Info' } as const;

/**
 * A diagnostic with an Istio code as `istioctl analyze` prints it: `<Level> <code> <Kind> <namespace>/<name>:
 * <message>`. Webhook findings are wrapped as istioctl wraps them (IST0106 `Schema validation error: `, IST0133
 * `Schema validation warning: `; IST0130/IST0131 capitalized, with a full stop). Undefined for our own rules.
 */
export function istioctlAnalyzeLine(d: Diagnostic): string | undefined {
  if (d.code === undefined) return undefined;
  const wrapped =
    d.code === 'IST0106' ? `Schema validation error: ${d.message}`
      : d.code === 'IST0133' ? `Schema validation warning: ${d.message}`
        : d.code === 'IST0130' || d.code === 'IST0131' ? `${d.message.charAt(0).toUpperCase()}${d.message.slice(1)}.`
          : d.message;
  return `${ISTIOCTL_LEVEL[d.severity]} ${d.code} ${d.object.kind} ${d.object.namespace ?? 'default'}/${d.object.name ?? ''}: ${wrapped}`;
}

export function renderJson(report: ValidationReport): string {
  const json = {
    files: report.files,
    diagnostics: report.diagnostics.map((d) => ({
      file: d.file,
      line: d.line,
      severity: d.severity,
      code: d.code ?? null,
      rule: d.rule,
      kind: d.object.kind,
      namespace: d.object.namespace ?? null,
      name: d.object.name ?? null,
      path: d.path,
      message: d.message,
      ...(d.received === undefined ? {} : { received: d.received }),
      ...(d.code === undefined ? {} : { istioctl: istioctlAnalyzeLine(d) }),
    })),
    notes: report.notes,
    inputErrors: report.inputErrors,
    fileResults: report.files.map((file) => fileResult(report, file)),
    summary: { ...countSeverities(report), objects: report.objects, files: report.files.length },
  };
  return JSON.stringify(json, null, 2);
}
