import { UserError } from '../errors';

/**
 * A share of traffic, 0 to 100. Typed so that `0.1` is never mistaken for 10%.
 */
export class Percent {
  /** A percentage between 0 and 100; fractions are allowed (for example 0.5 for mirroring). */
  public static of(value: number): Percent {
    if (!Number.isFinite(value) || value < 0 || value > 100) {
      throw new UserError(`Percent.of: percent must be between 0 and 100, received ${value}`);
    }
    return new Percent(value);
  }

  private constructor(public readonly value: number) {}

  public get isWhole(): boolean {
    return Number.isInteger(this.value);
  }

  public toString(): string {
    return `${this.value}%`;
  }
}
