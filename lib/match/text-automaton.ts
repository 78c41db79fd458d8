import { RE2JS } from 're2js';

/**
 * The texts a request can carry in one place (a header value, a query value),
 * as a small automaton over the characters: `next` gives the state after a
 * character, or undefined when that character cannot come there.
 */
export interface TextAutomaton {
  readonly start: number;
  next(state: number, char: number): number | undefined;
  accepts(state: number): boolean;
  /** Characters that stand for all others: `next` treats every character outside this list like `other`. */
  readonly distinct: readonly number[];
  readonly other: number;
}

/** Whether the automaton accepts the whole text. */
export function acceptsText(automaton: TextAutomaton, text: string): boolean {
  const state = run(automaton, text);
  return state !== undefined && automaton.accepts(state);
}

/** Whether some text starting with `prefix` is accepted: no state is a dead end here, so reading the prefix is enough. */
export function acceptsPrefix(automaton: TextAutomaton, prefix: string): boolean {
  return run(automaton, prefix) !== undefined;
}

function run(automaton: TextAutomaton, text: string): number | undefined {
  let state: number | undefined = automaton.start;
  for (const char of text) {
    state = automaton.next(state, char.codePointAt(0)!);
    if (state === undefined) return undefined;
  }
  return state;
}

/**
 * Whether an RE2 regex fully matches (as Envoy's safe_regex does) some text
 * the automaton accepts. It walks the program re2js compiles the regex to
 * (RE2's Thompson NFA: alternations, character ranges, empty-width
 * assertions) in step with the automaton, so it is exact for characters;
 * anchors and word boundaries are taken as always passable, so a regex that
 * contradicts itself with them (`a^b`) counts as matching.
 */
export function regexAcceptsSome(automaton: TextAutomaton, pattern: string): boolean {
  const program = RE2JS.compile(pattern).re2Input.prog as Program;
  const seen = new Set<string>();
  const queue: Array<[number, number]> = [[program.start, automaton.start]];
  while (queue.length) {
    const [pc, state] = queue.pop()!;
    const key = `${pc}:${state}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const inst = program.inst[pc];
    switch (inst.op) {
      case Op.MATCH:
        if (automaton.accepts(state)) return true;
        break;
      case Op.FAIL:
        break;
      case Op.ALT:
      case Op.ALT_MATCH:
        queue.push([inst.out, state], [inst.arg, state]);
        break;
      case Op.RUNE:
      case Op.RUNE1:
      case Op.RUNE_ANY:
      case Op.RUNE_ANY_NOT_NL:
        for (const next of statesAfter(automaton, state, inst)) queue.push([inst.out, next]);
        break;
      default:
        // CAPTURE, NOP, EMPTY_WIDTH and the lookbehind bookkeeping consume nothing.
        queue.push([inst.out, state]);
    }
  }
  return false;
}

/** re2js's instruction codes (its Inst class), the order of RE2's InstOp. */
const Op = { ALT: 1, ALT_MATCH: 2, FAIL: 5, MATCH: 6, RUNE: 8, RUNE1: 9, RUNE_ANY: 10, RUNE_ANY_NOT_NL: 11 } as const;
const FOLD_CASE = 1;

interface Instruction {
  readonly op: number;
  readonly out: number;
  readonly arg: number;
  readonly runes: Int32Array;
}

interface Program {
  readonly start: number;
  readonly inst: readonly Instruction[];
}

/** The automaton's states after one character the instruction takes. */
function statesAfter(automaton: TextAutomaton, state: number, inst: Instruction): Set<number> {
  const out = new Set<number>();
  const step = (char: number) => {
    const next = automaton.next(state, char);
    if (next !== undefined) out.add(next);
  };
  const takesOther = (lo: number, hi: number) => {
    // A range holds a character outside the distinct ones unless the distinct ones fill it.
    const distinctInside = automaton.distinct.filter((c) => c >= lo && c <= hi).length;
    return hi - lo + 1 > distinctInside;
  };
  const ranges = rangesOf(inst);
  for (const char of automaton.distinct) if (ranges.some(([lo, hi]) => char >= lo && char <= hi)) step(char);
  if (ranges.some(([lo, hi]) => takesOther(lo, hi))) step(automaton.other);
  return out;
}

function rangesOf(inst: Instruction): Array<[number, number]> {
  if (inst.op === Op.RUNE_ANY) return [[0, 0x10ffff]];
  if (inst.op === Op.RUNE_ANY_NOT_NL) return [[0, 9], [11, 0x10ffff]];
  const runes = [...inst.runes];
  if (runes.length === 1) {
    const char = String.fromCodePoint(runes[0]);
    const variants = (inst.arg & FOLD_CASE) !== 0 ? [char, char.toLowerCase(), char.toUpperCase()] : [char];
    return [...new Set(variants.map((c) => c.codePointAt(0)!))].map((c) => [c, c]);
  }
  const ranges: Array<[number, number]> = [];
  for (let i = 0; i + 1 < runes.length; i += 2) ranges.push([runes[i], runes[i + 1]]);
  return ranges;
}
