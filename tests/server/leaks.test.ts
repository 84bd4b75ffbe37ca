import { afterEach, describe, expect, it } from 'vitest';
import type { RoomCommand } from '../../server/room/commands.ts';
import type { ResumeResult } from '../../shared/protocol/events.ts';
import { fromSnapshot, withUpdate } from '../../shared/protocol/merge.ts';
import type { Channel, ClientView, GameUpdate, SeatSnapshot } from '../../shared/protocol/room.ts';
import { getEvent } from '../../shared/rules/events.ts';
import type { Side } from '../../shared/rules/ids.ts';
import { validateOrders } from '../../shared/rules/orders.ts';
import type { Order } from '../../shared/rules/state.ts';
import { type Client, createGame } from './harness.ts';
import { advanceTo, Fixture, joinRecorded, recordRaw, roomOf } from './helpers2.ts';

const fx = new Fixture();
afterEach(() => fx.cleanup());

/**
 * One received packet: its text, and the picture the client holds after it (what a browser
 * would show), for packets that change it: views, log increments, chat, snapshots and the
 * snapshot in a join or resume acknowledgement.
 */
interface Packet {
  raw: string;
  view: ClientView | null;
}

function packets(raw: string[]): Packet[] {
  let cv: ClientView | null = null;
  return raw.map((text) => {
    const body = JSON.parse(text.replace(/^\d+/, '')) as unknown;
    const before = cv;
    if (Array.isArray(body)) {
      const [event, arg] = body as [unknown, unknown];
      if (event === 'game:update') cv = withUpdate(cv, arg as GameUpdate);
      else if (event === 'game:snapshot') cv = fromSnapshot(arg as SeatSnapshot);
      else if (typeof event === 'object' && event !== null) {
        const snap = (event as { data?: { snapshot?: SeatSnapshot | null } }).data?.snapshot;
        if (snap) cv = fromSnapshot(snap);
      }
    }
    return { raw: text, view: cv !== before ? cv : null };
  });
}

/** Index of the first packet carrying a view that satisfies `pred` (packets.length if none). */
function firstView(ps: Packet[], pred: (v: ClientView) => boolean): number {
  const i = ps.findIndex((p) => p.view !== null && pred(p.view));
  return i < 0 ? ps.length : i;
}

function containing(ps: Packet[], needle: string): string[] {
  return ps.filter((p) => p.raw.includes(needle)).map((p) => p.raw.slice(0, 160));
}

const CHANNELS_OF: Record<Side, Channel[]> = {
  us: ['public', 'us', 'bilateral'],
  china: ['public', 'china', 'bilateral'],
};

/** Distinctive chat text, so a leak is a plain substring of a frame. */
const chatText = (side: Side, channel: Channel, round: number) =>
  `chat-${side}-on-${channel}-r${round}-${side === 'us' ? 'q7Lm' : 'z3Xw'}`;
const rationale = (side: Side, round: number, i: number) => `why-${side}-r${round}-o${i}-${side}Secret`;

/** Orders each side tries, in turn, each round: the first set the rules accept is used. */
const CANDIDATES: Record<Side, Order[][][]> = {
  us: [
    [[{ move: 'compute-buildout' }, { move: 'enforcement-surge' }], [{ move: 'compute-buildout' }]],
    [
      [{ move: 'tighten-loophole', loophole: 'cloud' }, { move: 'allied-coordination' }],
      [{ move: 'tighten-loophole', loophole: 'smuggling' }],
    ],
  ],
  china: [
    [[{ move: 'court-allies' }, { move: 'domestic-chips' }], [{ move: 'domestic-chips' }]],
    [
      [{ move: 'mineral-retaliation' }, { move: 'evasion-network', loophole: 'smuggling' }],
      [{ move: 'stockpile-chips' }],
      [{ move: 'evasion-network', loophole: 'allowedChips' }],
    ],
  ],
};

describe('what each socket receives over a whole game', () => {
  it('never carries the other side’s secrets, team chat, the seed or anyone else’s token', async () => {
    const srv = await fx.server();
    const game = await createGame(srv.url, { scenarioId: 'classroom-short', rounds: 2 });
    const fac = fx.client(srv.url);
    const facRaw = recordRaw(fac);
    await fac.connected();
    fac.adopt((await fac.ok<ResumeResult>('game:resume', { token: game.facilitatorToken })).snapshot);
    const { client: us, raw: usRaw } = await joinRecorded(fx, srv.url, game.code, 'Ana (NSC)', 'us');
    const { client: us2, raw: us2Raw } = await joinRecorded(fx, srv.url, game.code, 'Cy (State)', 'us');
    const { client: cn, raw: cnRaw } = await joinRecorded(fx, srv.url, game.code, 'Bo (MFA)', 'china');
    const { client: obs, raw: obsRaw } = await joinRecorded(fx, srv.url, game.code, 'Olga', 'observer');
    const room = roomOf(srv, game.code);
    const leads: Record<Side, Client> = { us, china: cn };

    const sideOrders: Record<Side, Order[][]> = { us: [], china: [] };
    let usCrisisAnswer: string | null = null;
    const injected = 'rogue-cyber-agent';
    const secretNote = 'note-on-china-compute-kV9p';
    const publicNote = 'note-on-trust-for-all-Jh2d';

    await fac.ok('fac:start');
    for (let round = 1; round <= 2; round++) {
      await advanceTo(fac, 'negotiation');
      for (const side of ['us', 'china'] as const)
        for (const channel of CHANNELS_OF[side])
          await leads[side].ok('chat:send', { channel, text: chatText(side, channel, round) });
      await us2.ok('chat:send', { channel: 'us', text: `chat-us2-on-us-r${round}-q7Lm` });
      await fac.ok('fac:broadcast', { text: `White Cell round ${round}` });
      if (round === 1) {
        await fac.ok('fac:inject', { eventId: injected });
        await fac.ok('fac:adjust', { variable: 'china.compute', value: 400, note: secretNote });
        await fac.ok('fac:adjust', { variable: 'trust', value: 40, note: publicNote });
      }
      await advanceTo(fac, 'orders');

      for (const side of ['us', 'china'] as const) {
        const picked = CANDIDATES[side][round - 1]?.find((o) => validateOrders(room.state.game, side, o).ok);
        expect(picked, `${side} has valid orders in round ${round}`).toBeDefined();
        const orders = (picked ?? []).map((o, i) => ({ ...o, rationale: rationale(side, round, i) }));
        sideOrders[side][round - 1] = orders;
        const lead = leads[side];
        const v = await lead.until((x) => x.phase === 'orders' && x.round === round);
        const set = await lead.ok<{ version: number }>('draft:set', {
          baseVersion: v.draft?.version ?? 0,
          orders,
        });
        await lead.ok('draft:lock', { baseVersion: set.version });
      }
      const after = await us.until((v) => v.phase !== 'orders' || v.round !== round, 'the reveal');
      if (after.phase === 'crisis') {
        const e = getEvent(after.game.public.pendingCrisis?.eventId ?? '');
        const choices = e?.response?.choices;
        expect(choices).toBeDefined();
        const usChoice = choices?.us[1].id;
        if (round === 1) usCrisisAnswer = usChoice ?? null;
        await us.ok('crisis:answer', { choice: usChoice });
        await cn.until((v) => v.crisisAnswered.us);
        await cn.ok('crisis:answer', { choice: choices?.china[0].id });
        await us.until((v) => v.phase !== 'crisis', 'the crisis result');
      }
      if (round === 1) {
        expect(after.game.log.public.find((l) => l.round === 1)?.event).toBe(injected);
        await advanceTo(fac, 'briefing');
      }
    }
    for (const c of [us, us2, cn, obs]) await c.until((v) => v.phase === 'ended', 'the end');
    // The injected event asked both sides for an answer in round 1.
    expect(usCrisisAnswer).not.toBeNull();

    const seats = {
      us: packets(usRaw),
      us2: packets(us2Raw),
      china: packets(cnRaw),
      observer: packets(obsRaw),
    };
    const all = { ...seats, facilitator: packets(facRaw) };
    const tokens = {
      us: us.token,
      us2: us2.token,
      china: cn.token,
      observer: obs.token,
      facilitator: game.facilitatorToken,
    };
    const create = srv.store.commands(room.state.id).find((c) => c.type === 'create') as
      | Extract<RoomCommand, { type: 'create' }>
      | undefined;
    const seed = create?.seed ?? '';
    expect(seed.length).toBeGreaterThan(8);

    // Nobody, not even the facilitator, gets the seed or the generator state; no seat gets
    // another's token, and the facilitator's token reaches no player.
    for (const [who, ps] of Object.entries(all)) {
      expect(ps.length, who).toBeGreaterThan(10);
      expect(containing(ps, '"rng"'), who).toEqual([]);
      expect(containing(ps, seed), who).toEqual([]);
      for (const [owner, token] of Object.entries(tokens)) {
        if (owner === who) continue;
        expect(containing(ps, token), `${owner}'s token in ${who}'s frames`).toEqual([]);
      }
    }

    const teamOf: Record<keyof typeof seats, Side | null> = {
      us: 'us',
      us2: 'us',
      china: 'china',
      observer: null,
    };
    for (const [who, ps] of Object.entries(seats) as [keyof typeof seats, Packet[]][]) {
      const side = teamOf[who];
      const end = firstView(ps, (v) => v.phase === 'ended');
      expect(end, `${who} saw the end`).toBeLessThan(ps.length);
      const before = ps.slice(0, end);

      // Nothing true before the end; the truth for everyone once it has ended.
      for (const p of before) if (p.view) expect(p.view.game.truth, who).toBeNull();
      expect(containing(before, '"truth":{'), who).toEqual([]);
      const last = ps.filter((p) => p.view).at(-1)?.view;
      expect(last?.phase).toBe('ended');
      expect(last?.game.truth?.us.capability, who).toBeGreaterThan(0);

      // The facilitator's event is not announced before it happens.
      const firstReveal = firstView(ps, (v) => v.game.log.public.some((l) => l.round === 1));
      expect(containing(ps.slice(0, firstReveal), injected), who).toEqual([]);

      for (const other of ['us', 'china'] as const) {
        if (other === side) continue;
        // The other team's chat, its rationales and its hidden adjustment, never before the end.
        for (let round = 1; round <= 2; round++) {
          const own = `chat-${other}-on-${other}-r${round}`;
          expect(containing(before, own), `${who} saw ${own}`).toEqual([]);
          for (const o of sideOrders[other][round - 1] ?? [])
            expect(containing(before, o.rationale ?? '?'), `${who} saw ${o.rationale}`).toEqual([]);
        }
        if (other === 'china') expect(containing(before, secretNote), who).toEqual([]);
        // The other side's orders, before the reveal of their round: moves nobody had ordered before.
        for (let round = 1; round <= 2; round++) {
          const reveal = firstView(ps, (v) => v.game.log.public.some((l) => l.round === round));
          expect(reveal, `${who} saw the reveal of round ${round}`).toBeLessThan(ps.length);
          const seen = new Set<string>();
          for (const s of ['us', 'china'] as const)
            for (let r = 1; r < round; r++) for (const o of sideOrders[s][r - 1] ?? []) seen.add(o.move);
          if (side) for (const o of sideOrders[side][round - 1] ?? []) seen.add(o.move);
          const secret = (sideOrders[other][round - 1] ?? []).filter((o) => !seen.has(o.move));
          expect(secret.length, `round ${round} has ${other} moves to watch`).toBeGreaterThan(0);
          for (const o of secret)
            expect(
              containing(ps.slice(0, reveal), `"move":"${o.move}"`),
              `${who} saw ${other}'s ${o.move} before the reveal of round ${round}`,
            ).toEqual([]);
        }
      }
      if (side === 'china' && usCrisisAnswer) {
        // The US answer to the crisis reaches China only with the result.
        const crisisEnd = firstView(
          ps,
          (v) => v.game.log.public.some((l) => l.round === 1) && v.phase !== 'crisis',
        );
        expect(containing(ps.slice(0, crisisEnd), `"${usCrisisAnswer}"`), who).toEqual([]);
      }
      if (side === null) {
        // The observer reads no team or bilateral chat before the end, and no draft ever.
        for (const s of ['us', 'china'] as const)
          for (const channel of CHANNELS_OF[s])
            if (channel !== 'public')
              for (let round = 1; round <= 2; round++)
                expect(containing(before, chatText(s, channel, round)), `observer saw ${channel}`).toEqual(
                  [],
                );
        for (const p of before)
          if (p.view) {
            expect(p.view.chat.every((m) => m.channel === 'public')).toBe(true);
            expect(p.view.draft).toBeNull();
            expect(p.view.drafts).toBeNull();
          }
        expect(containing(before, 'chat-us2-on-us'), who).toEqual([]);
      } else {
        // A team does see its own chat, the other side's public chat and the bilateral channel.
        for (const channel of CHANNELS_OF[side])
          expect(
            containing(before, chatText(side, channel, 1)).length,
            `${who} on ${channel}`,
          ).toBeGreaterThan(0);
        const other = side === 'us' ? 'china' : 'us';
        expect(containing(before, chatText(other, 'public', 1)).length).toBeGreaterThan(0);
        expect(containing(before, chatText(other, 'bilateral', 1)).length).toBeGreaterThan(0);
        if (side === 'china') expect(containing(before, secretNote).length).toBeGreaterThan(0);
      }
      // Everyone sees the public adjustment's note and the White Cell's broadcasts.
      expect(containing(before, publicNote).length, who).toBeGreaterThan(0);
      expect(containing(before, 'White Cell round 2').length, who).toBeGreaterThan(0);
    }
  });
});

describe('the facilitator writing on a channel', () => {
  it('a message on one team’s channel reaches that team only', async () => {
    const srv = await fx.server();
    const game = await createGame(srv.url, { scenarioId: 'classroom-short' });
    const fac = await fx.resume(srv.url, game.facilitatorToken);
    const { client: us, raw: usRaw } = await joinRecorded(fx, srv.url, game.code, 'Ana', 'us');
    const { client: cn, raw: cnRaw } = await joinRecorded(fx, srv.url, game.code, 'Bo', 'china');
    const { client: obs, raw: obsRaw } = await joinRecorded(fx, srv.url, game.code, 'Olga', 'observer');
    const secret = 'White Cell to the US only: your sources say Beijing is stockpiling-Tq4';
    const ack = await fac.call('chat:send', { channel: 'us', text: secret });
    // Whether the server delivers it on the US channel or refuses it, no one else may read it.
    if (ack.ok) await us.until((v) => v.chat.some((m) => m.text === secret), 'the message to the US');
    await fac.ok('fac:broadcast', { text: 'A message for everyone' });
    await cn.until((v) => v.chat.some((m) => m.text === 'A message for everyone'));
    await us.until((v) => v.chat.some((m) => m.text === 'A message for everyone'));
    await obs.until((v) => v.chat.some((m) => m.text === 'A message for everyone'));
    expect(containing(packets(cnRaw), secret)).toEqual([]);
    expect(containing(packets(obsRaw), secret)).toEqual([]);
    expect(containing(packets(usRaw), 'A message for everyone').length).toBeGreaterThan(0);
  });
});
