import { isDeepStrictEqual } from 'node:util';
import { TrafficRequest } from '../traffic';
import { compareOutputs, MigrationComparison, MigrationDifference, MigrationOutcome } from './compare-outputs';

export interface MigrationReport {
  /** Services (`ns/name`, from their output files) whose Gateway API output differs from their Istio output. */
  readonly migrated: readonly string[];
  /** Services whose output is the same in both: they choose `api: 'istio'` (or are already on the Gateway API). */
  readonly unchanged: readonly string[];
  readonly comparison: MigrationComparison;
}

/** Both outputs of one app, file by file (`<namespace>.<service>.yaml`), compared. */
export function migrationReport(istio: ReadonlyMap<string, readonly unknown[]>, gatewayApi: ReadonlyMap<string, readonly unknown[]>): MigrationReport {
  const migrated: string[] = [];
  const unchanged: string[] = [];
  for (const file of [...new Set([...istio.keys(), ...gatewayApi.keys()])].sort()) {
    const service = file.replace(/\.ya?ml$/, '').replace('.', '/');
    (isDeepStrictEqual(istio.get(file), gatewayApi.get(file)) ? unchanged : migrated).push(service);
  }
  return { migrated, unchanged, comparison: compareOutputs([...istio.values()].flat(), [...gatewayApi.values()].flat()) };
}

/** Unnamed differences fail the migration: the Gateway API output would route those requests otherwise. */
export function unexplained(report: MigrationReport): readonly MigrationDifference[] {
  return report.comparison.differences.filter((d) => !d.named);
}

const SHOWN = 20;

export function renderMigrationText(report: MigrationReport): string {
  const { comparison } = report;
  const failing = unexplained(report);
  const named = comparison.differences.filter((d) => d.named);
  const lines = [
    `migration: ${comparison.requests} requests asked of the Istio output and the Gateway API output, ${failing.length} traffic ${failing.length === 1 ? 'difference' : 'differences'}`,
    `  on the Gateway API: ${report.migrated.join(', ') || 'none'}`,
    `  unchanged (api: 'istio', or already on the Gateway API): ${report.unchanged.join(', ') || 'none'}`,
  ];
  if (comparison.newHosts) lines.push(`  not asked: ${comparison.newHosts} requests to the per-version Services, which only the Gateway API output has`);
  for (const [id, group] of groupBy(named, (d) => d.named!.id)) {
    lines.push(`  named by the Gateway API mapping (${id}), ${group.length} requests: ${group[0].named!.why}`, `    e.g. ${describe(group[0])}`);
  }
  if (failing.length) {
    lines.push('', 'Requests the Gateway API output routes otherwise:');
    for (const d of failing.slice(0, SHOWN)) lines.push(`  ${describe(d)}`);
    if (failing.length > SHOWN) lines.push(`  ... and ${failing.length - SHOWN} more (--format json lists all)`);
  }
  return lines.join('\n') + '\n';
}

export function renderMigrationMarkdown(report: MigrationReport): string {
  const text = renderMigrationText(report);
  const [title, ...rest] = text.trimEnd().split('\n');
  return `### ${title.replace(/^migration: /, 'Migration to the Gateway API: ')}\n\n\`\`\`\n${rest.join('\n').replace(/^ {2}/gm, '')}\n\`\`\`\n`;
}

export function renderMigrationJson(report: MigrationReport): string {
  return JSON.stringify({ ...report, unexplained: unexplained(report).length }, null, 2) + '\n';
}

function describe(d: MigrationDifference): string {
  return `${requestText(d.request)}: istio ${outcomeText(d.istio)} (${d.answeredBy.istio}); gateway-api ${outcomeText(d.gatewayApi)} (${d.answeredBy.gatewayApi})`;
}

function requestText(r: TrafficRequest): string {
  const from = r.from.kind === 'sidecar' ? `a sidecar in ${r.from.namespace}` : `gateway ${r.from.gateway}`;
  const headers = Object.entries(r.headers ?? {}).map(([k, v]) => ` ${k}: ${v}`).join(';');
  const cookies = Object.entries(r.cookies ?? {}).map(([k, v]) => ` cookie ${k}=${v}`).join(';');
  return `${r.method ?? 'GET'} ${r.host}${r.port && r.port !== 80 ? `:${r.port}` : ''}${r.path}${headers}${cookies} from ${from}`;
}

function outcomeText(o: MigrationOutcome): string {
  const shares = Object.entries(o.shares).map(([k, w]) => `${k} ${w}%`).join(', ');
  const mirrors = Object.entries(o.mirrors).map(([k, p]) => `${k} ${p}%`).join(', ');
  const retries = o.retries ? `retries ${o.retries.attempts} on ${o.retries.retryOn.join(',')}` : 'no retries';
  return [`${o.status}`, shares && `→ ${shares}`, mirrors && `mirrors ${mirrors}`, o.receivedPath !== null && `path ${o.receivedPath}`, o.timeoutMs !== null && `timeout ${o.timeoutMs}ms`, retries].filter(Boolean).join(' ');
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}
