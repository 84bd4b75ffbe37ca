import type { Diagnostics } from '../../server/diagnostics.ts';
import { sleep } from './flood-client.ts';

/** GET /internal/diagnostics of a server started with HOTLINE_DIAGNOSTICS=1 (and --expose-gc). */
export async function diagnosticsOf(url: string): Promise<Diagnostics> {
  const res = await fetch(`${url}/internal/diagnostics`, { signal: AbortSignal.timeout(30_000) });
  if (res.status !== 200) throw new Error(`/internal/diagnostics answered ${res.status}`);
  return (await res.json()) as Diagnostics;
}

/**
 * The server at rest: every client gone (engine.io closes its sockets asynchronously) and every
 * background write done. Takes a few samples a second apart and keeps the last, once two in a
 * row agree on the counts, so a timer that was about to fire does not count as growth.
 */
export async function settledDiagnostics(url: string, ms = 15_000): Promise<Diagnostics> {
  const end = Date.now() + ms;
  let last = await diagnosticsOf(url);
  while (Date.now() < end) {
    await sleep(1000);
    const next = await diagnosticsOf(url);
    const same =
      next.sockets === last.sockets && next.timers === last.timers && next.listeners === last.listeners;
    last = next;
    if (same && next.sockets === 0) break;
  }
  return last;
}

/** One line of figures for the log. */
export function describeDiagnostics(d: Diagnostics): string {
  const kinds = Object.entries(d.resources)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  return `heap ${d.heapAfterGcMb ?? d.heapUsedMb} MB after GC (rss ${d.rssMb} MB), timers ${d.timers}, listeners ${d.listeners}, sockets ${d.sockets}, rooms ${JSON.stringify(d.rooms)}, hub ${JSON.stringify(d.hub)}; handles: ${kinds}`;
}
