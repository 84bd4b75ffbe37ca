/**
 * A token bucket per socket: `burst` commands at once, refilled at `perSecond`. A client that
 * keeps hitting the limit is throttled with an error code; one that floods far past it is cut off.
 */
export class RateLimiter {
  private tokens: number;
  private last: number;
  private strikes = 0;

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
    return this.strikes > this.burst * 2 ? 'cut' : 'limited';
  }
}
