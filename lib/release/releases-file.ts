import { existsSync, readFileSync } from 'node:fs';
import { Document, isMap as isYamlMap, parseDocument } from 'yaml';
import { UserError } from '../errors';
import { GatedStep, RELEASE_STATES, ReleasePosition, ReleaseState, ReleaseWeights } from './release-plan';

/** Positions by service (`namespace/name`). */
export type ReleasePositions = Readonly<Record<string, ReleasePosition>>;

const FIELDS = ['from', 'to', 'state', 'step', 'weights', 'gated', 'gateSkipped'];
const SERVICE_KEY = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?\/[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

const HEADER = [
  ' Where each progressive release stands (Strategy.progressive in main.ts).',
  ' Edited by `npm run release -- promote|rollback|complete <ns/service>`; synth reads it.',
  ' step 0 sends all traffic to `from`; step k gives `to` the k-th percentage of the plan.',
  ' weights: the shares the step gave when recorded; synth refuses a plan that no longer gives them.',
].join('\n');

/** Reads releases.yaml; a missing file records nothing. Throws UserError naming the file, entry and field. */
export function readReleasesFile(file: string): ReleasePositions {
  if (!existsSync(file)) return {};
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UserError(`${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  return parsePositions(text, file);
}

export interface ParseOptions {
  /** Entries written before releases.yaml recorded weights (a diff's base) are read without them. */
  readonly weightsOptional?: boolean;
}

export function parsePositions(text: string, source: string, options: ParseOptions = {}): ReleasePositions {
  const doc = parseDocument(text);
  if (doc.errors.length) throw new UserError(`${source}: not valid YAML: ${doc.errors[0].message.split('\n')[0]}`);
  const root: unknown = doc.toJS();
  if (root === null || root === undefined) return {};
  if (typeof root !== 'object' || Array.isArray(root)) throw new UserError(`${source}: must be a map of "namespace/service" to its release, received ${JSON.stringify(root)}`);
  const positions: Record<string, ReleasePosition> = {};
  for (const [service, entry] of Object.entries(root as Record<string, unknown>)) {
    positions[service] = parseEntry(`${source}: ${service}`, service, entry, options);
  }
  return positions;
}

function parseEntry(where: string, service: string, entry: unknown, options: ParseOptions): ReleasePosition {
  if (!SERVICE_KEY.test(service)) throw new UserError(`${where}: the key must be "namespace/service" (lowercase DNS labels), received "${service}"`);
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw new UserError(`${where}: must be a map with ${FIELDS.join(', ')}, received ${JSON.stringify(entry)}`);
  const fields = entry as Record<string, unknown>;
  const unknown = Object.keys(fields).filter((k) => !FIELDS.includes(k));
  if (unknown.length) throw new UserError(`${where}: unknown field "${unknown[0]}" (known: ${FIELDS.join(', ')})`);
  for (const field of ['from', 'to'] as const) {
    if (typeof fields[field] !== 'string' || fields[field] === '') throw new UserError(`${where}: ${field} must be a version name, received ${JSON.stringify(fields[field])}`);
  }
  if (!RELEASE_STATES.includes(fields.state as ReleaseState)) {
    throw new UserError(`${where}: state must be one of ${RELEASE_STATES.join(', ')}, received ${JSON.stringify(fields.state)}`);
  }
  if (!Number.isInteger(fields.step) || (fields.step as number) < 0) throw new UserError(`${where}: step must be a whole number from 0, received ${JSON.stringify(fields.step)}`);
  const position = { from: fields.from as string, to: fields.to as string, state: fields.state as ReleaseState, step: fields.step as number };
  if (fields.gateSkipped !== undefined && (typeof fields.gateSkipped !== 'string' || fields.gateSkipped.trim() === '')) {
    throw new UserError(`${where}: gateSkipped must be the reason the gate was skipped, received ${JSON.stringify(fields.gateSkipped)}`);
  }
  return {
    ...position,
    ...((fields.weights !== undefined || !options.weightsOptional) && { weights: parseWeights(`${where}: weights`, position, fields.weights) }),
    ...(fields.gated !== undefined && { gated: parseGated(`${where}: gated`, position, fields.gated) }),
    ...(fields.gateSkipped !== undefined && { gateSkipped: fields.gateSkipped as string }),
  };
}

/** `{ v1: 90, v2: 10 }`: `from` and `to`, each a whole percentage, together 100. */
function parseWeights(where: string, { from, to }: ReleasePosition, weights: unknown): ReleaseWeights {
  const fits = isMap(weights) &&
    Object.keys(weights).sort().join() === [from, to].sort().join() &&
    Object.values(weights).every((w) => Number.isInteger(w) && (w as number) >= 0 && (w as number) <= 100) &&
    (weights[from] as number) + (weights[to] as number) === 100;
  if (!fits) throw new UserError(`${where} must give ${from} and ${to} whole percentages that add up to 100 (npm run release records them), received ${JSON.stringify(weights)}`);
  return { [from]: weights[from] as number, [to]: weights[to] as number };
}

/** `{ step: 2, weights: { v1: 75, v2: 25 } }` */
function parseGated(where: string, position: ReleasePosition, gated: unknown): GatedStep {
  if (!isMap(gated) || Object.keys(gated).sort().join() !== 'step,weights' || !Number.isInteger(gated.step) || (gated.step as number) < 0) {
    throw new UserError(`${where} must be the step the gate let through and its weights ({ step: 2, weights: { ... } }), received ${JSON.stringify(gated)}`);
  }
  return { step: gated.step as number, weights: parseWeights(`${where}.weights`, position, gated.weights) };
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The new text of releases.yaml with one entry set. Comments and the order
 * of the other entries are kept; a new file starts with a short header.
 */
export function releasesFileText(previous: string | undefined, service: string, position: ReleasePosition): string {
  const doc = previous !== undefined && previous.trim() !== '' ? parseDocument(previous) : new Document({});
  if (previous === undefined || previous.trim() === '') doc.commentBefore = HEADER;
  if (!isYamlMap(doc.contents)) doc.contents = doc.createNode({});
  const entry = doc.createNode({
    from: position.from, to: position.to, state: position.state, step: position.step,
    ...(position.weights && { weights: position.weights }),
    ...(position.gated && { gated: position.gated }),
    ...(position.gateSkipped !== undefined && { gateSkipped: position.gateSkipped }),
  });
  // `weights: { v1: 90, v2: 10 }` on one line, as people write it.
  for (const key of ['weights', 'gated']) {
    const map = entry.get(key);
    if (isYamlMap(map)) map.flow = true;
  }
  doc.set(service, entry);
  return doc.toString({ lineWidth: 0 });
}
