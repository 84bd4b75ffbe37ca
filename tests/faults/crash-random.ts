import { nextFloat, type RngCursor, seedToState } from '../../shared/rules/rng.ts';

/**
 * The crash harness's choices (when to kill, what each bot does) follow one seed, with the same
 * generator the rules use. Socket timing still varies from run to run, so a seed reproduces the
 * schedule, not every interleaving.
 */
export class Random {
  private readonly cursor: RngCursor;

  constructor(seed: number | string) {
    this.cursor = { rng: seedToState(seed) };
  }

  next(): number {
    return nextFloat(this.cursor);
  }

  /** A whole number from min to max, both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(xs: readonly T[]): T {
    const x = xs[Math.floor(this.next() * xs.length)];
    if (x === undefined) throw new Error('pick from an empty list');
    return x;
  }

  /** An independent generator, so one bot's choices do not shift another's. */
  fork(label: string): Random {
    return new Random(`${this.cursor.rng}:${label}`);
  }
}
