import { botsFor } from '../../shared/bots/index.ts';
import type { Bot } from '../../shared/bots/types.ts';
import type { CreateGameRequest, CreateGameResponse } from '../../shared/protocol/events.ts';
import type { ClientView } from '../../shared/protocol/room.ts';
import type { Side } from '../../shared/rules/ids.ts';
import { type BotSeat, joinSeat, type LatencySink, resumeSeat, sleep, waitUntil } from './flood-client.ts';

/** One well-behaved game: what it is made of and how fast its people act. */
export interface TableSpec {
  rounds: number;
  /** Pause after each command, so a table acts like people at a steady pace rather than a benchmark. */
  paceMs: number;
  /** Picks the bots that drive each seat (and the server-side bot, if any). */
  variant: number;
  /** A side held by a server-side bot instead of a bot-driven client. */
  serverBotSide?: Side | null;
  /** A second US member who chats and edits the shared draft, and an observer who watches. */
  crowd?: boolean;
  /** The US lead drops its socket in the middle of the game and comes back with its token. */
  reconnect?: boolean;
  /** The facilitator ends the game after its first round instead of playing it out. */
  endEarly?: boolean;
}

/** How long a view or an acknowledgement may take before the game counts as stuck. */
export const SETTLE_MS = 20_000;

export class StuckError extends Error {}

async function createGame(url: string, body: CreateGameRequest): Promise<CreateGameResponse> {
  const res = await fetch(`${url}/api/games`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.status !== 201) throw new Error(`creating a game failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as CreateGameResponse;
}

const pick = <T>(xs: readonly T[], i: number): T => xs[i % xs.length] as T;

/**
 * A game played by bot-driven socket clients: a facilitator who advances every phase, a lead per
 * side (unless a server-side bot holds it) choosing orders and crisis answers with the shared bots
 * from its own seat's view, and optionally a crowd. Every acknowledgement is timed.
 */
export class BotTable {
  code = '';
  facToken = '';
  fac!: BotSeat;
  readonly leads = new Map<Side, BotSeat>();
  readonly seats: BotSeat[] = [];
  private member: BotSeat | null = null;
  private readonly bots: Record<Side, Bot>;
  commands = 0;

  constructor(
    private readonly url: string,
    readonly spec: TableSpec,
    private readonly latencies: LatencySink | null,
  ) {
    this.bots = { us: pick(botsFor('us'), spec.variant), china: pick(botsFor('china'), spec.variant + 1) };
  }

  get phase(): ClientView['phase'] | undefined {
    return this.fac?.view?.phase;
  }

  async open(): Promise<void> {
    const side = this.spec.serverBotSide ?? null;
    const game = await createGame(this.url, {
      scenarioId: 'classroom-short',
      rounds: this.spec.rounds,
      ...(side ? { bots: { [side]: pick(botsFor(side), this.spec.variant + 2).id } } : {}),
    });
    this.code = game.code;
    this.facToken = game.facilitatorToken;
    this.fac = await resumeSeat(this.url, game.facilitatorToken, this.latencies);
    this.seats.push(this.fac);
    for (const s of ['us', 'china'] as const) {
      if (s === side) continue;
      const lead = await joinSeat(this.url, game.code, `${s}-lead`, s, this.latencies);
      this.leads.set(s, lead);
      this.seats.push(lead);
    }
    if (this.spec.crowd) {
      this.member = await joinSeat(this.url, game.code, 'us-member', 'us', this.latencies);
      this.seats.push(
        this.member,
        await joinSeat(this.url, game.code, 'watcher', 'observer', this.latencies),
      );
    }
  }

  /** Sends a command from a seat, counts it and waits for the facilitator to see its effect. */
  private async act<T extends { seq: number }>(
    seat: BotSeat,
    event: string,
    payload: unknown = {},
  ): Promise<T> {
    const data = await seat.ok<T>(event, payload);
    this.commands++;
    await this.settle(data.seq, event);
    await sleep(this.spec.paceMs);
    return data;
  }

  private async settle(seq: number, what: string): Promise<void> {
    if (!(await waitUntil(() => (this.fac.view?.seq ?? 0) >= seq, SETTLE_MS)))
      throw new StuckError(`${this.code}: the facilitator never saw the effect of ${what} (seq ${seq})`);
  }

  private async seatIn(seat: BotSeat, phase: ClientView['phase']): Promise<ClientView> {
    const round = this.fac.view?.round;
    if (!(await waitUntil(() => seat.view?.phase === phase && seat.view.round === round, SETTLE_MS)))
      throw new StuckError(`${this.code}: a seat never saw the ${phase} phase of round ${round}`);
    return seat.view as ClientView;
  }

  /** An edit of the team's shared draft by one of its members, from that member's own view. */
  private async editDraft(side: Side, seat: BotSeat): Promise<void> {
    const version = this.fac.view?.drafts?.[side].version ?? 0;
    if (!(await waitUntil(() => seat.view?.draft?.version === version, SETTLE_MS)))
      throw new StuckError(`${this.code}: a ${side} member never saw its team's latest draft`);
    const orders = this.bots[side].orders((seat.view as ClientView).game);
    const set = await seat.ok<{ version: number }>('draft:set', { baseVersion: version, orders });
    this.commands++;
    if (!(await waitUntil(() => (this.fac.view?.drafts?.[side].version ?? 0) >= set.version, SETTLE_MS)))
      throw new StuckError(`${this.code}: the facilitator never saw the ${side} draft edit`);
    await sleep(this.spec.paceMs);
  }

  private async lockOrders(side: Side, lead: BotSeat): Promise<void> {
    // The lead's picture must hold the team's latest draft, or its edit is refused as stale.
    const shared = () => this.fac.view?.drafts?.[side].version;
    if (!(await waitUntil(() => lead.view?.draft?.version === shared(), SETTLE_MS)))
      throw new StuckError(`${this.code}: the ${side} lead never saw its team's latest draft`);
    const v = await this.seatIn(lead, 'orders');
    if (v.locked[side]) return;
    const orders = this.bots[side].orders(v.game);
    const set = await lead.ok<{ version: number }>('draft:set', {
      baseVersion: v.draft?.version ?? 0,
      orders,
    });
    this.commands++;
    const lock = await lead.call<{ seq: number }>('draft:lock', { baseVersion: set.version });
    this.commands++;
    if (lock.ok) return this.settle(lock.data.seq, 'draft:lock');
    // A bot may pick a move the rules refuse in this state: the team then plays no moves.
    if (lock.code !== 'invalid-orders') throw new Error(`draft:lock refused: ${lock.code}: ${lock.message}`);
    const empty = await lead.ok<{ version: number }>('draft:set', { baseVersion: set.version, orders: [] });
    await this.act(lead, 'draft:lock', { baseVersion: empty.version });
  }

  private async answerCrisis(side: Side, lead: BotSeat): Promise<void> {
    const v = await this.seatIn(lead, 'crisis');
    const pending = v.game.public.pendingCrisis;
    if (!pending || pending.answered[side]) return;
    await this.act(lead, 'crisis:answer', { choice: this.bots[side].crisis(v.game, pending.eventId) });
  }

  private async reconnectUsLead(): Promise<void> {
    const old = this.leads.get('us');
    if (!old) return;
    old.close();
    const back = await resumeSeat(this.url, old.token, this.latencies);
    this.leads.set('us', back);
    this.seats[this.seats.indexOf(old)] = back;
  }

  /** Plays the game to its end; false if the facilitator ended it early on purpose. */
  async play(): Promise<boolean> {
    await this.act(this.fac, 'fac:start');
    let reconnected = false;
    for (let steps = 0; steps < 500; steps++) {
      const v = this.fac.view as ClientView;
      const us = this.leads.get('us');
      const cn = this.leads.get('china');
      switch (v.phase) {
        case 'ended':
          return true;
        case 'briefing':
          if (this.spec.endEarly && v.round > 1) {
            await this.act(this.fac, 'fac:end');
            return false;
          }
          if (us)
            await this.act(us, 'chat:send', { channel: 'us', text: `Round ${v.round}: ready when you are.` });
          await this.act(this.fac, 'fac:advance');
          break;
        case 'negotiation':
          if (us) await this.act(us, 'chat:send', { channel: 'bilateral', text: 'Shall we keep talking?' });
          if (cn)
            await this.act(cn, 'chat:send', { channel: 'bilateral', text: 'Only if you ease controls.' });
          if (this.member) {
            await this.seatIn(this.member, 'negotiation');
            await this.act(this.member, 'chat:send', {
              channel: 'public',
              text: 'Watching the reveal closely.',
            });
            await this.editDraft('us', this.member);
          }
          if (this.spec.reconnect && !reconnected) {
            reconnected = true;
            await this.reconnectUsLead();
          }
          await this.act(this.fac, 'fac:advance');
          break;
        case 'orders':
          // Each human side locks; when the last one does, the round resolves by itself.
          if (us) await this.lockOrders('us', us);
          if (cn) await this.lockOrders('china', cn);
          if (!(await waitUntil(() => this.fac.view?.phase !== 'orders', SETTLE_MS)))
            throw new StuckError(`${this.code}: both sides locked but round ${v.round} did not resolve`);
          break;
        case 'crisis':
          if (us) await this.answerCrisis('us', us);
          if (cn) await this.answerCrisis('china', cn);
          if (!(await waitUntil(() => this.fac.view?.phase !== 'crisis', SETTLE_MS)))
            throw new StuckError(
              `${this.code}: both sides answered but the crisis of round ${v.round} stayed`,
            );
          break;
        case 'summary':
          await this.act(this.fac, 'fac:advance');
          break;
        default:
          throw new Error(`${this.code}: unexpected phase ${v.phase}`);
      }
    }
    throw new StuckError(`${this.code}: the game did not end in 500 steps`);
  }

  /**
   * Keeps the game in its negotiation phase, talking and editing drafts until `stop()` holds: a
   * game that lasts as long as a test needs, its facilitator extending the clock as it runs down.
   */
  async talk(stop: () => boolean): Promise<void> {
    const us = this.leads.get('us');
    const cn = this.leads.get('china');
    if (!us || !cn) throw new Error('a talking table needs both leads');
    await this.act(this.fac, 'fac:start');
    await this.act(this.fac, 'fac:advance');
    for (let i = 0; !stop(); i++) {
      await this.act(us, 'chat:send', { channel: 'bilateral', text: `Proposal ${i}: a hotline first.` });
      await this.act(cn, 'chat:send', { channel: 'bilateral', text: `Counter ${i}: controls first.` });
      await this.editDraft('us', us);
      await this.editDraft('china', cn);
      if (this.member) await this.act(this.member, 'chat:send', { channel: 'us', text: `Note ${i}` });
      if ((this.fac.view?.deadline ?? 0) - Date.now() < 60_000)
        await this.act(this.fac, 'fac:extend', { seconds: 120 });
    }
  }

  close(): void {
    for (const s of this.seats) s.close();
  }
}
