/**
 * A token bucket per socket: `burst` commands at once, refilled at `perSecond`. A client that
 * keeps hitting the limit is throttled with an error code; one that floods far past it is cut off.
 */
export class RateLimiter {
  private tokens: number;
  private last: number;
  private strikes = 0;
  private cutAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly now: () => number,
  ) {
    this.tokens = burst;
    this.last = now();
  }

  /** 'ok', 'limited' (refuse this command) or 'cut' (disconnect the socket). */
  take(): 'ok' | 'limited' | 'cut' {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.perSecond);
    this.last = t;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      this.strikes = Math.max(0, this.strikes - 1);
      return 'ok';
    }
    this.strikes++;
    if (this.strikes <= this.burst * 2) return 'limited';
    this.cutAt = t;
    return 'cut';
  }

  /** Whether this limiter cut its client off less than `ms` ago. */
  coolingDown(ms: number): boolean {
    return this.now() - this.cutAt < ms;
  }

  /** Whether the bucket has refilled: forgetting it now gives nobody more than a fresh one would. */
  rested(): boolean {
    return this.tokens + ((this.now() - this.last) / 1000) * this.perSecond >= this.burst;
  }
}
