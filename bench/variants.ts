import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { App, YamlOutputType } from 'cdk8s';
import { serializeObjects } from '../lib/synth/serialize';
import { RoutingApp } from '../lib';
import { collectOutputFiles } from '../lib/synth/collect';
import { declareChartPerService, declareFleet } from './fleet';
import { declareLlmFleet } from './llm-fleet';

/** `istio-portable` and `gateway-api`: one fleet both APIs can write (fleet.ts), in each API. */
export type Variant = 'ours' | 'floor' | 'cdk8s-chart-per-service' | 'istio-portable' | 'gateway-api' | 'llm';

export interface Measurement {
  readonly variant: Variant;
  readonly size: number;
  readonly seconds: number;
  readonly rssMb: number;
  readonly bytes: number;
  /** Of `seconds`, the time spent writing files (this machine's disk is noisy; compute is not). */
  readonly writeSeconds?: number;
  readonly timedOut?: boolean;
  /** Every run's wall seconds when the variant ran more than once; `seconds` is their median. */
  readonly runs?: readonly number[];
}

/** The middle item by `value` (the lower of the two middle ones for an even count). */
function middle<T>(items: readonly T[], value: (item: T) => number): T {
  return [...items].sort((a, b) => value(a) - value(b))[Math.floor((items.length - 1) / 2)];
}

/** The median run (by wall time) of several, with every run's time: this machine's speed varies by tens of percent from minute to minute. */
export function medianOf(measurements: readonly Measurement[]): Measurement {
  const median = middle(measurements, (m) => m.seconds);
  return measurements.length > 1 ? { ...median, runs: measurements.map((m) => m.seconds) } : median;
}

/** The plainest way to write the files: each directory created once, then each file. */
function writeAll(dir: string, files: ReadonlyMap<string, string>): number {
  for (const folder of new Set([...files.keys()].map((path) => dirname(join(dir, path))))) mkdirSync(folder, { recursive: true });
  for (const [path, content] of files) writeFileSync(join(dir, path), content);
  return totalBytes(files);
}

function totalBytes(files: ReadonlyMap<string, string>): number {
  let bytes = 0;
  for (const content of files.values()) bytes += Buffer.byteLength(content);
  return bytes;
}

/** Runs one variant in this process and measures it. */
export function runVariant(variant: Variant, size: number, dir: string): Measurement {
  if (variant === 'floor') {
    // The final objects are computed before the clock starts: only YAML and I/O are timed.
    const app = new RoutingApp();
    declareFleet(app, size);
    const objects = collectOutputFiles(app).map((f) => ({ path: f.path, objects: f.objects.map((o) => o.json) }));
    const start = process.hrtime.bigint();
    const files = new Map(objects.map((f) => [f.path, serializeObjects(f.objects)]));
    const writeStart = process.hrtime.bigint();
    const bytes = writeAll(dir, files);
    return { ...measured(variant, size, start, bytes), writeSeconds: since(writeStart) };
  }
  const start = process.hrtime.bigint();
  if (variant === 'istio-portable' || variant === 'gateway-api') {
    const app = new RoutingApp({ outdir: join(dir, 'dist'), api: variant === 'gateway-api' ? 'gateway-api' : 'istio', gatewayApiChannel: 'experimental' });
    declareFleet(app, size, true);
    const { files } = app.synth();
    return measured(variant, size, start, totalBytes(files));
  }
  if (variant === 'llm') {
    // LLM services (LlmService): InferencePools, adapter rewrites and HTTPRoutes, validated as synth does.
    const app = new RoutingApp({ outdir: join(dir, 'dist'), inferenceExtension: true });
    declareLlmFleet(app, size);
    const { files } = app.synth();
    return measured(variant, size, start, totalBytes(files));
  }
  if (variant === 'ours') {
    // Exactly what `npm run synth` does; files are written as they are serialized, so writing has no time of its own.
    const app = new RoutingApp({ outdir: join(dir, 'dist') });
    declareFleet(app, size);
    const { files } = app.synth();
    return measured(variant, size, start, totalBytes(files));
  }
  const app = new App({ outdir: join(dir, 'dist'), yamlOutputType: YamlOutputType.FILE_PER_CHART });
  declareChartPerService(app, size);
  app.synth();
  const result = measured(variant, size, start, 0);
  return { ...result, bytes: directoryBytes(join(dir, 'dist')) };
}

function directoryBytes(dir: string): number {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .reduce((sum, entry) => sum + statSync(join(entry.parentPath, entry.name)).size, 0);
}

function since(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function measured(variant: Variant, size: number, start: bigint, bytes: number): Measurement {
  return { variant, size, seconds: since(start), rssMb: process.resourceUsage().maxRSS / 1024, bytes };
}

/**
 * Ours against the floor run by run (they alternate, so each pair ran at
 * about the same machine speed), and the median of those ratios: this
 * machine's speed drifts between runs, which the ratio of the two medians
 * does not cancel.
 */
function pairedRatioNote(results: readonly Measurement[], size: number, [a, b]: readonly [Variant, Variant] = ['ours', 'floor']): string[] {
  const runsOf = (variant: Variant) => results.find((r) => r.variant === variant && r.size === size)?.runs;
  const [first, second] = [runsOf(a), runsOf(b)];
  if (!first || !second || first.length !== second.length) return [];
  const ratios = first.map((seconds, i) => seconds / second[i]);
  const median = middle(ratios, (r) => r);
  return [`${a}/${b} at N=${size}, run by run: ${ratios.map((r) => r.toFixed(2)).join(' ')} (median ${median.toFixed(2)})`];
}

export function formatTable(results: readonly Measurement[], machine: Record<string, unknown>): string {
  const rows = [['N', 'variant', 'wall s (median)', 'runs wall s', 'of which write s', 'ms/service', 'peak RSS MB', 'output bytes', 'ours vs this']];
  for (const r of results) {
    const ours = results.find((o) => o.variant === 'ours' && o.size === r.size)!;
    rows.push([
      String(r.size),
      r.variant,
      r.timedOut ? `>${r.seconds}` : r.seconds.toFixed(2),
      r.runs ? r.runs.map((s) => s.toFixed(2)).join(' ') : '-',
      r.writeSeconds === undefined ? '-' : r.writeSeconds.toFixed(2),
      r.timedOut ? '-' : ((r.seconds * 1000) / r.size).toFixed(3),
      r.timedOut ? '-' : r.rssMb.toFixed(0),
      r.timedOut ? '-' : String(r.bytes),
      r.variant === 'ours' ? '1.00x' : r.timedOut ? `<${(ours.seconds / r.seconds).toFixed(2)}x` : `${(ours.seconds / r.seconds).toFixed(2)}x`,
    ]);
  }
  const sizes = [...new Set(results.map((r) => r.size))].sort((a, b) => a - b);
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  const lines = rows.map((row) => row.map((cell, c) => cell.padStart(widths[c])).join('  '));
  const notes = [
    `machine: ${JSON.stringify(machine)}`,
    ...sizes.flatMap((size) => [...pairedRatioNote(results, size), ...pairedRatioNote(results, size, ['gateway-api', 'istio-portable'])]),
  ];
  if (sizes.length > 1) {
    const t = (n: number) => results.find((r) => r.variant === 'ours' && r.size === n)!.seconds;
    const [small, large] = [sizes[sizes.length - 2], sizes[sizes.length - 1]];
    notes.push(`ours t(${large})/t(${small}) = ${(t(large) / t(small)).toFixed(2)} for ${large / small}x the services`);
  }
  return [...lines, '', ...notes, ''].join('\n');
}
