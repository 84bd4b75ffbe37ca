import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { RoomCommand } from '../../server/room/commands.ts';
import type { ResumeResult } from '../../shared/protocol/events.ts';
import { fromSnapshot, withUpdate } from '../../shared/protocol/merge.ts';
import type { Channel, ClientView, GameUpdate, SeatSnapshot } from '../../shared/protocol/room.ts';
import { getEvent } from '../../shared/rules/events.ts';
import type { Side } from '../../shared/rules/ids.ts';
import { validateOrders } from '../../shared/rules/orders.ts';
import type { Agreement, Order } from '../../shared/rules/state.ts';
import { type Client, createGame } from './harness.ts';
import { advanceTo, Fixture, joinRecorded, recordRaw, roomOf } from './helpers2.ts';

const fx = new Fixture();
afterEach(() => fx.cleanup());

/**
 * Every leak found, so one run lists them all (each test fails if there is any), and a tally of
 * what was checked for the fault suite's summary (test-output/faults/leaks.json).
 */
const leaks: string[] = [];
const tally = { frames: 0, sockets: 0, checks: 0 };
function noLeak(found: string[], label: string): void {
  tally.checks++;
  for (const f of found) leaks.push(`${label}: ${f}`);
}
afterAll(() => {
  const dir = join(process.cwd(), 'test-output', 'faults');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'leaks.json'),
    JSON.stringify({ ...tally, leaks: leaks.length, found: leaks }, null, 2),
  );
});

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

/** China's secret breach of the agreement in force, if there is one. */
function side2Extra(agreementId: string | undefined): Order[] {
  return agreementId ? [{ move: 'violate-agreement', agreementId }] : [];
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
    const joinedUs2 = await joinRecorded(fx, srv.url, game.code, 'Cy (State)', 'us');
    let us2 = joinedUs2.client;
    const us2Raw = joinedUs2.raw;
    const us2Raws: string[][] = [];
    const us2Token = us2.token;
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
      if (round === 2) {
        // A teammate's connection drops and comes back: the new socket's frames are checked too.
        const lastSeq = us2.view?.seq ?? 0;
        us2.close();
        us2 = fx.client(srv.url);
        us2Raws.push(recordRaw(us2));
        await us2.connected();
        us2.token = us2Token;
        us2.adopt((await us2.ok<ResumeResult>('game:resume', { token: us2Token, lastSeq })).snapshot);
      }
      await fac.ok('fac:broadcast', { text: `White Cell round ${round}` });
      if (round === 1) {
        await fac.ok('fac:inject', { eventId: injected });
        await fac.ok('fac:adjust', { variable: 'china.compute', value: 400, note: secretNote });
        await fac.ok('fac:adjust', { variable: 'trust', value: 40, note: publicNote });
      }
      await advanceTo(fac, 'orders');

      // Round 1: both sides propose the same agreement, which puts it in force; round 2: China
      // breaks it in secret. Covert orders must reach nobody else before the end.
      const inForceId = room.state.game.agreements.find((a: Agreement) => a.status === 'in-force')?.id;
      const extra: Order[] =
        round === 1
          ? [{ move: 'propose-agreement', agreement: 'incident-notification' }]
          : side2Extra(inForceId);
      for (const side of ['us', 'china'] as const) {
        const withExtra = (o: Order[]) => (side === 'china' || round === 1 ? [...o, ...extra] : o);
        const picked = CANDIDATES[side][round - 1]
          ?.map(withExtra)
          .find((o) => validateOrders(room.state.game, side, o).ok);
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
    expect(room.state.game.agreements.some((a) => a.type === 'incident-notification')).toBe(true);
    // The injected event asked both sides for an answer in round 1.
    expect(usCrisisAnswer).not.toBeNull();

    const seats = {
      us: packets(usRaw),
      us2: packets([...us2Raw, ...us2Raws.flat()]),
      china: packets(cnRaw),
      observer: packets(obsRaw),
    };
    const all = { ...seats, facilitator: packets(facRaw) };
    tally.sockets += 5 + us2Raws.length;
    for (const ps of Object.values(all)) tally.frames += ps.length;
    // China broke the agreement in secret in round 2.
    expect(sideOrders.china[1]?.some((o) => o.move === 'violate-agreement')).toBe(true);
    const tokens = {
      us: us.token,
      us2: us2.token,
      china: cn.token,
      observer: obs.token,
      facilitator: game.facilitatorToken,
    };
    const create = (await srv.store.commands(room.state.id)).find((c) => c.type === 'create') as
      | Extract<RoomCommand, { type: 'create' }>
      | undefined;
    const seed = create?.seed ?? '';
    expect(seed.length).toBeGreaterThan(8);

    // Nobody, not even the facilitator, gets the seed or the generator state; no seat gets
    // another's token, and the facilitator's token reaches no player.
    for (const [who, ps] of Object.entries(all)) {
      expect(ps.length, who).toBeGreaterThan(10);
      noLeak(containing(ps, '"rng"'), who);
      noLeak(containing(ps, seed), who);
      for (const [owner, token] of Object.entries(tokens)) {
        if (owner === who) continue;
        noLeak(containing(ps, token), `${owner}'s token in ${who}'s frames`);
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
      noLeak(containing(before, '"truth":{'), who);
      const last = ps.filter((p) => p.view).at(-1)?.view;
      expect(last?.phase).toBe('ended');
      expect(last?.game.truth?.us.capability, who).toBeGreaterThan(0);

      // China's own block (true state, imports, evasion networks) reaches no other seat, and
      // none of China's true numbers does either: the metrics keep them round by round, and a
      // value with this many digits turning up in a frame could only have been copied.
      if (side !== 'china') {
        for (const p of before) {
          expect(p.view?.game.own?.side ?? side, who).toBe(side);
          if (p.view?.game.own) expect(p.view.game.own.loopholes, who).toBeNull();
        }
        const hidden = room.state.game.history.metrics.flatMap((m) => [
          m.chinaCapability,
          m.chinaCompute,
          ...Object.values(m.flows),
        ]);
        const distinctive = hidden.filter((x) => !Number.isInteger(x) && String(x).length >= 7);
        expect(distinctive.length, 'China has true values to watch').toBeGreaterThanOrEqual(3);
        for (const x of distinctive)
          for (const end of [',', '}', ']'])
            noLeak(containing(before, `:${x}${end}`), `${who} saw China's true value ${x}`);
      }

      // A covert order reaches no one but its side (and the facilitator) before the end.
      if (side !== 'china')
        noLeak(containing(before, '"move":"violate-agreement"'), `${who} saw China's breach`);

      // The facilitator's event is not announced before it happens.
      const firstReveal = firstView(ps, (v) => v.game.log.public.some((l) => l.round === 1));
      noLeak(containing(ps.slice(0, firstReveal), injected), who);

      for (const other of ['us', 'china'] as const) {
        if (other === side) continue;
        // The other team's chat, its rationales and its hidden adjustment, never before the end.
        for (let round = 1; round <= 2; round++) {
          const own = `chat-${other}-on-${other}-r${round}`;
          noLeak(containing(before, own), `${who} saw ${own}`);
          for (const o of sideOrders[other][round - 1] ?? [])
            noLeak(containing(before, o.rationale ?? '?'), `${who} saw ${o.rationale}`);
        }
        if (other === 'china') noLeak(containing(before, secretNote), who);
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
            noLeak(
              containing(ps.slice(0, reveal), `"move":"${o.move}"`),
              `${who} saw ${other}'s ${o.move} before the reveal of round ${round}`,
            );
        }
      }
      if (side === 'china' && usCrisisAnswer) {
        // The US answer to the crisis reaches China only with the result.
        const crisisEnd = firstView(
          ps,
          (v) => v.game.log.public.some((l) => l.round === 1) && v.phase !== 'crisis',
        );
        noLeak(containing(ps.slice(0, crisisEnd), `"${usCrisisAnswer}"`), who);
      }
      if (side === null) {
        // The observer reads no team or bilateral chat before the end, and no draft ever.
        for (const s of ['us', 'china'] as const)
          for (const channel of CHANNELS_OF[s])
            if (channel !== 'public')
              for (let round = 1; round <= 2; round++)
                noLeak(containing(before, chatText(s, channel, round)), `observer saw ${channel}`);
        for (const p of before)
          if (p.view) {
            expect(p.view.chat.every((m) => m.channel === 'public')).toBe(true);
            expect(p.view.draft).toBeNull();
            expect(p.view.drafts).toBeNull();
          }
        noLeak(containing(before, 'chat-us2-on-us'), who);
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
    expect(leaks).toEqual([]);
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
    noLeak(containing(packets(cnRaw), secret), 'China read the White Cell note to the US');
    noLeak(containing(packets(obsRaw), secret), 'an observer read the White Cell note to the US');
    expect(leaks).toEqual([]);
    expect(containing(packets(usRaw), 'A message for everyone').length).toBeGreaterThan(0);
  });
});
