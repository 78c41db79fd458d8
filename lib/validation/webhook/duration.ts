import { rememberedByText } from '../core/remembered';

/** Durations as Istio reads them: Go's time.ParseDuration syntax, checked by agent.ValidateDuration. */

const UNIT_NANOS: Record<string, bigint> = {
  ns: 1n,
  us: 1_000n,
  'µs': 1_000n,
  'μs': 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};
const COMPONENT = /(\d*)(?:\.(\d*))?(ns|us|µs|μs|ms|s|m|h)/y;
const NANOS_PER_MS = 1_000_000n;

/** Nanoseconds, or undefined when Go would not parse it. Remembered: BigInt arithmetic is dear. */
export const parseGoDuration = rememberedByText(parse);

function parse(text: string): bigint | undefined {
  let rest = text;
  let sign = 1n;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    sign = rest[0] === '-' ? -1n : 1n;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0n;
  if (rest === '') return undefined;
  let total = 0n;
  COMPONENT.lastIndex = 0;
  while (COMPONENT.lastIndex < rest.length) {
    const match = COMPONENT.exec(rest);
    if (!match || (match[1] === '' && (match[2] ?? '') === '')) return undefined;
    const unit = UNIT_NANOS[match[3]];
    const fraction = match[2] ?? '';
    total += BigInt(match[1] || '0') * unit + (BigInt(fraction || '0') * unit) / 10n ** BigInt(fraction.length);
  }
  return sign * total;
}

/** agent.ValidateDuration; unparseable text is left to the CRD's CEL rule, which rejects it first. */
export function durationError(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const nanos = parseGoDuration(value);
  if (nanos === undefined) return undefined;
  if (nanos < NANOS_PER_MS) return 'duration must be greater than 1ms';
  if (nanos % NANOS_PER_MS !== 0n) return 'only durations to ms precision are supported';
  return undefined;
}
