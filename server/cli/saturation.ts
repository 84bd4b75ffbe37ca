/** What the search needs from one trial at a set pace. */
export interface PaceTrial {
  roundsPerSecond: number;
  p99Ms: number;
  errors: number;
}

/** The paces tried first, in rounds per second across all rooms. */
export const COARSE_PACES = [100, 150, 200, 250, 300, 400, 500, 600, 800, 1000] as const;
/** Steps between the last pace that held and the first that failed; each halves the gap. */
export const REFINE_STEPS = 2;
export const P99_LIMIT_MS = 250;

const held = (t: PaceTrial) => t.p99Ms <= P99_LIMIT_MS && t.errors === 0;

/**
 * The highest pace whose p99 stays within 250 ms with no failed round: rising through the coarse
 * paces until one fails, then halving the gap between the last that held and the first that
 * failed, so that a limit of 350 is not reported as 300. Returns the rounds per second measured
 * at that pace (null if even the first failed) and every trial in the order run.
 */
export async function searchSaturation<T extends PaceTrial>(
  trial: (roundsPerSecond: number) => Promise<T>,
): Promise<{ saturation: number | null; trials: T[] }> {
  const trials: T[] = [];
  let best: T | null = null;
  let lo = 0;
  let hi: number | null = null;
  for (const rate of COARSE_PACES) {
    const t = await trial(rate);
    trials.push(t);
    if (!held(t)) {
      hi = rate;
      break;
    }
    best = t;
    lo = rate;
  }
  for (let step = 0; step < REFINE_STEPS && hi !== null && lo > 0 && hi - lo > 10; step++) {
    const mid = Math.round((lo + hi) / 2);
    const t = await trial(mid);
    trials.push(t);
    if (held(t)) {
      best = t;
      lo = mid;
    } else hi = mid;
  }
  return { saturation: best ? best.roundsPerSecond : null, trials };
}
