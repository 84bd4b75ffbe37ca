import { type Bot, botsFor } from '../../shared/bots/index.ts';
import type { CreateGameResponse } from '../../shared/protocol/events.ts';
import type { Channel } from '../../shared/protocol/room.ts';
import type { Side } from '../../shared/rules/ids.ts';
import type { Order } from '../../shared/rules/state.ts';
import { type Acked, CrashClient, Disconnected } from './crash-client.ts';
import type { Random } from './crash-random.ts';

/** What one table of the crash run looks like. */
export interface TableSpec {
  scenarioId: 'classroom-short' | 'baseline-2026';
  rounds: number;
  /** A server bot holds this side (its team then has no human clients). */
  bots: Record<Side, string | null>;
  team: Record<Side, number>;
  observer: boolean;
  /** A brisk facilitator moves the phases on; an idle one mostly lets the one-minute clocks run out. */
  brisk: boolean;
}

export function randomSpec(rnd: Random): TableSpec {
  const botSide: Side | null = rnd.chance(0.3) ? rnd.pick(['us', 'china'] as const) : null;
  const bots: Record<Side, string | null> = { us: null, china: null };
  if (botSide) bots[botSide] = rnd.pick(botsFor(botSide)).id;
  const scenarioId = rnd.chance(0.7) ? 'classroom-short' : 'baseline-2026';
  return {
    scenarioId,
    rounds: rnd.int(2, 5),
    bots,
    team: { us: bots.us ? 0 : rnd.int(1, 3), china: bots.china ? 0 : rnd.int(1, 3) },
    observer: rnd.chance(0.4),
    brisk: rnd.chance(0.75),
  };
}

/** Everything the checks need about one game, kept after its table has closed. */
export interface GameRecord {
  code: string;
  facToken: string;
  /** Every acknowledged command of the game, in the order the answers arrived. */
  ledger: Acked[];
  /** The facilitator's connection while the table plays (its views say what was shown). */
  fac: CrashClient | null;
  spec: TableSpec;
  /**
   * Checks since the table closed (its game ended and its clients left): an archived game's log
   * no longer grows, so after one full check it is checked again on a rotation and at the end.
   */
  checksSinceClosed: number | null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function createGame(url: string, spec: TableSpec, until: () => boolean): Promise<CreateGameResponse> {
  const deadlines = { briefing: 60, negotiation: 60, orders: 60, crisis: 60, summary: 60 };
  const body = JSON.stringify({
    scenarioId: spec.scenarioId,
    rounds: spec.rounds,
    deadlines,
    bots: spec.bots,
  });
  for (;;) {
    try {
      const res = await fetch(`${url}/api/games`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      if (res.status === 201) return (await res.json()) as CreateGameResponse;
      throw new Error(`creating a game answered ${res.status}: ${await res.text()}`);
    } catch (e) {
      // The server may be down between a kill and its restart: try again once it is back.
      if (until() || (e as Error).message.startsWith('creating a game')) throw e;
      await sleep(200);
    }
  }
}

/**
 * One game played by bot-driven socket clients: a facilitator, a team of 1–3 on each side held
 * by people (or a server bot), sometimes an observer. Every member edits the shared draft with
 * its team bot's orders, chats on the channels it may use, the lead locks and answers crises,
 * and the facilitator starts the game and moves it on (or, at an idle table, lets the clocks do
 * it), pauses, extends and broadcasts now and then.
 */
export class Table {
  readonly fac: CrashClient;
  readonly members: CrashClient[] = [];
  readonly observers: CrashClient[] = [];
  private stopped = false;
  private readonly loops: Promise<void>[] = [];
  private notes = 0;

  private constructor(
    readonly record: GameRecord,
    url: string,
    private readonly rnd: Random,
    private readonly onProblem: (p: string) => void,
  ) {
    const onAck = (a: Acked) => record.ledger.push(a);
    const base = { url, code: record.code, onAck, onProblem };
    this.fac = new CrashClient({ ...base, name: 'Facilitator', role: 'facilitator', token: record.facToken });
    record.fac = this.fac;
    for (const side of ['us', 'china'] as const)
      for (let i = 0; i < record.spec.team[side]; i++)
        this.members.push(new CrashClient({ ...base, name: `${side}-${i + 1}`, role: side }));
    if (record.spec.observer)
      this.observers.push(new CrashClient({ ...base, name: 'watcher', role: 'observer' }));
  }

  static async open(
    url: string,
    spec: TableSpec,
    rnd: Random,
    onProblem: (p: string) => void,
    giveUp: () => boolean,
  ): Promise<Table> {
    const game = await createGame(url, spec, giveUp);
    const record: GameRecord = {
      code: game.code,
      facToken: game.facilitatorToken,
      ledger: [],
      fac: null,
      spec,
      checksSinceClosed: null,
    };
    record.ledger.push({
      code: game.code,
      event: 'create',
      payload: { ...spec },
      data: { code: game.code },
      seatId: 'facilitator',
      role: 'facilitator',
      at: Date.now(),
    });
    return new Table(record, url, rnd, onProblem);
  }

  get clients(): CrashClient[] {
    return [this.fac, ...this.members, ...this.observers];
  }

  get ended(): boolean {
    return this.fac.lastView?.phase === 'ended';
  }

  /** Starts every client's loop. */
  play(): void {
    const teamBot: Record<Side, Bot> = {
      us: this.rnd.pick(botsFor('us')),
      china: this.rnd.pick(botsFor('china')),
    };
    const brisk = this.record.spec.brisk;
    this.loops.push(this.loop(this.fac, brisk ? [300, 1200] : [1500, 3000], (r) => this.facTick(r)));
    for (const m of this.members) {
      const side = m.role as Side;
      this.loops.push(this.loop(m, [150, 700], (r) => this.memberTick(m, teamBot[side], r)));
    }
  }

  private async loop(c: CrashClient, think: [number, number], tick: (r: Random) => Promise<unknown>) {
    const r = this.rnd.fork(c.name);
    while (!this.stopped) {
      await sleep(r.int(think[0], think[1]));
      if (this.stopped || !c.seated) continue;
      try {
        await tick(r);
      } catch (e) {
        if (!(e instanceof Disconnected))
          this.onProblem(`${c.name} in ${this.record.code}: ${(e as Error).stack}`);
      }
    }
  }

  private note(c: CrashClient, what: string): string {
    this.notes++;
    return `${what} #${this.notes} from ${c.name} of ${this.record.code}`;
  }

  private draft(c: CrashClient, bot: Bot): Promise<boolean> {
    const v = c.view;
    if (!v?.draft || v.draft.locked) return Promise.resolve(false);
    const orders: Order[] = bot.orders(v.game).map((o) => ({ ...o }));
    // A mark in a rationale makes this edit recognisable in the log among identical ones.
    const first = orders[0];
    if (first) first.rationale = `${(first.rationale ?? '').slice(0, 200)} [${this.note(c, 'edit')}]`.trim();
    return c.send('draft:set', { baseVersion: v.draft.version, orders });
  }

  private chat(c: CrashClient, r: Random): Promise<boolean> {
    const side = c.role as Side;
    const channel: Channel = r.pick(['public', 'bilateral', side]);
    return c.send('chat:send', { channel, text: this.note(c, 'message') });
  }

  private async memberTick(c: CrashClient, bot: Bot, r: Random): Promise<unknown> {
    const v = c.view;
    if (!v) return;
    switch (v.phase) {
      case 'briefing':
      case 'negotiation':
        return r.chance(0.5) ? this.chat(c, r) : this.draft(c, bot);
      case 'orders':
        if (v.you.lead && v.draft && !v.draft.locked && r.chance(0.5))
          return c.send('draft:lock', { baseVersion: v.draft.version });
        if (v.you.lead && v.draft?.locked && r.chance(0.05)) return c.send('draft:unlock');
        return r.chance(0.5) ? this.draft(c, bot) : this.chat(c, r);
      case 'crisis': {
        const pending = v.game.public.pendingCrisis;
        if (v.you.lead && pending && v.yourCrisisAnswer === null)
          return c.send('crisis:answer', { choice: bot.crisis(v.game, pending.eventId) });
        return this.chat(c, r);
      }
      case 'lobby':
      case 'summary':
        return r.chance(0.4) ? this.chat(c, r) : undefined;
      default:
        return undefined;
    }
  }

  private async facTick(r: Random): Promise<unknown> {
    const c = this.fac;
    const v = c.view;
    if (!v || v.phase === 'ended') return;
    if (v.phase === 'lobby') {
      const everyone = this.members.every((m) => m.seatId !== null);
      return everyone ? c.send('fac:start') : undefined;
    }
    // An idle facilitator leaves most phases to their clocks.
    if (!this.record.spec.brisk && !r.chance(0.15)) return;
    if (v.paused) return r.chance(0.6) ? c.send('fac:resume') : undefined;
    const moveOn = v.phase === 'orders' ? 0.15 : v.phase === 'crisis' ? 0.25 : 0.35;
    const x = r.next();
    if (x < moveOn) return c.send('fac:advance');
    if (x < moveOn + 0.05) return c.send('fac:pause');
    if (x < moveOn + 0.1) return c.send('fac:extend', { seconds: 60 });
    if (x < moveOn + 0.15) return c.send('fac:broadcast', { text: this.note(c, 'broadcast') });
    if (x < moveOn + 0.25)
      return c.send('chat:send', {
        channel: r.pick(['public', 'us', 'china', 'bilateral'] as const),
        text: this.note(c, 'ruling'),
      });
    return undefined;
  }

  /** Fires a burst of chat (and a draft edit) from some members without waiting for the answers. */
  burst(r: Random): void {
    const lost = (e: unknown) => {
      if (!(e instanceof Disconnected))
        this.onProblem(`burst in ${this.record.code}: ${(e as Error).message}`);
    };
    for (const m of this.members) {
      if (!m.seated || !r.chance(0.5)) continue;
      for (let i = r.int(2, 8); i > 0; i--) this.chat(m, r).catch(lost);
      if (r.chance(0.5)) this.draft(m, r.pick(botsFor(m.role as Side))).catch(lost);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.loops);
    for (const c of this.clients) c.close();
    this.record.fac = null;
    this.record.checksSinceClosed = 0;
  }

  /** Stops the loops but keeps the connections (for a quiet final check). */
  async pause(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.loops);
  }
}
