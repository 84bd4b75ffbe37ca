import { describe, expect, test } from 'vitest';
import { createRequest, paceMinutes } from '../../client/src/model/create-form.ts';
import { guidance } from '../../client/src/model/guidance.ts';
import { formatRemaining, phaseLabel, roleLabel } from '../../client/src/model/labels.ts';
import { parseRoute } from '../../client/src/model/route.ts';
import { statusBanner } from '../../client/src/model/status.ts';
import { lastChatSeq, whiteCellNotice } from '../../client/src/model/white-cell-notice.ts';
import { playedRoom, step, viewFor } from './fixtures.ts';

describe('routes', () => {
  test('a seat link needs a token-shaped argument', () => {
    expect(parseRoute('#/seat/abcdefghijklmnopqrstu')).toEqual({
      kind: 'seat',
      token: 'abcdefghijklmnopqrstu',
    });
    expect(parseRoute('#/seat/short')).toEqual({ kind: 'landing', code: null });
    expect(parseRoute('#/seat/<script>alert(1)</script>aaaaaaaaaaaaaaaa')).toEqual({
      kind: 'landing',
      code: null,
    });
  });

  test('a join link fills in the room code in capitals', () => {
    expect(parseRoute('#/join/abc234')).toEqual({ kind: 'landing', code: 'ABC234' });
    expect(parseRoute('#/join/ABC')).toEqual({ kind: 'landing', code: null });
    expect(parseRoute('')).toEqual({ kind: 'landing', code: null });
  });
});

describe('the create-game form', () => {
  const base = {
    scenarioId: 'classroom-short',
    rounds: '6',
    minutes: { briefing: '1', negotiation: '2.5', orders: '2', crisis: '1', summary: '1' },
    bots: { us: '', china: 'adaptive' },
  };

  test('turns minutes into seconds and empty bot choices into people', () => {
    const r = createRequest(base);
    expect(r).toEqual({
      ok: true,
      request: {
        scenarioId: 'classroom-short',
        rounds: 6,
        deadlines: { briefing: 60, negotiation: 150, orders: 120, crisis: 60, summary: 60 },
        bots: { us: null, china: 'adaptive' },
      },
    });
  });

  test('names the field that is wrong', () => {
    expect(createRequest({ ...base, rounds: '7' })).toMatchObject({ ok: false, field: 'rounds' });
    expect(createRequest({ ...base, rounds: '2.5' })).toMatchObject({ ok: false, field: 'rounds' });
    expect(createRequest({ ...base, scenarioId: 'nope' })).toMatchObject({ ok: false, field: 'scenario' });
    expect(createRequest({ ...base, minutes: { ...base.minutes, orders: '0.5' } })).toMatchObject({
      ok: false,
      field: 'orders',
    });
    expect(createRequest({ ...base, minutes: { ...base.minutes, crisis: 'abc' } })).toMatchObject({
      ok: false,
      field: 'crisis',
    });
  });

  test('a chosen seed is passed on trimmed; a blank one leaves the dice to the server; a bad one names the field', () => {
    expect(createRequest({ ...base, seed: '  exercise-2026.b  ' })).toMatchObject({
      ok: true,
      request: { seed: 'exercise-2026.b' },
    });
    const blank = createRequest({ ...base, seed: '   ' });
    expect(blank.ok && 'seed' in blank.request).toBe(false);
    for (const seed of ['two words', 'x'.repeat(65), 'naïve'])
      expect(createRequest({ ...base, seed })).toMatchObject({ ok: false, field: 'seed' });
  });

  test('the baseline allows 12 rounds and the slow pace fits within seven days', () => {
    expect(createRequest({ ...base, scenarioId: 'baseline-2026', rounds: '12' }).ok).toBe(true);
    const days = paceMinutes('days');
    const r = createRequest({
      ...base,
      minutes: Object.fromEntries(
        Object.entries(days).map(([k, v]) => [k, String(v)]),
      ) as typeof base.minutes,
    });
    expect(r.ok).toBe(true);
  });
});

describe('labels', () => {
  test('countdowns read as minutes, hours or days', () => {
    expect(formatRemaining(65_000)).toBe('1:05');
    expect(formatRemaining(-5)).toBe('0:00');
    expect(formatRemaining(2 * 3600_000 + 5 * 60_000)).toBe('2h 05m');
    expect(formatRemaining(3 * 86400_000 + 4 * 3600_000)).toBe('3d 4h');
  });

  test('every role and phase has words', () => {
    expect(roleLabel('china')).toBe('China team');
    expect(phaseLabel('crisis')).toBe('Crisis response');
  });
});

describe('what to do now', () => {
  test('a lead in the orders phase is told to lock; the other side waits for both', () => {
    const room = playedRoom({ advances: 2, bots: { us: null, china: null } });
    expect(room.phase).toBe('orders');
    const us = viewFor(room, 'us');
    expect(us.you.lead).toBe(true);
    expect(guidance(us)).toMatch(/lock the orders/);
    expect(guidance(viewFor(room, 'observer'))).toMatch(/Waiting for orders from/);
  });

  test('a side held by a bot is told so', () => {
    const room = playedRoom({ advances: 1 });
    expect(guidance(viewFor(room, 'us'))).toMatch(/bot is playing/);
  });

  test('the banner is empty only when online', () => {
    expect(statusBanner('online', null, true)).toBe('');
    expect(statusBanner('offline', null, true)).toMatch(/Reconnecting/);
    expect(statusBanner('restarting', 'The server is restarting.', true)).toMatch(/restarting/);
    expect(statusBanner('refused', 'unknown token', false)).toMatch(/unknown token/);
  });
});

describe('the White Cell notice', () => {
  test('shows the facilitator’s latest word that arrived since, to players only', () => {
    let room = playedRoom({ advances: 1 });
    const before = viewFor(room, 'us');
    const since = lastChatSeq(before);
    expect(whiteCellNotice(before, since)).toBeNull();
    // A player's own message is not the White Cell's.
    room = step(room, { type: 'chat', seatId: before.you.seatId, channel: 'public', text: 'hello' });
    expect(whiteCellNotice(viewFor(room, 'us'), since)).toBeNull();
    room = step(room, { type: 'fac.broadcast', text: 'Ten minutes to the vote.' });
    room = step(room, { type: 'fac.chat', channel: 'us', text: 'US team: a word, please.' });
    const after = viewFor(room, 'us');
    expect(whiteCellNotice(after, since)?.text).toBe('US team: a word, please.');
    // China cannot read the US channel: its latest is the broadcast.
    expect(whiteCellNotice(viewFor(room, 'china'), since)?.text).toBe('Ten minutes to the vote.');
    expect(whiteCellNotice(after, lastChatSeq(after))).toBeNull();
    expect(whiteCellNotice(viewFor(room, 'facilitator'), since)).toBeNull();
  });
});
